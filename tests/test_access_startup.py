"""Starting a server with logins: secrets, stores, cookies, proxies — refused in one line when unsafe."""

from __future__ import annotations

import pytest
from flask import Flask

from access.config import AccessConfigError
from access.store import UserStore
from dashboard.app import create_app
from dashboard.data import load_atlas
from dashboard.serve import create_server
from tests.access_helpers import FIXTURE, PASSWORD, SECRET, cheap_hashes, db_url, populated, store

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
ORIGIN = {"Origin": "http://localhost"}


def test_production_refuses_users_without_a_secret(
    populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delenv("TASK_ATLAS_SECRET_KEY", raising=False)
    monkeypatch.delenv("TASK_ATLAS_SECRET_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with pytest.raises(AccessConfigError, match="no secret key is configured"):
        create_server(str(FIXTURE), db=db_url)


def test_require_login_without_users_refuses(
    db_url: str, cheap_hashes: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    with pytest.raises(AccessConfigError, match="no users in the store"):
        create_server(str(FIXTURE), db=db_url, require_login=True)


def test_open_atlas_without_store_or_secret_serves_and_creates_nothing(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    monkeypatch.delenv("TASK_ATLAS_SECRET_KEY", raising=False)
    monkeypatch.delenv("TASK_ATLAS_DB", raising=False)
    monkeypatch.chdir(str(tmp_path))
    server = create_server(str(FIXTURE))
    client = server.test_client()
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/login").status_code in (200, 404)  # Dash's catch-all page, no form
    assert "用户名" not in client.get("/login").get_data(as_text=True)
    assert not (Path(str(tmp_path)) / "task-atlas.db").exists()


def test_serve_refuses_in_one_line(
    populated: UserStore,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import argparse

    from dashboard.serve import add_serve_arguments, run_serve

    monkeypatch.delenv("TASK_ATLAS_SECRET_KEY", raising=False)
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    args = parser.parse_args(["--data", str(FIXTURE), "--db", db_url, "--host", "0.0.0.0"])
    assert run_serve(args) == 2
    err = capsys.readouterr().err
    assert "no secret key is configured" in err and err.count("\n") == 1


def test_production_server_with_secret(
    populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    server = create_server(str(FIXTURE), db=db_url, require_login=True)
    assert server.config["SESSION_COOKIE_SECURE"] is True
    client = server.test_client()
    https = "https://localhost"
    response = client.post(
        "/login",
        data={"name": "root", "password": PASSWORD},
        headers={"Origin": https},
        base_url=https,
    )
    assert response.status_code == 303 and "Secure" in response.headers["Set-Cookie"]
    assert client.get("/admin/users", base_url=https).status_code == 200


def test_behind_a_proxy_the_forwarded_host_is_the_origin(
    populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    server = create_server(str(FIXTURE), db=db_url, proxy_hops=1)
    client = server.test_client()
    proxied = {"Host": "127.0.0.1:8050", "X-Forwarded-Host": "atlas.example",
               "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}  # fmt: skip
    form = {"name": "root", "password": PASSWORD}
    ok = client.post("/login", data=form, headers={**proxied, "Origin": "https://atlas.example"})
    assert ok.status_code == 303 and "Secure" in ok.headers["Set-Cookie"]
    spoofed = {**proxied, "Origin": "https://127.0.0.1:8050"}
    assert client.post("/login", data=form, headers=spoofed).status_code == 403
    for _ in range(5):
        client.post("/login", data={"name": "office", "password": "guess"},
                    headers={**proxied, "Origin": "https://atlas.example"})  # fmt: skip
    with populated.engine.connect() as conn:
        ips = conn.exec_driver_sql("select distinct ip from access_login_attempts").scalars()
        assert list(ips) == ["198.51.100.7"]  # the client, not the proxy


def test_a_store_without_user_tables_serves_the_open_atlas(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress store's database before any `users` command: no login, no error."""
    from progress.db import open_store

    open_store(db_url).close()  # a real, migrated progress store (serve --db opens it too)
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    client = create_server(str(FIXTURE), db=db_url).test_client()
    assert client.get("/_dash-layout").status_code == 200
    assert "用户名" not in client.get("/login").get_data(as_text=True)
    assert client.post("/admin/users", json={}, headers=ORIGIN).status_code in (404, 405)


def test_engine_hides_bound_parameters_from_errors(db_url: str) -> None:
    from access.db import make_engine

    assert make_engine(db_url).hide_parameters


def _serve_args(*argv: str) -> object:
    import argparse

    from dashboard.serve import add_serve_arguments

    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(["--data", str(FIXTURE), *argv])


def test_serve_with_an_unreachable_store_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dashboard.serve import run_serve

    args = _serve_args("--db", "postgresql://atlas:hunter2secret@127.0.0.1:9/atlas")
    assert run_serve(args) == 2  # type: ignore[arg-type]
    err = capsys.readouterr().err
    # the 进度 view and the logins share the store: whichever opens it first says so
    assert err.startswith(("task-atlas serve: cannot open the store",
                           "task-atlas serve: cannot open the progress store"))  # fmt: skip
    assert err.count("\n") == 1
    assert "hunter2secret" not in err


def test_local_serve_without_a_store_generates_no_secret(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from access.serve_options import install_from_args

    home = Path(str(tmp_path))
    monkeypatch.chdir(home)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("TASK_ATLAS_SECRET_KEY", raising=False)
    monkeypatch.delenv("TASK_ATLAS_DB", raising=False)
    server = Flask(__name__)
    assert install_from_args(server, _serve_args()) is None  # type: ignore[arg-type]
    assert not (home / "config").exists() and not (home / "task-atlas.db").exists()


def test_local_serve_with_users_uses_a_generated_secret_and_plain_http_cookies(
    populated: UserStore, db_url: str, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from access.serve_options import install_from_args

    monkeypatch.setenv("XDG_CONFIG_HOME", str(Path(str(tmp_path)) / "config"))
    monkeypatch.delenv("TASK_ATLAS_SECRET_KEY", raising=False)
    server = create_app(load_atlas(FIXTURE)).server
    assert install_from_args(server, _serve_args("--db", db_url)) is not None  # type: ignore[arg-type]
    secret = (Path(str(tmp_path)) / "config" / "task-atlas" / "secret_key").read_text().strip()
    assert server.secret_key == secret and server.config["SESSION_COOKIE_SECURE"] is False
    lan = create_app(load_atlas(FIXTURE)).server
    with pytest.raises(AccessConfigError, match="no secret key"):
        install_from_args(lan, _serve_args("--db", db_url, "--host", "0.0.0.0"))  # type: ignore[arg-type]
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    install_from_args(lan, _serve_args("--db", db_url, "--host", "0.0.0.0"))  # type: ignore[arg-type]
    assert lan.config["SESSION_COOKIE_SECURE"] is True


def test_plain_http_login_to_a_secure_cookie_server_says_why(
    populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without this, the browser drops the Secure cookie and the login loops in silence."""
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    client = create_server(str(FIXTURE), db=db_url).test_client()
    lan = "http://192.168.1.20:8050"
    page = client.get("/login", base_url=lan).get_data(as_text=True)
    assert "此服务器只接受 HTTPS 登录" in page
    form = {"name": "root", "password": PASSWORD}
    refused = client.post("/login", data=form, headers={"Origin": lan}, base_url=lan)
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    local = client.post("/login", data=form, headers={"Origin": "http://localhost"})
    assert local.status_code == 303  # loopback http: browsers keep Secure cookies there
