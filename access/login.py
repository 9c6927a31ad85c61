"""/login and /logout: plain Flask pages on the Dash server (Chinese, no external assets)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from flask_login import login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from access import pages
from access.config import is_loopback
from access.guards import current_account
from access.store import Account, LoginOutcome, UserStore

MAX_NAME = 64
MAX_PASSWORD = 1024
NEEDS_HTTPS = (
    "此服务器只接受 HTTPS 登录：请用 https:// 地址访问；"
    "仅限可信内网时，可由管理员以 --insecure-cookies 启动。"
)
log = logging.getLogger("task_atlas.access")


def client_ip() -> str:
    """The client's address (the proxy's, unless create_server was told to trust proxy_hops)."""
    return request.remote_addr or "unknown"


def _cookie_would_be_dropped() -> bool:
    """A Secure cookie over plain http (not loopback) is dropped by the browser: the login
    would loop back to this page without a word, so say why instead."""
    secure_cookie = bool(current_app.config.get("SESSION_COOKIE_SECURE"))
    host = urlsplit(f"//{request.host}").hostname or ""
    return secure_cookie and not request.is_secure and not is_loopback(host)


def first_line(exc: Exception) -> str:
    """The first line of an error: never a traceback, the SQL or its parameters."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _safe_next(target: str | None) -> str:
    """Only a path on this server; never `//host` or `https://…` (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_blueprint(store: UserStore, required: bool) -> Blueprint:
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
        if _cookie_would_be_dropped():
            return form(NEEDS_HTTPS, nxt, ""), 400 if request.method == "POST" else 200
        if request.method == "GET":
            return form("", nxt, ""), 200
        name = request.form.get("name", "")[:MAX_NAME]
        password = request.form.get("password", "")[: MAX_PASSWORD + 1]
        try:
            outcome, account = store.login(name, password, client_ip())
        except SQLAlchemyError as exc:
            log.error("login for %r: the store is unavailable: %s", name, first_line(exc))
            return form("暂时无法登录（数据库不可用），请稍后再试。", nxt, name), 503
        log.info("login %s for %r from %s", outcome.value, name, client_ip())
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
