"""Production serving: gunicorn workers forked from one process that has loaded the data.

`task-atlas serve` runs this unless `--debug` is given (or gunicorn is not installed, then it
says so and falls back to Dash's development server). The data and the app are built once in
the master before it forks (gunicorn's preload), so workers share those pages copy-on-write
instead of each parsing the data folder, and the static files are compressed once there too.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import os
import socket
import sys
from importlib.util import find_spec
from typing import Any

from dashboard import gunicorn_conf, static_assets

MAX_WORKERS = 64
MAX_DEFAULT_WORKERS = 8  # beyond this, memory grows faster than throughput on one machine
GUNICORN_MISSING = "gunicorn is not installed (pip install 'wuhan-task-atlas[production]')"


def available_cpus() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(cpus: int | None = None) -> int:
    """gunicorn's rule of thumb, 2 × CPUs + 1: one worker computes while another waits on I/O."""
    cpus = available_cpus() if cpus is None else cpus
    return max(2, min(2 * cpus + 1, MAX_DEFAULT_WORKERS))


def worker_count(text: str) -> int:
    """argparse type of --workers: a whole number from 1 to MAX_WORKERS."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_WORKERS}")
    return value


def add_workers_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=worker_count,
        default=None,
        metavar="N",
        help=f"gunicorn worker processes (default 2 × CPUs + 1, here {default_workers()})",
    )


def gunicorn_installed() -> bool:
    return find_spec("gunicorn") is not None


def gunicorn_options(host: str, port: int, workers: int) -> dict[str, Any]:
    """The settings the launcher gives gunicorn (also what the README's command line sets)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "preload_app": gunicorn_conf.preload_app,
        "timeout": gunicorn_conf.timeout,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        # each worker's export Chromium: started in the background, closed when idle
        "post_worker_init": gunicorn_conf.post_worker_init,
        "worker_exit": gunicorn_conf.worker_exit,
    }


def _warm_views() -> None:
    """What the views' first requests would compute, done once before the workers fork."""
    from dashboard import compare_state, progress_fast  # the matcher loads only when serving

    compare_state.warm()
    progress_fast.warm()  # the 进度 view's per-data indexes and base map, likewise


def wsgi_app(data_dir: str = "data") -> Any:
    """WSGI entry for gunicorn's own command line (`gunicorn --preload ... 'dashboard.production:
    wsgi_app("/srv/task-atlas/data")'`): load once, compress the static files, return Flask."""
    from dashboard.serve import create_server  # its one-line boot error for a bad data folder

    server = create_server(data_dir)
    static_assets.warm(server)
    _warm_views()  # the default 对比 pair and the 进度 indexes, once before the workers fork
    release_freed_memory()
    return server


def release_freed_memory() -> None:
    """Hand memory freed while loading back to the system before the workers fork (glibc keeps
    it otherwise, and every worker's RSS counts it): 463 → 434 MB at ×50 (issue 13)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def serve(server: Any, *, host: str, port: int, workers: int) -> int:
    """Run gunicorn in this process on an already built Flask `server` until stopped."""
    from gunicorn.app.base import BaseApplication

    class _Atlas(BaseApplication):  # gunicorn ships no type hints: BaseApplication is Any
        def load_config(self) -> None:
            for key, value in gunicorn_options(host, port, workers).items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return server

    static_assets.warm(server)  # in the master: every forked worker shares the result
    _warm_views()  # likewise the 对比 pair (the matcher takes ~1 s a pair) and 进度 indexes
    release_freed_memory()
    _Atlas().run()
    return 0


def run_with_workers(args: argparse.Namespace, server: Any) -> int:
    """`task-atlas serve` in production mode; the caller has loaded the data and built the app."""
    workers = args.workers or default_workers()
    try:  # gunicorn would retry and log at length: say it in one line instead
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as exc:
        print(f"task-atlas serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    print(
        f"任务地图: http://{args.host}:{args.port}/  "
        f"(数据 {args.data}, {workers} 个工作进程, Ctrl+C 停止)",
        flush=True,
    )
    return serve(server, host=args.host, port=args.port, workers=workers)


def wants_workers(args: argparse.Namespace) -> bool:
    """Production mode unless --debug; without gunicorn, only an explicit --workers is an error."""
    if args.debug:
        return False
    if gunicorn_installed():
        return True
    if args.workers:
        raise ValueError(GUNICORN_MISSING)
    print(f"task-atlas serve: {GUNICORN_MISSING}; one development process", file=sys.stderr)
    return False
