"""Time `build` (parse + tag) on the bundled corpus repeated ×N, and fit a line through the sizes.

Run: .venv/bin/python benchmarks/build_bench.py [--sizes 1,5,10,25,50] [--runs 3]
Prints wall-clock figures; it asserts nothing (timings belong here, not in tests).

The old growth factor divided one ×50 sample by a median of ×1 runs and ranged 0.66–1.13 from
run to run (issue 13). Here every size is timed `--runs` times, the median per size is fitted by
least squares, time = intercept + slope × tasks, and the fit's R², each size's residual and the
CPU time per task are printed: a straight line with a small intercept is linear growth;
curvature shows in the residuals and in a per-task time that grows with the size.
The fit uses CPU time of this process (time.process_time), which other programs on a shared
machine disturb far less than wall-clock time; wall-clock is printed beside it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assignments.corpus import build_tables, bundled_sources
from geodata.tagging import tag_tasks


def corpus_copies(n: int, into: Path) -> list[Path]:
    """n folders, each the bundled corpus with its plan ids suffixed so plans stay distinct."""
    src = bundled_sources()
    manifest = (src / "manifest.toml").read_text("utf-8")
    folders = []
    for k in range(n):
        folder = into / f"copy{k:03d}"
        shutil.copytree(src, folder)
        (folder / "manifest.toml").write_text(
            re.sub(r'plan_id = "(\w+)"', rf'plan_id = "\1-{k}"', manifest), "utf-8"
        )
        folders.append(folder)
    return folders


def _cpu_seconds(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def build_once(folders: list[Path]) -> tuple[int, float, float, float]:
    """(tasks, parse CPU s, tag CPU s, wall s) for one build of these folders."""
    wall0, t0 = time.perf_counter(), time.process_time()
    tables = build_tables(folders)
    parse = time.process_time() - t0
    tag = _cpu_seconds(lambda: tag_tasks(tables.tasks, tables.task_units, tables.plans))
    return len(tables.tasks), parse, tag, time.perf_counter() - wall0


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = intercept + slope·x: (slope, intercept, R²)."""
    slope, intercept = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    total = sum((y - mean) ** 2 for y in ys)
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    return slope, intercept, 1 - residual / total if total else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,5,10,25,50", help="corpus copies, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="builds per size (median kept)")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    if len(sizes) < 3:
        parser.error("--sizes needs at least three sizes to fit a line")

    build_tables()  # warm imports and table caches
    points: list[tuple[int, float]] = []
    print(
        f"{'copies':>6} {'tasks':>7} {'parse':>8} {'tag':>7} {'total':>8} {'wall':>8}"
        f" {'per task':>9}"
    )
    print(
        f"{'':>6} {'':>7} {'CPU s':>8} {'CPU s':>7} {'CPU s':>8} {'s':>8} {'CPU µs':>9}  (medians)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folders = corpus_copies(max(sizes), Path(tmp))
        for n in sizes:
            runs = [build_once(folders[:n]) for _ in range(args.runs)]
            tasks = runs[0][0]
            parse = statistics.median(r[1] for r in runs)
            tag = statistics.median(r[2] for r in runs)
            total = statistics.median(r[1] + r[2] for r in runs)
            wall = statistics.median(r[3] for r in runs)
            points.append((tasks, total))
            per_task = total / tasks * 1e6
            print(
                f"{n:>6} {tasks:>7} {parse:8.3f} {tag:7.3f} {total:8.3f} {wall:8.3f}"
                f" {per_task:9.0f}"
            )

    xs, ys = [float(p[0]) for p in points], [p[1] for p in points]
    slope, intercept, r2 = fit_line(xs, ys)
    print(
        f"\nfit (CPU): total = {intercept * 1000:.1f} ms + {slope * 1e6:.1f} µs × tasks"
        f"   (R² {r2:.4f}; {slope * 1000 * 1000:.0f} ms per 1 000 tasks)"
    )
    for (tasks, total), n in zip(points, sizes, strict=True):
        predicted = intercept + slope * tasks
        print(
            f"  ×{n:<3} measured {total:7.3f} s  line {predicted:7.3f} s  "
            f"residual {(total - predicted) * 1000:+8.0f} ms"
        )
    first, last = points[0][1] / points[0][0], points[-1][1] / points[-1][0]
    print(
        f"per-task CPU time ×{sizes[0]} → ×{sizes[-1]}: {first * 1e6:.0f} → {last * 1e6:.0f} µs"
        f" (ratio {last / first:.2f}; 1.00 = linear)"
    )


if __name__ == "__main__":
    main()
