"""`create_app`: the Dash app over one read-only data folder, with no global mutable state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dash import Dash, Input, Output, State, ctx

from dashboard import callbacks as cb
from dashboard.briefing import briefing_controls, register_briefing  # briefing
from dashboard.data import AtlasData
from dashboard.explain import explain_panel  # briefing
from dashboard.figures import build_district_map
from dashboard.filters import CountMode, count_by_place
from dashboard.ids import Id
from dashboard.layout import build_layout
from dashboard.task_table import register_task_table, task_table_layout  # briefing

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
FILTERS = [Input(cid, prop) for cid, prop in cb.FILTER_INPUTS]
FILTER_STATES = [State(cid, prop) for cid, prop in cb.FILTER_INPUTS]


def create_app(data: AtlasData) -> Dash:
    """A Dash app serving `data`; everything per-user lives in the browser (URL, dcc.Store)."""
    app = Dash(
        __name__,
        title="武汉市任务地图",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,  # Dash and plotly.js come from this server, never a CDN
        update_title=None,  # type: ignore[arg-type]  # None: never retitle while loading
    )
    counts = count_by_place(data, data.tasks["task_id"], CountMode.SPECIFIC)
    app.layout = build_layout(
        data, build_district_map(counts, data.places_geojson, mode=CountMode.SPECIFIC)
    )
    app.layout.children.append(task_table_layout())  # briefing: the task table under the map
    app.layout.children.insert(3, explain_panel())  # briefing: 说明, under the header
    app.layout.children.append(briefing_controls())  # briefing: ← → Esc in 汇报模式
    register_briefing(app, data, Id.SELECTED_PLACE)
    register_task_table(
        app, data, lambda *v: cb.filters_from_values(v[:-1], v[-1]),
        [*FILTERS, Input(Id.SELECTED_PLACE, "data")],
    )  # fmt: skip
    _register_state(app, data)
    _register_views(app, data)
    _register_downloads(app, data)
    return app


def _register_state(app: Dash, data: AtlasData) -> None:
    outputs = [Output(cid, prop) for cid, prop in cb.FILTER_INPUTS]
    outputs += [
        Output(Id.SELECTED_PLACE, "data"),
        Output(Id.URL, "search"),
        Output(Id.URL_NOTICE, "children"),
    ]

    @app.callback(
        outputs,
        Input(Id.URL, "search"),
        Input(Id.CLEAR_ALL, "n_clicks"),
        *FILTERS,
        Input(Id.SELECTED_PLACE, "data"),
    )
    def sync_state(search: str | None, _clear: Any, *rest: Any) -> list[Any]:
        return cb.on_state_change(data, ctx.triggered_id, search, rest[:-1], rest[-1])

    @app.callback(
        Output(Id.SELECTED_PLACE, "data", allow_duplicate=True),
        Output(Id.MAP, "clickData"),
        Input(Id.MAP, "clickData"),
        State(Id.SELECTED_PLACE, "data"),
        prevent_initial_call=True,
    )
    def select_place(click: Any, current: str | None) -> tuple[Any, None]:
        return cb.on_map_click(click, current)

    @app.callback(
        Output(Id.SELECTED_PLACE, "data", allow_duplicate=True),
        Input(Id.CLEAR_SELECTION, "n_clicks"),
        prevent_initial_call=True,
    )
    def clear_place(_n: Any) -> None:
        return None

    @app.callback(
        Output(Id.AGENCY, "value", allow_duplicate=True),
        Output(Id.AGENCY_BAR, "clickData"),
        Input(Id.AGENCY_BAR, "clickData"),
        State(Id.AGENCY, "value"),
        prevent_initial_call=True,
    )
    def select_agency(click: Any, current: str | None) -> tuple[Any, None]:
        return cb.on_bar_click(click, current)


def _register_views(app: Dash, data: AtlasData) -> None:
    @app.callback(
        Output(Id.MAP, "figure"),
        Output(Id.AGENCY_BAR, "figure"),
        Output(Id.SUMMARY, "children"),
        Output(Id.HEADLINE, "children"),
        Output(Id.CAPTION, "children"),
        *FILTERS,
        Input(Id.SELECTED_PLACE, "data"),
    )
    def update_view(*values: Any) -> tuple[Any, ...]:
        return cb.on_filters(data, values[:-1], values[-1])

    @app.callback(
        Output(Id.PANEL_TITLE, "children"),
        Output(Id.PANEL, "children"),
        Output(Id.CLEAR_SELECTION, "disabled"),
        Output(Id.DOWNLOAD_CSV, "disabled"),
        Output(Id.DOWNLOAD_XLSX, "disabled"),
        *FILTERS,
        Input(Id.SELECTED_PLACE, "data"),
    )
    def update_panel(*values: Any) -> tuple[Any, ...]:
        return cb.on_panel(data, values[:-1], values[-1])

    @app.callback(
        Output(Id.ROOT, "className"),
        Output(Id.BRIEFING, "children"),
        Output(Id.MAP, "figure", allow_duplicate=True),
        Input(Id.BRIEFING, "n_clicks"),
        prevent_initial_call=True,
    )
    def toggle_briefing(n_clicks: int | None) -> tuple[Any, ...]:
        return cb.on_briefing(data, n_clicks)


def _register_downloads(app: Dash, data: AtlasData) -> None:
    @app.callback(
        Output(Id.DOWNLOAD, "data"),
        Input(Id.DOWNLOAD_CSV, "n_clicks"),
        Input(Id.DOWNLOAD_XLSX, "n_clicks"),
        *FILTER_STATES,
        State(Id.SELECTED_PLACE, "data"),
        prevent_initial_call=True,
    )
    def download_panel(_csv: Any, _xlsx: Any, *values: Any) -> Any:
        return cb.on_download(data, ctx.triggered_id, values[:-1], values[-1])

    @app.callback(
        Output(Id.EXPORT_DOWNLOAD, "data"),
        Output(Id.EXPORT_NOTICE, "children"),
        Input(Id.EXPORT_BUTTON, "n_clicks"),
        State(Id.EXPORT_FORMAT, "value"),
        State(Id.EXPORT_SIZE, "value"),
        *FILTER_STATES,
        State(Id.SELECTED_PLACE, "data"),
        running=[(Output(Id.EXPORT_BUTTON, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def export_image(_n: Any, fmt: str, size: str, *values: Any) -> tuple[Any, str]:
        return cb.on_export(data, fmt, size, values[:-1], values[-1])
