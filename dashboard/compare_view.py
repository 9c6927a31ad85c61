"""The 对比 view: pick two plans; the map shows where tasks were added or dropped; the panel
lists a place's 新增 / 延续 / 调整 / 取消 tasks; a task's lineage shows its wording changes.

Self-contained: `layout(data)` is the view, `register_callbacks(app, data, url_id)` wires it.
The callbacks are thin: `on_render` and `on_download` are plain functions over the pure code in
comparison/views.py, dashboard/compare_state.py and dashboard/compare_render.py; the URL hash ↔
controls ↔ state sync runs in the browser (dashboard/viewhash.py, assets/viewhash.js).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, cast

import pandas as pd
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update
from flask import request

from comparison.views import lineage, place_changes, place_rows
from dashboard import map_config
from dashboard.compare_export import (
    assemble_compare_export,
    compare_filename,
    relation_counts,
)
from dashboard.compare_render import (
    TASK_BUTTON,
    build_change_map,
    render_lineage,
    render_place_panel,
)
from dashboard.compare_state import (
    CompareState,
    comparison,
    comparison_table,
    default_state,
    hash_config,
    known_task,
    plans_in_order,
    remember,
    unknown_task_notice,
)
from dashboard.data import AtlasData, place_table
from dashboard.describe import plan_labels
from dashboard.downloads import DownloadStore
from dashboard.export import checked_export
from dashboard.export_queue import ExportQueue
from dashboard.fieldkinds import BadInput
from dashboard.ids import Id
from dashboard.layout import export_choices
from dashboard.options import SPECIFIC_LINKS
from dashboard.style import zh_punct
from dashboard.viewhash import COMPARE_HASH

DOWNLOAD_HEADERS = {
    "relation": "变化",
    "from_task_id": "原任务编号",
    "from_text": "原任务内容",
    "to_task_id": "新任务编号",
    "to_text": "新任务内容",
    "score": "相似度",
    "evidence": "依据",
}
#: The camera button saves the change map as a PNG in the browser (no server Chromium needed).
#: The map's config (offline, zh-CN toolbar, no cloud controls) with the camera kept.
MAP_CONFIG: dict[str, Any] = {
    **map_config.MAP_CONFIG,
    "modeBarButtonsToRemove": [b for b in map_config.REMOVED_BUTTONS if b != "toImage"],
    "toImageButtonOptions": {
        "format": "png",
        "filename": "任务对比",
        "width": 1600,
        "height": 1200,
    },
}


class CompareId(StrEnum):
    """Component ids of the 对比 view (its own, so the view can move between pages or tabs)."""

    ROOT = "compare-root"
    FROM = "compare-from"
    TO = "compare-to"
    STATE = "compare-state"  # what the map and panel show; {} until the tab is first opened
    CONFIG = "compare-config"  # what the browser checks the hash against (viewhash.py)
    NOTICE = "compare-notice"
    MAP = "compare-map"
    SUMMARY = "compare-summary"
    PANEL_TITLE = "compare-panel-title"
    PANEL = "compare-panel"
    CLEAR_PLACE = "compare-clear-place"
    LINEAGE = "compare-lineage"
    DOWNLOAD_BUTTON = "compare-download-button"
    DOWNLOAD = "compare-download"
    EXPORT_FORMAT = "compare-export-format"
    EXPORT_SIZE = "compare-export-size"
    EXPORT_BUTTON = "compare-export-button"
    EXPORT_LINK = "compare-export-link"
    EXPORT_NOTICE = "compare-export-notice"


def _plan_options(data: AtlasData) -> list[dict[str, str]]:
    labels = plan_labels(data)
    return [{"label": labels.get(p, p), "value": p} for p in plans_in_order(data)]


def _plan_field(label: str, dropdown_id: str, options: list[Any], value: str) -> html.Div:
    """A plan dropdown with its label beside it, not around it: a <label> around the dropdown
    took the option click for its own, so a pick with the mouse never went through."""
    dropdown = dcc.Dropdown(options, value, id=dropdown_id, clearable=False)
    return html.Div([html.Label(label, htmlFor=dropdown_id), dropdown], className="cmp-field")


def _export_bar() -> html.Div:
    """导出图片 as in the map view: format, size, the button; the file comes as a link to the
    plain download route (dashboard/downloads.py), which a clientside callback follows."""
    return html.Div(
        [
            *export_choices(
                CompareId.EXPORT_FORMAT, CompareId.EXPORT_SIZE, CompareId.EXPORT_BUTTON
            ),
            html.A(id=CompareId.EXPORT_LINK, href="", className="export-link"),
            html.Div(id=CompareId.EXPORT_NOTICE, className="notice"),
        ],
        className="cmp-export",
    )


TITLE = "计划对比"
HASH = COMPARE_HASH  # the URL hash of this view opens its tab (dashboard/viewtabs.py)
#: The components whose change the browser-side state sync answers, by the name
#: dashboard/viewhash.py gives them (a task button's pattern id is "task").
TRIGGERS = {
    Id.URL: "hash",
    CompareId.FROM: "from",
    CompareId.TO: "to",
    CompareId.MAP: "map",
    CompareId.CLEAR_PLACE: "clear",
}


def layout(data: AtlasData) -> html.Section:
    """The view, drawn when its tab is first opened (the default: the two latest yearly plans)."""
    state = default_state(data)
    options = _plan_options(data)
    config = {**hash_config(data), "ids": {str(k): v for k, v in TRIGGERS.items()}}
    return html.Section(
        [
            dcc.Store(id=CompareId.STATE, data={}),
            dcc.Store(id=CompareId.CONFIG, data=config),
            html.H2("对比：两份计划的任务变化"),
            html.Div(
                [
                    _plan_field("从", CompareId.FROM, options, state.from_plan),
                    _plan_field("到", CompareId.TO, options, state.to_plan),
                    html.Button("下载对比表", id=CompareId.DOWNLOAD_BUTTON, className="secondary"),
                    dcc.Download(id=CompareId.DOWNLOAD),
                    _export_bar(),
                ],
                className="cmp-controls",
            ),
            html.Div(id=CompareId.NOTICE, className="notice"),
            html.Div(
                [
                    html.Div(
                        [
                            dcc.Graph(
                                id=CompareId.MAP,
                                className="cmp-map",
                                config=cast(Any, MAP_CONFIG),
                            ),
                            html.Div(id=CompareId.SUMMARY, className="summary"),
                        ],
                        className="cmp-map-column",
                    ),
                    html.Div(
                        [
                            html.H3(id=CompareId.PANEL_TITLE),
                            html.Button(
                                "显示全市", id=CompareId.CLEAR_PLACE, className="secondary"
                            ),
                            html.Div(id=CompareId.PANEL),
                        ],
                        className="cmp-panel",
                    ),
                ],
                className="cmp-content",
            ),
            html.H3("任务演变"),
            html.Div(id=CompareId.LINEAGE, className="cmp-lineage"),
        ],
        id=CompareId.ROOT,
        className="compare",
    )


def _lineage_plans(data: AtlasData, state: CompareState) -> list[str]:
    kinds = dict(zip(data.plans["plan_id"], data.plans["kind"], strict=True))
    if kinds[state.from_plan] != kinds[state.to_plan]:
        return [state.from_plan, state.to_plan]
    return [p for p in plans_in_order(data) if kinds[p] == kinds[state.from_plan]]


def city_summary(table: pd.DataFrame) -> str:
    """`延续 14 项 · 调整 150 项 …` counted in tasks of the plan each relation is about."""
    return " · ".join(f"{r} {n} 项" for r, n in relation_counts(table).items())


def on_render(data: AtlasData, current: Any) -> tuple[Any, ...]:
    """Map, summary, panel title and panel, lineage for the state (from the browser: checked,
    400 if malformed; a task id the data does not know is named in the lineage, not drawn)."""
    state = CompareState(**_checked_state(data, current))
    pair = comparison(data, state.from_plan, state.to_plan)  # parts memoised with the table
    places = place_table(data)["name"].tolist()
    changes = pair.part(
        "changes", lambda t: place_changes(t, data.task_places, places, SPECIFIC_LINKS)
    )
    figure = pair.part(
        ("map", state.place),
        # as a plain dict: Dash would otherwise copy the whole Figure (geometry too) per request
        lambda _t: build_change_map(changes, data.places_geojson, selected=state.place).to_dict(),
    )
    rows = pair.part(
        ("rows", state.place),
        lambda t: place_rows(t, data.tasks, data.task_places, state.place, SPECIFIC_LINKS),
    )
    labels = plan_labels(data)
    title = (
        f"{state.place or '全市'}：{labels.get(state.from_plan, state.from_plan)} → "
        f"{labels.get(state.to_plan, state.to_plan)}"
    )
    steps = []
    notice: list[Any] = []
    if state.task and not known_task(data, state.task):
        notice = [html.P(unknown_task_notice(state.task), className="notice")]
    elif state.task:

        def compare(a: str, b: str) -> pd.DataFrame:
            return comparison_table(data, a, b)

        steps = lineage(state.task, _lineage_plans(data, state), compare, data.tasks)
    return (
        figure,
        pair.part("summary", city_summary),
        title,
        pair.part(("panel", state.place), lambda _t: render_place_panel(rows)),
        [*notice, *render_lineage(steps, labels)],
    )


def _safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is kept as text."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def download_bytes(rows: pd.DataFrame) -> bytes:
    """The panel's rows as CSV with Chinese headers (UTF-8 with BOM for Excel)."""
    frame = rows[list(DOWNLOAD_HEADERS)].rename(columns=DOWNLOAD_HEADERS)
    return frame.map(_safe_cell).to_csv(index=False).encode("utf-8-sig")


def on_download(data: AtlasData, current: Any) -> dict[str, Any]:
    """The comparison rows of the selected place (or the whole city) as a CSV download."""
    state = CompareState(**_checked_state(data, current))
    table = comparison_table(data, state.from_plan, state.to_plan)
    rows = place_rows(table, data.tasks, data.task_places, state.place, SPECIFIC_LINKS)
    name = f"对比_{state.from_plan}_{state.to_plan}_{state.place or '全市'}.csv"
    return dcc.send_bytes(download_bytes(rows), name)


def on_export(
    data: AtlasData, fmt: str, size: str, current: dict[str, Any], store: DownloadStore
) -> dict[str, Any]:
    """The 对比 map of the state in the URL as an image, rendered by the shared exporter and
    kept for the download route: the callback answers with the file's URL, never its bytes."""
    from dashboard.export import ExportError, render_export

    state = CompareState(**current)
    view = assemble_compare_export(data, state)
    try:
        content = render_export(view.figure, view.caption, fmt, size)
    except (ExportError, ValueError) as exc:
        return {"download": no_update, "name": no_update, "notice": zh_punct(f"导出失败:{exc}")}
    name = compare_filename(data, state, fmt)
    return {"download": store.put(content, name), "name": f"下载 {name}", "notice": ""}


def _checked_state(data: AtlasData, current: Any) -> dict[str, Any]:
    """The stored state, refused (400) unless it names known plans and place."""
    if not isinstance(current, dict) or set(current) != set(CompareState.__dataclass_fields__):
        raise BadInput("compare-state：格式不对")
    if current["task"] is not None and (
        not isinstance(current["task"], str) or len(current["task"]) > 200
    ):
        raise BadInput("compare-state：任务编号不对")
    plans = set(data.plans["plan_id"])
    if current["from_plan"] not in plans or current["to_plan"] not in plans:
        raise BadInput("compare-state：未知计划")
    place = current["place"]
    if place is not None and place not in set(place_table(data)["name"]):
        raise BadInput("compare-state：未知地点")
    return current


def register_callbacks(
    app: Dash, data: AtlasData, url_id: str = Id.URL, store: DownloadStore | None = None
) -> None:
    """Wire the view; `url_id` is the page's dcc.Location (the view keeps its state in the hash);
    `store` keeps exported images for the download route (default: the route's own folder)."""
    exports = ExportQueue.from_env()
    files = store or DownloadStore()
    remember(data)  # the server warms the default comparison before forking its workers

    # URL hash ↔ controls ↔ state, in the browser (dashboard/viewhash.py says why)
    app.clientside_callback(
        ClientsideFunction(namespace="atlas_views", function_name="compareSync"),
        Output(CompareId.STATE, "data"),
        Output(url_id, "hash", allow_duplicate=True),
        Output(CompareId.FROM, "value"),
        Output(CompareId.TO, "value"),
        Output(CompareId.NOTICE, "children"),
        Input(url_id, "hash"),
        Input(CompareId.FROM, "value"),
        Input(CompareId.TO, "value"),
        Input(CompareId.MAP, "clickData"),
        Input({"type": TASK_BUTTON, "index": ALL}, "n_clicks"),
        Input(CompareId.CLEAR_PLACE, "n_clicks"),
        State(CompareId.STATE, "data"),
        State(CompareId.CONFIG, "data"),
        prevent_initial_call="initial_duplicate",
    )

    @app.callback(
        Output(CompareId.MAP, "figure"),
        Output(CompareId.SUMMARY, "children"),
        Output(CompareId.PANEL_TITLE, "children"),
        Output(CompareId.PANEL, "children"),
        Output(CompareId.LINEAGE, "children"),
        Input(CompareId.STATE, "data"),
        prevent_initial_call=True,  # drawn when the tab is first opened, not with the page
    )
    def render(current: Any) -> tuple[Any, ...]:
        return on_render(data, current)

    @app.callback(
        Output(CompareId.DOWNLOAD, "data"),
        Input(CompareId.DOWNLOAD_BUTTON, "n_clicks"),
        State(CompareId.STATE, "data"),
        prevent_initial_call=True,
    )
    def download(_n: Any, current: Any) -> dict[str, Any]:
        return on_download(data, current)

    @app.callback(
        output={
            "download": Output(CompareId.EXPORT_LINK, "href"),
            "name": Output(CompareId.EXPORT_LINK, "children"),
            "notice": Output(CompareId.EXPORT_NOTICE, "children"),
        },
        inputs={"n": Input(CompareId.EXPORT_BUTTON, "n_clicks")},
        state={
            "fmt": State(CompareId.EXPORT_FORMAT, "value"),
            "size": State(CompareId.EXPORT_SIZE, "value"),
            "current": State(CompareId.STATE, "data"),
        },
        running=[(Output(CompareId.EXPORT_BUTTON, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def export_image(n: Any, fmt: Any, size: Any, current: Any) -> dict[str, Any]:
        fmt, size = checked_export(fmt, size)
        state = _checked_state(data, current)
        client = request.remote_addr or ""
        result = exports.run(client, lambda: on_export(data, fmt, size, state, files))
        return {"name": no_update, **result}

    # the browser follows the new link at once (assets/downloads.js); the link stays to click
    app.clientside_callback(
        ClientsideFunction(namespace="atlas_downloads", function_name="follow"),
        Output(CompareId.EXPORT_LINK, "title"),
        Input(CompareId.EXPORT_LINK, "href"),
        prevent_initial_call=True,
    )
