"""The units named on most of the filtered tasks (the agency chart's data)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard.data import AtlasData
from dashboard.indexes import agency_rows
from dashboard.options import AgencyRole


def top_agencies(
    data: AtlasData, task_ids: Iterable[str], role: AgencyRole, n: int = 10
) -> pd.DataFrame:
    """The `n` units named on most of the tasks (distinct tasks), group phrases left out."""
    rows = agency_rows(data, AgencyRole(role))
    counts = rows.loc[rows["task_id"].isin(pd.Index(task_ids)), "unit"].value_counts()
    frame = counts.rename("n_tasks").rename_axis("unit").reset_index()
    return frame.sort_values(["n_tasks", "unit"], ascending=[False, True]).head(n)
