"""Alembic environment of the access tables (own version table: alembic_version_access)."""

from __future__ import annotations

from alembic import context

from access.db import make_engine
from access.migrate import VERSION_TABLE
from access.model import Base

config = context.config
engine = config.attributes.get("engine") or make_engine(
    config.get_main_option("sqlalchemy.url", "")
)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()
