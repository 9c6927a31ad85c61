"""Server-side guards for write paths: who is asking, and may they?

`require_role` wraps a Flask view; `current_account` and `can_write_task` (access.roles) are
for Dash callbacks, which run inside the same Flask request and must check before writing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import abort, current_app, has_request_context, redirect, request, url_for
from flask_login import current_user

from access.roles import Role
from access.store import Account

P = ParamSpec("P")
R = TypeVar("R")


def current_account() -> Account | None:
    """The logged-in account of this request; None when anonymous, outside a request, or on a
    server without logins (no user store: nobody can be logged in, so nobody may write)."""
    if not has_request_context() or not hasattr(current_app, "login_manager"):
        return None
    user: Any = current_user
    account = getattr(user, "_get_current_object", lambda: user)()
    return account if isinstance(account, Account) else None


def _wants_page() -> bool:
    """A browser asking for a page (Accept names text/html), not a script or an API client."""
    return "text/html" in request.headers.get("Accept", "")


def require_role(
    *roles: Role, unit: Callable[..., str | None] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refuse the view unless the account has one of `roles`: 401 anonymous, 403 otherwise.

    `unit`, given the view's keyword arguments, names the unit whose data the request writes;
    a reporter passes only for their own unit (editors and admins are not unit-bound).
    """

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            account = current_account()
            if account is None and request.method == "GET" and _wants_page():
                # a person following a link: the login page, then back here
                abort(redirect(url_for("access.login", next=request.full_path.rstrip("?"))))
            if account is None:
                abort(401)
            if account.role not in roles:
                abort(403)
            if (
                unit is not None
                and account.role is Role.REPORTER
                and account.unit != unit(**kwargs)
            ):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
