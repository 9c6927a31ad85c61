"""The 进度 view: quarterly status of the filtered tasks on the map, lights, scorecards, 未报送.

Pure builders live in dashboard/progress_figures.py; this module declares the components and
wires the callbacks (thin: unpack, call builders, return). The view is a tab (in VIEWS); its
state (quarter, statuses) lives in the URL hash (#progress?quarter=2024Q2&status=滞后), which
also opens its tab, so it never collides with the map's query string, whose filters it applies.
The browser keeps hash and controls in step (dashboard/viewhash.py): the server is asked only
for the numbers, while the tab is open and something they depend on changed. Its task grid
pages itself on the server (dashboard/progress_grid.py).
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

import dash_ag_grid as dag
import pandas as pd
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from dashboard import progress_fast
from dashboard.briefing import PROGRESS, briefing_controls
from dashboard.data import AtlasData
from dashboard.fieldkinds import vocabulary
from dashboard.ids import Id
from dashboard.map_config import MAP_CONFIG
from dashboard.progress_export_ui import export_bar, register_export
from dashboard.progress_figures import (
    METRIC_LABELS,
    NOT_REPORTED,
    Metric,
    as_of_text,
    headline_text,
    score_rows,
    unreported_text,
)
from dashboard.progress_grid import LIGHT_COLOURS, register_grid, task_grid
from dashboard.style import zh_punct
from dashboard.urlstate import parse_query
from dashboard.viewhash import PROGRESS_HASH
from progress.provider import ProgressSource
from progress.quarters import parse_quarter
from progress.rules import describe_rules, load_rules
from progress.tasks import TaskTables

URL_HASH = Id.URL  # the page's one Location: its hash is this view's state
BRIEFING_SHOWN = progress_fast.BRIEFING  # tasks listed in 汇报模式 (the grid holds them all)


class PId(StrEnum):
    """Component ids of the 进度 view."""

    VIEW = "progress-view"
    QUARTER = "progress-quarter"
    STATUS = "progress-status"
    METRIC = "progress-metric"
    NOTICE = "progress-notice"
    HEADLINE = "progress-headline"
    AS_OF = "progress-as-of"
    MAP = "progress-map"
    UNREPORTED = "progress-unreported"
    UNITS = "progress-units"
    PLACES = "progress-places"
    TASKS = "progress-tasks"
    BRIEFING = "progress-briefing"  # the task list 汇报模式 shows beside the map
    QUARTERS = "progress-quarters"  # the store's quarters, read once per page load
    CONFIG = "progress-config"  # what the browser checks the hash against (viewhash.py)


def default_source(data: AtlasData, db: str | None = None) -> ProgressSource:
    """The store named by `db` / $TASK_ATLAS_DB, or ./task-atlas.db if it exists; else none."""
    from progress.db import DB_ENV, DEFAULT_DB_FILE, open_store, resolve_url

    tables = tables_of(data)
    if not db and not os.environ.get(DB_ENV) and not Path(DEFAULT_DB_FILE).is_file():
        return ProgressSource(tables, None)
    url = resolve_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return ProgressSource(tables, None)  # serving never creates a store file
    return ProgressSource(tables, open_store(url))


def tables_of(data: AtlasData) -> TaskTables:
    return TaskTables(data.plans, data.tasks, data.task_units, data.task_places, data.built_at)


def frame_table(frame: pd.DataFrame, page_size: int = 20) -> dag.AgGrid:
    """A read-only, sortable, paged grid of a scorecard (a few hundred rows at most, so sent
    whole; the task list is paged on the server: dashboard/progress_grid.py); cells are plain
    text, never markup."""
    rows = [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return dag.AgGrid(
        rowData=rows,
        columnDefs=[{"field": str(c), "headerName": str(c)} for c in frame.columns],
        defaultColDef={"sortable": True, "resizable": True, "wrapText": True, "autoHeight": True},
        dashGridOptions={"pagination": True, "paginationPageSize": page_size},
        columnSize="autoSize",
        style={"height": 520},
    )


def briefing_list(
    rows: list[dict[str, str]], shown: int = BRIEFING_SHOWN, total: int | None = None
) -> html.Ol:
    """The task list of 汇报模式: light, status and progress, then the task and its lead units,
    in large type (the grid's columns do not fit beside the map). Text only, never markup.
    `rows` may stop at the first `shown`; `total` is then how many the list holds."""
    total = len(rows) if total is None else total
    items = [
        html.Li(
            [
                html.Span(
                    light, className="brief-light", style={"background": LIGHT_COLOURS[light]}
                ),
                html.B(f"{status} {percent}".strip()),
                html.Span(str(text), className="brief-text"),
                html.Span(str(units), className="brief-units"),
            ]
        )
        for light, status, percent, text, units in (
            (r["灯"], r["状态"], r["进度"], r["任务内容"], r["牵头单位"]) for r in rows[:shown]
        )
    ]
    if total > shown:
        items.append(html.Li(f"……另有 {total - shown} 项，见任务表", className="brief-more"))
    return html.Ol(items or [html.Li("没有符合条件的任务")], className="progress-briefing-list")


# --- the callback bodies (plain functions a test can call) ------------------------------------


def on_render(
    data: AtlasData,
    source: ProgressSource,
    quarter_text: str | None,
    statuses: list[str] | None,
    metric: str | None,
    search: str | None,
) -> tuple[Any, ...]:
    """Everything the view shows for the chosen quarter and the map's filters."""
    snap = source.snapshot()  # one store query per request; the rest is memoised per version
    quarters = source.quarters(snap)
    if not quarters:
        empty = (
            "尚无进度报送:用 task-atlas progress import 导入报表,或 progress demo 生成演示数据。"
        )
        return empty, {}, "", "", "", ""
    quarter = parse_quarter(quarter_text) if quarter_text else quarters[-1]
    filters, _ = parse_query(search, vocabulary(data))
    fast = progress_fast.render(data, source, snap, quarter, filters, list(statuses or []))
    view = fast.view
    place = f";地点:{filters.place}" if filters.place else ""  # the place 汇报模式 steps to
    return (
        zh_punct(headline_text(view) + place),
        progress_fast.progress_map_of(view, data, Metric(metric or Metric.MEAN), filters.place),
        unreported_text(view),
        frame_table(score_rows(view.unit_scores, "unit", "牵头单位")),
        frame_table(score_rows(view.place_scores, "place", "区/功能区")),
        briefing_list(fast.first, total=fast.total),
    )


def as_of(data: AtlasData, source: ProgressSource, quarter_text: str | None) -> str:
    """The "as of" line: the newest as-of date of the quarter's returns and the task table's."""
    snap = source.snapshot()
    quarters = source.quarters(snap)
    if not quarters:
        return ""
    quarter = parse_quarter(quarter_text) if quarter_text else quarters[-1]
    return as_of_text(snap.returns_of(quarter), data.built_at)


def quarters_of(source: ProgressSource) -> list[str]:
    """The quarters the store has, oldest first: the dropdown's options, and what the browser
    checks a hash's quarter against (assets/viewhash.js)."""
    return [str(q) for q in source.quarters()]


# --- layout and wiring --------------------------------------------------------------------------

TITLE = "进度"
HASH = PROGRESS_HASH  # "#progress": this view's URL hash opens its tab (dashboard/viewtabs.py)
#: The components whose change the browser-side hash sync answers, by viewhash.py's names.
TRIGGERS = {Id.URL: "hash", PId.QUARTER: "quarter", PId.STATUS: "status", PId.QUARTERS: "quarters"}
FILTERS = Id.PROGRESS_FILTERS  # the page's ?query, handed over only while the tab is open


def layout(data: AtlasData) -> html.Section:
    """The view; the quarters come from the store at run time (read once per page load)."""
    statuses = [*load_rules().statuses["status"], NOT_REPORTED]
    config = {"statuses": statuses, "ids": {str(k): v for k, v in TRIGGERS.items()}}
    rules = html.Details(
        [html.Summary("评定规则"), html.Ol([html.Li(t) for t in describe_rules(load_rules())])]
    )
    return html.Section(
        [
            html.Div(
                [
                    html.H2("进度"),
                    dcc.Dropdown(id=PId.QUARTER, options=[], clearable=False, placeholder="季度"),
                    dcc.RadioItems(
                        id=PId.METRIC,
                        options=[{"label": v, "value": k} for k, v in METRIC_LABELS.items()],
                        value=Metric.MEAN,
                        inline=True,
                    ),
                    export_bar(),  # 导出图片 (dashboard/progress_export_ui.py)
                ],
                className="progress-bar",
            ),
            dcc.Store(id=FILTERS),
            dcc.Store(id=PId.QUARTERS),
            dcc.Store(id=PId.CONFIG, data=config),
            html.Div(id=PId.NOTICE, className="notice"),
            html.Div(id=PId.HEADLINE, className="progress-headline"),
            html.Div(id=PId.AS_OF, className="progress-as-of"),
            html.Div(
                [
                    dcc.Graph(id=PId.MAP, className="progress-map", config=cast(Any, MAP_CONFIG)),
                    html.Div(
                        [
                            html.H3("未报送"),
                            html.Div(id=PId.UNREPORTED),
                            html.H3("各区及功能区"),
                            html.Div(id=PId.PLACES),
                        ],
                        className="progress-side",
                    ),
                ],
                className="progress-top",
            ),
            dcc.Checklist(
                id=PId.STATUS, options=statuses, value=[], inline=True, className="progress-status"
            ),
            html.H3("任务（灯：本季度；历史：近八个季度）", className="progress-tasks-title"),
            html.Div(task_grid(), id=PId.TASKS, className="progress-tasks"),
            html.Div(id=PId.BRIEFING, className="progress-briefing"),
            html.H3("各牵头单位", className="progress-units-title"),
            html.Div(id=PId.UNITS),
            rules,
            briefing_controls(PROGRESS),  # ← → in 汇报模式 (dashboard/briefing.py)
        ],
        id=PId.VIEW,
        className="progress-view",
    )


def register_callbacks(app: Dash, data: AtlasData, source: ProgressSource | None = None) -> None:
    """Wire the view over `source` (create_app passes the app's store; default: default_source)."""
    store = source or default_source(data)
    register_export(app, data, store)
    progress_fast.remember(data, store.tables)  # the server warms it before forking

    @app.callback(Output(PId.QUARTERS, "data"), Input(PId.CONFIG, "data"))
    def quarters(_config: Any) -> list[str]:
        return quarters_of(store)

    # URL hash ↔ quarter and statuses, in the browser (dashboard/viewhash.py says why): the
    # render below runs only when the tab is open and something it draws changed
    app.clientside_callback(
        ClientsideFunction(namespace="atlas_views", function_name="progressSync"),
        Output(PId.QUARTER, "options"),
        Output(PId.QUARTER, "value"),
        Output(PId.STATUS, "value"),
        Output(PId.NOTICE, "children"),
        Output(URL_HASH, "hash", allow_duplicate=True),
        Input(URL_HASH, "hash"),
        Input(PId.QUARTER, "value"),
        Input(PId.STATUS, "value"),
        Input(PId.QUARTERS, "data"),
        State(PId.CONFIG, "data"),
        prevent_initial_call="initial_duplicate",
    )

    @app.callback(
        Output(PId.HEADLINE, "children"),
        Output(PId.MAP, "figure"),
        Output(PId.UNREPORTED, "children"),
        Output(PId.UNITS, "children"),
        Output(PId.PLACES, "children"),
        Output(PId.BRIEFING, "children"),
        Output(PId.AS_OF, "children"),
        Input(PId.QUARTER, "value"),
        Input(PId.STATUS, "value"),
        Input(PId.METRIC, "value"),
        Input(FILTERS, "data"),  # the URL ?query while the tab is open (viewtabs.filter_gate)
        prevent_initial_call=True,
    )
    def render(
        quarter: str | None, statuses: list[str] | None, metric: str | None, search: str | None
    ) -> tuple[Any, ...]:
        shown = on_render(data, store, quarter, statuses, metric, search)
        return (*shown, as_of(data, store, quarter))

    # the task grid pages itself (dashboard/progress_grid.py) over the same controls
    register_grid(
        app, data, store, [Input(PId.QUARTER, "value"), Input(PId.STATUS, "value"),
                           Input(FILTERS, "data")],
    )  # fmt: skip
