"""Flask hooks for the Dash server: sessions, /login and /logout, cross-site refusal, the gate.

`install_access(server, settings)` is the one call the dashboard makes. It refuses to start
(AccessConfigError, one line) when logins are needed but no secret key is configured.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from access import pages
from access.admin import admin_blueprint
from access.config import AccessConfigError, AccessSettings, resolve_secret
from access.db import make_engine, sqlite_path
from access.guards import current_account
from access.migrate import SchemaState, schema_state
from access.store import Account, LoginOutcome, UserStore

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SESSION_LIFETIME = timedelta(hours=12)
COOKIE_NAME = "task_atlas_session"
OPEN_ENDPOINTS = frozenset({"access.login", "access.logout"})
EXTENSION_KEY = "task_atlas_access"
# The pages that handle passwords must not be framed, cached or load anything from elsewhere.
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}
log = logging.getLogger("task_atlas.access")


def install_access(server: Flask, settings: AccessSettings) -> UserStore | None:
    """Add logins to `server`; None when there is nothing to log in to (no user tables).

    Without a configured secret key an open atlas with no users still serves; with users or
    --require-login it refuses to start rather than issue sessions nobody can trust.
    """
    store = _open_store(settings.db_url)
    users = store.count() if store is not None else 0
    if settings.require_login and users == 0:
        raise AccessConfigError(
            "--require-login but no users in the store; add one with "
            "`task-atlas users add NAME --role admin`"
        )
    if store is None:
        return None  # no user tables yet: nobody to log in, nothing to write
    secret = resolve_secret(allow_generate=settings.local)
    if secret is None:
        if users:
            raise AccessConfigError(
                "users can log in but no secret key is configured: set TASK_ATLAS_SECRET_KEY "
                "or TASK_ATLAS_SECRET_KEY_FILE (the same for every worker)"
            )
        return None
    _configure_cookies(server, secret, settings.secure_cookies)
    _install_login_manager(server, store)
    for blueprint in (
        _login_blueprint(store, settings.require_login),
        admin_blueprint(store, settings.lead_units),
    ):
        blueprint.after_request(_page_headers)
        server.register_blueprint(blueprint)
    server.before_request(_refuse_cross_site)
    if settings.require_login:
        server.before_request(_require_login)
    server.extensions[EXTENSION_KEY] = store
    return store


def _open_store(url: str) -> UserStore | None:
    """The user store if its tables exist; serving never creates a SQLite file or tables."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return None
    engine = make_engine(url)
    try:
        state = schema_state(engine)
    except SQLAlchemyError as exc:  # cannot connect: say where, in one line
        raise AccessConfigError(
            f"cannot open the store {engine.url!r}: {_first_line(exc)}"
        ) from exc
    if state is SchemaState.OUTDATED:
        raise AccessConfigError(
            "the user tables are older than this version; run `task-atlas users list` "
            "with the same --db to upgrade them"
        )
    return UserStore(engine) if state is SchemaState.CURRENT else None


def _first_line(exc: Exception) -> str:
    """The first line of an error: never a traceback, the SQL or its parameters."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _configure_cookies(server: Flask, secret: str, secure: bool) -> None:
    server.secret_key = secret
    server.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )


def _install_login_manager(server: Flask, store: UserStore) -> None:
    manager = LoginManager()
    manager.login_view = "access.login"

    def load(token: str) -> Account | None:
        try:
            return store.load_session(token)
        except SQLAlchemyError as exc:  # store unreachable: anonymous, never a user
            log.error("cannot load the session's user: %s", _first_line(exc))
            return None

    manager.user_loader(load)
    manager.init_app(server)


def _page_headers(response: BaseResponse) -> BaseResponse:
    response.headers.update(PAGE_HEADERS)
    return response


def _same_origin() -> bool:
    """Does this request come from a page of this server (Origin, else Referer, vs Host)?"""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not source or source == "null":
        return False
    return urlsplit(source).netloc.lower() == request.host.lower()


def _refuse_cross_site() -> BaseResponse | None:
    """State-changing requests must come from this server's own pages (Dash's POSTs do)."""
    if request.method in UNSAFE_METHODS and not _same_origin():
        log.warning("refused cross-site %s %s from %s", request.method, request.path, _client_ip())
        return Response("跨站请求被拒绝。\n", status=403, mimetype="text/plain")
    return None


def _require_login() -> BaseResponse | None:
    """With --require-login: pages redirect to /login, everything else answers 401."""
    if request.endpoint in OPEN_ENDPOINTS or current_account() is not None:
        return None
    if request.method == "GET" and request.accept_mimetypes.accept_html:
        return redirect(url_for("access.login", next=request.full_path.rstrip("?")))
    return Response("需要登录。\n", status=401, mimetype="text/plain")


def _safe_next(target: str | None) -> str:
    """Only a path on this server; never `//host` or `https://…` (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _client_ip() -> str:
    return request.remote_addr or "unknown"


def _login_blueprint(store: UserStore, required: bool) -> Blueprint:
    bp = Blueprint("access", __name__)

    def form(message: str, nxt: str, name: str) -> str:
        return render_template_string(
            pages.LOGIN,
            title="登录",
            message=message,
            next=nxt,
            name=name,
            required=required,
            signed_out=request.args.get("signed_out") == "1",
        )

    @bp.route("/login", methods=["GET", "POST"])
    def login() -> BaseResponse | tuple[str, int]:
        nxt = _safe_next(request.values.get("next"))
        if request.method == "GET":
            return form("", nxt, ""), 200
        name = request.form.get("name", "")[:64]
        password = request.form.get("password", "")[: 1024 + 1]
        try:
            outcome, account = store.login(name, password, _client_ip())
        except SQLAlchemyError as exc:
            log.error("login for %r: the store is unavailable: %s", name, _first_line(exc))
            return form("暂时无法登录（数据库不可用），请稍后再试。", nxt, name), 503
        log.info("login %s for %r from %s", outcome.value, name, _client_ip())
        if outcome is LoginOutcome.OK and account is not None:
            _start_session(account)
            return redirect(nxt, code=303)
        message, status = (
            ("尝试次数过多，请一分钟后再试。", 429)
            if outcome is LoginOutcome.LIMITED
            else ("用户名或密码错误，或账号已停用。", 401)
        )
        return form(message, nxt, name), status

    @bp.route("/logout", methods=["GET", "POST"])
    def logout() -> BaseResponse | str:
        if request.method == "POST":
            logout_user()
            session.clear()
            return redirect(url_for("access.login", signed_out=1), code=303)
        account = current_account()
        return render_template_string(
            pages.LOGOUT, title="退出登录", name=account.name if account else ""
        )

    return bp


def _start_session(account: Account) -> None:
    session.clear()  # no pre-login session data survives (session fixation)
    login_user(account)
    session.permanent = True
