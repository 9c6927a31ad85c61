"""The map view: its layout and its callbacks, wired by name to the `on_*` functions.

Inputs and outputs are dicts (Dash's flexible callback signatures). The filter controls are
one group, `controls`, built from the fields `viewstate.Filters` declares, so a callback
receives `{"plans": [...], "sectors": [...], …}` and turns it into a `Filters` with
`state_from_controls` (which refuses malformed values with a 400). A new filter declared in
viewstate.py reaches every callback here without an edit.
"""

from __future__ import annotations

import functools
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html
from dash.dependencies import DashDependency
from flask import request

from dashboard import callbacks as cb
from dashboard.briefing import briefing_controls, register_briefing
from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.explain import explain_panel
from dashboard.export import checked_export
from dashboard.export_queue import ExportQueue
from dashboard.fieldkinds import BadInput, vocabulary
from dashboard.figures import build_district_map
from dashboard.ids import Id
from dashboard.layout import map_view
from dashboard.options import CountMode
from dashboard.panel_rows import panel_index
from dashboard.progress_figures import panel_lights
from dashboard.table_index import counted_links, link_columns
from dashboard.task_table import GRID, register_task_table, task_table_layout
from dashboard.urlstate import browser_spec
from dashboard.viewstate import FIELDS, Filters, state_from_controls
from progress.provider import ProgressSource

TITLE = "任务地图"


def controls(dep: type[DashDependency]) -> dict[str, Any]:
    """The filter controls as a named group of `dep` (Input, State or Output)."""
    return {name: dep(spec.control, spec.prop) for name, spec in FIELDS.items()}


def layout(data: AtlasData) -> Any:
    """The map view with the full map drawn once (later changes are patches), the 说明 panel
    above it, the task table under it and the keys of 汇报模式."""
    counts = count_by_place(data, data.tasks["task_id"], CountMode.SPECIFIC)
    figure = build_district_map(counts, data.places_geojson, mode=CountMode.SPECIFIC)
    # the URL's rules, plus what else the browser's URL sync needs from this page: the button
    # that clears every filter, and the tables to send back to their first page
    spec = {
        **browser_spec(vocabulary(data)),
        "clear": f"{Id.CLEAR_ALL}.n_clicks",
        "refresh": [GRID],
    }
    return html.Div(
        [
            dcc.Store(id=Id.URL_SPEC, data=spec),
            explain_panel(),
            map_view(data, figure),
            task_table_layout(),
            briefing_controls(),
        ],
        className="map-view",
    )


def register_callbacks(app: Dash, data: AtlasData, source: ProgressSource | None = None) -> None:
    """Wire the map view's callbacks: one server request per interaction (view and panel
    together), URL sync and clicks handled in the browser, downloads and export; `source` (the
    progress store, if any) gives the panel its status lights."""
    vocab = vocabulary(data)

    def state(values: dict[str, Any]) -> Filters:
        return state_from_controls(values, vocab)

    def lights(task_ids: list[str]) -> Any:
        return panel_lights(source, task_ids)

    numbers = functools.lru_cache(maxsize=256)(functools.partial(cb.view_numbers, data))
    # the click's and the table's indexes, built now: under gunicorn --preload in the master,
    # so the workers share them instead of each building its own on its first click
    panel_index(data)
    link_columns(data, counted_links(Filters()))
    register_briefing(app, data, Id.SELECTED_PLACE)
    register_task_table(
        app,
        data,
        lambda *values: state(dict(zip(FIELDS, values, strict=True))),
        list(controls(Input).values()),
    )

    @app.callback(
        output={
            "map": Output(Id.MAP, "figure"),
            "bar": Output(Id.AGENCY_BAR, "figure"),
            "summary": Output(Id.SUMMARY, "children"),
            "headline": Output(Id.HEADLINE, "children"),
            "caption": Output(Id.CAPTION, "children"),
            "title": Output(Id.PANEL_TITLE, "children"),
            "panel": Output(Id.PANEL, "children"),
            "clear_disabled": Output(Id.CLEAR_SELECTION, "disabled"),
            "csv_disabled": Output(Id.DOWNLOAD_CSV, "disabled"),
            "xlsx_disabled": Output(Id.DOWNLOAD_XLSX, "disabled"),
        },
        inputs={"values": controls(Input)},
    )
    def update_view(values: dict[str, Any]) -> dict[str, Any]:
        place = FIELDS["place"]
        changed = f"{place.control}.{place.prop}" in ctx.triggered_prop_ids
        return cb.on_view(data, state(values), changed, numbers, lights)

    # URL ↔ controls in the browser (assets/urlsync.js mirrors urlstate.sync_url): the
    # controls it sets are what update_view and the task table's refresh follow, both at once
    app.clientside_callback(
        ClientsideFunction(namespace="atlas_url", function_name="syncUrl"),
        [*controls(Output).values(), Output(Id.URL, "search"), Output(Id.URL_NOTICE, "children")],
        [Input(Id.URL, "search"), Input(Id.CLEAR_ALL, "n_clicks"), *controls(Input).values()],
        State(Id.URL_SPEC, "data"),
    )

    # Pure bookkeeping runs in the browser (assets/atlas.js, mirroring cb.on_map_click,
    # cb.on_bar_click and clearing the selection): the change it makes to the place store or
    # the agency control is what triggers update_view, so a click costs one request.
    app.clientside_callback(
        ClientsideFunction(namespace="atlas", function_name="toggle_place"),
        Output(Id.SELECTED_PLACE, "data", allow_duplicate=True),
        Output(Id.MAP, "clickData"),
        Input(Id.MAP, "clickData"),
        State(Id.SELECTED_PLACE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="atlas", function_name="clear_place"),
        Output(Id.SELECTED_PLACE, "data", allow_duplicate=True),
        Input(Id.CLEAR_SELECTION, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="atlas", function_name="toggle_agency"),
        Output(Id.AGENCY, "value", allow_duplicate=True),
        Output(Id.AGENCY_BAR, "clickData"),
        Input(Id.AGENCY_BAR, "clickData"),
        State(Id.AGENCY, "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        output={
            "root_class": Output(Id.ROOT, "className"),
            "label": Output(Id.BRIEFING, "children"),
            "map": Output(Id.MAP, "figure", allow_duplicate=True),
        },
        inputs={"n": Input(Id.BRIEFING, "n_clicks")},
        prevent_initial_call=True,
    )
    def toggle_briefing(n: Any) -> dict[str, Any]:
        if n is not None and (not isinstance(n, int) or isinstance(n, bool)):
            raise BadInput("n_clicks:应为整数")
        return cb.on_briefing(data, n)

    @app.callback(
        output={"download": Output(Id.DOWNLOAD, "data")},
        inputs={
            "csv": Input(Id.DOWNLOAD_CSV, "n_clicks"),
            "xlsx": Input(Id.DOWNLOAD_XLSX, "n_clicks"),
        },
        state={"values": controls(State)},
        prevent_initial_call=True,
    )
    def download_panel(csv: Any, xlsx: Any, values: dict[str, Any]) -> dict[str, Any]:
        return {"download": cb.on_download(data, ctx.triggered_id, state(values))}

    exports = ExportQueue.from_env()

    @app.callback(
        output={
            "download": Output(Id.EXPORT_DOWNLOAD, "href"),
            "notice": Output(Id.EXPORT_NOTICE, "children"),
        },
        inputs={"n": Input(Id.EXPORT_BUTTON, "n_clicks")},
        state={
            "fmt": State(Id.EXPORT_FORMAT, "value"),
            "size": State(Id.EXPORT_SIZE, "value"),
            "values": controls(State),
        },
        running=[(Output(Id.EXPORT_BUTTON, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def export_image(n: Any, fmt: Any, size: Any, values: dict[str, Any]) -> dict[str, Any]:
        fmt, size = checked_export(fmt, size)
        f = state(values)
        return exports.run(request.remote_addr or "", lambda: cb.on_export(data, fmt, size, f))

    # the browser follows the file's link at once (assets/downloads.js); it stays to click again
    app.clientside_callback(
        ClientsideFunction(namespace="atlas_downloads", function_name="follow"),
        Output(Id.EXPORT_DOWNLOAD, "children"),
        Input(Id.EXPORT_DOWNLOAD, "href"),
        prevent_initial_call=True,
    )
