"""The 进度 view's export beside the map view's, in the same run: assembly, then rendering
(first = a fresh browser, warm = median of 3) for PNG 16:9 and PDF A4.

Run: .venv/bin/python benchmarks/progress_export_bench.py --data DIR --db URL [--quarter 2024Q2]
(a store with returns, e.g. `task-atlas progress demo --quarters 2024Q1..2024Q4 --db demo.db`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.data import load_atlas  # noqa: E402
from dashboard.export import Exporter  # noqa: E402
from dashboard.export_view import assemble_export  # noqa: E402
from dashboard.progress_export import ProgressState, progress_export  # noqa: E402
from dashboard.progress_view import default_source  # noqa: E402
from dashboard.viewstate import Filters  # noqa: E402
from progress.quarters import parse_quarter  # noqa: E402

CASES = (("png", "16:9"), ("pdf", "a4"))
WARM_RUNS = 3


def _seconds(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--quarter", default="2024Q2")
    args = parser.parse_args()
    data = load_atlas(args.data)
    source = default_source(data, args.db)
    state = ProgressState(parse_quarter(args.quarter))
    source.base(state.quarter)  # judged once, as a running app has it memoised
    views = {
        "map view (baseline)": lambda: assemble_export(data, Filters()),
        "进度 view": lambda: progress_export(data, source, Filters(), state),
    }
    print(f"export of the 进度 view beside the map view's, {args.data}, {args.quarter}")
    head = ("view", "assembly (ms)", "format", "size", "first (s)", "warm (s)")
    print(f"{head[0]:<20}{head[1]:>14}{head[2]:>8}{head[3]:>6}{head[4]:>11}{head[5]:>10}")
    for label, assemble in views.items():
        ms = 1000 * statistics.median(_seconds(assemble) for _ in range(5))
        view = assemble()
        for fmt, size in CASES:
            exporter = Exporter()  # a fresh browser each case, so "first" includes its start
            try:
                render = lambda: exporter.render(view.figure, view.caption, fmt, size)  # noqa: B023, E731
                first = _seconds(render)
                warm = statistics.median(_seconds(render) for _ in range(WARM_RUNS))
            finally:
                exporter.close()
            print(f"{label:<20}{ms:>14.1f}{fmt:>8}{size:>6}{first:>11.2f}{warm:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
