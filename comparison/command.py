"""`task-atlas compare`: options, run, and the CSV it writes (imported only for that command)."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import pandas as pd

from comparison.compare import compare_tasks
from comparison.load import CompareError, load_plans_and_tasks, plan_tasks
from comparison.model import Relation, settings_for
from comparison.overrides import OVERRIDES_CSV, load_overrides


def add_compare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="from_plan", required=True, metavar="PLAN")
    parser.add_argument("--to", dest="to_plan", required=True, metavar="PLAN")
    parser.add_argument(
        "--data", type=Path, default=Path("data"), metavar="DIR", help="data folder (./data)"
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    parser.add_argument(
        "--overrides",
        type=Path,
        default=OVERRIDES_CSV,
        metavar="FILE",
        help="reviewed pairs (confirm/reject) that win over the matcher "
        "(default: comparison/data/overrides.csv)",
    )


def compare_plans(
    data_dir: Path, from_plan: str, to_plan: str, overrides_path: Path = OVERRIDES_CSV
) -> pd.DataFrame:
    """The comparison table of two plans of a data folder."""
    if from_plan == to_plan:
        raise CompareError(f"--from and --to are both {from_plan!r}; name two different plans")
    plans, tasks = load_plans_and_tasks(data_dir)
    a, b = plan_tasks(plans, tasks, from_plan), plan_tasks(plans, tasks, to_plan)
    kind = dict(zip(plans["plan_id"], plans["kind"], strict=True))
    return compare_tasks(
        a,
        b,
        overrides=load_overrides(overrides_path),
        settings=settings_for(kind[from_plan], kind[to_plan]),
    )


def write_csv(frame: pd.DataFrame, out: Path) -> None:
    """Write beside the target and swap it in: a failed write leaves the old file intact."""
    if out.is_dir():
        raise CompareError(f"{out}: is a folder; --out needs a file name such as compare.csv")
    if not out.parent.is_dir():
        raise CompareError(f"{out.parent}: folder not found for --out")
    handle, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary(frame: pd.DataFrame, from_plan: str, to_plan: str, out: Path) -> str:
    counts = frame["relation"].value_counts()
    parts = [f"{r.value} {int(counts.get(r.value, 0))}" for r in Relation]
    return f"{from_plan} → {to_plan}: " + ", ".join(parts) + f" (rows) → {out}"


def run_compare(args: argparse.Namespace) -> int:
    frame = compare_plans(args.data, args.from_plan, args.to_plan, args.overrides)
    write_csv(frame, args.out)
    print(summary(frame, args.from_plan, args.to_plan, args.out))
    return 0
