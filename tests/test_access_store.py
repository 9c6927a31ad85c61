"""The user store on a real SQLite file: accounts, sessions, rate limit, migrations, the CLI."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from access.db import make_engine
from access.migrate import VERSION_TABLE, SchemaState, schema_state, upgrade
from access.model import User
from access.roles import Role
from access.store import (
    MAX_FAILURES_PER_IP,
    MAX_FAILURES_PER_NAME,
    LoginOutcome,
    UserError,
    UserStore,
)
from cli.main import main
from tests.access_helpers import ACCOUNTS, FIXTURE, PASSWORD, cheap_hashes, db_url, populated, store

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_add_and_list_never_carry_the_hash(populated: UserStore) -> None:
    accounts = populated.all()
    assert [(a.name, a.role, a.unit) for a in accounts] == sorted(
        ACCOUNTS, key=lambda row: str(row[0])
    )
    assert all(a.active and a.session_version == 0 for a in accounts)
    assert not any("$argon2" in repr(a) for a in accounts)
    with populated.engine.connect() as conn:
        hashes = conn.execute(text("select password_hash from access_users")).scalars().all()
    assert len(hashes) == 5 and all(h.startswith("$argon2id$") for h in hashes)
    assert PASSWORD not in " ".join(hashes)
    user = User(name="x", role="viewer", password_hash="$argon2id$secret")
    assert "argon2" not in repr(user)


def test_duplicate_and_bad_names_are_refused(populated: UserStore) -> None:
    with pytest.raises(UserError, match="'root' already exists"):
        populated.add("root", Role.VIEWER, PASSWORD, actor="test")
    with pytest.raises(UserError, match="invalid user name"):
        populated.add("two words", Role.VIEWER, PASSWORD, actor="test")
    assert populated.add("张三", Role.VIEWER, PASSWORD, actor="test").name == "张三"
    assert populated.count() == 6


def test_login_outcomes(populated: UserStore) -> None:
    outcome, account = populated.login("keji", PASSWORD, "10.0.0.1", now=NOW)
    assert outcome is LoginOutcome.OK and account is not None and account.unit == "市科技局"
    assert populated.login("keji", "wrong password", "10.0.0.1", now=NOW)[0] is LoginOutcome.FAILED
    assert populated.login("nobody", PASSWORD, "10.0.0.1", now=NOW)[0] is LoginOutcome.FAILED


def test_disable_ends_sessions_and_login(populated: UserStore) -> None:
    token = populated.login("guest", PASSWORD, "10.0.0.1")[1]
    assert token is not None and populated.load_session(token.get_id()) == token
    populated.disable("guest", actor="root")
    assert populated.load_session(token.get_id()) is None
    assert populated.login("guest", PASSWORD, "10.0.0.1")[0] is LoginOutcome.FAILED
    assert [e[1:4] for e in populated.events()][-1] == ("root", "disable", "guest")


def test_password_change_ends_earlier_sessions(populated: UserStore) -> None:
    account = populated.login("office", PASSWORD, "10.0.0.1")[1]
    assert account is not None
    populated.set_password("office", "a new passphrase", actor="office")
    assert populated.load_session(account.get_id()) is None
    assert populated.login("office", PASSWORD, "10.0.0.1")[0] is LoginOutcome.FAILED
    fresh = populated.login("office", "a new passphrase", "10.0.0.1")[1]
    assert fresh is not None and populated.load_session(fresh.get_id()) == fresh


@pytest.mark.parametrize("token", ["", "1", "x.0", "1.x", "99.0", "1.1.1"])
def test_forged_session_tokens_load_nobody(populated: UserStore, token: str) -> None:
    assert populated.load_session(token) is None


def test_last_admin_cannot_be_disabled(populated: UserStore) -> None:
    with pytest.raises(UserError, match="last active admin"):
        populated.disable("root", actor="root")
    populated.add("root2", Role.ADMIN, PASSWORD, actor="root")
    assert not populated.disable("root", actor="root2").active


def test_rate_limit_per_name_then_released_after_the_window(populated: UserStore) -> None:
    for i in range(MAX_FAILURES_PER_NAME):
        assert populated.login("office", "guess", f"10.0.1.{i}", now=NOW)[0] is LoginOutcome.FAILED
    # even the right password is not checked while the name is limited
    assert populated.login("office", PASSWORD, "10.0.2.1", now=NOW)[0] is LoginOutcome.LIMITED
    assert populated.login("keji", PASSWORD, "10.0.2.1", now=NOW)[0] is LoginOutcome.OK
    later = NOW + timedelta(minutes=1, seconds=1)
    assert populated.login("office", PASSWORD, "10.0.2.1", now=later)[0] is LoginOutcome.OK


def test_rate_limit_per_address(populated: UserStore) -> None:
    for i in range(MAX_FAILURES_PER_IP):
        populated.login(f"spray{i}", "guess", "203.0.113.9", now=NOW)
    assert populated.login("keji", PASSWORD, "203.0.113.9", now=NOW)[0] is LoginOutcome.LIMITED
    assert populated.login("keji", PASSWORD, "203.0.113.10", now=NOW)[0] is LoginOutcome.OK


def test_rate_limit_is_shared_by_two_stores_on_one_database(populated: UserStore) -> None:
    """Two gunicorn workers are two engines on one database: the count is shared."""
    other = UserStore(make_engine(str(populated.engine.url)))
    for i in range(MAX_FAILURES_PER_NAME):
        (populated if i % 2 else other).login("root", "guess", f"10.9.0.{i}", now=NOW)
    assert other.login("root", PASSWORD, "10.9.1.1", now=NOW)[0] is LoginOutcome.LIMITED


def test_login_rehashes_old_parameters(
    populated: UserStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2 import PasswordHasher

    import access.passwords

    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(access.passwords, "HASHER", stronger)
    assert populated.login("guest", PASSWORD, "10.0.0.1")[0] is LoginOutcome.OK
    with populated.engine.connect() as conn:
        stored = conn.execute(text("select password_hash from access_users where name='guest'"))
        new_hash = stored.scalar_one()
    assert "t=2" in new_hash and not stronger.check_needs_rehash(new_hash)
    assert populated.login("guest", PASSWORD, "10.0.0.1")[0] is LoginOutcome.OK


def test_migrations_keep_their_own_version_table(db_url: str) -> None:
    """Another Alembic history (the progress store's) in the same database is left alone."""
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("create table alembic_version (version_num varchar(32) primary key)"))
        conn.execute(text("insert into alembic_version values ('progress0007')"))
    assert schema_state(engine) is SchemaState.MISSING
    upgrade(engine)
    upgrade(engine)  # twice: nothing to do
    assert schema_state(engine) is SchemaState.CURRENT
    tables = set(inspect(engine).get_table_names())
    assert {"access_users", "access_login_attempts", "access_events", VERSION_TABLE} <= tables
    with engine.connect() as conn:
        assert (
            conn.execute(text("select version_num from alembic_version")).scalar() == "progress0007"
        )
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert ctx.get_current_revision() == "a0001"
        assert conn.execute(text("pragma journal_mode")).scalar() == "wal"


# --- the command line ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_data_folder_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder: no ./data to check units against unless a test passes --data."""
    monkeypatch.chdir(tmp_path)


def _users(db: str, *argv: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["users", "--db", db, *argv])


def test_cli_round_trip(
    db_url: str,
    cheap_hashes: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    run = lambda *a, stdin="": _users(db_url, *a, stdin=stdin, monkeypatch=monkeypatch)  # noqa: E731
    assert run("add", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert (
        run(
            "add",
            "keji",
            "--role",
            "reporter",
            "--unit",
            "市科技局",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        == 0
    )
    assert run("list") == 0
    assert run("passwd", "keji", "--password-stdin", stdin="another passphrase\n") == 0
    assert run("disable", "keji") == 0
    out = capsys.readouterr().out
    assert "root\tadmin\t-\tactive" in out and "keji\treporter\t市科技局\tactive" in out
    assert run("list") == 0
    assert "keji\treporter\t市科技局\tdisabled" in capsys.readouterr().out
    everything = out + capsys.readouterr().err + caplog.text
    assert "$argon2" not in everything and PASSWORD not in everything


@pytest.mark.parametrize(
    ("argv", "stdin", "code", "message"),
    [
        (["add", "x", "--role", "boss"], "", 2, "unknown role 'boss'"),
        (["add", "x", "--role", "reporter"], "", 2, "reporter needs --unit"),
        (
            ["add", "x", "--role", "viewer", "--unit", "市科技局"],
            "",
            2,
            "only applies to reporters",
        ),
        (
            ["add", "root", "--role", "viewer", "--password-stdin"],
            "whatever1\n",
            1,
            "'root' already exists",
        ),
        (
            ["add", "new", "--role", "viewer", "--password-stdin"],
            "short\n",
            1,
            "password too short",
        ),
        (["add", "new", "--role", "viewer", "--password-stdin"], "", 1, "password too short"),
        (["add", "bad name", "--role", "viewer", "--password-stdin"], "", 1, "invalid user name"),
        (["disable", "nobody"], "", 1, "no user 'nobody'"),
        (["disable", "root"], "", 1, "last active admin"),
        (["passwd", "nobody", "--password-stdin"], "whatever12\n", 1, "no user 'nobody'"),
    ],
)
def test_cli_refusals_are_one_line(
    db_url: str,
    cheap_hashes: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    code: int,
    message: str,
) -> None:
    _users(
        db_url,
        "add",
        "root",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORD + "\n",
        monkeypatch=monkeypatch,
    )
    capsys.readouterr()
    assert _users(db_url, *argv, stdin=stdin, monkeypatch=monkeypatch) == code
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_prompts_twice_and_refuses_a_mismatch(
    db_url: str,
    cheap_hashes: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "--db", db_url, "add", "root", "--role", "admin"]) == 1
    assert "the two passwords differ" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert main(["users", "add", "root", "--role", "admin", "--db", db_url]) == 0


def test_cli_password_is_not_an_option(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["users", "--db", db_url, "add", "root", "--role", "admin", "--password", PASSWORD])
    assert exit_info.value.code == 2


def test_cli_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "--db", "postgresql://atlas@127.0.0.1:9/atlas", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("task-atlas users: error: store error:") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("unit", "extra", "code", "message"),
    [
        ("市科技", [], 1, "unit '市科技' leads no task in the data (did you mean 市科技局"),
        ("市科技", ["--allow-unknown-unit"], 0, "added keji: reporter"),
        ("市科技局", [], 0, "added keji: reporter 牵头单位填报人（市科技局）"),
    ],
)
def test_cli_checks_a_reporters_unit_against_the_task_table(
    db_url: str,
    cheap_hashes: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    unit: str,
    extra: list[str],
    code: int,
    message: str,
) -> None:
    argv = ["add", "keji", "--role", "reporter", "--unit", unit, "--data", str(FIXTURE)]
    assert _users(db_url, *argv, *extra, "--password-stdin", stdin=PASSWORD + "\n",
                  monkeypatch=monkeypatch) == code  # fmt: skip
    captured = capsys.readouterr()
    assert message in (captured.out if code == 0 else captured.err)


def test_cli_names_a_data_folder_without_a_task_table(
    db_url: str, cheap_hashes: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    argv = ["add", "keji", "--role", "reporter", "--unit", "市科技局", "--data", str(tmp_path)]
    assert _users(db_url, *argv, "--password-stdin", stdin=PASSWORD + "\n",
                  monkeypatch=monkeypatch) == 1  # fmt: skip
    assert "no task table (tasks.csv) in" in capsys.readouterr().err


def test_without_a_task_table_any_unit_is_accepted(tmp_path: Path) -> None:
    from access.units import check_lead_unit, lead_units_in

    assert lead_units_in(tmp_path) is None
    check_lead_unit("任何单位", None)
    assert "市科技局" in (lead_units_in(FIXTURE) or set())
    assert "市科技局|东湖高新区管委会" not in (lead_units_in(FIXTURE) or set())


def test_concurrent_logins_on_sqlite_lose_nothing_and_never_lock(populated: UserStore) -> None:
    """Several workers failing logins at once on one SQLite file (WAL, busy timeout)."""
    from concurrent.futures import ThreadPoolExecutor

    url = str(populated.engine.url)
    stores = [UserStore(make_engine(url)) for _ in range(4)]

    def attempt(i: int) -> LoginOutcome:
        return stores[i % 4].login(f"user{i % 8}", "guess", f"10.7.{i}.1", now=NOW)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(40)))
    assert set(outcomes) == {LoginOutcome.FAILED}  # 5 per name: none limited, none lost
    with populated.engine.connect() as conn:
        assert conn.execute(text("select count(*) from access_login_attempts")).scalar() == 40
