"""The user store and logins on a real PostgreSQL server (a throwaway cluster per test run)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from access.db import make_engine
from access.migrate import VERSION_TABLE, SchemaState, schema_state, upgrade
from access.roles import Role
from access.store import MAX_FAILURES_PER_NAME, LoginOutcome, UserError, UserStore
from access.web import COOKIE_NAME
from cli.main import main
from dashboard.serve import create_server
from tests.access_helpers import FIXTURE, PASSWORD, SECRET, cheap_hashes, login
from tests.access_pg import pg_cluster, pg_url

__all__ = ["cheap_hashes", "pg_cluster", "pg_url"]  # fixtures
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def pg_store(pg_url: str, cheap_hashes: None) -> Iterator[UserStore]:
    engine = make_engine(pg_url)
    upgrade(engine)
    store = UserStore(engine)
    store.add("root", Role.ADMIN, PASSWORD, actor="test")
    store.add("keji", Role.REPORTER, PASSWORD, unit="市科技局", actor="test")
    yield store
    engine.dispose()


def test_migrations_beside_another_alembic_history(pg_url: str) -> None:
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("create table alembic_version (version_num varchar(32) primary key)"))
        conn.execute(text("insert into alembic_version values ('progress0007')"))
    assert schema_state(engine) is SchemaState.MISSING
    upgrade(engine)
    upgrade(engine)
    assert schema_state(engine) is SchemaState.CURRENT
    assert {"access_users", VERSION_TABLE, "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )
    with engine.connect() as conn:
        assert (
            conn.execute(text("select version_num from alembic_version")).scalar() == "progress0007"
        )
    engine.dispose()


def test_store_on_postgres(pg_store: UserStore) -> None:
    assert [(a.name, a.role, a.unit) for a in pg_store.all()] == [
        ("keji", Role.REPORTER, "市科技局"),
        ("root", Role.ADMIN, None),
    ]
    with pytest.raises(UserError, match="already exists"):
        pg_store.add("keji", Role.VIEWER, PASSWORD, actor="test")
    outcome, account = pg_store.login("keji", PASSWORD, "10.0.0.1", now=NOW)
    assert outcome is LoginOutcome.OK and account is not None
    pg_store.set_password("keji", "another passphrase", actor="root")
    assert pg_store.load_session(account.get_id()) is None


def test_rate_limit_shared_by_two_engines(pg_store: UserStore) -> None:
    other = UserStore(make_engine(str(pg_store.engine.url.render_as_string(hide_password=False))))
    for i in range(MAX_FAILURES_PER_NAME):
        (pg_store if i % 2 else other).login("root", "guess", f"10.1.0.{i}", now=NOW)
    assert other.login("root", PASSWORD, "10.1.1.1", now=NOW)[0] is LoginOutcome.LIMITED
    other.engine.dispose()


def test_cli_against_postgres(pg_url: str, cheap_hashes: None, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import io

    monkeypatch.setenv("TASK_ATLAS_DB", pg_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "office", "--role", "editor", "--password-stdin"]) == 0
    assert main(["users", "list"]) == 0
    assert "office\teditor\t-\tactive" in capsys.readouterr().out


def test_two_workers_share_sessions_and_the_store(
    pg_store: UserStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two create_server calls (two gunicorn workers) on one PostgreSQL, one secret."""
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    url = pg_store.engine.url.render_as_string(hide_password=False)
    first = create_server(str(FIXTURE), db=url, require_login=True, secure_cookies=False)
    second = create_server(str(FIXTURE), db=url, require_login=True, secure_cookies=False)
    one, two = first.test_client(), second.test_client()
    assert login(one, "root") == 303
    cookie = one.get_cookie(COOKIE_NAME)
    assert cookie is not None
    two.set_cookie(COOKIE_NAME, cookie.value)
    assert two.get("/admin/users").status_code == 200
    added = two.post(
        "/admin/users",
        json={"name": "guest", "role": "viewer", "password": PASSWORD},
        headers={"Origin": "http://localhost"},
    )
    assert added.status_code == 201
    assert login(first.test_client(), "guest") == 303  # the first worker sees the new user
    assert login(two, "keji") == 303
    assert two.get("/admin/users").status_code == 403
