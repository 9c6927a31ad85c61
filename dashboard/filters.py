"""Which tasks and place links the view state selects.

The hot path works on boolean masks over tasks.csv rows (indexes.TaskIndex): one precomputed
mask per plan and sector value, a memoised one per keyword, and the id codes of an agency's
tasks. `row_masks` keeps them apart so a caller can drop one (the agency chart is counted
without the agency filter) instead of filtering twice.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from dashboard.data import AtlasData
from dashboard.indexes import TaskIndex, mapped_place_rows, task_index
from dashboard.options import (
    ALL_LINKS,
    LEAD_ROLES,
    SPECIFIC_LINKS,
    AgencyRole,
    CountMode,
    Link,
)
from dashboard.viewstate import Filters


def effective_links(links: Iterable[str], mode: CountMode) -> tuple[str, ...]:
    """Link types that count: the chosen specific links, plus group links in citywide mode."""
    chosen = tuple(link for link in SPECIFIC_LINKS if link in set(links)) or SPECIFIC_LINKS
    return (*chosen, Link.GROUP) if mode == CountMode.WITH_CITYWIDE else chosen


def agency_task_ids(data: AtlasData, agency: str, role: AgencyRole) -> pd.Series:
    """Task ids naming `agency` as lead (incl. derived lead) or in any role."""
    units = data.task_units
    mask = units["unit"] == agency
    if role == AgencyRole.LEAD:
        mask &= units["role"].isin(LEAD_ROLES)
    return units.loc[mask, "task_id"]


def _any_of(masks: Mapping[str, np.ndarray], values: Iterable[str], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for value in values:
        found = masks.get(value)
        if found is not None:
            out |= found
    return out


@functools.lru_cache(maxsize=64)
def keyword_rows(index: TaskIndex, keyword: str) -> np.ndarray:
    """Rows whose text contains `keyword` (plain substring), memoised per keyword."""
    return np.fromiter((keyword in t for t in index.text), dtype=bool, count=len(index.text))


def row_masks(index: TaskIndex, filters: Filters) -> dict[str, np.ndarray]:
    """One boolean mask over tasks.csv rows per active filter, keyed by its Filters field."""
    n = len(index.id_of_row)
    masks: dict[str, np.ndarray] = {}
    if filters.plans:
        masks["plans"] = _any_of(index.plan_rows, filters.plans, n)
    if filters.sectors:
        masks["sectors"] = _any_of(index.sector_rows, filters.sectors, n)
    if filters.keyword.strip():
        masks["keyword"] = keyword_rows(index, filters.keyword.strip())
    if filters.agency:
        ids = np.zeros(index.n_ids, dtype=bool)
        ids[index.agency_ids.get((filters.agency, AgencyRole(filters.agency_role)), [])] = True
        masks["agency"] = ids[index.id_of_row]
    return masks


def combine(index: TaskIndex, masks: Mapping[str, np.ndarray]) -> np.ndarray:
    """The AND of `masks` (all rows when there are none)."""
    out = np.ones(len(index.id_of_row), dtype=bool)
    for mask in masks.values():
        out &= mask
    return out


def ids_of_rows(index: TaskIndex, rows: np.ndarray) -> np.ndarray:
    """Bool per id code: some selected row carries the id."""
    ids = np.zeros(index.n_ids, dtype=bool)
    ids[index.id_of_row[rows]] = True
    return ids


def filter_tasks(data: AtlasData, filters: Filters) -> pd.DataFrame:
    """Tasks matching plan, sector, agency and keyword (place and link filters apply later)."""
    index = task_index(data)
    return data.tasks[combine(index, row_masks(index, filters))]


def place_links(
    data: AtlasData, task_ids: Iterable[str], mode: CountMode, links: Iterable[str] = ()
) -> pd.DataFrame:
    """task_places rows of mapped places that count under `mode` and `links`."""
    coded = mapped_place_rows(data)
    ids = np.append(task_index(data).id_mask(task_ids), False)  # code -1: not a known task
    wanted = np.zeros(len(ALL_LINKS) + 1, dtype=bool)  # last slot: code -1, another link type
    wanted[[ALL_LINKS.index(link) for link in effective_links(links, mode)]] = True
    return coded.frame(np.flatnonzero(ids[coded.id_code] & wanted[coded.link_code]))
