"""Time `build` (parse + tag) on the bundled corpus and on the corpus repeated 50 times.

Run: .venv/bin/python benchmarks/build_bench.py [--repeat 50]
Prints wall-clock figures; it asserts nothing (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from assignments.corpus import build_tables, bundled_sources
from geodata.tagging import tag_tasks


def _copies(n: int, into: Path) -> list[Path]:
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


def _time(fn: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    build_tables()  # warm imports and table caches
    parse = _time(build_tables, args.runs)
    tables = build_tables()
    tag = _time(lambda: tag_tasks(tables.tasks, tables.task_units, tables.plans), args.runs)
    n_tasks = len(tables.tasks)
    print(f"bundled corpus: {n_tasks} tasks, {len(tables.coverage)} lines")
    print(
        f"  parse  median {statistics.median(parse) * 1000:7.1f} ms  (min {min(parse) * 1000:.1f})"
    )
    print(f"  tag    median {statistics.median(tag) * 1000:7.1f} ms  (min {min(tag) * 1000:.1f})")

    with tempfile.TemporaryDirectory() as tmp:
        folders = _copies(args.repeat, Path(tmp))
        t0 = time.perf_counter()
        big = build_tables(folders)
        t_parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        tag_tasks(big.tasks, big.task_units, big.plans)
        t_tag = time.perf_counter() - t0
    per_copy = (t_parse + t_tag) / args.repeat
    single = statistics.median(parse) + statistics.median(tag)
    print(f"corpus x{args.repeat}: {len(big.tasks)} tasks")
    print(f"  parse {t_parse:6.2f} s, tag {t_tag:6.2f} s, per copy {per_copy * 1000:.1f} ms")
    print(f"  growth: per-copy time / single build = {per_copy / single:.2f} (1.00 = linear)")


if __name__ == "__main__":
    main()
