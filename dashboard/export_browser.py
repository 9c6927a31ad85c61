"""The export browser's lifetime: started in the background, closed after an idle period.

An idle server used to keep its export Chromium forever after the first export, one per
gunicorn worker (~0.6 GB for 9 processes, issue 13). `manage` wraps the process-wide exporter
of dashboard/export.py: a background thread warms it (the first export of the day no longer
waits ~3 s for Chromium) and a watcher closes the browser once no export has run for
`TASK_ATLAS_EXPORT_IDLE_S` seconds (default 300). The next export starts it again.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

IDLE_ENV = "TASK_ATLAS_EXPORT_IDLE_S"
PRESTART_ENV = "TASK_ATLAS_EXPORT_PRESTART"  # "0": start the browser on the first export only
DEFAULT_IDLE_S = 300.0
MAX_IDLE_S = 86_400.0
log = logging.getLogger(__name__)


class Closable(Protocol):
    """What the lifecycle needs of dashboard.export.Exporter."""

    def render(self, fig: Any, caption: Any, fmt: str, size: str) -> bytes: ...

    def close(self) -> None: ...


def idle_seconds(environ: dict[str, str] | None = None) -> float:
    """The idle period from TASK_ATLAS_EXPORT_IDLE_S; a bad value is a one-line ValueError."""
    raw = (os.environ if environ is None else environ).get(IDLE_ENV, "").strip()
    if not raw:
        return DEFAULT_IDLE_S
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{IDLE_ENV}={raw!r} is not a number of seconds") from None
    if not 1 <= value <= MAX_IDLE_S:
        raise ValueError(f"{IDLE_ENV}={raw!r} must be between 1 and {MAX_IDLE_S:.0f} seconds")
    return value


class BrowserLifecycle:
    """Tracks the exporter's last use and closes its browser when idle for `idle_s`."""

    def __init__(
        self,
        exporter: Closable,
        idle_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._exporter = exporter
        self._render = exporter.render
        self.idle_s = idle_s
        self._clock = clock
        self.stop = threading.Event()  # set to end the watcher thread
        self._lock = threading.Lock()
        self._busy = 0
        self.open = False  # whether a browser may be running (set by a render)
        self.last_used = clock()
        self.closed_count = 0

    def render(self, fig: Any, caption: Any, fmt: str, size: str) -> bytes:
        with self._lock:
            self._busy += 1
            self.open = True
        try:
            return self._render(fig, caption, fmt, size)
        finally:
            with self._lock:
                self._busy -= 1
                self.last_used = self._clock()

    def close_now(self) -> None:
        with self._lock:
            self.open = False
        self._exporter.close()

    def close_if_idle(self) -> bool:
        """Close the browser if it is open, no render is running and the idle time has passed."""
        with self._lock:
            due = self.open and not self._busy and self._clock() - self.last_used >= self.idle_s
            if due:
                self.open = False
        if due:
            self._exporter.close()  # waits for the exporter's own lock: never mid-render
            self.closed_count += 1
            log.info("export browser closed after %.0f s idle", self.idle_s)
        return due


def warm(lifecycle: BrowserLifecycle) -> None:
    """Start the browser by rendering a tiny figure; failures are logged, the UI reports them."""
    import plotly.graph_objects as go

    from dashboard.export import ExportCaption, ExportError

    caption = ExportCaption(title="", filters_text="", zone_note=None, source="", date="")
    try:
        lifecycle.render(go.Figure(), caption, "svg", "16:9")
    except (ExportError, ValueError) as exc:
        log.warning("export browser did not start: %s", exc)


def manage(
    exporter: Closable, *, idle_s: float | None = None, start: bool = True
) -> BrowserLifecycle:
    """Put `exporter` under a lifecycle: its `render` goes through it, a daemon thread warms the
    browser (if `start`) and then checks for idleness every few seconds."""
    lifecycle = BrowserLifecycle(exporter, idle_seconds() if idle_s is None else idle_s)
    exporter.render = lifecycle.render  # type: ignore[method-assign]  # the hook: one attribute

    def _watch() -> None:
        if start:
            warm(lifecycle)
        while not lifecycle.stop.wait(min(lifecycle.idle_s / 4, 30.0)):
            lifecycle.close_if_idle()

    threading.Thread(target=_watch, name="export-browser-idle", daemon=True).start()
    return lifecycle


_MANAGED: list[BrowserLifecycle] = []


def on_worker_start(_worker: Any = None) -> None:
    """gunicorn `post_worker_init`: manage this worker's exporter, warming it in the background."""
    from dashboard.export import default_exporter

    prestart = os.environ.get(PRESTART_ENV, "1").strip() != "0"
    _MANAGED.append(manage(default_exporter(), start=prestart))


def on_worker_exit(_server: Any = None, _worker: Any = None) -> None:
    """gunicorn `worker_exit`: stop the watcher and close the browser, leaving no orphan."""
    while _MANAGED:
        lifecycle = _MANAGED.pop()
        lifecycle.stop.set()
        lifecycle.close_now()
