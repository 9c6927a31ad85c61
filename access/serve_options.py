"""How the dashboard's `serve` and `create_server` switch logins on (a few lines each there).

Local `serve` on a loopback address may generate a per-install secret and sends cookies
without the Secure flag (plain http://127.0.0.1 has no TLS); any other address, and every
gunicorn worker, is production: a configured secret and Secure cookies unless told otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from access.config import AccessConfigError, AccessSettings, is_loopback
from access.store import UserStore
from access.units import lead_units_in
from access.web import install_access
from progress.db import resolve_url

__all__ = ["AccessConfigError", "add_access_arguments", "install_for_production"]


def add_access_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="store URL or SQLite file of the users (default: $TASK_ATLAS_DB, ./task-atlas.db)",
    )
    parser.add_argument(
        "--require-login",
        action="store_true",
        help="every page needs a login (offices publishing internally only)",
    )
    parser.add_argument(
        "--insecure-cookies",
        action="store_true",
        help="send the login cookie over plain http on a non-local address (trusted networks only)",
    )


def install_from_args(server: Flask, args: argparse.Namespace) -> UserStore | None:
    local = is_loopback(args.host)
    settings = AccessSettings(
        db_url=resolve_url(args.db),
        require_login=args.require_login,
        secure_cookies=not (local or args.insecure_cookies),
        local=local,
        lead_units=lead_units_in(Path(args.data)),
        data_dir=Path(args.data),
    )
    if args.insecure_cookies and not local:
        print("task-atlas serve: warning: login cookies sent without TLS", file=sys.stderr)
    return install_access(server, settings)


def install_for_production(
    server: Flask,
    *,
    data_dir: str,
    db: str | None,
    require_login: bool,
    secure_cookies: bool,
    proxy_hops: int,
) -> UserStore | None:
    """Logins for a gunicorn worker; `proxy_hops` trusted reverse proxies set X-Forwarded-*."""
    if proxy_hops:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=proxy_hops, x_proto=proxy_hops, x_host=proxy_hops
        )
    settings = AccessSettings(
        db_url=resolve_url(db),
        require_login=require_login,
        secure_cookies=secure_cookies,
        local=False,
        lead_units=lead_units_in(Path(data_dir)),
        data_dir=Path(data_dir),
    )
    return install_access(server, settings)
