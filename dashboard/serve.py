"""`task-atlas serve`: start the dashboard on a built data folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = Path("data")


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `task-atlas serve` (the CLI module wires them to its subcommand)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="data folder written by build"
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (development)")
    # --- access (logins): --db, --require-login, --insecure-cookies
    from access.serve_options import add_access_arguments

    add_access_arguments(parser)


def run_serve(args: argparse.Namespace) -> int:
    """Load the data once and serve it; a bad data folder is a one-line error, exit 2."""
    from dashboard.app import create_app
    from dashboard.data import DataFolderError, load_atlas

    try:
        data = load_atlas(args.data)
    except DataFolderError as exc:
        print(f"task-atlas serve: {exc}", file=sys.stderr)
        return 2
    app = create_app(data)
    # --- access (logins): refuse to start unsafely, one line, exit 2
    from access.serve_options import AccessConfigError, install_from_args

    try:
        install_from_args(app.server, args)
    except AccessConfigError as exc:
        print(f"task-atlas serve: {exc}", file=sys.stderr)
        return 2
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
        print(f"task-atlas serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    return 0


def create_server(
    data_dir: str = str(DEFAULT_DATA_DIR),
    *,
    db: str | None = None,
    require_login: bool = False,
    secure_cookies: bool = True,
    proxy_hops: int = 0,
) -> Any:
    """WSGI entry for production, e.g. `gunicorn -w 4 'dashboard.serve:create_server("data")'`.

    Each worker loads the data once; no per-user state lives on the server (a login session
    is a signed cookie, valid on every worker that has the same secret key).
    """
    from dashboard.app import create_app
    from dashboard.data import load_atlas

    server = create_app(load_atlas(Path(data_dir))).server
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
