"""The units named on most of the filtered tasks (the agency chart's data)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.data import AtlasData
from dashboard.indexes import task_index
from dashboard.options import AgencyRole


def top_agencies(
    data: AtlasData, task_ids: Iterable[str], role: AgencyRole, n: int = 10
) -> pd.DataFrame:
    """The `n` units named on most of the tasks (distinct tasks), group phrases left out."""
    return top_agencies_by_mask(data, task_index(data).id_mask(task_ids), role, n)


def top_agencies_by_mask(
    data: AtlasData, ids: np.ndarray, role: AgencyRole, n: int = 10
) -> pd.DataFrame:
    """top_agencies for the tasks selected by `ids` (bool per id code): one bincount over
    (unit, task) codes; units are coded in name order, so ties sort by name for free."""
    index = task_index(data)
    role = AgencyRole(role)
    names, units = index.unit_names[role], index.unit_code[role]
    counts = np.bincount(units[ids[index.unit_id[role]]], minlength=len(names))
    order = np.lexsort((np.arange(len(names)), -counts))
    top = [int(u) for u in order[:n] if counts[u] > 0]
    return pd.DataFrame(
        {
            "unit": pd.Series(names[top], dtype=data.task_units["unit"].dtype),
            "n_tasks": pd.Series(counts[top], dtype="int64"),
        }
    )
