"""User management in the browser (admin only): list, add, disable.

Form posts redirect back to the page (303); JSON posts get JSON. Every route is guarded on the
server by `require_role(Role.ADMIN)`, whatever the page shows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template_string, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from access import pages
from access.guards import current_account, require_role
from access.roles import ROLE_LABELS, Role, parse_role
from access.store import Account, UserStore
from access.units import check_lead_unit

MAX_FIELD = 1024
log = logging.getLogger("task_atlas.access")


def _public(account: Account) -> dict[str, Any]:
    """What may leave the server about an account: never the hash (Account has none)."""
    return {
        "name": account.name,
        "role": account.role.value,
        "unit": account.unit,
        "active": account.active,
    }


def _fields() -> dict[str, str]:
    raw: Any = request.get_json(silent=True) if request.is_json else request.form
    if not hasattr(raw, "get"):
        raw = {}
    return {k: str(raw.get(k) or "")[:MAX_FIELD] for k in ("name", "role", "unit", "password")}


def _actor() -> str:
    account = current_account()
    return account.name if account else "?"


def admin_blueprint(store: UserStore, lead_units: Collection[str] | None = None) -> Blueprint:
    bp = Blueprint("access_admin", __name__, url_prefix="/admin/users")

    def page(message: str = "", status: int = 200) -> tuple[str, int]:
        html = render_template_string(
            pages.USERS,
            title="用户管理",
            me=_actor(),
            users=store.all(),
            labels=ROLE_LABELS,
            message=message,
        )
        return html, status

    def done(account: Account, status: int) -> BaseResponse | tuple[Any, int]:
        if request.is_json:
            return jsonify(_public(account)), status
        return redirect(url_for("access_admin.list_users"), code=303)

    def refused(message: str) -> tuple[Any, int]:
        return (jsonify(error=message), 400) if request.is_json else page(message, 400)

    @bp.get("")
    @require_role(Role.ADMIN)
    def list_users() -> Any:
        if request.accept_mimetypes.best == "application/json":
            return jsonify([_public(a) for a in store.all()])
        return page()

    @bp.post("")
    @require_role(Role.ADMIN)
    def add_user() -> Any:
        fields = _fields()
        try:
            role = parse_role(fields["role"])
            if role is Role.REPORTER and fields["unit"].strip():
                check_lead_unit(fields["unit"].strip(), lead_units)
            account = store.add(
                fields["name"], role, fields["password"], unit=fields["unit"], actor=_actor()
            )
        except ValueError as exc:  # UserError, bad role, short password, unit rules
            return refused(str(exc))
        log.info("%s added %r as %s", _actor(), account.name, account.role.value)
        return done(account, 201)

    @bp.post("/<name>/disable")
    @require_role(Role.ADMIN)
    def disable_user(name: str) -> Any:
        try:
            account = store.disable(name[:64], actor=_actor())
        except ValueError as exc:
            return refused(str(exc))
        log.info("%s disabled %r", _actor(), account.name)
        return done(account, 200)

    return bp
