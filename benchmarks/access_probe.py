"""Access probe: every write request × every identity × origin, against the real Dash server.

Figures for the closing note: requests tried, refused, allowed — and whether exactly the
expected ones were allowed (admin, same origin, for user management; the unit's reporter or an
editor for the status edit and the returns import; an editor for the audit log). The returns
import counts as allowed only when a real workbook's rows reached the store (upload, then
confirm). Also the --require-login gate.

Run: .venv/bin/python benchmarks/access_probe.py [--data DIR]
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

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
from progress.db import open_store
from progress.quarters import parse_quarter
from progress.service import write_templates
from progress.store import change_log
from progress.tasks import read_task_tables

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
QUARTER = "2024Q2"
OWN_TASK, OWN_UNIT = "wr2024-2.2.10", "市科技局"  # led by 市科技局 alone in the fixture
ORIGINS = {
    "same origin": {"Origin": "http://localhost"},
    "cross-site": {"Origin": "http://evil.example"},
    "no Origin/Referer": {},
}


def _server(data: Path, db_url: str, require_login: bool) -> Flask:
    server: Flask = create_app(load_atlas(data), store_url=db_url).server

    @require_role(Role.EDITOR, Role.REPORTER, unit=lambda unit: unit)
    def status_edit(unit: str) -> str:  # stand-in: the progress store's edit uses the same guard
        return "ok"

    server.add_url_rule("/probe/status/<unit>", view_func=status_edit, methods=["POST"])
    install_access(
        server,
        AccessSettings(db_url, require_login=require_login, secure_cookies=False, data_dir=data),
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
    if name.startswith("audit"):  # a read (GET): editors only, from any page
        return who == "editor"
    if origin != "same origin":
        return False
    if name.startswith(("add user", "disable user")):
        return who == "admin"
    return who in ("editor", "reporter, own unit")


def _workbook(data: Path, db_url: str, folder: Path, percent: int) -> Path:
    """市科技局's real template for the quarter, filled with openpyxl (percent varies per try)."""
    store = open_store(db_url)
    try:
        write_templates(read_task_tables(data), store, parse_quarter(QUARTER), folder)
    finally:
        store.close()
    path = folder / f"{QUARTER}_{OWN_UNIT}.xlsx"
    book = load_workbook(path)
    sheet = book["任务进度"]
    titles = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == OWN_TASK:
            row[titles.index("完成状态")].value = "序时推进"
            row[titles.index("完成进度(%)")].value = percent
    book.save(path)
    return path


def _import_return(client: FlaskClient, headers: dict[str, str], path: Path) -> int:
    """Upload then confirm; 200 only when rows reached the store, else the refusing status."""
    with path.open("rb") as fh:
        data: Any = {"quarter": QUARTER, "files": [(fh, path.name)]}
        first = client.post("/returns", data=data, headers=headers,
                            content_type="multipart/form-data")  # fmt: skip
    if first.status_code >= 400:
        return first.status_code
    token = re.search(r'name="token" value="([^"]+)"', first.get_data(as_text=True))
    if token is None:  # the report found problems: nothing can be confirmed
        return 422
    second = client.post("/returns/confirm", data={"token": token[1]}, headers=headers)
    if second.status_code >= 400:
        return second.status_code
    return 200 if "行有变化" in second.get_data(as_text=True) else 422


def _real_writes(client: FlaskClient, headers: dict[str, str], path: Path) -> list[tuple[str, int]]:
    """The write pages themselves (access.writes): status edit, returns import, audit reads."""
    edit = client.post(
        f"/tasks/{OWN_TASK}/status?quarter={QUARTER}",
        data={"unit": OWN_UNIT, "status": "滞后", "percent": "10", "reason": "probe"},
        headers=headers,
    )
    return [
        ("status edit (/tasks/…/status)", edit.status_code),
        ("import return (/returns)", _import_return(client, headers, path)),
        ("audit page (/audit)", client.get("/audit", headers=headers).status_code),
        ("audit CSV (/audit.csv)", client.get("/audit.csv", headers=headers).status_code),
    ]


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
                n += 1
                results = [
                    (name, client.post(path, headers=headers, **kwargs).status_code)
                    for name, path, kwargs in _requests(store, n)
                ]
                book = _workbook(data, db_url, Path(tmp) / f"t{n}", percent=n % 90 + 5)
                results += _real_writes(client, headers, book)
                for name, status in results:
                    allowed = status < 400
                    kind = "audit read" if name.startswith("audit") else "write"
                    outcomes[f"{kind} {'allowed' if allowed else 'refused'}"] += 1
                    if allowed != _expected(who, origin, name):
                        unexpected.append((who, origin, name, status))
                    print(f"{who:22} {origin:18} {name:28} {status}")
        for kind in ("write", "audit read"):
            refused, allowed = outcomes[f"{kind} refused"], outcomes[f"{kind} allowed"]
            print(f"\n{kind} requests tried {refused + allowed}, refused {refused}, "
                  f"allowed {allowed}", end="")  # fmt: skip
        print(f"\nunexpected outcomes: {len(unexpected)}")
        for row in unexpected:
            print("  UNEXPECTED", row)
        progress = open_store(db_url)
        log = change_log(progress)
        progress.close()
        hashes = sum("$argon2" in str(v) for v in log.to_numpy().ravel())
        print(f"progress change log: {len(log)} rows, by {sorted(set(log['entered_by']))}; "
              f"password hashes in it: {hashes}")  # fmt: skip
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
