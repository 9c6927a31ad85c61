"""A task table for any filter (issue 9 "Build"): every task, city-level ones included and marked.

AG Grid (dash-ag-grid) with the infinite row model: the browser asks for one page of rows at a
time (`getRowsRequest`), the server filters, searches and sorts, and answers with that page
only, so a filter change never ships all rows. Selecting a place narrows the table; clicking a
row lights its places up on the map. The CSV/XLSX downloads hold exactly the rows the table
shows (same filters, search and sort), with formula-leading text neutralised.

Self-contained: `task_table_layout()` is the page piece and `register_task_table(app, data)`
wires its callbacks, so hooking it into the app is two lines.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import dash_ag_grid as dag
import numpy as np
import pandas as pd
from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import grid_request, spreadsheet
from dashboard.data import AtlasData
from dashboard.describe import plan_labels
from dashboard.grid_request import PAGE_MAX, SEARCH_MAX, checked_search
from dashboard.style import SELECTED_COLOR
from dashboard.table_index import CITY_LEVEL, counted_links, link_columns, table_positions
from dashboard.viewstate import Filters

GRID = "task-table"
SEARCH = "task-table-search"
COUNT = "task-table-count"
CSV_BUTTON = "task-table-csv"
XLSX_BUTTON = "task-table-xlsx"
DOWNLOAD = "task-table-download"
PAGE_SIZE = 15
MAX_SEARCH = SEARCH_MAX
TEXT_SHOWN = 90  # characters of task text per grid row (the panel and downloads carry all)
#: Column → Chinese header, in display and download order.
COLUMNS = {
    "plan": "计划",
    "item_no": "序号",
    "text": "任务内容",
    "lead_units": "牵头单位",
    "responsible_units": "责任单位",
    "sector": "领域",
    "places": "涉及区/功能区",
    "links": "关联方式",
}


@functools.cache
def _all_rows(data: AtlasData) -> pd.DataFrame:
    """One row per task with its plan label and joined unit lists (memoised per data)."""
    tasks = data.tasks.copy()
    tasks["plan"] = tasks["plan_id"].map(plan_labels(data)).fillna(tasks["plan_id"])
    for col in ("lead_units", "responsible_units"):
        tasks[col] = tasks[col].str.replace("|", "、", regex=False)
    order = {p: i for i, p in enumerate(data.plans["plan_id"])}
    tasks["_order"] = tasks["plan_id"].map(order).fillna(len(order))
    return tasks


def table_rows(data: AtlasData, filters: Filters, search: str = "") -> pd.DataFrame:
    """Tasks matching the filters (and the selected place, when there is one), with the places
    and link types that put them on the map; tasks with none are marked 全市性/未落到区."""
    return table_frame(data, filters, matching(data, filters, search))


def matching(data: AtlasData, filters: Filters, search: str = "") -> np.ndarray:
    """tasks.csv rows of the table in its order, narrowed by the search text (task text,
    units or places)."""
    rows = table_positions(data, filters)
    needle = search.strip()[:MAX_SEARCH]
    if needle and len(rows):
        places, _ = link_columns(data, counted_links(filters))
        every = _all_rows(data)
        hay = zip(
            every["text"].to_numpy(dtype=object)[rows],
            every["lead_units"].to_numpy(dtype=object)[rows],
            every["responsible_units"].to_numpy(dtype=object)[rows],
            places[rows],
            strict=True,
        )
        rows = rows[np.fromiter((needle in "".join(h) for h in hay), bool, len(rows))]
    return rows


def table_frame(data: AtlasData, filters: Filters, rows: np.ndarray) -> pd.DataFrame:
    """The table's columns for tasks.csv rows `rows` (in that order)."""
    places, links = link_columns(data, counted_links(filters))
    return _all_rows(data).iloc[rows].assign(places=places[rows], links=links[rows])


def checked_request(request: Any) -> tuple[int, int, list[dict[str, Any]]]:
    """The grid's page request (start, end, sort model), refused with a 400 when malformed."""
    return grid_request.checked_request(request, COLUMNS, PAGE_SIZE)


def sorted_rows(rows: pd.DataFrame, sort_model: Iterable[dict[str, Any]] | None) -> pd.DataFrame:
    """Apply the grid's sort model (only known columns; anything else is ignored)."""
    keys = grid_request.sort_keys(list(sort_model or ()), COLUMNS)
    if not keys:
        return rows
    return rows.sort_values([c for c, _ in keys], ascending=[a for _, a in keys], kind="stable")


def page(rows: pd.DataFrame, start: int, end: int) -> list[dict[str, Any]]:
    """Rows [start, end) for the grid, text shortened; bounded whatever the request says."""
    start = max(0, int(start))
    end = min(max(start, int(end)), start + 4 * PAGE_SIZE)
    shown = rows.iloc[start:end]
    records: list[dict[str, Any]] = shown[["task_id", *COLUMNS]].to_dict("records")  # type: ignore[assignment]
    for record in records:
        text = record["text"]
        record["text"] = text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "…"
    return records


def download_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The shown rows with Chinese headers and full text (made spreadsheet-safe on writing)."""
    return rows[["task_id", *COLUMNS]].rename(columns={"task_id": "任务编号", **COLUMNS})


def csv_bytes(rows: pd.DataFrame) -> bytes:
    return spreadsheet.csv_bytes(download_frame(rows))


def xlsx_bytes(rows: pd.DataFrame) -> bytes:
    return spreadsheet.xlsx_bytes(download_frame(rows), "任务清单")


def highlight_updates(place_names: Iterable[str], figure_names: list[list[str]]) -> list[Any]:
    """Outline colours/widths for each district choropleth: the clicked task's places lit."""
    lit = set(place_names)
    return [
        {
            "line": {
                "color": [SELECTED_COLOR if n in lit else "white" for n in names],
                "width": [4 if n in lit else 1 for n in names],
            }
        }
        for names in figure_names
    ]


def task_table_layout() -> html.Section:
    """The table section: search box, row count, downloads and the grid."""
    columns = [
        {"field": "plan", "headerName": COLUMNS["plan"], "width": 150},
        {"field": "item_no", "headerName": COLUMNS["item_no"], "width": 80},
        {"field": "text", "headerName": COLUMNS["text"], "flex": 3, "minWidth": 260,
         "tooltipField": "text", "sortable": False},
        {"field": "lead_units", "headerName": COLUMNS["lead_units"], "flex": 1},
        {"field": "responsible_units", "headerName": COLUMNS["responsible_units"], "flex": 1},
        {"field": "sector", "headerName": COLUMNS["sector"], "width": 110},
        {"field": "places", "headerName": COLUMNS["places"], "flex": 1,
         "cellClassRules": {"city-level": f"params.value == '{CITY_LEVEL}'"}},
        {"field": "links", "headerName": COLUMNS["links"], "width": 120, "sortable": False},
    ]  # fmt: skip
    return html.Section(
        [
            html.Div(
                [
                    html.H3("任务清单"),
                    dcc.Input(
                        id=SEARCH,
                        type="search",
                        debounce=0.4,
                        maxLength=MAX_SEARCH,
                        placeholder="搜索任务内容、单位或地点…",
                    ),
                    html.Span(id=COUNT, className="table-count"),
                    html.Button("下载 CSV", id=CSV_BUTTON, className="secondary"),
                    html.Button("下载 Excel", id=XLSX_BUTTON, className="secondary"),
                    dcc.Download(id=DOWNLOAD),
                ],
                className="table-bar",
            ),
            dag.AgGrid(
                id=GRID,
                columnDefs=columns,
                defaultColDef={"sortable": True, "resizable": True},
                rowModelType="infinite",
                dashGridOptions=grid_request.paged_options(PAGE_SIZE),
                getRowId="params.data.task_id",
                style={"height": "560px"},
                className="ag-theme-alpine task-grid",
            ),
        ],
        className="task-table",
    )


def register_task_table(
    app: Dash, data: AtlasData, filter_state: Any, filter_inputs: list[Any]
) -> None:
    """Wire the table: `filter_state(*values)` turns the dashboard's filter values (from
    `filter_inputs`, the place last) into a Filters. The page calls
    `atlas_table.refresh(GRID)` in the browser when they change (assets/tasktable.js)."""

    task_ids = set(data.tasks["task_id"])

    @app.callback(
        Output(GRID, "getRowsResponse"),
        Output(COUNT, "children"),
        Input(GRID, "getRowsRequest"),
        State(SEARCH, "value"),
        *[State(i.component_id, i.component_property) for i in filter_inputs],
        prevent_initial_call=True,
    )
    def rows_page(request: dict[str, Any] | None, search: str | None, *values: Any) -> Any:
        if not request:
            return no_update, no_update
        start, end, sort = checked_request(request)
        f = filter_state(*values)
        rows = matching(data, f, checked_search(search))
        if any(s.get("colId") in COLUMNS for s in sort):
            shown = page(sorted_rows(table_frame(data, f, rows), sort), start, end)
        else:  # the table's own order: only the asked rows become a frame
            shown = page(
                table_frame(data, f, rows[max(0, start) : max(0, start) + PAGE_MAX]), 0, end - start
            )
        count = f"共 {len(rows)} 项（含{CITY_LEVEL}任务）"
        return {"rowData": shown, "rowCount": len(rows)}, count

    # A change of the search text sends the grid back to its first page and drops its pages,
    # so it asks again at once (assets/tasktable.js). A change of the filters or the place does
    # the same from the page's URL sync (map_view.py): a callback of its own would be held by
    # Dash until the controls settle, and the page request would go a round after the map's.
    app.clientside_callback(
        ClientsideFunction(namespace="atlas_table", function_name="onSearch"),
        Output(GRID, "filterModel"),
        Input(SEARCH, "value"),
        State(GRID, "id"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(DOWNLOAD, "data"),
        Input(CSV_BUTTON, "n_clicks"),
        Input(XLSX_BUTTON, "n_clicks"),
        State(SEARCH, "value"),
        State(GRID, "getRowsRequest"),
        *[State(i.component_id, i.component_property) for i in filter_inputs],
        prevent_initial_call=True,
    )
    def download(_c: Any, _x: Any, search: str | None, request: Any, *values: Any) -> Any:
        sort = checked_request(request)[2] if request else []
        rows = sorted_rows(table_rows(data, filter_state(*values), checked_search(search)), sort)
        if ctx.triggered_id == XLSX_BUTTON:
            return dcc.send_bytes(xlsx_bytes(rows), "任务清单.xlsx")
        return dcc.send_bytes(csv_bytes(rows), "任务清单.csv")

    @app.callback(
        Output("district-map", "figure", allow_duplicate=True),
        Input(GRID, "cellClicked"),
        prevent_initial_call=True,
    )
    def light_up(cell: dict[str, Any] | None) -> Any:
        task_id = cell.get("rowId") if isinstance(cell, dict) else None
        if not isinstance(task_id, str) or task_id not in task_ids:
            return no_update
        return light_up_patch(data, str(task_id))


def light_up_patch(data: AtlasData, task_id: str) -> Patch:
    """A Patch outlining the task's places on both district layers (city map and inset)."""
    from dashboard.figures import DISTRICTS, INSET_DISTRICTS, district_names

    places = data.task_places.loc[data.task_places["task_id"] == task_id, "place"]
    names = district_names(data.places_geojson)
    patch = Patch()
    for trace, marker in zip(
        (DISTRICTS, INSET_DISTRICTS), highlight_updates(places, names), strict=True
    ):
        patch["data"][trace]["marker"] = marker
    return patch
