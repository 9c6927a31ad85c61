"""The 进度 view's task grid, paged on the server (issue 13).

It used to ship every task of the quarter with each render (8,280 rows at ×10). Now it is the
map view's kind of grid (dashboard/task_table.py): dash-ag-grid's infinite row model asks for
one page (`getRowsRequest`, checked in dashboard/grid_request.py), the server narrows the
quarter's memoised task list (dashboard/progress_fast.py) by the map's filters, the place and
the status filter, sorts on the server and answers with that page only. A change of quarter,
status or filters sends the grid back to its first page in the browser, so its page request
goes in the same round as the view's answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_ag_grid as dag
import numpy as np
from dash import Dash, Input, Output, State, no_update

from dashboard import grid_request, progress_fast
from dashboard.data import AtlasData
from dashboard.fieldkinds import BadInput, vocabulary
from dashboard.progress_fast import TaskList
from dashboard.progress_figures import LIGHT_DOT, NOT_REPORTED
from dashboard.urlstate import parse_query
from progress.provider import ProgressSource, Snapshot
from progress.quarters import Quarter, parse_quarter
from progress.rules import load_rules

GRID = "progress-task-grid"
PAGE_SIZE = 20
MAX_QUERY = 4096  # characters of the map's ?query the view is handed (a URL's worth)
LIGHT_COLOURS = {"绿": "#2e7d32", "黄": "#f9a825", "红": "#c62828", "灰": "#9e9e9e"}
#: The grid's columns (progress_figures.task_rows makes exactly these), with their sizes; the
#: light coloured by its value (fixed expressions, never from data); 修改 a link to the form.
COLUMNS: dict[str, dict[str, Any]] = {
    "灯": {
        "width": 60,
        "cellStyle": {
            "styleConditions": [
                {
                    "condition": f"params.value == '{label}'",
                    "style": {"backgroundColor": colour, "color": "white"},
                }
                for label, colour in LIGHT_COLOURS.items()
            ]
        },
    },
    "任务编号": {"width": 130},
    "任务内容": {"flex": 3, "minWidth": 240, "wrapText": True, "tooltipField": "任务内容"},
    "牵头单位": {"flex": 1, "minWidth": 120, "wrapText": True},
    "状态": {"width": 96},
    "进度": {"width": 80},
    "序时": {"width": 80},
    "历史": {"width": 200, "wrapText": True},
    "修改": {"width": 70, "cellRenderer": "markdown", "sortable": False},
}
NUMERIC = ("进度", "序时")  # "50%" sorts as 50, "" (no return) first
#: 灯 sorts by severity, as the list opens (red first); the rest by text.
LIGHT_RANK = {LIGHT_DOT[k]: i for i, k in enumerate(("red", "yellow", "grey", "green"))}


def task_grid() -> dag.AgGrid:
    """The empty grid of the layout; it asks for its pages itself."""
    return dag.AgGrid(
        id=GRID,
        columnDefs=[{"field": c, "headerName": c, **spec} for c, spec in COLUMNS.items()],
        defaultColDef={"sortable": True, "resizable": True},
        rowModelType="infinite",
        # two lines of task text (the infinite model has no auto height)
        dashGridOptions=grid_request.paged_options(PAGE_SIZE, rowHeight=64),
        style={"height": 560},
        className="ag-theme-alpine progress-task-grid",
    )


# --- the page: pure functions over the memoised task list ---------------------------------------


def column_ranks(tasks: TaskList) -> dict[str, np.ndarray]:
    """Per sortable column, each display row's rank (ties equal); built once per task list."""
    ranks: dict[str, np.ndarray] = {}
    for column in COLUMNS:
        if COLUMNS[column].get("sortable") is False:
            continue
        values = [row[column] for row in tasks.rows]
        if column in NUMERIC:
            keys = np.array([float(v.rstrip("%")) if v else -np.inf for v in values])
        elif column == "灯":
            keys = np.array([LIGHT_RANK.get(v, len(LIGHT_RANK)) for v in values])
        else:
            keys = np.array(values, dtype=str)
        ranks[column] = np.unique(keys, return_inverse=True)[1].reshape(-1)
    return ranks


def ordered(
    shown: np.ndarray, keys: Sequence[tuple[str, bool]], ranks: dict[str, np.ndarray]
) -> np.ndarray:
    """`shown` (display rows, in display order) sorted by the grid's keys; ties keep the list's
    own order (red first), as the grid's own stable sort did."""
    keys = [(c, asc) for c, asc in keys if c in ranks]
    if not keys or not len(shown):
        return shown
    columns = [ranks[c][shown] if asc else -ranks[c][shown] for c, asc in reversed(keys)]
    return shown[np.lexsort(columns)]


def page_rows(tasks: TaskList, rows: np.ndarray, start: int, end: int) -> list[dict[str, str]]:
    """Rows [start, end) of `rows` (display rows), bounded by a page whatever is asked."""
    start = max(0, start)
    end = min(max(start, end), start + grid_request.PAGE_MAX)
    return [tasks.rows[i] for i in rows[start:end]]


def checked_state(
    quarter: Any, statuses: Any, search: Any
) -> tuple[Quarter | None, list[str], str]:
    """The view's controls as the page request states them, refused with a 400 when malformed."""
    if quarter is not None:
        if not isinstance(quarter, str) or len(quarter) > 20:
            raise BadInput("季度：应为 2024Q2 这样的文本")
        try:
            parse_quarter(quarter)
        except ValueError:
            raise BadInput("季度：应为 2024Q2 这样的文本") from None
    allowed = {*load_rules().statuses["status"], NOT_REPORTED}
    statuses = [] if statuses is None else statuses
    if (
        not isinstance(statuses, list)
        or len(statuses) > len(allowed)
        or not all(isinstance(s, str) and s in allowed for s in statuses)
    ):
        raise BadInput("状态：应为已知状态的列表")
    if search is not None and (not isinstance(search, str) or len(search) > MAX_QUERY):
        raise BadInput("search：应为网址查询文本")
    return (parse_quarter(quarter) if quarter else None), list(statuses), search or ""


def on_rows(
    data: AtlasData,
    source: ProgressSource,
    request: Any,
    quarter: Any,
    statuses: Any,
    search: Any,
) -> dict[str, Any] | None:
    """The grid's page for its request and the view's quarter, statuses and the map's filters;
    None while the view has no quarter yet (the grid asks as it mounts, before the browser's
    hash sync has picked the quarter; the page it asks for then is of a state the view never
    shows, and its answer could land after the right one and replace it)."""
    start, end, sort = grid_request.checked_request(request, COLUMNS, PAGE_SIZE)
    chosen, wanted, query = checked_state(quarter, statuses, search)
    snap = source.snapshot()
    quarters = source.quarters(snap)
    if not quarters:
        return {"rowData": [], "rowCount": 0}
    if chosen is None:
        return None  # the quarter's choice sends the grid back to its first page: it asks again
    q = chosen
    filters, _ = parse_query(query, vocabulary(data))
    tasks, shown = progress_fast.shown_tasks(data, source, snap, q, filters, wanted)
    keys = grid_request.sort_keys(sort, COLUMNS)
    if keys:
        shown = ordered(shown, keys, ranks_of(source, q, snap, tasks))
    return {"rowData": page_rows(tasks, shown, start, end), "rowCount": len(shown)}


def ranks_of(
    source: ProgressSource, quarter: Quarter, snap: Snapshot, tasks: TaskList
) -> dict[str, np.ndarray]:
    """`column_ranks` memoised with the quarter's task list (built on the first sort only)."""
    ranks: dict[str, np.ndarray] = source.memo(
        "task-ranks", quarter, snap, lambda: column_ranks(tasks)
    )
    return ranks


def register_grid(
    app: Dash, data: AtlasData, source: ProgressSource, state_inputs: list[Input]
) -> None:
    """Wire the grid: its page request reads the view's `state_inputs` (quarter, statuses, the
    map's ?query) as states; a change of any of them sends it back to its first page."""
    states = [State(i.component_id, i.component_property) for i in state_inputs]

    @app.callback(
        Output(GRID, "getRowsResponse"),
        Input(GRID, "getRowsRequest"),
        *states,
        prevent_initial_call=True,
    )
    def rows_page(request: Any, quarter: Any, statuses: Any, search: Any) -> Any:
        if not request:
            return no_update
        page = on_rows(data, source, request, quarter, statuses, search)
        return no_update if page is None else page

    app.clientside_callback(
        grid_request.refresh_script(GRID),
        Output(GRID, "filterModel"),
        *state_inputs,
        prevent_initial_call=True,
    )
