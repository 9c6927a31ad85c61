"""`task-atlas serve`: start the dashboard on a built data folder."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

from dashboard import production
from pipeline.defaults import DEFAULT_DATA_DIR, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from progress.db import StoreError

#: gunicorn's "worker failed to boot" code: the arbiter stops instead of respawning the worker.
WORKER_BOOT_ERROR = 3
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SHARED_NOTE = (
    "注意:--host {host} 让能访问此端口的所有人看到全部数据(无登录);"
    "只在可信的办公网络上使用,用完按 Ctrl+C 停止。"
)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `task-atlas serve` (the CLI module wires them to its subcommand)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=port_number, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="data folder written by build"
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (development)")
    production.add_workers_argument(parser)  # gunicorn workers (issue 13)

    # --- access (logins): --db, --require-login, --insecure-cookies
    from access.serve_options import add_access_arguments

    add_access_arguments(parser)


def port_number(text: str) -> int:
    """A TCP port, 1–65535 (argparse makes a ValueError a usage error, exit 2); Flask's own
    check is an AssertionError with a traceback."""
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (1–65535)")
    return port


def cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (an unknown name, a port in use), or None.

    Werkzeug reports these itself and exits, in two lines without the host; trying the address
    first gives the one line every command gives.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug does
            probe.bind(address)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def run_serve(args: argparse.Namespace) -> int:
    """Load the data once and serve it; a bad data folder is a one-line error, exit 1."""
    from dashboard.app import create_app
    from dashboard.data import DataFolderError, load_atlas

    shared = args.host not in LOOPBACK_HOSTS
    if shared and args.debug:
        print(
            f"task-atlas serve: error: --debug with --host {args.host} would let anyone on the "
            "network run code through the debugger; use --debug only on 127.0.0.1",
            file=sys.stderr,
        )
        return EXIT_USAGE
    reason = cannot_listen(args.host, args.port)
    if reason:
        print(
            f"task-atlas serve: error: cannot listen on {args.host}:{args.port}: {reason}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    try:
        data = load_atlas(args.data)
    except DataFolderError as exc:
        print(f"task-atlas serve: error: {exc}", file=sys.stderr)
        return EXIT_FAILED

    try:  # --db feeds the 进度 view's store too (one store for logins and progress)
        app = create_app(data, store_url=getattr(args, "db", None))
    except StoreError as exc:  # --db unreachable or unusable: one line, no password
        print(f"task-atlas serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # --- access (logins): refuse to start unsafely, one line, exit 2
    from access.serve_options import AccessConfigError, install_from_args

    try:
        install_from_args(app.server, args)
    except AccessConfigError as exc:
        print(f"task-atlas serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if shared and not getattr(args, "require_login", False):
        print(SHARED_NOTE.format(host=args.host), file=sys.stderr)
    if production.wants_workers(args):  # gunicorn workers sharing the loaded data (issue 13)
        return production.run_with_workers(args, app.server)
    print(f"任务地图: http://{args.host}:{args.port}/  (数据 {args.data}, Ctrl+C 停止)")
    try:
        # The dev tools' version check would call dash-version.plotly.com: keep it offline.
        app.run(
            host=args.host,
            port=args.port,
            debug=args.debug,
            dev_tools_disable_version_check=True,
        )
    except OSError as exc:  # port in use, address not available
        print(
            f"task-atlas serve: error: cannot listen on {args.host}:{args.port}: {exc}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def create_server(
    data_dir: str = str(DEFAULT_DATA_DIR),
    *,
    db: str | None = None,
    require_login: bool = False,
    secure_cookies: bool = True,
    proxy_hops: int = 0,
) -> Any:
    """WSGI entry for production, e.g. `gunicorn 'dashboard.serve:create_server("data")'`.

    Each worker loads the data once; no per-user state lives on the server (a login session
    is a signed cookie, valid on every worker that has the same secret key).
    A missing or
    malformed data folder is one line on stderr and a boot-error exit, not a traceback per
    worker (the WSGI factory is the boundary here, so it ends the process itself).
    """
    from dashboard.app import create_app
    from dashboard.data import DataFolderError, load_atlas
    from pipeline.folder import recover

    folder = Path(data_dir)
    try:
        recover(folder)
        data = load_atlas(folder)
    except (DataFolderError, OSError) as exc:
        print(f"task-atlas: cannot serve: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(WORKER_BOOT_ERROR) from None

    try:
        server = create_app(data, store_url=db).server  # --db feeds the 进度 view's store too
    except StoreError as exc:
        print(f"task-atlas: cannot serve: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(WORKER_BOOT_ERROR) from None
    # --- access (logins): production settings, never a generated secret
    from access.serve_options import install_for_production

    install_for_production(
        server,
        data_dir=data_dir,
        db=db,
        require_login=require_login,
        secure_cookies=secure_cookies,
        proxy_hops=proxy_hops,
    )
    return server
