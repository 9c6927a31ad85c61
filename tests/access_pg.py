"""The access tests' PostgreSQL: the ONE throwaway cluster of tests/progress_fixtures.py.

`pg_cluster` is that session's `pg_server` (so the progress and access suites share one
initdb + pg_ctl per run), spelt as a plain postgresql:// URL for psycopg; each test gets a
fresh database in it (`pg_url`), dropped afterwards. Skips when PostgreSQL is missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def pg_cluster(pg_server: str) -> str:
    """URL of the shared cluster's `postgres` database (superuser, trust auth, localhost)."""
    return pg_server.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def pg_url(pg_cluster: str) -> Iterator[str]:
    """A fresh, empty database in the shared cluster, dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
