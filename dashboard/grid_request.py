"""What every server-paged grid shares (issue 13): the page request checked at the boundary and
the clientside refresh that makes the grid ask again in the same round as its view's answer.

dash-ag-grid's infinite row model sends `getRowsRequest` ({startRow, endRow, sortModel, …})
and waits for `getRowsResponse`; the server answers with that page only. The map view's task
table (dashboard/task_table.py) and the 进度 view's task grid (dashboard/progress_grid.py) both
use these, so a malformed request is refused the same way (BadInput → 400) in both.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from dashboard.fieldkinds import BadInput

PAGE_MAX = 200  # rows one page request may ask for
#: The pager's words and the grid's messages, in Chinese, for every server-paged grid.
LOCALE_TEXT = {
    "page": "第",
    "of": "/",
    "to": "–",
    "next": "下一页",
    "previous": "上一页",
    "first": "首页",
    "last": "末页",
    "loadingOoo": "加载中…",
    "noRowsToShow": "没有符合条件的任务",
}


def paged_options(page_size: int, **extra: Any) -> dict[str, Any]:
    """dashGridOptions of a grid paged on the server (rowModelType "infinite"): pages of
    `page_size` rows, four kept in the browser, the pager in Chinese; `extra` adds options."""
    return {
        "pagination": True,
        "paginationPageSize": page_size,
        "paginationPageSizeSelector": False,
        "cacheBlockSize": page_size,
        "maxBlocksInCache": 4,
        **extra,
        "localeText": LOCALE_TEXT,
    }


SEARCH_MAX = 50  # characters of a grid's search box, as for the keyword filter


def checked_request(
    request: Any, columns: Collection[str], default_end: int
) -> tuple[int, int, list[dict[str, Any]]]:
    """The grid's page request (start, end, sort model), refused with a 400 when malformed;
    a sort model longer than the grid's `columns` is refused too."""
    if not isinstance(request, dict):
        raise BadInput("getRowsRequest：应为对象")
    start, end = request.get("startRow", 0), request.get("endRow", default_end)
    sort = request.get("sortModel") or []
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        raise BadInput("getRowsRequest：行号有误")
    if end - start > PAGE_MAX or not isinstance(sort, list) or len(sort) > len(columns):
        raise BadInput("getRowsRequest：超出范围")
    if not all(isinstance(s, dict) for s in sort):
        raise BadInput("getRowsRequest：排序有误")
    return start, end, sort


def checked_search(search: Any) -> str:
    """A grid's search text, refused with a 400 when not short text."""
    if search is None:
        return ""
    if not isinstance(search, str) or len(search) > SEARCH_MAX:
        raise BadInput(f"search：应为不超过 {SEARCH_MAX} 字的文本")
    return search


def sort_keys(sort_model: list[dict[str, Any]], columns: Collection[str]) -> list[tuple[str, bool]]:
    """(column, ascending) of the grid's sort model, known columns only (others ignored)."""
    return [(s["colId"], s.get("sort") != "desc") for s in sort_model
            if isinstance(s.get("colId"), str) and s["colId"] in columns]  # fmt: skip


def refresh_script(grid_id: str) -> str:
    """A clientside callback body: back to the first page and drop the cached pages, so the
    grid asks for its page at once. Done in the browser: a server round trip here put the page
    request a round behind its view's answer (issue 13)."""
    return (
        "function () {"
        f" window.dash_clientside.atlas_table.refresh({json.dumps(grid_id)});"  # tasktable.js
        " return window.dash_clientside.no_update; }"
    )
