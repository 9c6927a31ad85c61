"""The tasks a district map cannot show on its own, counted so they are not silently lost."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from dashboard.data import AtlasData
from dashboard.indexes import task_index
from dashboard.options import CountMode


@dataclass(frozen=True)
class CitySummary:
    """Filtered tasks split into mapped, group-only, city-level and outside Wuhan."""

    n_tasks: int
    n_specific: int  # on the map through lead / responsible / mention
    n_group_only: int  # reach districts only through 各区 / 各中心城区 / 各新城区
    n_no_place: int  # name no district or zone at all (city-level)
    n_related: int  # of those, 相关区 (districts left unspecified)
    outside: tuple[tuple[str, int], ...]  # places outside Wuhan → tasks

    def off_map(self, mode: CountMode) -> int:
        """Tasks not coloured on the map in `mode`."""
        extra = self.n_group_only if mode == CountMode.SPECIFIC else 0
        return self.n_no_place + extra


def city_level_summary(data: AtlasData, task_ids: Iterable[str]) -> CitySummary:
    """Split the filtered tasks into mapped, group-only, city-level and outside Wuhan."""
    return summary_by_mask(data, task_index(data).id_mask(task_ids))


def summary_by_mask(data: AtlasData, ids: np.ndarray) -> CitySummary:
    """city_level_summary for the tasks selected by `ids` (bool per id code): sums of
    precomputed per-task flags and one bincount for the places outside Wuhan."""
    index = task_index(data)
    specific = index.specific & ids
    group_only = index.group & ~index.specific & ids
    related = index.related & ~index.specific & ~index.group & ids
    kept = index.outside_place[ids[index.outside_id]]
    places, first, per_place = np.unique(kept, return_index=True, return_counts=True)
    order = np.lexsort((first, -per_place))  # most tasks first, ties in order of appearance
    n_tasks, n_specific, n_group_only = int(ids.sum()), int(specific.sum()), int(group_only.sum())
    return CitySummary(
        n_tasks=n_tasks,
        n_specific=n_specific,
        n_group_only=n_group_only,
        n_no_place=n_tasks - n_specific - n_group_only,
        n_related=int(related.sum()),
        outside=tuple((str(index.outside_names[places[i]]), int(per_place[i])) for i in order),
    )
