"""Same target, two headings: tasks of one plan that are one piece of work are matched as one.

The build may mark them: a `same_target` column in tasks.csv holding, for each task, the ids of
the other tasks of the plan that state the same target, joined by `|` (the trust work adds it;
a token that is not a task id is read as a shared key). Without the column, identical text
within a plan (a 重点工作 item repeated word for word under 民生实事) is the sign.
"""

from __future__ import annotations

import pandas as pd

from assignments.schema import SAME_TARGET, UNIT_SEPARATOR
from comparison.text import identical_key

SAME_TARGET_COLUMN = SAME_TARGET


def target_groups(tasks: pd.DataFrame) -> list[list[str]]:
    """Task ids grouped by target, in document order (each group's first task represents it)."""
    ids = tasks["task_id"].tolist()
    position = {t: n for n, t in enumerate(ids)}
    parent = {t: t for t in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for task_id, key in _links(tasks):
        parent.setdefault(key, key)
        a, b = sorted((find(task_id), find(key)), key=lambda x: position.get(x, len(position)))
        parent[b] = a  # the earlier task (or a task over a bare key) represents the group
    groups: dict[str, list[str]] = {}
    for t in ids:
        groups.setdefault(find(t), []).append(t)
    return list(groups.values())


def _links(tasks: pd.DataFrame) -> list[tuple[str, str]]:
    if SAME_TARGET_COLUMN in tasks.columns:
        return [
            (task_id, token.strip())
            for task_id, cell in zip(tasks["task_id"], tasks[SAME_TARGET_COLUMN], strict=True)
            for token in str(cell or "").split(UNIT_SEPARATOR)
            if token.strip()
        ]
    keys = tasks["text"].map(identical_key)
    return [(t, f"text:{k}") for t, k in zip(tasks["task_id"], keys, strict=True) if k]
