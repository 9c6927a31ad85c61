"""The store's tables as SQLAlchemy 2 typed mappings (the schema itself is made by migrations)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ImportBatch(Base):
    """One workbook (or demo fill) written in one transaction; its digest makes re-import no-op."""

    __tablename__ = "progress_imports"
    __table_args__ = (UniqueConstraint("digest", "quarter", name="uq_import_digest_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    quarter: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(500))
    entered_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    n_rows: Mapped[int]
    n_changed: Mapped[int]
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class ProgressReturn(Base):
    """One unit's return for one task in one quarter; later rows supersede, none is deleted."""

    __tablename__ = "progress_returns"
    __table_args__ = (Index("ix_returns_key", "quarter", "task_id", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    quarter: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    percent: Mapped[float | None] = mapped_column(Float)
    progress_text: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    as_of: Mapped[date] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("progress_imports.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChangeLog(Base):
    """Append-only: who changed which task's return, when, from what to what, and from where.

    Written by every store write; the audit view (issue 11) reads it. Nothing updates or
    deletes its rows.
    """

    __tablename__ = "progress_change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    entered_by: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(16))  # import | edit | demo
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    quarter: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(Text)  # JSON of the superseded return, if any
    after: Mapped[str] = mapped_column(Text)  # JSON of the new return
    source: Mapped[str] = mapped_column(String(500))
