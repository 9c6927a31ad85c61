"""The export browser's lifetime (dashboard/export_browser.py): closed when idle, reopened on use.

Issue 13: an idle server kept its export Chromium forever after the first export.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dashboard.export_browser import BrowserLifecycle, idle_seconds

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "atlas_data"


class FakeExporter:
    def __init__(self) -> None:
        self.renders = 0
        self.closes = 0
        self.during_render: Any = None

    def render(self, fig: Any, caption: Any, fmt: str, size: str) -> bytes:
        self.renders += 1
        if self.during_render:
            self.during_render()
        return b"img"

    def close(self) -> None:
        self.closes += 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_closes_after_the_idle_period_and_reopens_on_use() -> None:
    exporter, clock = FakeExporter(), Clock()
    life = BrowserLifecycle(exporter, idle_s=60, clock=clock)
    assert life.close_if_idle() is False  # nothing started yet: nothing to close
    assert life.render(None, None, "png", "16:9") == b"img"
    clock.now += 59
    assert life.close_if_idle() is False
    clock.now += 1
    assert life.close_if_idle() is True
    assert exporter.closes == 1
    clock.now += 600
    assert life.close_if_idle() is False  # already closed: not closed twice
    life.render(None, None, "png", "16:9")
    clock.now += 60
    assert life.close_if_idle() is True
    assert (exporter.renders, exporter.closes) == (2, 2)


def test_never_closes_during_a_render() -> None:
    exporter, clock = FakeExporter(), Clock()
    life = BrowserLifecycle(exporter, idle_s=1, clock=clock)
    seen: list[bool] = []

    def check() -> None:
        clock.now += 100  # a long render
        seen.append(life.close_if_idle())

    exporter.during_render = check
    life.render(None, None, "png", "16:9")
    assert seen == [False]
    assert exporter.closes == 0
    assert life.close_if_idle() is False  # idle time counts from the end of the render


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 300.0), ("", 300.0), ("5", 5.0), ("1.5", 1.5)]
)
def test_idle_period_from_the_environment(value: str | None, expected: float) -> None:
    env = {} if value is None else {"TASK_ATLAS_EXPORT_IDLE_S": value}
    assert idle_seconds(env) == expected


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1e9"])
def test_bad_idle_period_is_a_clear_error(value: str) -> None:
    with pytest.raises(ValueError, match="TASK_ATLAS_EXPORT_IDLE_S"):
        idle_seconds({"TASK_ATLAS_EXPORT_IDLE_S": value})


def _tree(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of every process below `pid`."""
    parents: dict[int, list[tuple[int, str]]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append((int(stat.parent.name), name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child[0])
    return out


def _until(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)  # polling /proc: there is no event to wait on
    return False


@pytest.mark.export
def test_server_starts_its_export_browser_and_closes_it_when_idle() -> None:
    if not shutil.which("chromium"):
        pytest.skip("system Chromium not installed")
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    env = {**os.environ, "TASK_ATLAS_EXPORT_IDLE_S": "3"}
    cli = [sys.executable, "-m", "cli.main", "serve", "--data", str(FIXTURE), "--workers", "1"]
    proc = subprocess.Popen([*cli, "--port", str(port)], cwd=REPO, env=env)
    try:

        def browsers() -> int:
            return sum(1 for _, name in _tree(proc.pid) if "chrom" in name.lower())

        assert _until(lambda: browsers() > 0, 90), "no export Chromium started in the background"
        assert _until(lambda: browsers() == 0, 90), "export Chromium still running when idle"
        assert proc.poll() is None  # the server itself keeps running
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert _tree(proc.pid) == []


@pytest.mark.export
def test_stopping_the_server_leaves_no_export_browser_behind() -> None:
    if not shutil.which("chromium"):
        pytest.skip("system Chromium not installed")
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    env = {**os.environ, "TASK_ATLAS_EXPORT_IDLE_S": "600"}
    cli = [sys.executable, "-m", "cli.main", "serve", "--data", str(FIXTURE), "--workers", "1"]
    proc = subprocess.Popen([*cli, "--port", str(port)], cwd=REPO, env=env)
    seen: set[int] = set()
    try:

        def chromium_started() -> bool:
            seen.update(pid for pid, name in _tree(proc.pid) if "chrom" in name.lower())
            return bool(seen)

        assert _until(chromium_started, 90), "no export Chromium started in the background"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert _until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in seen), 30), seen
