"""The 进度 view's export: one assembly for its 导出图片 button, `task-atlas export --view
progress` and the 通报's status map, modelled on export_view.assemble_export.

The image carries the map of the quarter (by 完成率, 平均进度 or 滞后任务数, in the view's fixed
classes), the quarter in the title, the filters in words, the as-of date, the light rule in
words and, when the store holds demonstration returns, 【演示数据】 in the title.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from dashboard.data import AtlasData
from dashboard.describe import describe_filters
from dashboard.export import ExportCaption
from dashboard.export_view import ExportView, export_source
from dashboard.filters import filter_tasks
from dashboard.progress_figures import (
    DEMO_NOTE,
    METRIC_LABELS,
    NOT_REPORTED,
    Metric,
    as_of_text,
    progress_map,
)
from dashboard.style import ZONE_NOTE, zh_punct
from dashboard.viewstate import Filters
from progress.provider import ProgressSource
from progress.quarters import Quarter
from progress.rules import RuleBook, load_rules
from progress.view import QuarterView, narrow
from progress.workbook import DEMO_MARK

PROGRESS_TITLE = "武汉市任务进度图"


@dataclass(frozen=True)
class ProgressState:
    """What the 进度 view shows besides the map's filters: quarter, metric, status filter."""

    quarter: Quarter
    metric: Metric = Metric.MEAN
    statuses: tuple[str, ...] = ()


def rule_words(book: RuleBook | None = None) -> str:
    """The light rule in one sentence per light, from progress/data/lights.csv."""
    book = book or load_rules()
    lights = "；".join(
        f"{label}：{meaning}"
        for label, meaning in zip(book.lights["label"], book.lights["meaning"], strict=True)
    )
    return zh_punct(f"评灯规则（序时进度＝本年已过时间的比例）：{lights}。")


def progress_title(view: QuarterView, metric: Metric, filters: Filters) -> str:
    """【演示数据】武汉市任务进度图 · 2024年第二季度（平均进度） · 江夏区."""
    demo = f"【{DEMO_MARK}】" if view.is_demo else ""
    metric_words = METRIC_LABELS[metric].replace("(%)", "")
    place = f" · {filters.place}" if filters.place else ""
    return f"{demo}{PROGRESS_TITLE} · {view.quarter.label}（{metric_words}）{place}"


def _marked(title: str, view: QuarterView) -> str:
    """A title of the user's own still says 【演示数据】 when the returns are demonstration data."""
    return f"【{DEMO_MARK}】{title}" if view.is_demo and DEMO_MARK not in title else title


def progress_subtitle(
    data: AtlasData, view: QuarterView, filters: Filters, state: ProgressState, as_of: str
) -> str:
    """Filters and status filter in words, the quarter's headline numbers, the as-of date."""
    words = describe_filters(replace(filters, place=None), data)
    if filters.place:
        words += f";地点:{filters.place}"
    if state.statuses:
        shown = view.status["status"].replace("", NOT_REPORTED).isin(state.statuses)
        words += f";任务状态:{'、'.join(state.statuses)}(共 {int(shown.sum())} 项)"
    counts = "，".join(f"{k} {v}" for k, v in view.headline.items())
    quarter = f"{view.quarter.label}(截至 {view.quarter.end:%Y-%m-%d})"
    return zh_punct(f"{words};{quarter}:{counts};{as_of}")


def quarter_as_of(returns: pd.DataFrame, quarter: Quarter, built_at: str) -> str:
    """The as-of words of one quarter's returns and the task table (as on the 进度 view)."""
    return zh_punct(as_of_text(returns[returns["quarter"] == str(quarter)], built_at))


def assemble_progress_export(
    data: AtlasData,
    view: QuarterView,
    filters: Filters,
    state: ProgressState,
    *,
    as_of: str,
    title: str | None = None,
) -> ExportView:
    """The 进度 map of `view` (already narrowed to the filtered tasks) and its caption."""
    figure = go.Figure(progress_map(view, data, state.metric, filters.place))
    # the demo mark goes in the title on a page; the view's own mark would meet the subtitle
    figure.layout.annotations = [
        a for a in figure.layout.annotations if a.text != DEMO_NOTE["text"]
    ]
    figure.update_layout(margin={"t": 0})
    n_place = len(view.status) if filters.place else None
    caption = ExportCaption(
        title=_marked(title, view) if title else progress_title(view, state.metric, filters),
        filters_text=progress_subtitle(data, view, filters, state, as_of),
        zone_note=ZONE_NOTE,  # the 进度 map always draws the zones
        source=export_source(data, filters),
        date=data.built_at,
        notes=(rule_words(),),
    )
    return ExportView(figure, caption, len(view.status), n_place)


def source_view(
    data: AtlasData, source: ProgressSource, quarter: Quarter, filters: Filters
) -> QuarterView:
    """The quarter narrowed to the tasks the map's filters select (as the 进度 view does)."""
    ids = pd.Index(filter_tasks(data, filters)["task_id"])
    return narrow(source.base(quarter), source.tables, place=filters.place, task_ids=ids)


def progress_export(
    data: AtlasData,
    source: ProgressSource,
    filters: Filters,
    state: ProgressState,
    *,
    title: str | None = None,
) -> ExportView:
    """The export of the 进度 view for these filters and this state (button and CLI)."""
    view = source_view(data, source, state.quarter, filters)
    _, returns = source.returns()
    as_of = quarter_as_of(returns, state.quarter, data.built_at)
    return assemble_progress_export(data, view, filters, state, as_of=as_of, title=title)


def progress_filename(data: AtlasData, filters: Filters, state: ProgressState, fmt: str) -> str:
    """任务进度_2024Q2_江夏区_2026-11-27.png: the quarter, the place (if any), the data date."""
    place = f"_{filters.place}" if filters.place else ""
    return f"任务进度_{state.quarter}{place}_{data.built_at}.{fmt}"
