"""What the 对比 view shows, as data: change per place, a place's tasks by relation, lineage, diff.

Pure functions over the comparison table (COMPARE_COLUMNS) and the data folder's tables; the
dashboard only renders their results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import pandas as pd

from comparison.model import Relation

#: Per-place counts: one column per relation, then net = 新增 − 取消.
CHANGE_COLUMNS = ("place", *(r.value for r in Relation), "net")
#: A place's task rows in the panel.
PLACE_ROW_COLUMNS = (
    "relation",
    "from_task_id",
    "from_text",
    "to_task_id",
    "to_text",
    "score",
    "evidence",
)


def _side_task(table: pd.DataFrame) -> pd.Series:
    """The task a row is about for the map: the `to` task, or the `from` task when dropped."""
    return table["to_task_id"].where(table["to_task_id"] != "", table["from_task_id"])


def place_changes(
    table: pd.DataFrame, task_places: pd.DataFrame, places: Iterable[str], links: Iterable[str]
) -> pd.DataFrame:
    """For every place: how many of its tasks are 新增, 延续, 调整, 取消, and the net change.

    A `to` task counts at its own places once (even if it continues two tasks); a dropped `from`
    task counts at its places. `links` says which place links count (lead, responsible …).
    """
    rows = table.assign(task=_side_task(table))[["task", "relation"]].drop_duplicates("task")
    tagged = task_places[task_places["link"].isin(list(links))][["task_id", "place"]]
    joined = rows.merge(tagged.drop_duplicates(), left_on="task", right_on="task_id")
    counts = joined.pivot_table(
        index="place", columns="relation", values="task", aggfunc="nunique", fill_value=0
    )
    counts = counts.reindex(index=list(places), columns=[r.value for r in Relation], fill_value=0)
    counts = counts.fillna(0).astype(int)
    counts["net"] = counts[Relation.NEW.value] - counts[Relation.DROPPED.value]
    return counts.rename_axis("place").reset_index()[list(CHANGE_COLUMNS)]


def place_rows(
    table: pd.DataFrame,
    tasks: pd.DataFrame,
    task_places: pd.DataFrame | None,
    place: str | None,
    links: Iterable[str],
) -> pd.DataFrame:
    """The comparison rows about `place` (all rows when None), with both tasks' texts."""
    rows = table.assign(task=_side_task(table))
    if place is not None and task_places is not None:
        here = task_places[(task_places["place"] == place) & task_places["link"].isin(list(links))]
        rows = rows[rows["task"].isin(set(here["task_id"]))]
    text = dict(zip(tasks["task_id"], tasks["text"], strict=True))
    rows = rows.assign(
        from_text=rows["from_task_id"].map(text).fillna(""),
        to_text=rows["to_task_id"].map(text).fillna(""),
    )
    return rows[list(PLACE_ROW_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class Step:
    """One task in a lineage: its plan, id and text, and how it relates to the step before."""

    plan_id: str
    task_id: str
    text: str
    relation: str  # relation to the previous step ("" for the first)


CompareFn = Callable[[str, str], pd.DataFrame]


def lineage(
    task_id: str, plans: Sequence[str], compare: CompareFn, tasks: pd.DataFrame
) -> list[Step]:
    """The task's line through `plans` (in time order): best predecessor back, best successor on.

    Each step follows the highest-scoring link; a task with none ends the line there.
    """
    plan_of = dict(zip(tasks["task_id"], tasks["plan_id"], strict=True))
    text = dict(zip(tasks["task_id"], tasks["text"], strict=True))
    if task_id not in plan_of or plan_of[task_id] not in plans:
        return []
    at = list(plans).index(plan_of[task_id])
    back = _walk(task_id, [(plans[i - 1], plans[i]) for i in range(at, 0, -1)], compare, True)
    ahead = _walk(task_id, [(plans[i], plans[i + 1]) for i in range(at, len(plans) - 1)], compare)
    ids = [t for t, _ in reversed(back)] + [task_id] + [t for t, _ in ahead]
    # a backward step's relation belongs to the later task of its pair
    relations = ["", *(r for _, r in reversed(back)), *(r for _, r in ahead)]
    return [Step(plan_of[t], t, text[t], r) for t, r in zip(ids, relations, strict=True)]


def _walk(
    start: str, pairs: list[tuple[str, str]], compare: CompareFn, backward: bool = False
) -> list[tuple[str, str]]:
    here, out = start, []
    mine, other = ("to_task_id", "from_task_id") if backward else ("from_task_id", "to_task_id")
    for a, b in pairs:
        table = compare(a, b)
        links = table[(table[mine] == here) & (table[other] != "")]
        if links.empty:
            break
        best = links.sort_values("score", ascending=False, kind="stable").iloc[0]
        here = str(best[other])
        out.append((here, str(best["relation"])))
    return out


Piece = tuple[str, str]  # (kind, text): kind is "same", "removed" or "added"


def wording_diff(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """The two texts cut into same / removed / added pieces (difflib opcodes), side by side."""
    left: list[Piece] = []
    right: list[Piece] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(("same", old[i1:i2]))
            right.append(("same", new[j1:j2]))
            continue
        if i2 > i1:
            left.append(("removed", old[i1:i2]))
        if j2 > j1:
            right.append(("added", new[j1:j2]))
    return left, right
