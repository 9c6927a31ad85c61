"""The 进度 view: quarterly status of the filtered tasks on the map, lights, scorecards, 未报送.

Pure functions (frames in, figures/rows out) do the work and are tested directly; `layout`
and `register_callbacks` only wire them. Until the dashboard has a tab container the view is
an overlay opened by its own button; its state (open, quarter, statuses) lives in the URL
hash (#progress?quarter=2024Q2&status=滞后) so it never collides with the map's query.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, ctx, dcc, html

from dashboard.data import AtlasData, place_table
from dashboard.figures import apply_updates, build_district_map
from dashboard.filters import CountMode, filter_tasks
from dashboard.ids import Id
from dashboard.urlstate import parse_query, vocabulary
from progress.provider import ProgressSource
from progress.quarters import Quarter, parse_quarter
from progress.rules import describe_rules, load_rules
from progress.tasks import TaskTables
from progress.view import QuarterView, narrow
from progress.workbook import DEMO_MARK

HASH_PREFIX = "#progress"
HISTORY_QUARTERS = 8
MAX_TASK_ROWS = 300


class PId(StrEnum):
    """Component ids of the 进度 view."""

    OPEN = "progress-open"
    CLOSE = "progress-close"
    VIEW = "progress-view"
    QUARTER = "progress-quarter"
    STATUS = "progress-status"
    METRIC = "progress-metric"
    NOTICE = "progress-notice"
    HEADLINE = "progress-headline"
    MAP = "progress-map"
    UNREPORTED = "progress-unreported"
    UNITS = "progress-units"
    PLACES = "progress-places"
    TASKS = "progress-tasks"


class Metric(StrEnum):
    RATE = "rate"
    MEAN = "mean"
    BEHIND = "behind"


METRIC_LABELS = {Metric.RATE: "完成率(%)", Metric.MEAN: "平均进度(%)", Metric.BEHIND: "滞后任务数"}
METRIC_COLUMNS = {
    Metric.RATE: "completion_rate",
    Metric.MEAN: "mean_percent",
    Metric.BEHIND: "n_behind",
}
BEHIND_SCALE = [[0.0, "#fbeaea"], [0.5, "#e57373"], [1.0, "#8e1b1b"]]
LIGHT_DOT = {"green": "🟢", "yellow": "🟡", "red": "🔴", "grey": "⚪"}
NOT_REPORTED = "未报送"


def default_source(data: AtlasData, db: str | None = None) -> ProgressSource:
    """The store named by `db` / $TASK_ATLAS_DB, or ./task-atlas.db if it exists; else none."""
    from progress.db import DB_ENV, DEFAULT_DB_FILE, open_store

    tables = tables_of(data)
    url = db or os.environ.get(DB_ENV)
    if not url and not Path(DEFAULT_DB_FILE).is_file():
        return ProgressSource(tables, None)
    return ProgressSource(tables, open_store(url or str(DEFAULT_DB_FILE)))


def tables_of(data: AtlasData) -> TaskTables:
    return TaskTables(data.plans, data.tasks, data.task_units, data.task_places, data.built_at)


# --- the URL hash ---------------------------------------------------------------------------


def parse_hash(
    fragment: str | None, quarters: list[Quarter], statuses: list[str]
) -> tuple[bool, Quarter | None, list[str], list[str]]:
    """(open?, quarter, statuses, notices) from #progress?quarter=…&status=…; bad parts dropped."""
    if not fragment or not fragment.startswith(HASH_PREFIX):
        return False, None, [], []
    query = parse_qs(fragment[len(HASH_PREFIX) :].lstrip("?"))
    notices: list[str] = []
    quarter = None
    if "quarter" in query:
        try:
            quarter = parse_quarter(query["quarter"][-1])
        except ValueError:
            notices.append(f"无效的季度“{query['quarter'][-1][:20]}”,已使用最新季度")
        if quarter is not None and quarter not in quarters:
            notices.append(f"{quarter} 没有报送数据,已使用最新季度")
            quarter = None
    chosen = [s for s in query.get("status", []) if s in statuses]
    if len(chosen) < len(query.get("status", [])):
        notices.append("未知状态已忽略")
    return True, quarter, chosen, notices


def to_hash(quarter: Quarter | None, statuses: list[str]) -> str:
    pairs = ([("quarter", str(quarter))] if quarter else []) + [("status", s) for s in statuses]
    return HASH_PREFIX + ("?" + urlencode(pairs) if pairs else "")


# --- pure builders --------------------------------------------------------------------------


def place_metric_frame(view: QuarterView, data: AtlasData, metric: Metric) -> pd.DataFrame:
    """One row per mapped place, shaped like count_by_place so the map builder can draw it."""
    places = place_table(data)[["id", "name", "kind"]]
    scores = view.place_scores.set_index("place")
    value = scores[METRIC_COLUMNS[metric]]
    if metric == Metric.RATE:
        value = value * 100
    frame = pd.DataFrame(
        {
            "place_id": places["id"].to_numpy(),
            "place": places["name"].to_numpy(),
            "place_kind": places["kind"].to_numpy(),
        }
    )
    for col, src in (
        ("lead", "n_tasks"),
        ("responsible", "n_done"),
        ("mention", "n_behind"),
        ("group", "n_unreported"),
    ):
        frame[col] = frame["place"].map(scores[src]).fillna(0).astype(int)
    frame["total"] = frame["place"].map(value.round(0)).fillna(0).astype(int)
    return frame


def progress_map(view: QuarterView, data: AtlasData, metric: Metric) -> go.Figure:
    """Districts and zones coloured by 完成率, 平均进度 or 滞后 count of the filtered tasks."""
    frame = place_metric_frame(view, data, metric)
    fig = build_district_map(frame, data.places_geojson, mode=CountMode.SPECIFIC)
    hover = (
        "<b>%{customdata[1]}</b><br>任务 %{customdata[2]} · 已完成 %{customdata[3]}"
        f" · 滞后 %{{customdata[4]}} · 未报送 %{{customdata[5]}}<br>{METRIC_LABELS[metric]}"
        " %{customdata[6]}<extra></extra>"
    )
    updates: list[tuple[tuple[str | int, ...], Any]] = [
        (("data", 1, "hovertemplate"), hover),
        (("data", 3, "hovertemplate"), hover),
        (("layout", "coloraxis", "colorbar", "title"), {"text": METRIC_LABELS[metric]}),
        (("layout", "uirevision"), "progress-map"),
    ]
    if metric == Metric.BEHIND:
        updates.append((("layout", "coloraxis", "colorscale"), BEHIND_SCALE))
    else:
        updates.append((("layout", "coloraxis", "cmax"), 100))
    fig = go.Figure(apply_updates(fig.to_dict(), updates))
    if view.is_demo:
        fig.add_annotation(
            text=DEMO_MARK,
            x=0.99,
            y=0.99,
            xref="paper",
            yref="paper",
            showarrow=False,
            xanchor="right",
            font={"size": 16, "color": "#b00"},
        )
    return fig


def history_table(source: ProgressSource, quarter: Quarter, task_ids: pd.Index) -> pd.DataFrame:
    """task_id × the last quarters (up to HISTORY_QUARTERS) → light, from the memoised bases."""
    quarters = [q for q in source.quarters() if q <= quarter][-HISTORY_QUARTERS:]
    frames = []
    for q in quarters:
        status = source.base(q).status
        rows = status[status["task_id"].isin(task_ids)][["task_id", "light"]]
        frames.append(rows.assign(quarter=str(q)))
    if not frames:
        return pd.DataFrame(index=pd.Index([], name="task_id"))
    both = pd.concat(frames)
    return both.pivot(index="task_id", columns="quarter", values="light").reindex(
        columns=[str(q) for q in quarters]
    )


def task_rows(view: QuarterView, history: pd.DataFrame, statuses: list[str]) -> pd.DataFrame:
    """The panel's task list: light, status, percent, units, history dots; filtered by status."""
    status = view.status
    label = status["status"].replace("", NOT_REPORTED)
    if statuses:
        status = status[label.isin(statuses)]
        label = label[status.index]
    dots = (
        history.reindex(status["task_id"]).apply(
            lambda r: "".join(LIGHT_DOT.get(x, "·") if isinstance(x, str) else "·" for x in r),
            axis=1,
        )
        if len(history.columns)
        else pd.Series("", index=status["task_id"])
    )
    out = pd.DataFrame(
        {
            "灯": status["light"].map(LIGHT_DOT).to_numpy(),
            "任务编号": status["task_id"].to_numpy(),
            "任务内容": status["text"].str.slice(0, 60).to_numpy(),
            "牵头单位": status["lead_units"].str.replace("|", "、", regex=False).to_numpy(),
            "状态": label.to_numpy(),
            "进度": status["percent"].map(lambda p: "" if pd.isna(p) else f"{p:g}%").to_numpy(),
            "序时": status["expected"].map(lambda e: f"{e:g}%").to_numpy(),
            "历史": dots.to_numpy() if len(dots) else [],
        }
    )
    order = (
        out["灯"].map({LIGHT_DOT["red"]: 0, LIGHT_DOT["yellow"]: 1, LIGHT_DOT["grey"]: 2}).fillna(3)
    )
    return out.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")


def score_rows(frame: pd.DataFrame, key: str, label: str) -> pd.DataFrame:
    """A scorecard as display columns (排名, name, 完成率, 滞后, 较上季度 …)."""

    def change(v: float, pct: bool) -> str:
        return "—" if pd.isna(v) else (f"{100 * v:+.0f}" if pct else f"{v:+.0f}")

    return pd.DataFrame(
        {
            "排名": frame["rank"],
            label: frame[key],
            "任务": frame["n_tasks"],
            "完成率": (frame["completion_rate"] * 100).round(0).astype(int).astype(str) + "%",
            "平均进度": frame["mean_percent"].round(0).astype(int).astype(str) + "%",
            "滞后": frame["n_behind"],
            "完成率变化": frame["rate_change"].map(lambda v: change(v, True)),
            "滞后变化": frame["behind_change"].map(lambda v: change(v, False)),
        }
    )


def headline_text(view: QuarterView) -> str:
    h = view.headline
    parts = [f"{k} {v}" for k, v in h.items()]
    demo = f"【{DEMO_MARK}】" if view.is_demo else ""
    return f"{demo}{view.quarter.label}(截至 {view.quarter.end:%Y-%m-%d}):" + " · ".join(parts)


def unreported_text(view: QuarterView) -> str:
    units = view.unreported
    if not len(units):
        return "各牵头单位均已报送。"
    return f"未报送单位({len(units)}):" + "、".join(
        f"{u}({n})" for u, n in zip(units["unit"], units["n_tasks"], strict=True)
    )


def frame_table(frame: pd.DataFrame, limit: int = MAX_TASK_ROWS) -> html.Table:
    head = html.Thead(html.Tr([html.Th(c) for c in frame.columns]))
    body = html.Tbody(
        [
            html.Tr([html.Td(str(v)) for v in row])
            for row in frame.head(limit).itertuples(index=False)
        ]
    )
    return html.Table([head, body], className="progress-table")


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
    quarters = source.quarters()
    if not quarters:
        empty = (
            "尚无进度报送:用 task-atlas progress import 导入报表,或 progress demo 生成演示数据。"
        )
        return empty, go.Figure(), "", "", "", ""
    quarter = parse_quarter(quarter_text) if quarter_text else quarters[-1]
    filters, _ = parse_query(search, vocabulary(data))
    ids = pd.Index(filter_tasks(data, filters)["task_id"])
    view = narrow(source.base(quarter), source.tables, place=filters.place, task_ids=ids)
    history = history_table(source, quarter, pd.Index(view.status["task_id"]))
    return (
        headline_text(view),
        progress_map(view, data, Metric(metric or Metric.RATE)),
        unreported_text(view),
        frame_table(score_rows(view.unit_scores, "unit", "牵头单位")),
        frame_table(score_rows(view.place_scores, "place", "区/功能区")),
        frame_table(task_rows(view, history, list(statuses or []))),
    )


def on_hash(
    source: ProgressSource,
    trigger: Any,
    fragment: str | None,
    quarter: str | None,
    statuses: list[str] | None,
    opened: int | None,
    closed: int | None,
) -> tuple[Any, ...]:
    """Hash ↔ controls: a new hash sets them; a control change or open/close rewrites the hash."""
    quarters = source.quarters()
    options = [s for s in load_rules().statuses["status"]] + [NOT_REPORTED]
    if trigger in (None, "url-progress"):
        is_open, q, chosen, notices = parse_hash(fragment, quarters, options)
        q = q or (quarters[-1] if quarters else None)
        return (str(q) if q else None), chosen, _style(is_open), "; ".join(notices), fragment or ""
    is_open = trigger != PId.CLOSE
    fragment = (
        to_hash(parse_quarter(quarter) if quarter else None, list(statuses or []))
        if is_open
        else ""
    )
    return quarter, statuses or [], _style(is_open), "", fragment


def _style(is_open: bool) -> dict[str, str]:
    return {"display": "block" if is_open else "none"}


# --- layout and wiring --------------------------------------------------------------------------


def layout(source: ProgressSource) -> list[Any]:
    quarters = [str(q) for q in source.quarters()]
    statuses = [*load_rules().statuses["status"], NOT_REPORTED]
    rules = html.Details(
        [html.Summary("评定规则"), html.Ol([html.Li(t) for t in describe_rules(load_rules())])]
    )
    view = html.Section(
        [
            html.Div(
                [
                    html.H2("进度"),
                    dcc.Dropdown(
                        id=PId.QUARTER,
                        options=quarters,
                        value=quarters[-1] if quarters else None,
                        clearable=False,
                        placeholder="季度",
                    ),
                    dcc.RadioItems(
                        id=PId.METRIC,
                        options=[{"label": v, "value": k} for k, v in METRIC_LABELS.items()],
                        value=Metric.RATE,
                        inline=True,
                    ),
                    html.Button("关闭", id=PId.CLOSE, className="secondary"),
                ],
                className="progress-bar",
            ),
            html.Div(id=PId.NOTICE, className="notice"),
            html.Div(id=PId.HEADLINE, className="progress-headline"),
            html.Div(
                [
                    dcc.Graph(id=PId.MAP, className="progress-map", config={"displaylogo": False}),
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
            html.H3("任务(灯:本季度;历史:近八个季度)"),
            html.Div(id=PId.TASKS),
            html.H3("各牵头单位"),
            html.Div(id=PId.UNITS),
            rules,
        ],
        id=PId.VIEW,
        className="progress-view",
        style=_style(False),
    )
    return [
        dcc.Location(id="url-progress", refresh=False),
        html.Button("进度", id=PId.OPEN, className="progress-open"),
        view,
    ]


def register_callbacks(app: Dash, data: AtlasData, source: ProgressSource) -> None:
    @app.callback(
        Output(PId.QUARTER, "value"),
        Output(PId.STATUS, "value"),
        Output(PId.VIEW, "style"),
        Output(PId.NOTICE, "children"),
        Output("url-progress", "hash"),
        Input("url-progress", "hash"),
        Input(PId.QUARTER, "value"),
        Input(PId.STATUS, "value"),
        Input(PId.OPEN, "n_clicks"),
        Input(PId.CLOSE, "n_clicks"),
    )
    def sync_hash(
        fragment: str | None,
        quarter: str | None,
        statuses: list[str] | None,
        opened: int | None,
        closed: int | None,
    ) -> tuple[Any, ...]:
        return on_hash(source, ctx.triggered_id, fragment, quarter, statuses, opened, closed)

    @app.callback(
        Output(PId.HEADLINE, "children"),
        Output(PId.MAP, "figure"),
        Output(PId.UNREPORTED, "children"),
        Output(PId.UNITS, "children"),
        Output(PId.PLACES, "children"),
        Output(PId.TASKS, "children"),
        Input(PId.QUARTER, "value"),
        Input(PId.STATUS, "value"),
        Input(PId.METRIC, "value"),
        Input(Id.URL, "search"),
    )
    def render(
        quarter: str | None, statuses: list[str] | None, metric: str | None, search: str | None
    ) -> tuple[Any, ...]:
        return on_render(data, source, quarter, statuses, metric, search)


def attach(app: Dash, data: AtlasData, source: ProgressSource | None = None) -> None:
    """Add the 进度 view to an app built by create_app (the whole hook is this call)."""
    source = source or default_source(data)
    app.layout.children.extend(layout(source))
    register_callbacks(app, data, source)
