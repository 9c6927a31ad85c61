"""Engines that behave well for the access tables; where the store is comes from progress.

The access tables share the database of the progress store, so its address is resolved by the
one function `progress.db.resolve_url` (`--db` > TASK_ATLAS_DB > ./task-atlas.db).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 5000


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, None for other databases or an in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine for `url`; plain `postgresql://` uses psycopg 3, SQLite gets WAL and a timeout.

    Raises ValueError for a URL SQLAlchemy cannot read.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError; keep the message one line
        raise ValueError(f"not a database URL: {url!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    # hide_parameters: an error message never carries a bound value (a password hash, a name)
    engine = create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # writers wait, not fail
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
