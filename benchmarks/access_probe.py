"""Access probe: every write request × every identity × origin, against the real Dash server.

Figures for the closing note: requests tried, refused, allowed — and whether exactly the
expected ones were allowed (admin, same origin, for user management; the unit's reporter or an
editor for the unit-bound stand-in of the status edit). Also the --require-login gate.

Run: .venv/bin/python benchmarks/access_probe.py [--data DIR]
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from collections import Counter
from pathlib import Path

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

import access.passwords
from access.config import AccessSettings
from access.db import make_engine
from access.guards import require_role
from access.migrate import upgrade
from access.roles import Role
from access.store import UserStore
from access.web import install_access
from dashboard.app import create_app
from dashboard.data import load_atlas

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "atlas_data"
PASSWORD = "probe passphrase"
IDENTITIES = {
    "anonymous": None,
    "viewer": ("guest", Role.VIEWER, None),
    "reporter, other unit": ("huanbao", Role.REPORTER, "市生态环境局"),
    "reporter, own unit": ("keji", Role.REPORTER, "市科技局"),
    "editor": ("office", Role.EDITOR, None),
    "admin": ("root", Role.ADMIN, None),
}
ORIGINS = {
    "same origin": {"Origin": "http://localhost"},
    "cross-site": {"Origin": "http://evil.example"},
    "no Origin/Referer": {},
}


def _server(data: Path, db_url: str, require_login: bool) -> Flask:
    server: Flask = create_app(load_atlas(data)).server

    @require_role(Role.EDITOR, Role.REPORTER, unit=lambda unit: unit)
    def status_edit(unit: str) -> str:  # stand-in: the progress store's edit uses the same guard
        return "ok"

    server.add_url_rule("/probe/status/<unit>", view_func=status_edit, methods=["POST"])
    install_access(
        server, AccessSettings(db_url, require_login=require_login, secure_cookies=False)
    )
    return server


def _client(server: Flask, who: str) -> FlaskClient:
    client = server.test_client()
    account = IDENTITIES[who]
    if account is not None:
        response = client.post(
            "/login",
            data={"name": account[0], "password": PASSWORD},
            headers=ORIGINS["same origin"],
        )
        assert response.status_code == 303, (who, response.status_code)
    return client


def _requests(store: UserStore, n: int) -> list[tuple[str, str, dict[str, object]]]:
    """(name, path, post kwargs); each disable targets a fresh account."""
    target = f"target{n}"
    store.add(target, Role.VIEWER, PASSWORD, actor="probe")
    new = {"name": f"new{n}", "role": "admin", "password": PASSWORD}
    return [
        ("add user (form)", "/admin/users", {"data": new}),
        ("add user (JSON)", "/admin/users", {"json": {**new, "name": f"newj{n}"}}),
        ("disable user", f"/admin/users/{target}/disable", {"data": {}}),
        ("status edit, 市科技局 task", "/probe/status/市科技局", {"data": {}}),
    ]


def _expected(who: str, origin: str, name: str) -> bool:
    if origin != "same origin":
        return False
    if name.startswith(("add user", "disable user")):
        return who == "admin"
    return who in ("editor", "reporter, own unit")


def probe(data: Path) -> None:
    logging.getLogger("task_atlas.access").setLevel(logging.ERROR)  # one refusal line each: noise
    access.passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/probe.db"
        engine = make_engine(db_url)
        upgrade(engine)
        store = UserStore(engine)
        for account in IDENTITIES.values():
            if account is not None:
                store.add(account[0], account[1], PASSWORD, unit=account[2], actor="probe")
        os.environ["TASK_ATLAS_SECRET_KEY"] = "probe-secret-" + "x" * 40
        server = _server(data, db_url, require_login=False)
        outcomes: Counter[str] = Counter()
        unexpected = []
        n = 0
        print(f"{'identity':22} {'origin':18} {'request':28} status")
        for who in IDENTITIES:
            client = _client(server, who)
            for origin, headers in ORIGINS.items():
                for name, path, kwargs in _requests(store, n := n + 1):
                    status = client.post(path, headers=headers, **kwargs).status_code
                    allowed = status < 400
                    outcomes["allowed" if allowed else "refused"] += 1
                    if allowed != _expected(who, origin, name):
                        unexpected.append((who, origin, name, status))
                    print(f"{who:22} {origin:18} {name:28} {status}")
        tried = sum(outcomes.values())
        print(f"\nwrite requests tried {tried}, refused {outcomes['refused']}, "
              f"allowed {outcomes['allowed']}; unexpected outcomes: {len(unexpected)}")  # fmt: skip
        for row in unexpected:
            print("  UNEXPECTED", row)
        _probe_gate(data, db_url)


def _probe_gate(data: Path, db_url: str) -> None:
    server = _server(data, db_url, require_login=True)
    client = server.test_client()
    paths = ["/", "/?plan=wr2024", "/_dash-layout", "/_dash-dependencies", "/assets/atlas.css",
             "/admin/users"]  # fmt: skip
    html = {"Accept": "text/html"}  # what a browser asks for a page
    statuses = [client.get(p, headers=html).status_code for p in paths]
    post = client.post("/_dash-update-component", json={}, headers=ORIGINS["same origin"])
    statuses.append(post.status_code)
    refused = sum(s in (302, 401) for s in statuses)
    print(f"--require-login, anonymous: {len(statuses)} requests (pages, assets, callbacks), "
          f"{refused} refused or sent to /login: {statuses}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=FIXTURE)
    probe(parser.parse_args().data)


if __name__ == "__main__":
    main()
