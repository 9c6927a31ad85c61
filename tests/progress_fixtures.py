"""Fixtures for the progress tests: a fresh store on SQLite and on a throwaway PostgreSQL.

The PostgreSQL cluster is started once per test session with the machine's own initdb and
pg_ctl (PostgreSQL 15, `apt-get install postgresql`, which dev.sh does) on a free port in a
temporary folder, and stopped afterwards. As root the server runs as the `postgres` user
(PostgreSQL refuses to run as root).
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
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from progress.db import Store, open_store

PG_BIN = Path(os.environ.get("TASK_ATLAS_PG_BIN", "/usr/lib/postgresql/15/bin"))
ATLAS_FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--", *cmd]
    raise PostgresMissing("running as root and no postgres/nobody user to run PostgreSQL as")


def _server_uid() -> int | None:
    if os.geteuid() != 0:
        return None
    for user in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(user).pw_uid
        except KeyError:
            continue
    return None


class PostgresMissing(RuntimeError):
    """No PostgreSQL binaries (or no user to run them as) on this machine."""


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a PostgreSQL cluster in a temporary folder on a free port; yield its URL; remove it."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        raise PostgresMissing(
            f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql)"
        )
    # not pytest's tmp_path: its parents are private to root, and the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="task-atlas-pg-"))
    root.chmod(0o777)
    uid = _server_uid()
    if uid is not None:
        os.chown(root, uid, -1)
    data, port = root / "cluster", _free_port()

    def run(cmd: list[str]) -> None:
        subprocess.run(_as_server_user(cmd), check=True, capture_output=True, timeout=120, cwd=root)

    try:
        run(
            [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        pg_ctl = str(PG_BIN / "pg_ctl")
        run([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"])
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a throwaway PostgreSQL server (superuser postgres, trust auth, localhost only)."""
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresMissing as exc:
        pytest.skip(str(exc))


def fresh_pg_database(server_url: str) -> str:
    """A new empty database on the server; its URL."""
    name = f"atlas_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store URL: a SQLite file, then a new database on the test PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'progress.db'}"
    return fresh_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'progress.db'}")
    yield opened
    opened.close()


#: Extra lead (a task led by two units) and a stated deadline added to the dashboard fixture.
CO_LEAD_TASK, CO_LEAD_UNIT = "wr2024-2.2.4", "市科技局"
DEADLINE_TASK = "wr2024-2.1.3"


@pytest.fixture
def atlas_dir(tmp_path: Path) -> Path:
    """The small dashboard data folder, plus a task with two lead units and a stated 完成时限."""
    import pandas as pd

    out = tmp_path / "data"
    shutil.copytree(ATLAS_FIXTURE, out)
    units = pd.read_csv(out / "task_units.csv", dtype=str, keep_default_na=False)
    extra = {"task_id": CO_LEAD_TASK, "unit_raw": CO_LEAD_UNIT, "unit": CO_LEAD_UNIT}
    units.loc[len(units)] = {**extra, "unit_kind": "municipal", "role": "lead"}
    units.to_csv(out / "task_units.csv", index=False)
    tasks = pd.read_csv(out / "tasks.csv", dtype=str, keep_default_na=False)
    row = tasks["task_id"] == DEADLINE_TASK
    tasks.loc[row, "text"] = tasks.loc[row, "text"] + ",2024年6月底前完成"
    tasks.to_csv(out / "tasks.csv", index=False)
    return out


def fill_workbook(path: Path, values: dict[str, dict[str, object]]) -> None:
    """Fill a template as a unit would: task id → {column title: value}."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["任务进度"]
    titles = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        task_id = row[0].value
        for title, value in values.get(str(task_id), {}).items():
            row[titles.index(title)].value = value
    wb.save(path)
