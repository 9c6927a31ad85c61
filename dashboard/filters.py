"""Which tasks and place links the view state selects (pure pandas over the data tables)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard.data import AtlasData
from dashboard.options import (
    LEAD_ROLES,
    MAPPED_KINDS,
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


def filter_tasks(data: AtlasData, filters: Filters) -> pd.DataFrame:
    """Tasks matching plan, sector, agency and keyword (place and link filters apply later)."""
    tasks = data.tasks
    mask = pd.Series(True, index=tasks.index)
    if filters.plans:
        mask &= tasks["plan_id"].isin(filters.plans)
    if filters.sectors:
        mask &= tasks["sector"].isin(filters.sectors)
    if filters.keyword.strip():
        mask &= tasks["text"].str.contains(filters.keyword.strip(), regex=False)
    if filters.agency:
        mask &= tasks["task_id"].isin(agency_task_ids(data, filters.agency, filters.agency_role))
    return tasks[mask]


def place_links(
    data: AtlasData, task_ids: Iterable[str], mode: CountMode, links: Iterable[str] = ()
) -> pd.DataFrame:
    """task_places rows of mapped places that count under `mode` and `links`."""
    rows = data.task_places
    keep = rows["task_id"].isin(pd.Index(task_ids)) & rows["link"].isin(
        effective_links(links, mode)
    )
    return rows[keep & rows["place_kind"].isin(MAPPED_KINDS)]
