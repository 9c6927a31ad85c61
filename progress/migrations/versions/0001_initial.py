"""The progress store: imports, returns (with history) and the append-only change log.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("quarter", sa.String(8), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("entered_by", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column("n_changed", sa.Integer, nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.UniqueConstraint("digest", "quarter", name="uq_import_digest_quarter"),
    )
    op.create_table(
        "progress_returns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.String(64), nullable=False, index=True),
        sa.Column("quarter", sa.String(8), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("percent", sa.Float, nullable=True),
        sa.Column("progress_text", sa.Text, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
        sa.Column("next_steps", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("entered_by", sa.String(200), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("progress_imports.id"), nullable=True),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_returns_key", "progress_returns", ["quarter", "task_id", "unit"])
    op.create_table(
        "progress_change_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("entered_by", sa.String(200), nullable=False, index=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("task_id", sa.String(64), nullable=False, index=True),
        sa.Column("quarter", sa.String(8), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("progress_change_log")
    op.drop_index("ix_returns_key", "progress_returns")
    op.drop_table("progress_returns")
    op.drop_table("progress_imports")
