"""Targets stated twice (tasks.csv same_target) count once in the dashboard's totals."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from assignments.schema import SAME_TARGET, UNIT_SEPARATOR
from assignments.targets import count_targets, links_from_column, target_of
from dashboard.data import AtlasData
from dashboard.indexes import task_index


@functools.cache
def target_links(data: AtlasData) -> dict[str, tuple[str, ...]]:
    """The same-target links of the data folder's tasks."""
    tasks = data.tasks
    cells = tasks[SAME_TARGET] if SAME_TARGET in tasks else [""] * len(tasks)
    return links_from_column(tasks["task_id"], cells, UNIT_SEPARATOR)


@functools.cache
def target_codes(data: AtlasData) -> np.ndarray:
    """Task code (row position in tasks.csv) → the code of the task that stands for its target."""
    ids = list(data.tasks["task_id"])
    position = {task_id: i for i, task_id in enumerate(ids)}
    rep = target_of(target_links(data))
    return np.array([position.get(rep.get(t, t), i) for i, t in enumerate(ids)], dtype=np.int64)


def n_targets(data: AtlasData, task_ids: Iterable[str]) -> int:
    """Distinct targets among the tasks: a target stated twice counts once."""
    return count_targets(task_ids, target_links(data))


@functools.cache
def target_id_codes(data: AtlasData) -> np.ndarray:
    """Id code of indexes.TaskIndex → the id code of the task that stands for its target."""
    ids = task_index(data).ids
    rep = target_of(target_links(data))
    codes = ids.get_indexer(pd.Index([rep.get(t, t) for t in ids]))
    return np.where(codes >= 0, codes, np.arange(len(ids))).astype(np.int64)


def n_targets_of_mask(data: AtlasData, ids: np.ndarray) -> int:
    """Distinct targets among the id codes selected by `ids` (bool per id code)."""
    return int(np.unique(target_id_codes(data)[ids]).size)
