"""Export time, first (cold browser) and warm (median of 3), for each format and size.

Run: .venv/bin/python benchmarks/export_bench.py [--data DIR]
Default data: the bundled corpus, built into a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.data import load_atlas  # noqa: E402
from dashboard.export import Exporter  # noqa: E402
from dashboard.export_cli import map_and_caption  # noqa: E402
from dashboard.viewstate import Filters  # noqa: E402
from pipeline.build import build_all, write_data_folder  # noqa: E402

CASES = (("png", "16:9"), ("png", "a4"), ("svg", "16:9"), ("pdf", "a4"))
WARM_RUNS = 3


def _timed(exporter: Exporter, fig: object, caption: object, fmt: str, size: str) -> float:
    start = time.perf_counter()
    exporter.render(fig, caption, fmt, size)  # type: ignore[arg-type]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    if args.data is None:
        args.data = Path(tempfile.mkdtemp(prefix="atlas-bench-")) / "data"
        write_data_folder(build_all(), args.data)
    fig, caption = map_and_caption(load_atlas(args.data), Filters(), None)
    print(f"export benchmark on {args.data} (warm = median of {WARM_RUNS})")
    print(f"{'format':<8}{'size':<7}{'first (s)':>11}{'warm (s)':>10}")
    for fmt, size in CASES:
        exporter = Exporter()  # a fresh browser each case, so "first" includes its start
        try:
            first = _timed(exporter, fig, caption, fmt, size)
            warm = statistics.median(
                _timed(exporter, fig, caption, fmt, size) for _ in range(WARM_RUNS)
            )
        finally:
            exporter.close()
        print(f"{fmt:<8}{size:<7}{first:>11.2f}{warm:>10.2f}")
    _briefing_products(load_atlas(args.data))
    return 0


def _briefing_products(data: object) -> None:
    """First and warm times for the deck (one place and all 18), the report of the place with
    the most tasks, and the 18 framed place images."""
    from dashboard import export as export_module
    from dashboard.deck import build_deck
    from dashboard.place_export import all_places, place_export
    from dashboard.report import build_report

    counts = data.task_places.drop_duplicates(["place", "task_id"])  # type: ignore[attr-defined]
    names = {n for _, n in all_places(data)}  # type: ignore[arg-type]
    top = counts[counts["place"].isin(names)]["place"].value_counts().index[0]
    cases = {
        "pptx (1 place)": lambda: build_deck(data, Filters(), [top]),  # type: ignore[arg-type]
        "pptx (18 places)": lambda: build_deck(data, Filters()),  # type: ignore[arg-type]
        f"report pdf ({top})": lambda: build_report(data, Filters(), top),  # type: ignore[arg-type]
        "18 place images png": lambda: [
            export_module.render_export(v.figure, v.caption, "png", "16:9")
            for v in (place_export(data, Filters(), n).view for _, n in all_places(data))  # type: ignore[arg-type]
        ],
    }
    print(f"\n{'product':<28}{'first (s)':>11}{'warm (s)':>10}{'size (KB)':>11}")
    export_module.default_exporter().close()  # "first" includes the browser start
    for label, make in cases.items():
        start = time.perf_counter()
        first_out = make()
        first = time.perf_counter() - start
        start = time.perf_counter()
        make()
        warm = time.perf_counter() - start
        size = len(first_out) if isinstance(first_out, bytes) else sum(map(len, first_out))
        print(f"{label:<28}{first:>11.2f}{warm:>10.2f}{size / 1024:>11.0f}")


if __name__ == "__main__":
    sys.exit(main())
