"""Where the store lives and how to open it: SQLite by default, PostgreSQL by URL.

The store is never inside the data folder: `task-atlas build` replaces that folder whole, and
progress must survive every rebuild. Default: ./task-atlas.db (beside ./data); override with
--db or $TASK_ATLAS_DB (a SQLAlchemy URL, a postgresql:// URL, or a plain file path).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DB_ENV = "TASK_ATLAS_DB"
DEFAULT_DB_FILE = Path("task-atlas.db")
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
WRITE_OPTION = "task_atlas_write"  # execution option marking a write transaction
_PG_MIGRATE_LOCK = 7_305_001  # advisory lock id: one migration at a time per PostgreSQL database


class StoreError(ValueError):
    """The store cannot be opened or would be misused; the message says which and why."""


def resolve_url(db: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """--db, else $TASK_ATLAS_DB, else ./task-atlas.db; a bare path means a SQLite file.

    The one resolver of the store's address: the progress commands, the 进度 view and the
    logins (access/, which keeps its tables in the same database) all call it, so `serve --db`
    and $TASK_ATLAS_DB name one store for everything. Plain postgresql:// gets psycopg 3.
    """
    env = os.environ if env is None else env
    value = (db or "").strip() or env.get(DB_ENV, "").strip() or str(DEFAULT_DB_FILE)
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL + busy timeout, and BEGIN IMMEDIATE for writes so two writers queue, not fail.

    pysqlite's own transaction handling is switched off (isolation_level None) so that the
    BEGIN below is the only one: a deferred transaction that later writes can fail with
    "database is locked" when another writer got in first, whatever the busy timeout.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # writers take the write lock up front; readers stay deferred and never block (WAL)
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).parent
            if not folder.is_dir():
                raise StoreError(f"{database}: folder {folder} does not exist")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _sqlite_pragmas(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise StoreError(f"unsupported store URL {describe_url(url)} (use sqlite or postgresql)")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (alembic upgrade head), one migrator at a time."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATE_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True, eq=False)
class Store:
    """An open store: the engine, a session factory for reads and one for writes."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    writers: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back whole on any error."""
        with self.writers.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(db: str | None = None, *, upgrade: bool = True) -> Store:
    """Open (and by default migrate) the store named by --db / $TASK_ATLAS_DB / the default."""
    url = resolve_url(db)
    engine = make_engine(url)
    try:
        if upgrade:
            migrate(engine)
    except Exception as exc:
        engine.dispose()
        if isinstance(exc, StoreError):
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StoreError(f"cannot open the progress store {describe_url(url)}: {first}") from exc
    writer = engine.execution_options(**{WRITE_OPTION: True})
    return Store(
        url,
        engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(writer, expire_on_commit=False),
    )
