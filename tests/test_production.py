"""`task-atlas serve --workers N` (dashboard/production.py): gunicorn workers over preloaded data.

Issue 13: the README's gunicorn line used `-w 4` whatever the machine, and nothing preloaded.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from dashboard import production
from dashboard.serve import add_serve_arguments, run_serve

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "atlas_data"


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(argv)


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (3, 7), (4, 8), (64, 8)])
def test_default_workers_follow_the_cpu_count(cpus: int, workers: int) -> None:
    assert production.default_workers(cpus) == workers


def test_workers_option_is_bounded() -> None:
    assert _parse("--workers", "3").workers == 3
    assert _parse().workers is None  # decided from the CPU count at start
    for bad in ("0", "-1", "65", "two"):
        with pytest.raises(SystemExit):
            _parse("--workers", bad)


def test_gunicorn_settings_preload_the_app() -> None:
    options = production.gunicorn_options("127.0.0.1", 8050, 5)
    assert options["preload_app"] is True
    assert options["workers"] == 5
    assert options["bind"] == "127.0.0.1:8050"


def test_busy_port_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        code = run_serve(_parse("--data", str(FIXTURE), "--port", str(port), "--workers", "2"))
    assert code == 1  # a failure, as every command reports one (README: exit codes)
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"task-atlas serve: error: cannot listen on 127.0.0.1:{port}")
    assert "\n" not in err


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = _free_port()
    cli = [sys.executable, "-m", "cli.main", "serve", "--data", str(FIXTURE)]
    proc = subprocess.Popen(
        [*cli, "--port", str(port), "--workers", "2"],
        cwd=REPO,
        env={**os.environ, "TASK_ATLAS_EXPORT_PRESTART": "0"},  # no export Chromium needed here
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:  # wait for the port to answer
        try:
            requests.get(f"{url}/_dash-dependencies", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.2)
    try:
        yield proc, url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_serve_runs_the_asked_number_of_workers(
    served: tuple[subprocess.Popen[str], str],
) -> None:
    proc, url = served
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    page = requests.get(f"{url}/", timeout=10)
    assert page.status_code == 200
    assert "plotly-atlas.min.js" in page.text
    layout = requests.get(f"{url}/_dash-layout", headers={"Accept-Encoding": "br"}, timeout=10)
    assert layout.headers["Content-Encoding"] == "br"
    deadline = time.monotonic() + 30  # gunicorn answers once one worker is up; the next follows
    while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(workers) == 2, workers
    assert all(os.path.exists(f"/proc/{w}") for w in workers)


def test_readme_gunicorn_command_line_serves_the_app() -> None:
    """The README's gunicorn line (config module + WSGI factory) starts and serves the page."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "-c python:dashboard.gunicorn_conf" in readme
    assert "-w 4" not in readme  # the old fixed worker count
    port = _free_port()
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf", "-w", "1"]
    argv += ["-b", f"127.0.0.1:{port}", f'dashboard.production:wsgi_app("{FIXTURE}")']
    env = {**os.environ, "TASK_ATLAS_EXPORT_PRESTART": "0"}
    proc = subprocess.Popen(argv, cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        page = None
        while page is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                page = requests.get(f"http://127.0.0.1:{port}/", timeout=1)
            except requests.ConnectionError:
                time.sleep(0.2)
        assert page is not None and page.status_code == 200
        assert "plotly-atlas.min.js" in page.text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
