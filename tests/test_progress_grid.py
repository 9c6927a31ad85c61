"""The 进度 view's task grid pages on the server (issue 13): one render at ×10 sends one page of
rows, not the 8,280 tasks; its page request is checked (400), sorted on the server and holds
the same rows the old whole-list grid did (tests/test_perf_views.py compares every case)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from dash import Dash
from flask.testing import FlaskClient

from dashboard import progress_grid as pg
from dashboard.app import create_app
from dashboard.data import AtlasData, load_atlas
from dashboard.fieldkinds import BadInput
from dashboard.grid_request import PAGE_MAX
from dashboard.progress_fast import TaskList
from dashboard.progress_view import tables_of
from progress.db import DB_ENV, Store, open_store
from progress.demo import fill_demo
from progress.provider import ProgressSource
from progress.quarters import parse_quarter_range
from tests.callback_probe import base_body
from tests.helpers import FIXTURE, load_benchmark

PATH = "/_dash-update-component"
RENDER_OUTPUT = "progress-headline.children"  # one of the render callback's outputs


def _tasks(rows: list[dict[str, str]]) -> TaskList:
    return TaskList(list(rows[0]), rows, np.arange(len(rows)), np.array([""] * len(rows)))


def _row(task: str, light: str, percent: str) -> dict[str, str]:
    return {c: "" for c in pg.COLUMNS} | {"任务编号": task, "灯": light, "进度": percent}


def test_sorting_is_by_number_for_percentages_and_by_severity_for_lights() -> None:
    tasks = _tasks([_row("a", "红", "5%"), _row("b", "黄", "100%"), _row("c", "绿", ""),
                    _row("d", "红", "50%"), _row("e", "灰", "50%")])  # fmt: skip
    ranks = pg.column_ranks(tasks)
    shown = np.arange(5)

    def ids(keys: list[tuple[str, bool]], rows: np.ndarray = shown) -> list[str]:
        return [r["任务编号"] for r in pg.page_rows(tasks, pg.ordered(rows, keys, ranks), 0, 9)]

    assert ids([("进度", True)]) == ["c", "a", "d", "e", "b"]  # not "100%" < "5%" as text
    assert ids([("进度", False)]) == ["b", "d", "e", "a", "c"]  # ties keep the list's order
    assert ids([("灯", False)]) == ["c", "e", "b", "a", "d"]
    assert ids([("进度", False), ("灯", False)]) == ["b", "e", "d", "a", "c"]
    assert ids([("进度", True)], np.array([1, 3])) == ["d", "b"]  # only the kept rows
    assert ids([("修改", True)]) == list("abcde")  # a column that does not sort: ignored
    assert pg.grid_request.sort_keys([{"colId": ["灯"]}, {"colId": "灯"}], pg.COLUMNS) == [
        ("灯", True)
    ]  # a malformed entry is ignored, not a server error
    assert "修改" not in ranks


def test_a_page_is_bounded_whatever_is_asked() -> None:
    tasks = _tasks([_row(str(i), "绿", "") for i in range(500)])
    assert len(pg.page_rows(tasks, np.arange(500), 0, 10_000)) == PAGE_MAX
    assert pg.page_rows(tasks, np.arange(500), 498, 600)[-1]["任务编号"] == "499"


@pytest.mark.parametrize(
    ("request_", "quarter", "statuses", "search"),
    [
        ({"startRow": 0, "endRow": PAGE_MAX + 1}, "2024Q2", [], ""),
        ({"startRow": -1, "endRow": 20}, "2024Q2", [], ""),
        ({"startRow": 0, "endRow": 20, "sortModel": [1]}, "2024Q2", [], ""),
        ("bogus", "2024Q2", [], ""),
        ({"startRow": 0, "endRow": 20}, "2024Q9", [], ""),
        ({"startRow": 0, "endRow": 20}, 7, [], ""),
        ({"startRow": 0, "endRow": 20}, "2024Q2", ["没有这种状态"], ""),
        ({"startRow": 0, "endRow": 20}, "2024Q2", "滞后", ""),
        ({"startRow": 0, "endRow": 20}, "2024Q2", [{"a": 1}], ""),
        ({"startRow": 0, "endRow": 20}, "2024Q2", ["滞后"] * 50, ""),
        ({"startRow": 0, "endRow": 20}, "2024Q2", [], "x" * 5000),
    ],
)
def test_a_malformed_page_request_is_refused(
    request_: Any, quarter: Any, statuses: Any, search: Any
) -> None:
    data = load_atlas(FIXTURE)
    with pytest.raises(BadInput):
        pg.on_rows(data, ProgressSource(tables_of(data), None), request_, quarter, statuses, search)


def test_no_store_gives_an_empty_grid() -> None:
    data = load_atlas(FIXTURE)
    source = ProgressSource(tables_of(data), None)
    request = {"startRow": 0, "endRow": 20}
    assert pg.on_rows(data, source, request, None, [], "") == {"rowData": [], "rowCount": 0}


def test_the_page_follows_filters_place_and_statuses(store: Store) -> None:
    data = load_atlas(FIXTURE)
    fill_demo(tables_of(data), store, parse_quarter_range("2024Q1..2024Q2"))
    source = ProgressSource(tables_of(data), store)
    request = {"startRow": 0, "endRow": 100, "sortModel": []}
    # asked before the view has picked its quarter: no page (it would be the latest quarter's,
    # unfiltered, and could land after the right one); the choice makes the grid ask again
    assert pg.on_rows(data, source, request, None, [], "") is None
    every = pg.on_rows(data, source, request, "2024Q2", [], "")
    lagging = pg.on_rows(data, source, request, "2024Q2", ["滞后"], "")
    place = pg.on_rows(data, source, request, "2024Q2", [], "?place=江岸区")
    assert every["rowCount"] == len(every["rowData"]) > lagging["rowCount"] > 0
    # the grid declares its columns up front (infinite model): task_rows makes exactly these
    assert [list(r) for r in every["rowData"]] == [list(pg.COLUMNS)] * every["rowCount"]
    assert {r["状态"] for r in lagging["rowData"]} == {"滞后"}
    tied = set(data.task_places.loc[data.task_places["place"] == "江岸区", "task_id"])
    assert 0 < place["rowCount"] < every["rowCount"]
    assert {r["任务编号"] for r in place["rowData"]} <= tied
    by_id = pg.on_rows(data, source, request | {"sortModel": [{"colId": "任务编号", "sort": "desc"}]},
                       "2024Q2", [], "")  # fmt: skip
    ids = [r["任务编号"] for r in by_id["rowData"]]
    assert ids == sorted(ids, reverse=True) and set(ids) == {
        r["任务编号"] for r in every["rowData"]
    }


# --- one render over HTTP at ×10 -----------------------------------------------------------------


@pytest.fixture(scope="module")
def app_x10(corpus_data: AtlasData, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """The dashboard over the bundled corpus ×10 (8,280 tasks) and two quarters of demo returns."""
    data = load_benchmark("progress_bench").scaled(corpus_data, 10)
    url = f"sqlite:///{tmp_path_factory.mktemp('x10') / 'demo.db'}"
    store = open_store(url)
    fill_demo(tables_of(data), store, parse_quarter_range("2024Q1..2024Q2"))
    store.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DB_ENV, raising=False)
        app = create_app(data, store_url=url)
    client: FlaskClient = app.server.test_client()
    return client


def _call(client: FlaskClient, output_part: str, values: dict[str, Any]) -> bytes:
    """POST the callback whose output names `output_part`, its inputs/states set from `values`
    (id.property → value; others None), as the browser does; the raw response body."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if output_part in d["output"])
    body = base_body(dep)
    for group in ("inputs", "state"):
        for entry in body[group]:
            entry["value"] = values.get(f"{entry['id']}.{entry['property']}")
    response = client.post(PATH, json=body)
    assert response.status_code == 200, response.data[:300]
    return response.data


def _task_rows(payload: Any) -> list[dict[str, Any]]:
    """Every task-list row anywhere in a callback response (rows keyed by 任务编号)."""
    if isinstance(payload, dict):
        rows = payload.get("rowData")
        own = [r for r in rows if "任务编号" in r] if isinstance(rows, list) else []
        return own + [r for v in payload.values() for r in _task_rows(v)]
    if isinstance(payload, list):
        return [r for v in payload for r in _task_rows(v)]
    return []


@pytest.mark.slow
def test_one_render_at_x10_sends_one_page_of_tasks(app_x10: FlaskClient) -> None:
    state = {"progress-quarter.value": "2024Q2", "progress-status.value": [],
             "progress-metric.value": "mean", "progress-filters.data": ""}  # fmt: skip
    render = _call(app_x10, RENDER_OUTPUT, state)
    request = {"startRow": 0, "endRow": pg.PAGE_SIZE, "sortModel": []}
    page = _call(
        app_x10, f"{pg.GRID}.getRowsResponse", {**state, f"{pg.GRID}.getRowsRequest": request}
    )
    answer = json.loads(page)["response"][pg.GRID]["getRowsResponse"]
    received = _task_rows(json.loads(render)) + _task_rows(json.loads(page))
    assert len(received) == pg.PAGE_SIZE  # was every task in force in the render's answer
    headline = json.loads(render)["response"]["progress-headline"]["children"]
    assert answer["rowCount"] > 4_000  # every task in force is still there to page to
    assert f"任务 {answer['rowCount']} " in headline
    assert len(page) < 16 * 1024
    assert answer["rowData"][0]["灯"] == "红"  # the list opens with the red ones


def test_the_server_warms_what_every_progress_request_reads(store: Store) -> None:
    """production's pre-fork warm-up builds the 进度 view's per-data parts, so a worker's first
    render builds none of them (the base map alone is ~0.35 s at ×10)."""
    from dashboard import indexes, progress_fast, progress_figures
    from dashboard.progress_view import on_render, register_callbacks

    data = load_atlas(FIXTURE)
    fill_demo(tables_of(data), store, parse_quarter_range("2024Q1..2024Q2"))
    source = ProgressSource(tables_of(data), store)
    register_callbacks(Dash(__name__), data, source)
    assert progress_fast.warm() >= 1
    caches = (progress_figures.base_figure, indexes.task_index, progress_fast._row_map)
    misses = [c.cache_info().misses for c in caches]
    on_render(data, source, "2024Q2", [], "rate", "")
    assert [c.cache_info().misses for c in caches] == misses
