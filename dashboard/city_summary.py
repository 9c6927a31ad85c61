"""The tasks a district map cannot show on its own, counted so they are not silently lost."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard.data import AtlasData
from dashboard.indexes import outside_links, task_flags
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
    ids = pd.Index(task_ids).unique()
    flags = task_flags(data)
    flags = flags[flags.index.isin(ids)]
    specific = flags["specific"]
    group_only = flags["group"] & ~specific
    related = flags["related"] & ~specific & ~flags["group"]
    outside = outside_links(data)
    per_place = outside.loc[outside["task_id"].isin(ids), "place"].value_counts()
    return CitySummary(
        n_tasks=len(ids),
        n_specific=int(specific.sum()),
        n_group_only=int(group_only.sum()),
        n_no_place=len(ids) - int(specific.sum()) - int(group_only.sum()),
        n_related=int(related.sum()),
        outside=tuple((str(p), int(n)) for p, n in per_place.items()),
    )
