"""The store's small interface: write returns (each write logged), read current returns and history.

Commands, the dashboard and tests call these; none of them writes SQL itself. Every write
takes `entered_by` (who did it) and `source` (the file or "edit"), runs in one transaction,
and appends one change-log row per return it changes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from progress.db import Store, StoreError
from progress.models import ChangeLog, ImportBatch, ProgressReturn
from progress.quarters import Quarter

#: Columns of the frames `current_returns` and `return_history` give.
RETURN_COLUMNS = (
    "id",
    "task_id",
    "quarter",
    "unit",
    "status",
    "percent",
    "progress_text",
    "problems",
    "next_steps",
    "evidence",
    "as_of",
    "entered_by",
    "source",
    "is_demo",
    "created_at",
)
KIND_EMPTY, KIND_REAL, KIND_DEMO = "empty", "real", "demo"


@dataclass(frozen=True)
class ReturnRow:
    """One unit's return on one task: what a workbook row or an edit carries."""

    task_id: str
    unit: str
    status: str
    percent: float | None
    progress_text: str = ""
    problems: str = ""
    next_steps: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class WriteResult:
    n_rows: int
    n_changed: int
    already_imported: bool = False


def _content(row: ProgressReturn | ReturnRow) -> dict[str, object]:
    fields = ("status", "percent", "progress_text", "problems", "next_steps", "evidence")
    return {f: getattr(row, f) for f in fields}


def store_kind(store: Store) -> str:
    """ "empty", "real" or "demo": demonstration returns never share a store with real ones."""
    with store.sessions() as session:
        return _kind(session)


def _kind(session: Session) -> str:
    if session.scalar(select(exists().where(ProgressReturn.is_demo.is_(False)))):
        return KIND_REAL
    if session.scalar(select(exists().where(ProgressReturn.is_demo.is_(True)))):
        return KIND_DEMO
    return KIND_EMPTY


def _check_kind(session: Session, is_demo: bool) -> None:
    kind = _kind(session)
    if is_demo and kind == KIND_REAL:
        raise StoreError("this store holds real returns; demonstration data goes in its own --db")
    if not is_demo and kind == KIND_DEMO:
        raise StoreError(
            "this store holds demonstration data (演示数据); import real returns into another "
            "--db, or delete the demo store file first"
        )


def _latest_of(
    session: Session, quarter: str, units: set[str]
) -> dict[tuple[str, str], ProgressReturn]:
    """The current return per (task, unit) of `units` in `quarter`, in one query."""
    latest = (
        select(func.max(ProgressReturn.id))
        .where(ProgressReturn.quarter == quarter, ProgressReturn.unit.in_(sorted(units)))
        .group_by(ProgressReturn.task_id, ProgressReturn.unit)
    )
    rows = session.scalars(select(ProgressReturn).where(ProgressReturn.id.in_(latest)))
    return {(r.task_id, r.unit): r for r in rows}


def record_returns(
    store: Store,
    rows: Sequence[ReturnRow],
    *,
    quarter: Quarter,
    entered_by: str,
    source: str,
    unit: str = "",
    digest: str | None = None,
    is_demo: bool = False,
    action: str = "import",
) -> WriteResult:
    """Write a batch of returns in one transaction; unchanged returns are not written again.

    With a `digest` (a workbook's sha256) the batch is recorded once: the same file imported
    again, even by two processes at once, changes nothing.
    """
    now = datetime.now(UTC)
    try:
        with store.transaction() as session:
            _check_kind(session, is_demo)
            if digest and session.scalar(
                select(ImportBatch.id).where(
                    ImportBatch.digest == digest, ImportBatch.quarter == str(quarter)
                )
            ):
                return WriteResult(len(rows), 0, already_imported=True)
            batch = ImportBatch(
                digest=digest or f"{action}:{uuid.uuid4().hex}",  # never collides
                quarter=str(quarter),
                unit=unit,
                file_name=source[:500],
                entered_by=entered_by,
                imported_at=now,
                n_rows=len(rows),
                n_changed=0,
                is_demo=is_demo,
            )
            session.add(batch)
            session.flush()
            latest = _latest_of(session, str(quarter), {r.unit for r in rows})
            changed = sum(
                _write_one(session, r, latest, quarter, entered_by, source, batch, action, now)
                for r in rows
            )
            batch.n_changed = changed
    except IntegrityError:  # the same workbook committed by another process a moment ago
        return WriteResult(len(rows), 0, already_imported=True)
    return WriteResult(len(rows), changed)


def _write_one(
    session: Session,
    row: ReturnRow,
    latest: dict[tuple[str, str], ProgressReturn],
    quarter: Quarter,
    entered_by: str,
    source: str,
    batch: ImportBatch,
    action: str,
    now: datetime,
) -> bool:
    before = latest.get((row.task_id, row.unit))
    if before is not None and _content(before) == _content(row):
        return False
    latest[(row.task_id, row.unit)] = new = ProgressReturn(
        **asdict(row),
        quarter=str(quarter),
        as_of=quarter.end,
        entered_by=entered_by,
        source=source[:500],
        import_id=batch.id,
        is_demo=batch.is_demo,
        created_at=now,
    )
    session.add(new)
    session.add(
        ChangeLog(
            at=now,
            entered_by=entered_by,
            action=action,
            task_id=row.task_id,
            quarter=str(quarter),
            unit=row.unit,
            before=None if before is None else json.dumps(_content(before), ensure_ascii=False),
            after=json.dumps(_content(row), ensure_ascii=False),
            source=source[:500],
        )
    )
    return True


def imported_unit(store: Store, digest: str, quarter: Quarter) -> str | None:
    """The unit of a workbook with this digest already imported for `quarter`, else None."""
    with store.sessions() as session:
        query = select(ImportBatch.unit).where(
            ImportBatch.digest == digest, ImportBatch.quarter == str(quarter)
        )
        return session.scalar(query)


def record_edit(
    store: Store, row: ReturnRow, *, quarter: Quarter, entered_by: str, note: str = "edit"
) -> WriteResult:
    """One correction typed in by a person (the browser form of issue 11 calls this)."""
    return record_returns(
        store,
        [row],
        quarter=quarter,
        entered_by=entered_by,
        source=note,
        unit=row.unit,
        action="edit",
    )


def _frame(rows: Iterable[ProgressReturn]) -> pd.DataFrame:
    records = [{c: getattr(r, c) for c in RETURN_COLUMNS} for r in rows]
    return pd.DataFrame(records, columns=list(RETURN_COLUMNS))


def current_returns(store: Store, quarters: Sequence[Quarter] | None = None) -> pd.DataFrame:
    """The latest return per (quarter, task, unit), for the given quarters or all.

    Read as plain column tuples, not ORM objects: building ~50k mapped objects took seconds
    and the dashboard re-reads a quarter after every import.
    """
    latest = select(func.max(ProgressReturn.id)).group_by(
        ProgressReturn.quarter, ProgressReturn.task_id, ProgressReturn.unit
    )
    if quarters is not None:
        latest = latest.where(ProgressReturn.quarter.in_([str(q) for q in quarters]))
    columns = [getattr(ProgressReturn, c) for c in RETURN_COLUMNS]
    query = select(*columns).where(ProgressReturn.id.in_(latest)).order_by(ProgressReturn.id)
    with store.sessions() as session:
        rows = [tuple(r) for r in session.execute(query)]
    return pd.DataFrame.from_records(rows, columns=list(RETURN_COLUMNS))


def store_version(store: Store) -> int | None:
    """The newest change-log id: every write appends one, so any change moves it (one cheap
    query a request can afford)."""
    with store.sessions() as session:
        return session.scalar(select(func.max(ChangeLog.id)))


def quarter_versions(store: Store) -> dict[str, int]:
    """Quarter → its newest change-log id: which quarters a write touched (read on a change)."""
    query = select(ChangeLog.quarter, func.max(ChangeLog.id)).group_by(ChangeLog.quarter)
    with store.sessions() as session:
        return {str(q): int(v) for q, v in session.execute(query)}


def return_history(store: Store, task_id: str) -> pd.DataFrame:
    """Every return ever written for a task, superseded ones included, oldest first."""
    query = select(ProgressReturn).where(ProgressReturn.task_id == task_id)
    with store.sessions() as session:
        return _frame(session.scalars(query.order_by(ProgressReturn.id)))


def change_log(store: Store, limit: int | None = None) -> pd.DataFrame:
    """The change log, newest first."""
    query = select(ChangeLog).order_by(ChangeLog.id.desc()).limit(limit)
    cols = ("id", "at", "entered_by", "action", "task_id", "quarter", "unit", "before", "after")
    with store.sessions() as session:
        rows = [{c: getattr(r, c) for c in (*cols, "source")} for r in session.scalars(query)]
    return pd.DataFrame(rows, columns=[*cols, "source"])


def reported_quarters(store: Store) -> list[str]:
    with store.sessions() as session:
        found = session.scalars(select(ProgressReturn.quarter).distinct())
        return sorted(found)


def as_of_date(frame: pd.DataFrame) -> date | None:
    """The newest as-of date among returns, for the "as of" note."""
    return None if frame.empty else max(frame["as_of"])
