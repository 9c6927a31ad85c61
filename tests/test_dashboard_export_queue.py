"""Export admission: a bounded number of slots across processes, one per client, BUSY past it."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from dash import no_update

from dashboard import export_queue
from dashboard.app import create_app
from dashboard.data import AtlasData
from dashboard.export_queue import BUSY, ExportQueue
from tests import callback_probe


def _blocking_job(started: threading.Event, release: threading.Event) -> Any:
    def job() -> dict[str, Any]:
        started.set()
        release.wait(10)
        return {"download": "done", "notice": ""}

    return job


def _hold(queue: ExportQueue, client: str) -> tuple[threading.Thread, threading.Event, list[Any]]:
    started, release, out = threading.Event(), threading.Event(), []
    thread = threading.Thread(
        target=lambda: out.append(queue.run(client, _blocking_job(started, release)))
    )
    thread.start()
    assert started.wait(5)
    return thread, release, out


def test_past_the_slots_a_request_is_told_busy_at_once(tmp_path: Path) -> None:
    queue = ExportQueue(slots=1, lock_dir=tmp_path)
    thread, release, out = _hold(queue, "10.0.0.1")
    busy = queue.run("10.0.0.2", lambda: pytest.fail("must not run"))
    assert busy == {"download": no_update, "notice": BUSY}
    release.set()
    thread.join(5)
    assert out == [{"download": "done", "notice": ""}]
    assert queue.run("10.0.0.2", lambda: {"download": "ok", "notice": ""})["download"] == "ok"


def test_one_export_per_client_even_with_free_slots(tmp_path: Path) -> None:
    queue = ExportQueue(slots=3, lock_dir=tmp_path)
    thread, release, _ = _hold(queue, "10.0.0.1")
    assert queue.run("10.0.0.1", lambda: pytest.fail("must not run"))["notice"] == BUSY
    assert queue.run("10.0.0.9", lambda: {"download": 1, "notice": ""})["download"] == 1
    release.set()
    thread.join(5)


def test_slots_are_shared_between_processes(tmp_path: Path) -> None:
    """A gunicorn worker holding the only slot makes the others answer BUSY."""
    code = (
        "import fcntl, sys, time; f = open(sys.argv[1], 'a');"
        "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "slot-0.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "held"
        queue = ExportQueue(slots=1, lock_dir=tmp_path)
        assert queue.run("10.0.0.1", lambda: pytest.fail("must not run"))["notice"] == BUSY
    finally:
        other.communicate("", timeout=10)
    assert ExportQueue(slots=1, lock_dir=tmp_path).run("x", lambda: {"notice": ""}) == {
        "notice": ""
    }


def test_slots_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASK_ATLAS_EXPORT_SLOTS", "2")
    assert ExportQueue.from_env().slots == 2
    monkeypatch.setenv("TASK_ATLAS_EXPORT_SLOTS", "many")
    with pytest.raises(ValueError, match="TASK_ATLAS_EXPORT_SLOTS"):
        ExportQueue.from_env()


def test_export_button_answers_busy_while_another_export_runs(
    atlas_data: AtlasData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_queue, "LOCK_DIR", tmp_path)
    client = create_app(atlas_data).server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith("..export-download.href"))
    body = callback_probe.base_body(dep)
    for entry in body["state"]:
        entry["value"] = {"export-format": "png", "export-size": "a3"}.get(entry["id"])
    with (tmp_path / "slot-0.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another worker is rendering
        response = client.post(callback_probe.PATH, json=body)
    assert response.status_code == 200
    assert response.get_json()["response"]["export-notice"]["children"] == BUSY
