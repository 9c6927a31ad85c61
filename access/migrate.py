"""Alembic for the access tables: their own script folder and version table.

`upgrade(engine)` brings a database to head; `schema_state(engine)` tells a server whether it
may use the tables (servers never migrate: several gunicorn workers would race).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

VERSION_TABLE = "alembic_version_access"
SCRIPTS = Path(__file__).resolve().parent / "migrations"


class SchemaState(StrEnum):
    MISSING = "missing"  # no access tables yet: nobody can log in
    CURRENT = "current"
    OUTDATED = "outdated"  # run a `task-atlas users` command to upgrade


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    return ScriptDirectory.from_config(config).get_current_head()


def upgrade(engine: Engine) -> None:
    command.upgrade(_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def schema_state(engine: Engine) -> SchemaState:
    current = current_revision(engine)
    if current is None:
        return SchemaState.MISSING
    return SchemaState.CURRENT if current == head_revision() else SchemaState.OUTDATED
