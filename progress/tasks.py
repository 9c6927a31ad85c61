"""The tasks a quarter's returns are about, read from the data folder `task-atlas build` wrote.

The data folder stays the source of truth for tasks; this module only reads tasks.csv,
task_units.csv and plans.csv (columns from assignments/schema.py) and decides which tasks are
in force in a quarter, who leads them and when they are due.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from assignments.schema import (
    PLANS_COLUMNS,
    PLANS_FILE,
    ROLE_DERIVED_LEAD,
    ROLE_LEAD,
    TASK_PLACES_COLUMNS,
    TASK_PLACES_FILE,
    TASK_UNITS_COLUMNS,
    TASK_UNITS_FILE,
    TASKS_COLUMNS,
    TASKS_FILE,
    UNIT_SEPARATOR,
)
from pipeline.data_folder import DataTableError, read_data_table
from progress.deadlines import default_deadline, stated_deadline
from progress.quarters import Quarter

LEAD_ROLES = (ROLE_LEAD, ROLE_DERIVED_LEAD)
#: Unit kinds that cannot send a return of their own (各区人民政府 is a phrase, not a body).
NON_REPORTING_KINDS = ("group",)
ANNUAL_KIND = "年度"
FIVE_YEAR_KIND = "五年规划"
_PERIOD = re.compile(r"^\s*(\d{4})\s*[-–—~至]\s*(\d{4})\s*$")

#: Columns of the frame `tasks_in_force` returns.
IN_FORCE_COLUMNS = (
    "task_id",
    "plan_id",
    "text",
    "lead_units",
    "responsible_units",
    "sector",
    "deadline",
    "deadline_stated",
)


class TaskDataError(ValueError):
    """The data folder cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True, eq=False)
class TaskTables:
    """The three tables progress needs, as strings, read once."""

    plans: pd.DataFrame
    tasks: pd.DataFrame
    task_units: pd.DataFrame
    task_places: pd.DataFrame  # empty when the folder has none (places are optional here)
    built_at: str


def _read(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    try:
        return read_data_table(folder, name, columns)
    except DataTableError as exc:
        raise TaskDataError(str(exc)) from None


def read_task_tables(data_dir: Path) -> TaskTables:
    """plans.csv, tasks.csv and task_units.csv of a data folder, checked at the boundary."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise TaskDataError(f"{data_dir}: data folder not found (run `task-atlas build`)")
    tasks_path = data_dir / TASKS_FILE
    stamp = tasks_path.stat().st_mtime if tasks_path.exists() else 0
    return TaskTables(
        plans=_read(data_dir, PLANS_FILE, PLANS_COLUMNS),
        tasks=_read(data_dir, TASKS_FILE, TASKS_COLUMNS),
        task_units=_read(data_dir, TASK_UNITS_FILE, TASK_UNITS_COLUMNS),
        task_places=_read(data_dir, TASK_PLACES_FILE, TASK_PLACES_COLUMNS)
        if (data_dir / TASK_PLACES_FILE).exists()
        else pd.DataFrame(columns=list(TASK_PLACES_COLUMNS)),
        built_at=pd.Timestamp(stamp, unit="s").strftime("%Y-%m-%d"),
    )


def plan_span(plan: pd.Series) -> tuple[int, int] | None:
    """First and last year a plan's tasks run, or None for plans without a task division.

    Annual task divisions run their year; five-year task divisions their period (the
    `period` column where the build wrote one, else five years from the plan's year).
    """
    kind, year = str(plan.get("kind", "")), str(plan.get("year", ""))
    if not year.isdigit():
        return None
    if ANNUAL_KIND in kind:
        return int(year), int(year)
    if FIVE_YEAR_KIND in kind:
        match = _PERIOD.match(str(plan.get("period", "")))
        return (int(match[1]), int(match[2])) if match else (int(year), int(year) + 4)
    return None


def plans_in_force(tables: TaskTables, quarter: Quarter) -> dict[str, tuple[int, int]]:
    """Plan id → span, for the plans whose span covers the quarter's year."""
    spans = {str(p["plan_id"]): plan_span(p) for _, p in tables.plans.iterrows()}
    return {pid: s for pid, s in spans.items() if s and s[0] <= quarter.year <= s[1]}


def lead_table(tables: TaskTables) -> pd.DataFrame:
    """(task_id, unit) for every unit that leads a task and can send a return, in order."""
    units = tables.task_units
    rows = units[units["role"].isin(LEAD_ROLES) & ~units["unit_kind"].isin(NON_REPORTING_KINDS)]
    return rows.drop_duplicates(["task_id", "unit"])[["task_id", "unit"]].reset_index(drop=True)


def tasks_in_force(tables: TaskTables, quarter: Quarter) -> pd.DataFrame:
    """Tasks of the plans in force in the quarter, with lead units and deadline.

    Read column by column: walking the rows (itertuples) goes through pandas' string arrays
    one element at a time, a quarter of a first 进度 render at ×10 (issue 13)."""
    spans = plans_in_force(tables, quarter)
    tasks = tables.tasks[tables.tasks["plan_id"].isin(list(spans))]
    lead_lists = _lead_lists(tables)
    task_ids, plan_ids = tasks["task_id"].tolist(), tasks["plan_id"].tolist()
    texts = tasks["text"].tolist()
    deadlines, stated_flags = [], []
    for plan_id, text in zip(plan_ids, texts, strict=True):
        first, last = spans[str(plan_id)]
        stated = stated_deadline(str(text), first if first == last else quarter.year)
        deadlines.append(stated or default_deadline(last))
        stated_flags.append(stated is not None)
    columns = {
        "task_id": task_ids,
        "plan_id": plan_ids,
        "text": texts,
        "lead_units": [lead_lists.get(str(t), "") for t in task_ids],
        "responsible_units": tasks["responsible_units"].tolist(),
        "sector": tasks["sector"].tolist(),
        "deadline": deadlines,
        "deadline_stated": stated_flags,
    }
    if not task_ids:
        return pd.DataFrame([], columns=list(IN_FORCE_COLUMNS))
    return pd.DataFrame(columns, columns=list(IN_FORCE_COLUMNS))


@functools.cache
def _lead_lists(tables: TaskTables) -> dict[str, str]:
    """task id → its reporting lead units joined with |, in document order (memoised)."""
    lists: dict[str, list[str]] = {}
    leads = lead_table(tables)
    for task_id, unit in zip(leads["task_id"], leads["unit"], strict=True):
        lists.setdefault(str(task_id), []).append(str(unit))
    return {t: UNIT_SEPARATOR.join(u) for t, u in lists.items()}


def split_units(cell: str) -> list[str]:
    return [u for u in str(cell).split(UNIT_SEPARATOR) if u]


def deadline_text(deadline: date, stated: bool) -> str:
    return f"{deadline:%Y年%m月%d日}" + ("" if stated else "(默认:计划期末)")


#: Place links that put a task on a place for progress tables (as the map's 专项任务 count).
PLACE_LINKS = ("lead", "responsible", "mention")
PLACE_KINDS = ("district", "zone")


def task_place_pairs(tables: TaskTables) -> pd.DataFrame:
    """(task_id, place, place_kind) for tasks tied to a district or zone specifically."""
    rows = tables.task_places
    keep = rows["link"].isin(PLACE_LINKS) & rows["place_kind"].isin(PLACE_KINDS)
    return rows.loc[keep, ["task_id", "place", "place_kind"]].drop_duplicates(["task_id", "place"])
