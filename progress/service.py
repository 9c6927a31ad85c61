"""The round trip's units of work: write the templates, import returns, export a quarter.

The command line and the tests call these; each import is one transaction per workbook.
"""

from __future__ import annotations

import csv
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from progress.assess import assess_tasks, lights_by_task
from progress.cells import neutralise
from progress.db import Store, StoreError
from progress.quarters import Quarter
from progress.returns import MAX_FILE_BYTES, Problem, read_return
from progress.rules import RuleBook, load_rules
from progress.store import (
    KIND_DEMO,
    current_returns,
    imported_unit,
    record_returns,
    store_kind,
)
from progress.tasks import TaskTables, lead_table, tasks_in_force
from progress.workbook import DEMO_MARK, file_name, write_template

EXPORT_COLUMNS = (
    "task_id",
    "quarter",
    "status",
    "percent",
    "light",
    "progress_text",
    "problems",
    "next_steps",
    "reported_by",
    "updated_at",
)
#: Written after the required columns: context a reader of the CSV needs.
EXPORT_EXTRA = (
    "lead_units",
    "units_missing",
    "deadline",
    "expected",
    "reported_status",
    "as_of",
    "note",
)


@functools.cache
def in_force(tables: TaskTables, quarter: Quarter) -> pd.DataFrame:
    """Tasks in force, memoised per data object and quarter (read-only)."""
    return tasks_in_force(tables, quarter)


def leads_in_force(tables: TaskTables, quarter: Quarter) -> pd.DataFrame:
    """(task_id, unit) lead pairs of the tasks in force."""
    leads = lead_table(tables)
    return leads[leads["task_id"].isin(in_force(tables, quarter)["task_id"])]


def quarter_status(
    tables: TaskTables, returns: pd.DataFrame, quarter: Quarter, book: RuleBook | None = None
) -> pd.DataFrame:
    """Every task in force in `quarter` with its status and light (last quarter's for 红转黄)."""
    book = book or load_rules()
    prev_q = quarter.previous()
    previous = assess_tasks(in_force(tables, prev_q), returns, prev_q, book)
    return assess_tasks(in_force(tables, quarter), returns, quarter, book, lights_by_task(previous))


def write_templates(
    tables: TaskTables, store: Store, quarter: Quarter, out_dir: Path
) -> list[tuple[str, Path, int]]:
    """One workbook per lead unit; returns (unit, path, number of tasks) per file written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = in_force(tables, quarter)
    leads = leads_in_force(tables, quarter)
    previous = current_returns(store, [quarter.previous()])
    demo = store_kind(store) == KIND_DEMO
    book = load_rules()
    written = []
    for unit, pairs in leads.groupby("unit", sort=True):
        mine = tasks[tasks["task_id"].isin(pairs["task_id"])]
        path = out_dir / file_name(str(unit), quarter)
        write_template(path, str(unit), quarter, mine, previous, book, demo=demo)
        written.append((str(unit), path, len(mine)))
    return written


@dataclass
class ImportReport:
    imported: list[tuple[Path, str, int, int]] = field(
        default_factory=list
    )  # path, unit, rows, changed
    unchanged: list[tuple[Path, str]] = field(default_factory=list)  # same file imported before
    rejected: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def import_files(
    tables: TaskTables, store: Store, paths: Sequence[Path], quarter: Quarter, *, entered_by: str
) -> ImportReport:
    """Check each workbook; import those with no problem, one transaction each."""
    book = load_rules()
    leads = leads_in_force(tables, quarter).groupby("task_id")["unit"].agg(frozenset)
    report = ImportReport()
    for path in paths:
        seen = _already_imported(store, Path(path), quarter)
        if seen is not None:  # the same bytes again: nothing to read, nothing changes
            report.unchanged.append((Path(path), seen))
            continue
        result = read_return(Path(path), quarter, leads, book)
        if result.problems:
            report.rejected.append(result.path)
            report.problems.extend(result.problems)
            continue
        try:
            written = record_returns(
                store,
                result.rows,
                quarter=quarter,
                entered_by=entered_by,
                source=result.path.name,
                unit=result.unit,
                digest=result.digest,
            )
        except StoreError as exc:
            report.rejected.append(result.path)
            report.problems.append(Problem(result.path.name, None, "", str(exc)))
            continue
        if written.already_imported:
            report.unchanged.append((result.path, result.unit))
        else:
            report.imported.append((result.path, result.unit, written.n_rows, written.n_changed))
    return report


def _already_imported(store: Store, path: Path, quarter: Quarter) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return imported_unit(store, digest, quarter)


def export_frame(tables: TaskTables, store: Store, quarter: Quarter) -> pd.DataFrame:
    """One row per task in force: the required columns, then context columns."""
    returns = current_returns(store, [quarter.previous(), quarter])
    status = quarter_status(tables, returns, quarter)
    demo = store_kind(store) == KIND_DEMO
    out = status.assign(
        quarter=str(quarter),
        as_of=f"{quarter.end:%Y-%m-%d}",
        note=DEMO_MARK if demo else "",
        percent=status["percent"].map(lambda p: "" if pd.isna(p) else f"{p:g}"),
        updated_at=status["updated_at"].map(
            lambda t: "" if pd.isna(t) else f"{t:%Y-%m-%d %H:%M:%S}"
        ),
        deadline=status["deadline"].map(lambda d: f"{d:%Y-%m-%d}"),
        lead_units=status["lead_units"].str.replace("|", "、", regex=False),
    )
    return out[list(EXPORT_COLUMNS + EXPORT_EXTRA)]


def write_csv(frame: pd.DataFrame, out: Path) -> None:
    """UTF-8 with BOM (Excel opens it as Chinese), every text cell neutralised, atomic."""
    if out.parent and not out.parent.is_dir():
        raise StoreError(f"{out}: folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow([neutralise(v) for v in row])
    tmp.replace(out)


def vanished_tasks(tables: TaskTables, store: Store) -> pd.DataFrame:
    """Stored returns whose task is no longer in the data folder (a rebuild dropped it).

    Their progress stays in the store; callers report them so nothing disappears silently.
    """
    returns = current_returns(store)
    gone = returns[~returns["task_id"].isin(tables.tasks["task_id"])]
    return (
        gone.groupby("task_id", sort=True)
        .agg(quarters=("quarter", lambda q: "、".join(sorted(set(q)))), units=("unit", "nunique"))
        .reset_index()
    )
