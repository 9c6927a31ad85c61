"""Logins on the Dash server: one call wires sessions, the login pages and the request gates.

`install_access(server, settings)` is the one call the dashboard makes. It refuses to start
(AccessConfigError, one line) when logins are needed but no secret key is configured.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask
from flask_login import LoginManager
from sqlalchemy.exc import SQLAlchemyError

from access.admin import admin_blueprint
from access.config import AccessConfigError, AccessSettings, resolve_secret
from access.db import make_engine, sqlite_path
from access.gate import page_headers, refuse_cross_site, require_login
from access.login import first_line, login_blueprint
from access.migrate import SchemaState, schema_state
from access.store import Account, UserStore
from access.writes import Writes, writes_blueprint

SESSION_LIFETIME = timedelta(hours=12)
COOKIE_NAME = "task_atlas_session"
EXTENSION_KEY = "task_atlas_access"
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
    blueprints = [
        login_blueprint(store, settings.require_login),
        admin_blueprint(store, settings.lead_units),
    ]
    if settings.data_dir is not None:  # returns upload, status edits, audit log
        blueprints.append(writes_blueprint(store, Writes(settings.db_url, settings.data_dir)))
    for blueprint in blueprints:
        blueprint.after_request(page_headers)
        server.register_blueprint(blueprint)
    server.before_request(refuse_cross_site)
    if settings.require_login:
        server.before_request(require_login)
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
        raise AccessConfigError(f"cannot open the store {engine.url!r}: {first_line(exc)}") from exc
    if state is SchemaState.OUTDATED:
        raise AccessConfigError(
            "the user tables are older than this version; run `task-atlas users list` "
            "with the same --db to upgrade them"
        )
    return UserStore(engine) if state is SchemaState.CURRENT else None


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
            log.error("cannot load the session's user: %s", first_line(exc))
            return None

    manager.user_loader(load)
    manager.init_app(server)
