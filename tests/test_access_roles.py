"""Roles, write rights, password hashing, and where the store and the secret come from."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from access.config import (
    AccessConfigError,
    is_loopback,
    local_secret_path,
    resolve_secret,
)
from access.db import sqlite_path
from access.passwords import hash_password, verify_password
from access.roles import ROLE_RIGHTS, Right, Role, can_write_task, check_unit, parse_role
from progress.db import DEFAULT_DB_FILE
from progress.db import resolve_url as resolve_db_url
from tests.access_helpers import CHEAP


@dataclass(frozen=True)
class Who:
    role: Role
    unit: str | None = None


LEADS = ["市科技局", "东湖高新区管委会"]


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        (Who(Role.EDITOR), True),
        (Who(Role.REPORTER, "市科技局"), True),  # leads the task
        (Who(Role.REPORTER, "东湖高新区管委会"), True),  # co-lead
        (Who(Role.REPORTER, "市生态环境局"), False),  # another unit
        (Who(Role.REPORTER, None), False),
        (Who(Role.VIEWER), False),
        (Who(Role.ADMIN), False),  # manages accounts, not data
        (None, False),  # anonymous
    ],
)
def test_can_write_task(user: Who | None, allowed: bool) -> None:
    assert can_write_task(user, LEADS) is allowed


def test_reporter_match_is_exact_not_a_substring() -> None:
    assert not can_write_task(Who(Role.REPORTER, "市科技"), ["市科技局"])
    assert not can_write_task(Who(Role.REPORTER, "市科技局"), [])


def test_every_role_has_a_rights_row_and_only_admin_manages_users() -> None:
    assert set(ROLE_RIGHTS) == set(Role)
    assert [r for r in Role if Right.MANAGE_USERS in ROLE_RIGHTS[r]] == [Role.ADMIN]
    assert ROLE_RIGHTS[Role.VIEWER] == frozenset()


def test_parse_role_is_forgiving_about_case_and_strict_about_names() -> None:
    assert parse_role(" Editor ") is Role.EDITOR
    with pytest.raises(ValueError, match="unknown role 'boss' \\(choose admin, editor"):
        parse_role("boss")


def test_unit_rules() -> None:
    assert check_unit(Role.REPORTER, " 市科技局 ") == "市科技局"
    assert check_unit(Role.EDITOR, "  ") is None
    with pytest.raises(ValueError, match="reporter needs --unit"):
        check_unit(Role.REPORTER, None)
    with pytest.raises(ValueError, match="only applies to reporters"):
        check_unit(Role.VIEWER, "市科技局")


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first, second = hash_password("correct horse", CHEAP), hash_password("correct horse", CHEAP)
    assert first.startswith("$argon2id$") and first != second  # a fresh salt each time
    assert verify_password(first, "correct horse", CHEAP).ok
    assert not verify_password(first, "correct horsE", CHEAP).ok
    assert not verify_password(None, "anything", CHEAP).ok  # unknown user
    assert not verify_password("not a hash", "anything", CHEAP).ok


def test_password_rules() -> None:
    with pytest.raises(ValueError, match="too short"):
        hash_password("1234567", CHEAP)
    with pytest.raises(ValueError, match="too long"):
        hash_password("x" * 1025, CHEAP)
    assert not verify_password(hash_password("12345678", CHEAP), "x" * 5000, CHEAP).ok


def test_rehash_when_parameters_change() -> None:
    old = hash_password("correct horse", CHEAP)
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    result = verify_password(old, "correct horse", stronger)
    assert result.ok and result.new_hash is not None and "t=2" in result.new_hash
    assert verify_password(result.new_hash, "correct horse", stronger).new_hash is None


def test_db_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"TASK_ATLAS_DB": "postgresql://atlas@db/atlas"}
    assert resolve_db_url("sqlite:///x.db", env) == "sqlite:///x.db"
    assert resolve_db_url(None, env) == "postgresql+psycopg://atlas@db/atlas"
    assert resolve_db_url("", {}) == f"sqlite:///{tmp_path / DEFAULT_DB_FILE}"
    assert resolve_db_url("stores/atlas.db", {}) == f"sqlite:///{tmp_path / 'stores/atlas.db'}"
    assert sqlite_path(resolve_db_url(None, {})) == tmp_path / "task-atlas.db"
    assert sqlite_path("postgresql://atlas@db/atlas") is None


def test_secret_from_env_then_file_then_nothing_in_production(tmp_path: Path) -> None:
    key = "k" * 40
    assert resolve_secret({"TASK_ATLAS_SECRET_KEY": key}, allow_generate=False) == key
    keyfile = tmp_path / "key"
    keyfile.write_text(key + "\n")
    env = {"TASK_ATLAS_SECRET_KEY_FILE": str(keyfile), "XDG_CONFIG_HOME": str(tmp_path)}
    assert resolve_secret(env, allow_generate=False) == key
    assert resolve_secret({"XDG_CONFIG_HOME": str(tmp_path)}, allow_generate=False) is None
    with pytest.raises(AccessConfigError, match="too short"):
        resolve_secret({"TASK_ATLAS_SECRET_KEY": "short"}, allow_generate=False)
    with pytest.raises(AccessConfigError, match="cannot read"):
        resolve_secret({"TASK_ATLAS_SECRET_KEY_FILE": str(tmp_path / "no")}, allow_generate=False)


def test_local_secret_is_generated_once_owner_only_outside_the_repo(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    first = resolve_secret(env, allow_generate=True)
    path = local_secret_path(env)
    assert path == tmp_path / "config" / "task-atlas" / "secret_key"
    assert first is not None and len(first) >= 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert resolve_secret(env, allow_generate=True) == first  # kept, not regenerated
    repo = Path(__file__).resolve().parent.parent
    assert repo not in local_secret_path({"HOME": "/home/someone"}).parents


def test_loopback() -> None:
    assert all(is_loopback(h) for h in ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
    assert not any(is_loopback(h) for h in ["0.0.0.0", "192.168.1.5", "atlas.example"])


def test_unknown_users_cost_a_verification_with_the_current_parameters() -> None:
    from access.passwords import _dummy_hash

    assert "m=1024,t=1,p=1" in _dummy_hash(CHEAP)
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    assert "m=2048,t=2,p=1" in _dummy_hash(stronger)
