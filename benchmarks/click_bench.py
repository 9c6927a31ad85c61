"""Server work of a map click, this tree beside another checkout (e.g. main), in one run.

A click sends the map's answer (URL, map patch, the place panel) and the task table's page;
this times both as the callbacks compute them, JSON encoding included (Dash's to_json), for
the places with the most tasks, in each checkout alternately (a subprocess per checkout, so
each imports its own code). The view's numbers for the filter state are warmed first, as the
filter change before a click warms them in the app. Over HTTP with all requests of the page:
benchmarks/http_bench.py; this isolates the server's share from a loaded machine's noise.

Run: .venv/bin/python benchmarks/click_bench.py --data DIR [--data DIR …] [--before-src DIR]
     [--rounds 5] [--places 6]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def measure(data_dir: str, places: int, reps: int) -> dict[str, list[float]]:
    """(in the checkout on sys.path) ms per click: the map's answer, the table's page."""
    import functools

    from dash._utils import to_json

    from dashboard import callbacks as cb
    from dashboard import task_table as tt
    from dashboard.counting import count_by_place
    from dashboard.data import load_atlas
    from dashboard.options import CountMode
    from dashboard.viewstate import Filters

    data = load_atlas(Path(data_dir))
    numbers = functools.lru_cache(maxsize=256)(functools.partial(cb.view_numbers, data))
    counts = count_by_place(data, data.tasks["task_id"], CountMode.SPECIFIC)
    chosen = list(counts.sort_values("total")["place"])[-places:]
    numbers(Filters())  # the filter state's numbers, as its filter change left them

    def table_page(f: Filters) -> object:
        if hasattr(tt, "matching"):  # this branch: only the asked rows become a frame
            rows = tt.matching(data, f, "")
            return tt.page(tt.table_frame(data, f, rows[: tt.PAGE_MAX]), 0, tt.PAGE_SIZE)
        return tt.page(tt.table_rows(data, f, ""), 0, tt.PAGE_SIZE)

    def map_answer(f: Filters) -> object:
        if "place_changed" in inspect.signature(cb.on_view).parameters:  # URL sync in browser
            return cb.on_view(data, f, True, numbers, None)
        return cb.on_view(data, "selected-place", "", f, numbers, None)  # type: ignore[arg-type]

    times: dict[str, list[float]] = {"map answer": [], "table page": []}
    for rep in range(reps + 1):
        for place in chosen:
            f = Filters(place=str(place))
            t0 = time.perf_counter()
            to_json(map_answer(f))
            t1 = time.perf_counter()
            to_json(table_page(f))
            t2 = time.perf_counter()
            if rep:  # the first round warms lazily built indexes
                times["map answer"].append((t1 - t0) * 1000)
                times["table page"].append((t2 - t1) * 1000)
    return times


def run(src: Path, data: str, places: int, reps: int) -> dict[str, list[float]]:
    argv = [sys.executable, __file__, "--child", data, str(places), str(reps)]
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(argv, cwd=src, env=env, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.splitlines()[-1]))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", action="append", required=True, help="a data folder")
    parser.add_argument("--before-src", type=Path, help="another checkout, e.g. main")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per checkout")
    parser.add_argument("--places", type=int, default=6)
    args = parser.parse_args()
    trees = [("this tree", REPO)] + ([("before", args.before_src)] if args.before_src else [])
    for data in args.data:
        got: dict[str, dict[str, list[float]]] = {label: {} for label, _ in trees}
        for _ in range(args.rounds):
            for label, src in trees:
                for name, values in run(src, data, args.places, 3).items():
                    got[label].setdefault(name, []).extend(values)
        print(f"\n{data}: {args.places} largest places, p50 / p95 ms")
        for name in ("map answer", "table page"):
            cells = [
                f"{label}: {statistics.median(v[name]):.1f} / {p95(v[name]):.1f}"
                for label, v in got.items()
            ]
            print(f"  {name:<12} " + "   ".join(cells))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
