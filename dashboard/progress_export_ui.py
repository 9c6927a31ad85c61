"""The 进度 tab's 导出图片 control: same formats and sizes as the map view's export, the same
export queue (dashboard/export_queue.py) and the plain download route (dashboard/downloads.py).

The server stores the image with `DownloadStore.put` and answers with its URL only; a
clientside callback then follows the link, so the file never travels as base64 in callback JSON.
The image is dashboard.progress_export's one assembly, as `task-atlas export --view progress`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, html, no_update
from flask import request

from dashboard.data import AtlasData
from dashboard.downloads import DownloadStore
from dashboard.export import checked_export
from dashboard.export_queue import ExportQueue
from dashboard.fieldkinds import BadInput, vocabulary
from dashboard.ids import Id
from dashboard.layout import export_choices
from dashboard.progress_export import ProgressState, progress_export, progress_filename
from dashboard.progress_figures import NOT_REPORTED, Metric
from dashboard.urlstate import parse_query
from dashboard.viewstate import Filters
from progress.provider import ProgressSource
from progress.quarters import parse_quarter
from progress.rules import load_rules

MAX_STATUSES = 16


class XId(StrEnum):
    """Component ids of the 进度 view's export control."""

    FORMAT = "progress-export-format"
    SIZE = "progress-export-size"
    BUTTON = "progress-export-button"
    LINK = "progress-export-link"
    NOTICE = "progress-export-notice"


def export_bar() -> html.Div:
    """Format, size, 导出图片, and a link to the last image (also followed automatically)."""
    return html.Div(
        [
            *export_choices(XId.FORMAT, XId.SIZE, XId.BUTTON),
            html.A("下载图片", id=XId.LINK, className="progress-export-link"),
            html.Div(id=XId.NOTICE, className="notice"),
        ],
        className="export-bar progress-export",
    )


def export_request(
    data: AtlasData,
    quarter: Any,
    statuses: Any,
    metric: Any,
    search: Any,
) -> tuple[Filters, ProgressState]:
    """The browser's values checked (BadInput → 400): the map's filters and the view's state."""
    if not isinstance(quarter, str) or len(quarter) > 20:
        raise BadInput("季度：应为 2024Q2 这样的文本")
    try:
        q = parse_quarter(quarter)
    except ValueError:
        raise BadInput("季度：应为 2024Q2 这样的文本") from None
    allowed = {*load_rules().statuses["status"], NOT_REPORTED}
    if statuses is None:
        statuses = []
    if not isinstance(statuses, list) or len(statuses) > MAX_STATUSES:
        raise BadInput("状态：应为列表")
    if any(s not in allowed for s in statuses):
        raise BadInput("状态：未知的值")
    if metric not in set(Metric):
        raise BadInput("着色指标：未知的值")
    if search is not None and not isinstance(search, str):
        raise BadInput("search：应为文本")
    filters, _ = parse_query(search, vocabulary(data))
    return filters, ProgressState(q, Metric(metric), tuple(statuses))


def on_export(
    data: AtlasData,
    source: ProgressSource,
    files: DownloadStore,
    fmt: str,
    size: str,
    filters: Filters,
    state: ProgressState,
) -> dict[str, Any]:
    """Render the 进度 export, keep it for the download route; answer with its URL."""
    from dashboard.export import ExportError, render_export

    if state.quarter not in source.quarters():
        return {"download": no_update, "notice": f"{state.quarter} 没有报送数据，无法导出。"}
    view = progress_export(data, source, filters, state)
    try:
        content = render_export(view.figure, view.caption, fmt, size)
    except (ExportError, ValueError) as exc:
        return {"download": no_update, "notice": f"导出失败：{exc}"}
    name = progress_filename(data, filters, state, fmt)
    return {"download": files.put(content, name), "notice": f"已导出：{name}"}


def register_export(app: Dash, data: AtlasData, source: ProgressSource) -> None:
    """Wire 导出图片 (through the shared export queue) and the link follower."""
    from dashboard.progress_view import PId  # the view imports this module: ids at wiring time

    exports = ExportQueue.from_env()
    files = DownloadStore()

    @app.callback(
        output={"download": Output(XId.LINK, "href"), "notice": Output(XId.NOTICE, "children")},
        inputs={"n": Input(XId.BUTTON, "n_clicks")},
        state={
            "fmt": State(XId.FORMAT, "value"),
            "size": State(XId.SIZE, "value"),
            "quarter": State(PId.QUARTER, "value"),
            "statuses": State(PId.STATUS, "value"),
            "metric": State(PId.METRIC, "value"),
            "search": State(Id.URL, "search"),
        },
        running=[(Output(XId.BUTTON, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def export_image(
        n: Any, fmt: Any, size: Any, quarter: Any, statuses: Any, metric: Any, search: Any
    ) -> dict[str, Any]:
        fmt, size = checked_export(fmt, size)
        filters, state = export_request(data, quarter, statuses, metric, search)
        job = lambda: on_export(data, source, files, fmt, size, filters, state)  # noqa: E731
        return exports.run(request.remote_addr or "", job)

    # the browser follows the new link at once (assets/downloads.js); the link stays to click
    app.clientside_callback(
        ClientsideFunction(namespace="atlas_downloads", function_name="follow"),
        Output(XId.LINK, "title"),
        Input(XId.LINK, "href"),
        prevent_initial_call=True,
    )
