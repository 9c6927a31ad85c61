"""Progress figures: importing a quarter's returns (one workbook per lead unit) and the 进度 view's
callback time with eight quarters of history and the corpus ×10, on SQLite and PostgreSQL.

Baselines in the same run: reading and checking the workbooks without writing them (so the
store's share is visible), the map view's own callback on the same ×10 data, and the 进度
callback's old per-request path (benchmarks/progress_reference.py) on the same calls. The
view's task grid asks for its page in the same round as the view's render (server-paged,
dashboard/progress_grid.py): its request is timed beside the render, and the bytes of task
rows one render sends are printed beside the old whole-list grid's.
PostgreSQL is a throwaway cluster started by the script (skipped when the binaries are missing).

Run: .venv/bin/python benchmarks/progress_bench.py [--data DIR] [--scale 10] [--calls 30]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from progress_reference import reference_render  # benchmarks/: the script's own folder

from dashboard.callbacks import on_filters
from dashboard.data import AtlasData, load_atlas
from dashboard.fieldkinds import vocabulary
from dashboard.progress_fast import warm_data
from dashboard.progress_grid import PAGE_SIZE, on_rows
from dashboard.progress_view import on_render, tables_of
from dashboard.urlstate import parse_query
from pipeline.build import build_all, write_data_folder
from progress.db import open_store
from progress.demo import fill_demo
from progress.provider import ProgressSource
from progress.quarters import parse_quarter, parse_quarter_range
from progress.returns import read_return
from progress.rules import load_rules
from progress.service import import_files, leads_in_force, write_templates
from progress.store import ReturnRow, record_returns
from progress.tasks import TaskTables, read_task_tables

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the throwaway cluster of the tests
from tests.progress_fixtures import (
    PostgresMissing,
    fresh_pg_database,
    throwaway_postgres,
)

QUARTER = parse_quarter("2024Q2")
HISTORY = parse_quarter_range("2023Q1..2024Q4")
STATUSES = ["序时推进", "滞后", "超序时"]
#: The task grid's sort models a user clicks (none, by progress, by light, by task id).
SORTS = [None, [{"colId": "进度", "sort": "asc"}], [{"colId": "灯", "sort": "desc"}],
         [{"colId": "任务编号", "sort": "asc"}]]  # fmt: skip


def page_request(start: int, sort: list[dict[str, str]] | None) -> dict[str, Any]:
    """The grid's getRowsRequest for one page, as dash-ag-grid sends it."""
    return {"startRow": start, "endRow": start + PAGE_SIZE, "sortModel": sort or []}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(label: str, times: list[float]) -> str:
    ms = [1000 * t for t in times]
    return f"  {label:<44} p50 {pct(ms, 0.5):8.1f} ms   p95 {pct(ms, 0.95):8.1f} ms   n={len(ms)}"


@contextmanager
def backends(tmp: Path, with_pg: bool) -> Iterator[dict[str, Callable[[], str]]]:
    """name → a function giving a fresh, empty store URL."""
    counter = iter(range(10_000))
    found: dict[str, Callable[[], str]] = {"sqlite": lambda: f"sqlite:///{tmp}/s{next(counter)}.db"}
    with ExitStack() as stack:
        if with_pg:
            try:
                server = stack.enter_context(throwaway_postgres())
                found["postgresql"] = lambda: fresh_pg_database(server)
            except PostgresMissing as exc:
                print(f"(PostgreSQL skipped: {exc})")
        yield found


def filled_workbooks(tables: TaskTables, tmp: Path) -> list[Path]:
    """One template per lead unit for the quarter, every row filled as a unit would."""
    store = open_store(f"sqlite:///{tmp}/templates.db")
    out = tmp / "returns"
    written = write_templates(tables, store, QUARTER, out)
    rng = random.Random(1)
    for _unit, path, _n in written:
        wb = load_workbook(path)
        ws = wb["任务进度"]
        for row in ws.iter_rows(min_row=2):
            row[5].value = rng.choice(STATUSES)
            row[6].value = rng.choice([30, 50, 60, 70])
            row[7].value = "按计划推进,已完成阶段性目标。"
        wb.save(path)
    store.close()
    return [p for _u, p, _n in written]


def bench_imports(
    tables: TaskTables, files: list[Path], urls: dict[str, Callable[[], str]]
) -> None:
    leads = leads_in_force(tables, QUARTER).groupby("task_id")["unit"].agg(frozenset)
    book = load_rules()
    times = []
    for path in files:
        start = time.perf_counter()
        read_return(path, QUARTER, leads, book)
        times.append(time.perf_counter() - start)
    rows = sum(len(read_return(p, QUARTER, leads, book).rows) for p in files)
    print(f"\nImporting {len(files)} workbooks ({rows} returns) for {QUARTER}")
    print(line("baseline: read + check only, no store", times))
    print(f"  {'':<44} total {sum(times):6.2f} s")
    for name, fresh in urls.items():
        store = open_store(fresh())
        per_file = []
        for path in files:
            start = time.perf_counter()
            report = import_files(tables, store, [path], QUARTER, entered_by="bench")
            per_file.append(time.perf_counter() - start)
            assert not report.rejected, report.problems[:3]
        start = time.perf_counter()
        again = import_files(tables, store, files, QUARTER, entered_by="bench")
        repeat = time.perf_counter() - start
        assert len(again.unchanged) == len(files)
        print(line(f"{name}: check + import, one file", per_file))
        print(
            f"  {'':<44} total {sum(per_file):6.2f} s; the same files again (no-op) {repeat:.2f} s"
        )
        store.close()


def scaled(data: AtlasData, k: int) -> AtlasData:
    """The corpus k times over: every task copied with a suffixed id, links and units alike."""

    def times(frame: pd.DataFrame) -> pd.DataFrame:
        parts = [frame.assign(task_id=frame["task_id"] + (f"~{i}" if i else "")) for i in range(k)]
        return pd.concat(parts, ignore_index=True)

    return AtlasData(
        plans=data.plans,
        tasks=times(data.tasks),
        task_units=times(data.task_units),
        task_places=times(data.task_places),
        places_geojson=data.places_geojson,
        built_at=data.built_at,
    )


def bench_view(data: AtlasData, urls: dict[str, Callable[[], str]], calls: int) -> None:
    tables = tables_of(data)
    print(f"\n进度 view callback: {len(data.tasks)} tasks, {len(HISTORY)} quarters of demo returns")
    searches = [
        "",
        "?plan=wr2024",
        "?sector=科技创新",
        "?agency=市发改委&role=lead",
        "?place=江夏区",
    ]
    rng = random.Random(2)
    base_times = []
    for _ in range(calls):
        search = rng.choice(searches)
        filters, _ = parse_query(search, vocabulary(data))
        start = time.perf_counter()
        on_filters(data, filters)
        base_times.append(time.perf_counter() - start)
    print(line("baseline: the map view's callback (on_filters)", base_times))
    start = time.perf_counter()  # as the server does before forking its workers (production.py)
    warm_data(data, tables)
    warmed = time.perf_counter() - start
    print(f"  server start: the 进度 view's per-data parts, built once in {warmed:.2f} s")
    for name, fresh in urls.items():
        store = open_store(fresh())
        start = time.perf_counter()
        fill_demo(tables, store, HISTORY)
        fill = time.perf_counter() - start
        source = ProgressSource(tables, store)
        n_returns = len(source.returns()[1])
        leads = leads_in_force(tables, HISTORY[-1])
        cold, cold_pages, warm, pages = [], [], [], []
        for q in HISTORY:  # first render of each quarter judges it (and the one before)
            start = time.perf_counter()
            on_render(data, source, str(q), [], "rate", "")
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()  # the grid's first page, asked in the same round
            on_rows(data, source, page_request(0, None), str(q), [], "")
            cold_pages.append(time.perf_counter() - start)
        old, sent_old, sent_new = [], [], []
        for _ in range(calls):
            args = (
                str(rng.choice(HISTORY)),
                rng.sample(STATUSES, rng.randint(0, 2)),
                rng.choice(["rate", "mean", "behind"]),
                rng.choice(searches),
            )
            request = page_request(rng.choice([0, 0, 20, 100]), rng.choice(SORTS))
            start = time.perf_counter()
            on_render(data, source, *args)
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            page = on_rows(data, source, request, args[0], args[1], args[3])
            pages.append(time.perf_counter() - start)
            start = time.perf_counter()  # the same request by the old per-request path
            before = reference_render(data, source, *args)
            old.append(time.perf_counter() - start)
            sent_old.append(len(json.dumps(before[5].rowData, ensure_ascii=False).encode()))
            sent_new.append(len(json.dumps(page["rowData"], ensure_ascii=False).encode()))
        after_write = []
        for i in range(3):  # a new return for the latest quarter: the next request sees it
            task_id, unit = leads.iloc[i]
            row = ReturnRow(task_id, unit, "滞后", 5.0)
            record_returns(store, [row], quarter=HISTORY[-1], entered_by="bench",
                           source="bench", is_demo=True, action="demo")  # fmt: skip
            start = time.perf_counter()
            on_render(data, source, str(HISTORY[-1]), [], "rate", "")
            after_write.append(time.perf_counter() - start)
        print(f"  {name}: demo fill {n_returns} returns in {fill:.1f} s")
        print(line(f"{name}: first render of a quarter", cold))
        print(line(f"{name}: its task grid's first page", cold_pages))
        print(line(f"{name}: render after a write to that quarter", after_write))
        print(line(f"{name}: render, quarter already judged", warm))
        print(line(f"{name}: task grid page request, same calls", pages))
        both = [a + b for a, b in zip(warm, pages, strict=True)]
        print(line(f"{name}: render + grid page, one worker", both))
        print(line(f"{name}: baseline: old per-request path, same calls", old))
        print(
            f"  {name}: task rows sent per render: median {statistics.median(sent_new) / 1024:.1f}"
            f" KB (one page) against {statistics.median(sent_old) / 1024:.1f} KB"
            f" (old: the whole list; max {max(sent_old) / 1024:.0f} KB), JSON before compression"
        )
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, help="a built data folder (default: build the bundled corpus)"
    )
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="progress-bench-"))
    try:
        data_dir = args.data
        if data_dir is None:
            data_dir = tmp / "data"
            write_data_folder(build_all(None, None), data_dir)
        tables = read_task_tables(data_dir)
        files = filled_workbooks(tables, tmp)
        with backends(tmp, not args.no_postgres) as urls:
            bench_imports(tables, files, urls)
            bench_view(scaled(load_atlas(data_dir), args.scale), urls, args.calls)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
