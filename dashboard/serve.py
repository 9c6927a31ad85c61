"""`task-atlas serve`: start the dashboard on a built data folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dashboard import production
from pipeline.defaults import DEFAULT_DATA_DIR, EXIT_FAILED, EXIT_OK, EXIT_USAGE

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
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="data folder written by build"
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (development)")
    production.add_workers_argument(parser)  # gunicorn workers (issue 13)


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
    try:
        data = load_atlas(args.data)
    except DataFolderError as exc:
        print(f"task-atlas serve: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    app = create_app(data)
    if shared:
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


def create_server(data_dir: str = str(DEFAULT_DATA_DIR)) -> Any:
    """WSGI entry for production, e.g. `gunicorn 'dashboard.serve:create_server("data")'`.

    Each worker loads the data once; no per-user state lives on the server. A missing or
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
    return create_app(data).server
