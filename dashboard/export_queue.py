"""Admission for server-side image exports, so they never starve interactive requests.

An A3 export keeps a request worker and a Chromium busy for seconds; twenty of them used to
hold every gunicorn sync worker (issue 7: dashboard updates stalled up to 12.2 s). Exports
therefore run only in a fixed number of *slots*, shared by all server processes through lock
files (`fcntl.flock`, released by the kernel even when a worker dies), and one client holds at
most one slot. A request that finds no free slot is answered at once with `BUSY` instead of
waiting in a worker, so the workers stay free for the map, the panel and the downloads.

Keep `slots` below the number of request workers (gunicorn `-w`); the default is 1.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from dash import no_update

BUSY = "导出繁忙,请稍后再试。"
SLOTS_ENV = "TASK_ATLAS_EXPORT_SLOTS"
LOCK_DIR = Path(tempfile.gettempdir()) / "task-atlas-export-locks"


@contextlib.contextmanager
def _try_lock(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on `path` if it is free right now; yield whether we got it."""
    handle: IO[str] = path.open("a")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


class ExportQueue:
    """At most `slots` exports at once (across processes), at most one per client."""

    def __init__(self, slots: int = 1, lock_dir: Path = LOCK_DIR) -> None:
        if slots < 1:
            raise ValueError(f"export slots must be at least 1, not {slots}")
        self.slots = slots
        self.lock_dir = lock_dir
        lock_dir.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_env(cls) -> ExportQueue:
        """Slots from TASK_ATLAS_EXPORT_SLOTS (default 1)."""
        raw = os.environ.get(SLOTS_ENV, "1")
        try:
            return cls(int(raw), LOCK_DIR)
        except ValueError:
            raise ValueError(f"{SLOTS_ENV}={raw!r}: expected a whole number ≥ 1") from None

    def run(self, client: str, job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """`job()` in a free slot, or the BUSY notice at once when the client or all slots are
        busy. `job` returns the export callback's named outputs."""
        key = hashlib.sha256(client.encode()).hexdigest()[:16]
        with _try_lock(self.lock_dir / f"client-{key}.lock") as mine:
            if not mine:
                return {"download": no_update, "notice": BUSY}
            with contextlib.ExitStack() as stack:
                for i in range(self.slots):
                    if stack.enter_context(_try_lock(self.lock_dir / f"slot-{i}.lock")):
                        return job()
                return {"download": no_update, "notice": BUSY}
