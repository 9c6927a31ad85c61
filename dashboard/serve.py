"""`task-atlas serve`: start the dashboard on a built data folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dashboard import production

DEFAULT_DATA_DIR = Path("data")


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `task-atlas serve` (the CLI module wires them to its subcommand)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="data folder written by build"
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (development)")
    production.add_workers_argument(parser)  # gunicorn workers (issue 13)


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
        print(f"task-atlas serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    return 0


def create_server(data_dir: str = str(DEFAULT_DATA_DIR)) -> Any:
    """WSGI entry for production, e.g. `gunicorn -w 4 'dashboard.serve:create_server("data")'`.

    Each worker loads the data once; no per-user state lives on the server.
    """
    from dashboard.app import create_app
    from dashboard.data import load_atlas

    return create_app(load_atlas(Path(data_dir))).server
