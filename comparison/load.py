"""Read the plans and tasks of a data folder for a comparison, checked at the boundary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assignments.schema import PLANS_COLUMNS, PLANS_FILE, TASKS_COLUMNS, TASKS_FILE
from pipeline.data_folder import DataTableError, read_data_table


class CompareError(ValueError):
    """A comparison cannot be made (missing folder or file, unknown plan); one line, named."""


def read_table(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """A data-folder CSV as strings, with its required columns checked (pipeline's reader)."""
    try:
        return read_data_table(folder, name, columns)
    except DataTableError as exc:
        raise CompareError(str(exc)) from None


def load_plans_and_tasks(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """plans.csv and tasks.csv of a data folder."""
    if not data_dir.is_dir():
        raise CompareError(f"{data_dir}: data folder not found (run `task-atlas build`)")
    plans = read_table(data_dir, PLANS_FILE, PLANS_COLUMNS)
    tasks = read_table(data_dir, TASKS_FILE, TASKS_COLUMNS)
    return plans, tasks


def plan_tasks(plans: pd.DataFrame, tasks: pd.DataFrame, plan_id: str) -> pd.DataFrame:
    """The tasks of one plan, in document order; an unknown plan id names the known ones."""
    known = plans["plan_id"].tolist()
    if plan_id not in known:
        raise CompareError(f"unknown plan {plan_id!r} (known: {', '.join(known) or 'none'})")
    return tasks[tasks["plan_id"] == plan_id].reset_index(drop=True)
