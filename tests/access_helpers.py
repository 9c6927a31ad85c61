"""Shared pieces of the access tests: a cheap hasher, a migrated SQLite store, login helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient

import access.passwords
from access.db import make_engine
from access.migrate import upgrade
from access.roles import Role
from access.store import UserStore

FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"
PASSWORD = "correct horse battery"
# (name, role, unit) of the accounts every web test starts with
ACCOUNTS = [
    ("root", Role.ADMIN, None),
    ("office", Role.EDITOR, None),
    ("keji", Role.REPORTER, "市科技局"),
    ("huanbao", Role.REPORTER, "市生态环境局"),
    ("guest", Role.VIEWER, None),
]
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast argon2 parameters: the tests hash hundreds of times on a shared 2-core machine."""
    monkeypatch.setattr(access.passwords, "HASHER", CHEAP)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(db_url: str, cheap_hashes: None) -> Iterator[UserStore]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield UserStore(engine)
    engine.dispose()


@pytest.fixture
def populated(store: UserStore) -> UserStore:
    for name, role, unit in ACCOUNTS:
        store.add(name, role, PASSWORD, unit=unit, actor="test")
    return store


def login(client: FlaskClient, name: str, password: str = PASSWORD) -> int:
    response = client.post(
        "/login",
        data={"name": name, "password": password},
        headers={"Origin": "http://localhost"},
    )
    return response.status_code
