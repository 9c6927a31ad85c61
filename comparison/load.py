"""Read the plans and tasks of a data folder for a comparison, checked at the boundary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assignments.schema import PLANS_COLUMNS, TASKS_COLUMNS


class CompareError(ValueError):
    """A comparison cannot be made (missing folder or file, unknown plan); one line, named."""


def read_table(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A data-folder CSV as strings, with its required columns checked."""
    if not path.is_file():
        raise CompareError(f"{path}: file missing (run `task-atlas build` first)")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CompareError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CompareError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame


def load_plans_and_tasks(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """plans.csv and tasks.csv of a data folder."""
    if not data_dir.is_dir():
        raise CompareError(f"{data_dir}: data folder not found (run `task-atlas build`)")
    plans = read_table(data_dir / "plans.csv", PLANS_COLUMNS)
    tasks = read_table(data_dir / "tasks.csv", TASKS_COLUMNS)
    return plans, tasks


def plan_tasks(plans: pd.DataFrame, tasks: pd.DataFrame, plan_id: str) -> pd.DataFrame:
    """The tasks of one plan, in document order; an unknown plan id names the known ones."""
    known = plans["plan_id"].tolist()
    if plan_id not in known:
        raise CompareError(f"unknown plan {plan_id!r} (known: {', '.join(known) or 'none'})")
    return tasks[tasks["plan_id"] == plan_id].reset_index(drop=True)
