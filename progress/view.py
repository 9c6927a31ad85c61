"""One quarter seen whole: statuses, unit judgements, the quarter before, scorecards.

The dashboard, the 通报 and the benchmarks all start here, so they agree. Judging every task
(`quarter_base`) is the slow part and does not depend on filters: the dashboard memoises it
per quarter and store version; narrowing to the filtered tasks (`narrow`) is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from progress.assess import assess_tasks, assess_units, lights_by_task
from progress.quarters import Quarter
from progress.rules import RuleBook, load_rules
from progress.scorecard import headline, lagging, place_scorecard, unit_scorecard, unreported_units
from progress.service import in_force, leads_in_force
from progress.tasks import TaskTables, task_place_pairs


@dataclass(frozen=True)
class QuarterBase:
    """Every task and (task, lead unit) judged for a quarter and the quarter before."""

    quarter: Quarter
    status: pd.DataFrame
    previous: pd.DataFrame
    units: pd.DataFrame
    units_before: pd.DataFrame
    is_demo: bool


@dataclass(frozen=True)
class QuarterView:
    quarter: Quarter
    status: pd.DataFrame  # one row per task in force (assess_tasks)
    previous: pd.DataFrame  # the same for the quarter before
    units: pd.DataFrame  # one row per (task, lead unit) (assess_units)
    headline: dict[str, int]
    unit_scores: pd.DataFrame
    place_scores: pd.DataFrame
    unreported: pd.DataFrame
    lagging: pd.DataFrame
    is_demo: bool


def quarter_base(
    tables: TaskTables, returns: pd.DataFrame, quarter: Quarter, book: RuleBook | None = None
) -> QuarterBase:
    """Judge every task of `quarter` and of the quarter before (each with its own 红转黄)."""
    book = book or load_rules()
    prev_q = quarter.previous()
    first = assess_tasks(in_force(tables, prev_q.previous()), returns, prev_q.previous(), book)
    previous = assess_tasks(in_force(tables, prev_q), returns, prev_q, book, lights_by_task(first))
    status = assess_tasks(
        in_force(tables, quarter), returns, quarter, book, lights_by_task(previous)
    )
    units = assess_units(
        in_force(tables, quarter), leads_in_force(tables, quarter), returns, quarter, book
    )
    units_before = assess_units(
        in_force(tables, prev_q), leads_in_force(tables, prev_q), returns, prev_q, book
    )
    is_demo = bool(returns["is_demo"].any()) if len(returns) else False
    return QuarterBase(quarter, status, previous, units, units_before, is_demo)


def task_mask(
    status: pd.DataFrame,
    tables: TaskTables,
    *,
    place: str | None = None,
    unit: str | None = None,
    task_ids: pd.Index | None = None,
) -> pd.Series:
    """Rows of a status frame tied to `place`, led by `unit`, among `task_ids`."""
    keep = pd.Series(True, index=status.index)
    if place:
        pairs = task_place_pairs(tables)
        keep &= status["task_id"].isin(pairs.loc[pairs["place"] == place, "task_id"])
    if unit:
        keep &= status["lead_units"].map(lambda cell: unit in str(cell).split("|"))
    if task_ids is not None:
        keep &= status["task_id"].isin(task_ids)
    return keep


def narrow(
    base: QuarterBase,
    tables: TaskTables,
    *,
    place: str | None = None,
    unit: str | None = None,
    task_ids: pd.Index | None = None,
) -> QuarterView:
    """The view of the tasks tied to `place`, led by `unit`, among `task_ids` (all if None)."""
    status = base.status[task_mask(base.status, tables, place=place, unit=unit, task_ids=task_ids)]
    previous = base.previous[
        task_mask(base.previous, tables, place=place, unit=unit, task_ids=task_ids)
    ]
    units = base.units[base.units["task_id"].isin(status["task_id"])]
    before = base.units_before[base.units_before["task_id"].isin(previous["task_id"])]
    if unit:
        units, before = units[units["unit"] == unit], before[before["unit"] == unit]
    pairs = task_place_pairs(tables)
    return QuarterView(
        quarter=base.quarter,
        status=status,
        previous=previous,
        units=units,
        headline=headline(status),
        unit_scores=unit_scorecard(units, before if len(before) else None),
        place_scores=place_scorecard(status, previous if len(previous) else None, pairs),
        unreported=unreported_units(units),
        lagging=lagging(status),
        is_demo=base.is_demo,
    )


def quarter_view(
    tables: TaskTables,
    returns: pd.DataFrame,
    quarter: Quarter,
    *,
    place: str | None = None,
    unit: str | None = None,
    task_ids: pd.Index | None = None,
) -> QuarterView:
    """Everything the 进度 view and the 通报 show for one quarter, narrowed as asked."""
    base = quarter_base(tables, returns, quarter)
    return narrow(base, tables, place=place, unit=unit, task_ids=task_ids)
