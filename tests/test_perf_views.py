"""The 进度 and 对比 views' fast paths: the same output as the old paths on the same data, and
no stale result after a write (a new return, an overrides edit, a rebuilt task table)."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard import compare_state
from dashboard import compare_view as cv
from dashboard.compare_state import CompareState, ComparisonCache, comparison_table
from dashboard.data import AtlasData, load_atlas
from dashboard.progress_grid import on_rows
from dashboard.progress_view import as_of, on_render, tables_of
from progress import fastview
from progress.db import Store
from progress.demo import fill_demo
from progress.provider import ProgressSource
from progress.quarters import parse_quarter, parse_quarter_range
from progress.store import ReturnRow, record_returns
from progress.view import narrow
from tests.helpers import load_benchmark

QUARTERS = parse_quarter_range("2023Q3..2024Q4")
SEARCHES = ["", "?plan=wr2024", "?place=江夏区", "?agency=市发改委&role=lead", "?plan=wr2023"]
STATUSES = ["", "滞后", "序时推进", "已完成", "未启动", "未报送"]


def _json(out: tuple[Any, ...]) -> str:
    """A render's outputs as comparable text (components through their plotly JSON)."""
    plain = [o if isinstance(o, str | dict) else o.to_plotly_json() for o in out]
    return json.dumps(plain, default=str, sort_keys=True, ensure_ascii=False)


def _reference() -> Any:
    return load_benchmark("progress_reference").reference_render


@pytest.fixture
def demo(atlas_dir: Path, store: Store) -> tuple[AtlasData, Store]:
    data = load_atlas(atlas_dir)
    fill_demo(tables_of(data), store, QUARTERS)
    return data, store


def test_fast_render_equals_the_old_path(demo: tuple[AtlasData, Store]) -> None:
    data, store = demo
    source = ProgressSource(tables_of(data), store)
    reference = _reference()
    rng = random.Random(7)
    cases = [(str(q), [], "rate", s) for q in QUARTERS for s in SEARCHES]
    cases += [
        (str(rng.choice(QUARTERS)), [s for s in rng.sample(STATUSES, 2) if s],
         rng.choice(["rate", "mean", "behind"]), rng.choice(SEARCHES))
        for _ in range(20)
    ]  # fmt: skip
    shown = set()
    for case in cases:
        fast, old = on_render(data, source, *case), reference(data, source, *case)
        assert _json(fast) == _json(old[:5] + old[6:]), case  # the old path's grid at [5]
        quarter, statuses, _metric, search = case
        rows = _grid_rows(data, source, quarter, statuses, search)
        assert rows == old[5].rowData, case  # the grid pages through the same rows
        shown.add(len(rows))
    assert len(shown) > 3  # the cases narrow the task list in different ways


def _grid_rows(
    data: AtlasData, source: ProgressSource, quarter: str, statuses: list[str], search: str
) -> list[dict[str, str]]:
    """Every row the task grid shows, page by page as the browser asks for them."""
    rows: list[dict[str, str]] = []
    while True:
        request = {"startRow": len(rows), "endRow": len(rows) + 100, "sortModel": []}
        page = on_rows(data, source, request, quarter, statuses, search)
        assert page is not None  # a quarter is chosen
        rows += page["rowData"]
        if len(rows) >= page["rowCount"] or not page["rowData"]:
            return rows


def test_fast_narrow_gives_the_same_frames(demo: tuple[AtlasData, Store]) -> None:
    data, store = demo
    source = ProgressSource(tables_of(data), store)
    quarter = QUARTERS[-1]
    base = source.base(quarter)
    index = fastview.build_index(base, source.tables)
    ids = data.tasks.loc[data.tasks["plan_id"] == "wr2024", "task_id"]
    rows = data.tasks["task_id"].isin(ids).to_numpy()
    fast = fastview.narrow(index, fastview.task_mask(index, rows, "江夏区"))
    old = narrow(base, source.tables, place="江夏区", task_ids=pd.Index(ids))
    assert fast.headline == old.headline and fast.headline["任务"] > 0
    for name in ("status", "previous", "units", "lagging"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(old, name))
    for name in ("unit_scores", "place_scores", "unreported"):
        pd.testing.assert_frame_equal(
            getattr(fast, name).reset_index(drop=True),
            getattr(old, name).reset_index(drop=True),
            check_dtype=False,
        )


def _tasks_led(data: AtlasData, quarter: str) -> list[tuple[str, str]]:
    """(task, lead unit) pairs of wr2024 (in force in 2024)."""
    units = data.task_units
    leads = units[(units["role"] == "lead") & units["task_id"].str.startswith("wr2024")]
    assert quarter.startswith("2024")
    return list(zip(leads["task_id"], leads["unit"], strict=True))[:5]


def _write(store: Store, quarter: str, rows: list[ReturnRow]) -> None:
    record_returns(store, rows, quarter=parse_quarter(quarter), entered_by="test",
                   source="test", is_demo=True, action="demo")  # fmt: skip


def test_a_write_is_seen_by_the_next_request_of_every_worker(
    demo: tuple[AtlasData, Store],
) -> None:
    data, store = demo
    workers = [ProgressSource(tables_of(data), store) for _ in range(2)]
    for worker in workers:  # both have judged and coded every quarter
        for q in QUARTERS:
            on_render(data, worker, str(q), [], "behind", "")
    before = workers[0].snapshot()
    pairs = _tasks_led(data, "2024Q2")
    _write(store, "2024Q2", [ReturnRow(t, u, "滞后", 1.0, "进展缓慢") for t, u in pairs])
    after = workers[0].snapshot()
    assert after.version != before.version
    # only the quarter written was read again
    assert after.frames["2024Q1"] is before.frames["2024Q1"]
    assert after.frames["2024Q2"] is not before.frames["2024Q2"]
    for q in QUARTERS:  # 2024Q3 and Q4 depend on Q2 through 红转黄: judged again too
        fresh = on_render(data, ProgressSource(tables_of(data), store), str(q), [], "behind", "")
        for worker in workers:
            assert _json(on_render(data, worker, str(q), [], "behind", "")) == _json(fresh)
    rows = _grid_rows(data, workers[1], "2024Q2", ["滞后"], "")
    assert {t for t, _u in pairs} <= {r["任务编号"] for r in rows}
    assert as_of(data, workers[1], "2024Q2").startswith("报送数据截至 2024-06-30")


def test_a_new_quarter_appears_at_once(demo: tuple[AtlasData, Store]) -> None:
    data, store = demo
    source = ProgressSource(tables_of(data), store)
    assert source.quarters()[-1] == parse_quarter("2024Q4")
    pairs = _tasks_led(data, "2024Q4")
    _write(store, "2025Q1", [ReturnRow(t, u, "已完成", 100.0) for t, u in pairs])
    assert source.quarters()[-1] == parse_quarter("2025Q1")
    head = on_render(data, source, None, [], "rate", "")[0]
    assert head.startswith("【演示数据】2025年第一季度")


# --- 对比 ---------------------------------------------------------------------------------


@pytest.fixture
def overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "overrides.csv"
    shutil.copyfile(compare_state.OVERRIDES_CSV, path)
    monkeypatch.setattr(compare_state, "OVERRIDES_PATH", path, raising=False)
    return path


def test_an_overrides_edit_is_seen_on_the_next_request(
    corpus_data: AtlasData, overrides: Path
) -> None:
    state = asdict(CompareState("wr2023", "wr2024"))
    table = comparison_table(corpus_data, "wr2023", "wr2024")
    summary = cv.on_render(corpus_data, state)[1]
    linked = table[table["relation"] == "延续"].iloc[0]
    pair = (linked["from_task_id"], linked["to_task_id"])
    with overrides.open("a", encoding="utf-8") as handle:
        handle.write(f"{pair[0]},{pair[1]},reject,,test: a reviewer rejects this pair\n")
    after = comparison_table(corpus_data, "wr2023", "wr2024")
    linked_after = set(zip(after["from_task_id"], after["to_task_id"], strict=True))
    assert (
        pair not in linked_after
        or after.loc[
            (after["from_task_id"] == pair[0]) & (after["to_task_id"] == pair[1]), "relation"
        ]
        .isin(["新增", "取消"])
        .all()
    )
    assert cv.on_render(corpus_data, state)[1] != summary  # the view counts it at once


def test_comparisons_are_computed_once_and_bounded(corpus_data: AtlasData, overrides: Path) -> None:
    cache = ComparisonCache(size=2)
    first = cache.get(corpus_data, "wr2023", "wr2024", overrides)
    assert cache.get(corpus_data, "wr2023", "wr2024", overrides) is first
    assert cache.computed == 1
    cache.get(corpus_data, "fyp14", "fyp15", overrides)
    cache.get(corpus_data, "fyp14", "wr2024", overrides)  # the oldest pair leaves
    assert cache.get(corpus_data, "wr2023", "wr2024", overrides) is not first
    assert cache.computed == 4
    # a rebuilt task table (one task reworded) is a new key, never the old table
    tasks = corpus_data.tasks.copy()
    row = tasks.index[tasks["plan_id"] == "wr2024"][0]
    tasks.loc[row, "text"] = "全新任务:建设测试用的示范园区"
    rebuilt = replace(corpus_data, tasks=tasks)
    again = cache.get(rebuilt, "wr2023", "wr2024", overrides)
    assert cache.computed == 5
    assert again.table is not first.table
    part = again.part("n", len)
    assert again.part("n", lambda _t: -1) == part == len(again.table)
