"""The map view's task filter as plain pandas string `isin`, the way main ran it before issue 13.

Kept once, here: benchmarks/hot_path_bench.py times it as the "before" baseline, and
tests/test_dashboard_hot_path.py (through tests/helpers.load_benchmark) holds the fast integer
filter in dashboard/filters.py equal to it on random view states.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data import AtlasData
from dashboard.options import LEAD_ROLES, AgencyRole
from dashboard.viewstate import Filters


def pandas_filter_tasks(data: AtlasData, f: Filters) -> pd.DataFrame:
    """The tasks the filters keep, in data order (plans, sectors, keyword, agency and role)."""
    tasks = data.tasks
    mask = pd.Series(True, index=tasks.index)
    if f.plans:
        mask &= tasks["plan_id"].isin(f.plans)
    if f.sectors:
        mask &= tasks["sector"].isin(f.sectors)
    if f.keyword.strip():
        mask &= tasks["text"].str.contains(f.keyword.strip(), regex=False)
    if f.agency:
        units = data.task_units
        hit = units["unit"] == f.agency
        if f.agency_role == AgencyRole.LEAD:
            hit &= units["role"].isin(LEAD_ROLES)
        mask &= tasks["task_id"].isin(units.loc[hit, "task_id"])
    return tasks[mask]
