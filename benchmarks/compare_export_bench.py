"""The comparison's exports, first (cold browser) and warm, beside the map view's PNG export
in the same run: the 对比 map (PNG 16:9, PDF A4), the comparison report (docx, pdf) and the
deck's comparison slides.

Run: .venv/bin/python benchmarks/compare_export_bench.py [--data DIR] [--from wr2023 --to wr2024]
Default data: the bundled corpus, built into a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard import export as export_module  # noqa: E402
from dashboard.compare_export import assemble_compare_export  # noqa: E402
from dashboard.compare_report import build_compare_report, report_bytes  # noqa: E402
from dashboard.compare_state import CompareState  # noqa: E402
from dashboard.data import AtlasData, load_atlas  # noqa: E402
from dashboard.deck import build_deck  # noqa: E402
from dashboard.export_view import assemble_export  # noqa: E402
from dashboard.viewstate import Filters  # noqa: E402
from pipeline.build import build_all, write_data_folder  # noqa: E402

PLACE = "江夏区"


def _render(view: object, fmt: str, size: str) -> bytes:
    return export_module.render_export(view.figure, view.caption, fmt, size)  # type: ignore[attr-defined]


def cases(data: AtlasData, state: CompareState) -> dict[str, Callable[[], bytes]]:
    here = CompareState(state.from_plan, state.to_plan, PLACE)
    return {
        "map view png (baseline)": lambda: _render(assemble_export(data, Filters()), "png", "16:9"),
        "对比 png 16:9": lambda: _render(assemble_compare_export(data, state), "png", "16:9"),
        "对比 pdf a4": lambda: _render(assemble_compare_export(data, state), "pdf", "a4"),
        f"report docx ({PLACE})": lambda: report_bytes(build_compare_report(data, here), ".docx"),
        f"report pdf ({PLACE})": lambda: report_bytes(build_compare_report(data, here), ".pdf"),
        f"deck --compare ({PLACE})": lambda: build_deck(data, Filters(place=PLACE), [PLACE], state),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--from", dest="from_plan", default="wr2023")
    parser.add_argument("--to", dest="to_plan", default="wr2024")
    args = parser.parse_args()
    if args.data is None:
        args.data = Path(tempfile.mkdtemp(prefix="atlas-bench-")) / "data"
        write_data_folder(build_all(), args.data)
    data = load_atlas(args.data)
    state = CompareState(args.from_plan, args.to_plan)
    print(f"comparison exports on {args.data}, {state.from_plan} → {state.to_plan}")
    print(f"{'product':<32}{'first (s)':>11}{'warm (s)':>10}{'size (KB)':>11}")
    for label, make in cases(data, state).items():
        export_module.default_exporter().close()  # "first" includes the browser start
        start = time.perf_counter()
        out = make()
        first = time.perf_counter() - start
        start = time.perf_counter()
        make()
        warm = time.perf_counter() - start
        print(f"{label:<32}{first:>11.2f}{warm:>10.2f}{len(out) / 1024:>11.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
