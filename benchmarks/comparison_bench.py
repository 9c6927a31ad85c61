"""Speed of the plan comparison beside a naive all-pairs baseline, in the same run.

Usage: python benchmarks/comparison_bench.py [--repeat N]

Two sizes: the real annual plans (wr2023 322 × wr2024 302 tasks) and ×10 (each task ten times,
figures and a place name varied per copy so the copies differ). The matcher builds sparse
candidates, timed with its current settings for two yearly plans (settings_for) and with main's
settings before the recall work (BASELINE); the naive way scores every pair with rapidfuzz
(process.cdist, one thread) and runs linear_sum_assignment on the full dense matrix.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable

import pandas as pd
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from assignments.corpus import build_tables
from comparison.compare import compare_tasks
from comparison.model import BASELINE, settings_for

PLACES = (
    "江岸区",
    "江汉区",
    "硚口区",
    "汉阳区",
    "武昌区",
    "青山区",
    "洪山区",
    "蔡甸区",
    "江夏区",
    "黄陂区",
)


def scaled(tasks: pd.DataFrame, times: int) -> pd.DataFrame:
    """`times` copies of every task, each with its own figures and place, ids kept unique."""
    copies = []
    for k in range(times):
        copy = tasks.copy()
        copy["task_id"] = copy["task_id"] + f"-x{k}"
        copy["text"] = [PLACES[k % len(PLACES)] + _shift_figures(t, k) for t in copy["text"]]
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def _shift_figures(text: str, by: int) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + by), text)


def naive(from_tasks: pd.DataFrame, to_tasks: pd.DataFrame) -> int:
    """Every pair scored by rapidfuzz, then a dense assignment: the all-pairs way."""
    scores = process.cdist(
        from_tasks["text"].tolist(), to_tasks["text"].tolist(), scorer=fuzz.ratio, workers=1
    )
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return int((scores[rows, cols] >= 60).sum())


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median CPU seconds and wall seconds (the machine is shared: CPU time is the steadier)."""
    cpu, wall = [], []
    for _ in range(repeat):
        started_cpu, started = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu), statistics.median(wall)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    tasks = build_tables().tasks
    old, new = (tasks[tasks["plan_id"] == p].reset_index(drop=True) for p in ("wr2023", "wr2024"))
    kind = "年度政府工作报告任务分解"
    current = settings_for(kind, kind)
    print(
        f"{'size':<16}{'current cpu/wall s':>20}{'baseline cpu/wall s':>21}"
        f"{'naive cpu/wall s':>20}{'pairs':>12}"
    )
    for times in (1, 10):
        a, b = (scaled(old, times), scaled(new, times)) if times > 1 else (old, new)
        now = timed(lambda a=a, b=b: compare_tasks(a, b, settings=current), args.repeat)
        before = timed(lambda a=a, b=b: compare_tasks(a, b, settings=BASELINE), args.repeat)
        dense = timed(lambda a=a, b=b: naive(a, b), args.repeat)
        cells = [f"{t[0]:.2f} / {t[1]:.2f}" for t in (now, before, dense)]
        print(
            f"{f'{len(a)} × {len(b)}':<16}{cells[0]:>20}{cells[1]:>21}{cells[2]:>20}"
            f"{len(a) * len(b):>12,}"
        )
    print(f"(median of {args.repeat} runs; naive = rapidfuzz cdist + dense linear_sum_assignment)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
