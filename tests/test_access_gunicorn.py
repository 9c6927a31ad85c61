"""Real gunicorn, two workers, one SQLite store and one secret: a login works on both workers.

The access log records the worker pid of each request; the test keeps asking with the login
cookie until both workers have answered, and every answer must be the admin page.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from access.store import UserStore
from tests.access_helpers import FIXTURE, PASSWORD, SECRET, cheap_hashes, db_url, populated, store

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(condition: object, timeout: float, what: str) -> None:
    """Poll `condition()` until truthy (a wait-for condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(url: str) -> bool:
    try:
        requests.get(url, timeout=2)
    except requests.RequestException:  # not listening yet, or a worker still booting
        return False
    return True


@pytest.fixture
def gunicorn_url(populated: UserStore, db_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if not GUNICORN.exists() and not shutil.which("gunicorn"):
        pytest.skip("gunicorn not installed (pip install -e '.[dev]')")
    port = _free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "TASK_ATLAS_SECRET_KEY": SECRET, "TASK_ATLAS_DB": db_url}
    app = f'dashboard.serve:create_server("{FIXTURE}", require_login=True, secure_cookies=False)'
    argv = [str(GUNICORN), "-w", "2", "-b", f"127.0.0.1:{port}", "--access-logfile", str(log),
            "--access-logformat", "%(p)s %(s)s %(U)s", app]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: proc.poll() is not None or _answers(url + "/login"), 90, "gunicorn")
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        yield url, log
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _worker_pids(log: Path, status: str, path: str) -> set[str]:
    lines = log.read_text().splitlines() if log.exists() else []
    return {
        pid for pid, st, p in (line.split(" ", 2) for line in lines) if (st, p) == (status, path)
    }


def test_a_login_on_one_worker_is_good_on_the_other(gunicorn_url: tuple[str, Path]) -> None:
    url, log = gunicorn_url
    anonymous = requests.get(f"{url}/admin/users", timeout=10, allow_redirects=False)
    assert (
        anonymous.status_code == 302 and "/login?next=/admin/users" in anonymous.headers["Location"]
    )
    session = requests.Session()
    response = session.post(
        f"{url}/login",
        data={"name": "root", "password": PASSWORD},
        headers={"Origin": url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303 and "task_atlas_session" in session.cookies
    statuses: list[int] = []

    def both_workers_answered() -> bool:
        # a new connection each time, so gunicorn may hand it to either worker
        got = requests.get(
            f"{url}/admin/users", cookies=session.cookies, timeout=10, allow_redirects=False
        )
        statuses.append(got.status_code)
        return len(_worker_pids(log, "200", "/admin/users")) >= 2

    _wait_for(both_workers_answered, 60, "both workers to serve the logged-in user")
    assert set(statuses) == {200}
    assert len(_worker_pids(log, "200", "/admin/users")) == 2
