"""The 进度 view's callback as it was before the fast path: the judged quarter narrowed with
frame merges and string `isin` (progress.view.narrow), the history pivoted and the task list
formatted on every request.

Kept as the baseline the benchmarks print beside the fast path, and as the reference the
tests hold the fast path equal to on the same data. It reads the same memoised judgements
(the ProgressSource), so the two differ only in the per-request work.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.data import AtlasData
from dashboard.fieldkinds import vocabulary
from dashboard.filters import filter_tasks
from dashboard.progress_figures import (
    Metric,
    headline_text,
    history_table,
    progress_map,
    score_rows,
    task_rows,
    unreported_text,
)
from dashboard.progress_view import briefing_list, frame_table
from dashboard.style import zh_punct
from dashboard.urlstate import parse_query
from progress.provider import ProgressSource
from progress.quarters import parse_quarter
from progress.view import narrow


def reference_render(
    data: AtlasData,
    source: ProgressSource,
    quarter_text: str | None,
    statuses: list[str] | None,
    metric: str | None,
    search: str | None,
) -> tuple[Any, ...]:
    """What `progress_view.on_render` returned before the fast path (a store with returns)."""
    quarters = source.quarters()
    quarter = parse_quarter(quarter_text) if quarter_text else quarters[-1]
    filters, _ = parse_query(search, vocabulary(data))
    ids = pd.Index(filter_tasks(data, filters)["task_id"])
    view = narrow(source.base(quarter), source.tables, place=filters.place, task_ids=ids)
    history = history_table(source, quarter, pd.Index(view.status["task_id"]))
    place = f";地点:{filters.place}" if filters.place else ""
    rows = task_rows(view, history, list(statuses or []))
    return (
        zh_punct(headline_text(view) + place),
        progress_map(view, data, Metric(metric or Metric.MEAN), filters.place),
        unreported_text(view),
        frame_table(score_rows(view.unit_scores, "unit", "牵头单位")),
        frame_table(score_rows(view.place_scores, "place", "区/功能区")),
        frame_table(rows),
        briefing_list(rows.astype(str).to_dict("records")),
    )
