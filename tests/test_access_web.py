"""Logins on the real Dash server (Flask test client): every write refused unless the role fits.

Probe: each write route is sent without a session, with a viewer's, with a reporter's of
another unit, with an editor's (not an admin) and cross-site; each must be refused (401/403).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from access.config import AccessSettings
from access.guards import require_role
from access.roles import Role
from access.store import UserStore
from access.web import COOKIE_NAME, install_access
from dashboard.app import create_app
from dashboard.data import AtlasData, load_atlas
from tests.access_helpers import (
    FIXTURE,
    PASSWORD,
    SECRET,
    cheap_hashes,
    db_url,
    login,
    populated,
    store,
)

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture(scope="module")
def atlas() -> AtlasData:
    return load_atlas(FIXTURE)


@pytest.fixture
def make_server(
    atlas: AtlasData, populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Flask]:
    """A fresh Dash app with logins installed, as `serve` on 127.0.0.1 does."""
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)

    def make(require_login: bool = False, secure: bool = False) -> Flask:
        server: Flask = create_app(atlas).server
        _add_unit_route(server)
        settings = AccessSettings(
            db_url,
            require_login=require_login,
            secure_cookies=secure,
            lead_units=frozenset({"市科技局", "市生态环境局", "市交通运输局"}),
        )
        assert install_access(server, settings) is not None
        return server

    return make


def _add_unit_route(server: Flask) -> None:
    """A unit-bound write route, as the progress store's status edit will be."""

    @require_role(Role.EDITOR, Role.REPORTER, unit=lambda unit: unit)
    def write_unit(unit: str) -> tuple[str, int]:
        return f"written {unit}", 200

    server.add_url_rule("/test/units/<unit>", view_func=write_unit, methods=["POST"])


@pytest.fixture
def client(make_server: Callable[..., Flask]) -> FlaskClient:
    return make_server().test_client()


def _as(client: FlaskClient, who: str | None) -> FlaskClient:
    if who is not None:
        assert login(client, who) == 303
    return client


WRITES: list[tuple[str, dict[str, str]]] = [
    ("/admin/users", {"name": "intruder", "role": "admin", "password": PASSWORD}),
    ("/admin/users/office/disable", {}),
]


@pytest.mark.parametrize("who", [None, "guest", "keji", "office"])
@pytest.mark.parametrize(("path", "form"), WRITES)
def test_user_management_is_refused_to_everyone_but_an_admin(
    make_server: Callable[..., Flask],
    populated: UserStore,
    who: str | None,
    path: str,
    form: dict[str, str],
) -> None:
    client = _as(make_server().test_client(), who)
    response = client.post(path, data=form, headers=ORIGIN)
    assert response.status_code == (401 if who is None else 403)
    as_json = client.post(path, json=form, headers=ORIGIN)
    assert as_json.status_code == (401 if who is None else 403)
    assert populated.get("intruder") is None
    assert populated.get("office") is not None and populated.get("office").active  # type: ignore[union-attr]


@pytest.mark.parametrize("who", [None, "guest", "keji", "office"])
def test_user_page_is_admin_only(client: FlaskClient, who: str | None) -> None:
    assert _as(client, who).get("/admin/users").status_code == (401 if who is None else 403)


def test_admin_adds_and_disables(client: FlaskClient, populated: UserStore) -> None:
    _as(client, "root")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "用户管理" in page and "市科技局" in page and "$argon2" not in page
    added = client.post(
        "/admin/users",
        json={"name": "jiaotong", "role": "reporter", "unit": "市交通运输局", "password": PASSWORD},
        headers=ORIGIN,
    )
    assert added.status_code == 201
    assert added.get_json() == {
        "name": "jiaotong",
        "role": "reporter",
        "unit": "市交通运输局",
        "active": True,
    }
    form = client.post(
        "/admin/users",
        data={"name": "viewer2", "role": "viewer", "unit": "", "password": PASSWORD},
        headers=ORIGIN,
    )
    assert form.status_code == 303 and form.headers["Location"].endswith("/admin/users")
    assert client.post("/admin/users/guest/disable", headers=ORIGIN).status_code == 303
    assert [(a.name, a.active) for a in populated.all() if a.name in ("guest", "viewer2")] == [
        ("guest", False),
        ("viewer2", True),
    ]
    listing = client.get("/admin/users", headers={"Accept": "application/json"}).get_json()
    assert {
        "name": "jiaotong",
        "role": "reporter",
        "unit": "市交通运输局",
        "active": True,
    } in listing
    assert "password_hash" not in str(listing)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "root", "role": "viewer", "password": PASSWORD}, "already exists"),
        ({"name": "x", "role": "boss", "password": PASSWORD}, "unknown role"),
        ({"name": "x", "role": "reporter", "password": PASSWORD}, "reporter needs --unit"),
        (
            {"name": "x", "role": "reporter", "unit": "市科技", "password": PASSWORD},
            "leads no task in the data (did you mean 市科技局?)",
        ),
        ({"name": "x", "role": "viewer", "password": "short"}, "too short"),
        ({"name": "a b", "role": "viewer", "password": PASSWORD}, "invalid user name"),
        ({"name": "x" * 5000, "role": "viewer", "password": PASSWORD}, "invalid user name"),
        ({}, "unknown role"),
    ],
)
def test_bad_additions_are_400_with_the_reason(
    client: FlaskClient, form: dict[str, str], message: str
) -> None:
    _as(client, "root")
    response = client.post("/admin/users", json=form, headers=ORIGIN)
    assert response.status_code == 400 and message in response.get_json()["error"]
    page = client.post("/admin/users", data=form, headers=ORIGIN)
    assert page.status_code == 400 and message in page.get_data(as_text=True)


def test_admin_cannot_disable_the_last_admin_or_nobody(client: FlaskClient) -> None:
    _as(client, "root")
    assert client.post("/admin/users/root/disable", json={}, headers=ORIGIN).status_code == 400
    assert client.post("/admin/users/nobody/disable", json={}, headers=ORIGIN).status_code == 400


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("guest", 403), ("root", 403), ("huanbao", 403), ("keji", 200), ("office", 200)],
)
def test_unit_bound_write_only_for_the_unit_or_an_editor(
    client: FlaskClient, who: str | None, status: int
) -> None:
    response = _as(client, who).post("/test/units/市科技局", headers=ORIGIN)
    assert response.status_code == status
    if status == 200:
        assert response.get_data(as_text=True) == "written 市科技局"


@pytest.mark.parametrize(
    "headers",
    [
        {},  # neither Origin nor Referer
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page"},
        {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://localhost.evil.example"},
    ],
)
def test_cross_site_writes_are_refused_even_for_an_admin(
    client: FlaskClient, populated: UserStore, headers: dict[str, str]
) -> None:
    _as(client, "root")
    form = {"name": "csrf", "role": "admin", "password": PASSWORD}
    assert client.post("/admin/users", data=form, headers=headers).status_code == 403
    assert populated.get("csrf") is None
    referer_ok = client.post("/admin/users", data=form, headers={"Referer": "http://localhost/x"})
    assert referer_ok.status_code == 303 and populated.get("csrf") is not None


def test_cross_site_login_is_refused(client: FlaskClient) -> None:
    response = client.post(
        "/login",
        data={"name": "root", "password": PASSWORD},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403 and COOKIE_NAME not in response.headers.get("Set-Cookie", "")


def _clear_selection_call(client: FlaskClient) -> dict[str, object]:
    """The body Dash's page posts when → steps to the next place in 汇报模式 (a real server
    callback of the app; 清除选择 itself now runs in the browser)."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(
        d
        for d in deps
        if "selected-place.data@" in d["output"]
        and {"id": "briefing-next", "property": "n_clicks"} in d["inputs"]
    )
    output = dep["output"]
    return {
        "output": output,
        "outputs": {"id": "selected-place", "property": output.strip(".").split(".", 1)[1]},
        "inputs": [  # every view's ← → pair: the map view's → is the one pressed
            {**i, "value": 1 if i["id"] == "briefing-next" else None} for i in dep["inputs"]
        ],
        "changedPropIds": ["briefing-next.n_clicks"],
        "state": [{"id": "selected-place", "property": "data", "value": ""}],
    }


def test_dash_callbacks_from_the_page_still_work(client: FlaskClient) -> None:
    body = _clear_selection_call(client)
    cross = client.post(
        "/_dash-update-component", json=body, headers={"Origin": "http://evil.example"}
    )
    assert cross.status_code == 403
    same = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert same.status_code == 200
    assert list(same.get_json()["response"]) == ["selected-place"]


def test_login_sets_a_hardened_cookie_and_logout_ends_it(make_server: Callable[..., Flask]) -> None:
    client = make_server(secure=True).test_client()
    response = client.post(
        "/login",
        data={"name": "office", "password": PASSWORD, "next": "/?plan=wr2024"},
        headers=ORIGIN,
    )
    assert response.status_code == 303 and response.headers["Location"] == "/?plan=wr2024"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {p.strip() for p in cookie.split(";")}
    client = make_server(secure=False).test_client()
    login(client, "office")
    assert client.post("/test/units/任何单位", headers=ORIGIN).status_code == 200
    assert "office" in client.get("/logout").get_data(as_text=True)
    assert client.post("/logout", headers=ORIGIN).status_code == 303
    assert client.post("/test/units/任何单位", headers=ORIGIN).status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_login_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    response = client.post(
        "/login", data={"name": "guest", "password": PASSWORD, "next": target}, headers=ORIGIN
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_failed_logins_are_401_then_429(client: FlaskClient) -> None:
    statuses = [login(client, "office", "wrong guess") for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    page = client.post("/login", data={"name": "office", "password": PASSWORD}, headers=ORIGIN)
    assert page.status_code == 429 and "尝试次数过多" in page.get_data(as_text=True)


def test_login_page_is_chinese_and_self_contained(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "登录" in page and "用户名" in page and "密码" in page and "只读浏览无需登录" in page
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == []  # no external assets at all


def test_viewing_stays_open_without_require_login(client: FlaskClient) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def test_require_login_gates_every_page_asset_and_callback(
    make_server: Callable[..., Flask],
) -> None:
    client = make_server(require_login=True).test_client()
    page = client.get("/?plan=wr2024", headers={"Accept": "text/html"})
    assert page.status_code == 302 and "/login?next=" in page.headers["Location"]
    for path in ["/_dash-layout", "/_dash-dependencies", "/assets/atlas.css", "/admin/users"]:
        assert client.get(path).status_code == 401, path
    login_page = client.get("/login").get_data(as_text=True)
    assert "请登录后查看" in login_page and "只读浏览无需登录" not in login_page
    assert login(client, "guest") == 303
    body = _clear_selection_call(client)
    assert client.post("/_dash-update-component", json=body, headers=ORIGIN).status_code == 200
    client.post("/logout", headers=ORIGIN)
    assert client.post("/_dash-update-component", json=body, headers=ORIGIN).status_code == 401
    assert login(client, "guest") == 303
    assert client.get("/").status_code == 200 and client.get("/_dash-layout").status_code == 200
    assert client.get("/assets/atlas.css").status_code == 200


def test_sessions_work_across_two_servers_with_one_secret(
    make_server: Callable[..., Flask],
) -> None:
    """Two gunicorn workers are two create_app calls: a cookie from one is good on the other."""
    first, second = make_server(require_login=True), make_server(require_login=True)
    one = first.test_client()
    assert login(one, "root") == 303
    cookie = one.get_cookie(COOKIE_NAME)
    assert cookie is not None
    two = second.test_client()
    assert two.get("/admin/users").status_code == 401
    two.set_cookie(COOKIE_NAME, cookie.value)
    assert two.get("/admin/users").status_code == 200
    assert two.get("/_dash-layout").status_code == 200


def test_another_secret_does_not_accept_the_cookie(
    make_server: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    one = make_server().test_client()
    login(one, "root")
    cookie = one.get_cookie(COOKIE_NAME)
    assert cookie is not None
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", "another-secret-" + "x" * 40)
    two = make_server().test_client()
    two.set_cookie(COOKIE_NAME, cookie.value)
    assert two.get("/admin/users").status_code == 401


def test_disabled_users_session_ends_at_once(
    make_server: Callable[..., Flask], populated: UserStore
) -> None:
    client = make_server().test_client()
    login(client, "office")
    assert client.post("/test/units/x", headers=ORIGIN).status_code == 200
    populated.disable("office", actor="root")
    assert client.post("/test/units/x", headers=ORIGIN).status_code == 401


def test_no_hash_or_password_in_logs_or_pages(
    make_server: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_server().test_client()
    texts = [client.get("/login").get_data(as_text=True)]
    login(client, "root", "wrong password 1")
    login(client, "root")
    texts.append(client.get("/admin/users").get_data(as_text=True))
    texts.append(
        client.get("/admin/users", headers={"Accept": "application/json"}).get_data(as_text=True)
    )
    texts.append(
        client.post(
            "/admin/users",
            json={"name": "new1", "role": "viewer", "password": PASSWORD},
            headers=ORIGIN,
        ).get_data(as_text=True)
    )
    everything = "\n".join(texts) + caplog.text
    assert "login failed for 'root'" in caplog.text and "login ok for 'root'" in caplog.text
    assert "root added 'new1' as viewer" in caplog.text
    assert "$argon2" not in everything and "password_hash" not in everything
    assert PASSWORD not in everything and "wrong password 1" not in everything


def test_store_failure_during_login_is_503_not_500(
    client: FlaskClient, populated: UserStore, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    from sqlalchemy.exc import OperationalError

    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("UPDATE access_users SET password_hash=?", ("$argon2id$x",), None)  # type: ignore[arg-type]

    monkeypatch.setattr(UserStore, "login", down)
    response = client.post("/login", data={"name": "root", "password": PASSWORD}, headers=ORIGIN)
    assert response.status_code == 503 and "暂时无法登录" in response.get_data(as_text=True)
    assert "$argon2" not in caplog.text  # the engine hides parameters; so does this fake
    monkeypatch.undo()
    assert login(client, "office") == 303
    monkeypatch.setattr(UserStore, "load_session", down)
    assert client.post("/test/units/x", headers=ORIGIN).status_code == 401  # anonymous, not 500
