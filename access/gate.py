"""Request gates on the whole server: cross-site writes refused, --require-login, page headers."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Response, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from access.guards import current_account
from access.login import client_ip

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_ENDPOINTS = frozenset({"access.login", "access.logout"})
# The pages that handle passwords must not be framed, cached or load anything from elsewhere.
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}
log = logging.getLogger("task_atlas.access")


def page_headers(response: BaseResponse) -> BaseResponse:
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


def refuse_cross_site() -> BaseResponse | None:
    """State-changing requests must come from this server's own pages (Dash's POSTs do)."""
    if request.method in UNSAFE_METHODS and not _same_origin():
        log.warning("refused cross-site %s %s from %s", request.method, request.path, client_ip())
        return Response("跨站请求被拒绝。\n", status=403, mimetype="text/plain")
    return None


def require_login() -> BaseResponse | None:
    """With --require-login: pages redirect to /login, everything else answers 401."""
    if request.endpoint in OPEN_ENDPOINTS or current_account() is not None:
        return None
    if request.method == "GET" and request.accept_mimetypes.accept_html:
        return redirect(url_for("access.login", next=request.full_path.rstrip("?")))
    return Response("需要登录。\n", status=401, mimetype="text/plain")
