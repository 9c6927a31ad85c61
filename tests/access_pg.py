"""A throwaway PostgreSQL cluster for the tests (initdb + pg_ctl on a free local port).

Runs the server as the invoking user, or, under root (which PostgreSQL refuses), as the
`postgres` system user, else `nobody`. Each test gets a fresh database in the one cluster.
Skips when the PostgreSQL binaries are missing (apt-get install postgresql-15).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("TASK_ATLAS_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "atlas"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> tuple[list[str], int | None, int | None]:
    """Command prefix and uid/gid to run PostgreSQL under (never root)."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        prefix = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
        return prefix, entry.pw_uid, entry.pw_gid
    pytest.skip("running as root and no unprivileged user for PostgreSQL")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    """URL of the cluster's `postgres` database, as the superuser `atlas` (trust auth)."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN}")
    prefix, uid, gid = _run_as()
    base = Path(tempfile.mkdtemp(prefix="task-atlas-access-pg-"))
    data = base / "data"
    if uid is not None and gid is not None:
        os.chown(base, uid, gid)
    port = _free_port()

    def run(*argv: str) -> None:
        subprocess.run([*prefix, *argv], check=True, capture_output=True, timeout=120)

    run(str(PG_BIN / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w",
        "start")  # fmt: skip
    try:
        yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: str) -> Iterator[str]:
    """A fresh, empty database in the throwaway cluster, dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
