"""Briefing exports: decorate a map figure and render it to PNG/SVG/PDF with the system Chromium.

Rendering goes through kaleido (v1, which drives Chromium over choreographer). The browser is
always the machine's own Chromium, started with networking shut off, and plotly.js comes from
the installed plotly package, so an export never reaches the internet.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import textwrap
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from dashboard.fieldkinds import BadInput
from dashboard.style import FONT_FAMILY

CJK_FONT_FAMILY = FONT_FAMILY
INSTALL_HINT = (
    "未找到 Chromium,无法导出图片;请安装:apt-get install chromium fonts-noto-cjk"
    " / Chromium not found, cannot export images; install it with"
    " `apt-get install chromium fonts-noto-cjk`"
)
SYSTEM_CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
BROWSER_ENV_VARS = ("TASK_ATLAS_CHROMIUM", "BROWSER_PATH")
# No DNS and no background services: a figure that asks for a remote resource fails fast.
OFFLINE_CHROMIUM_FLAGS = (
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)
RENDER_TIMEOUT_S = 60.0
QUEUE_TIMEOUT_S = 300.0
# mathjax=False: kaleido would otherwise load MathJax from a CDN; plotly.js then comes from the
# installed plotly package (kaleido's default when plotly is importable).
KALEIDO_OPTIONS: dict[str, Any] = {"mathjax": False, "timeout": RENDER_TIMEOUT_S}


class ExportFormat(StrEnum):
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"


class ExportSize(StrEnum):
    WIDESCREEN = "16:9"
    A4 = "a4"
    A3 = "a3"


def checked_export(fmt: Any, size: Any) -> tuple[ExportFormat, ExportSize]:
    """The format and size an export request names, refused with a 400 (BadInput) when they
    are not ones the export offers; every view's 导出图片 checks them here."""
    if not isinstance(fmt, str) or fmt not in set(ExportFormat):
        raise BadInput(f"导出格式：应为 {'、'.join(ExportFormat)} 之一")
    if not isinstance(size, str) or size not in set(ExportSize):
        raise BadInput(f"导出尺寸：应为 {'、'.join(ExportSize)} 之一")
    return ExportFormat(fmt), ExportSize(size)


@dataclass(frozen=True)
class PageSpec:
    """Layout size in CSS px (96 per inch, so A4/A3 PDFs are true paper size) and PNG pixels."""

    layout_width: int
    layout_height: int
    png_width: int
    png_height: int
    base_font: int
    title_font: int


# The only sizes an export can have: no request can ask for an arbitrary pixel count.
PAGES: dict[ExportSize, PageSpec] = {
    ExportSize.WIDESCREEN: PageSpec(1280, 720, 1920, 1080, 16, 30),
    ExportSize.A4: PageSpec(1123, 794, 3508, 2480, 13, 24),  # 297×210 mm; PNG at 300 dpi
    ExportSize.A3: PageSpec(1588, 1123, 4961, 3508, 17, 32),  # 420×297 mm; PNG at 300 dpi
}


@dataclass(frozen=True)
class ExportCaption:
    title: str
    filters_text: str
    zone_note: str | None
    source: str
    date: str
    notes: tuple[str, ...] = ()  # more footer lines, e.g. the 进度 export's light rule in words


class ExportError(RuntimeError):
    """An export could not be rendered."""


class ExportUnavailable(ExportError):
    """No usable Chromium on this machine: server-side export is switched off."""


def parse_format(value: str) -> ExportFormat:
    """Validate a user-given format name (case-insensitive)."""
    try:
        return ExportFormat(value.strip().lower())
    except ValueError:
        allowed = ", ".join(f.value for f in ExportFormat)
        raise ValueError(f"unknown export format {value!r}; allowed: {allowed}") from None


def parse_size(value: str) -> ExportSize:
    """Validate a user-given size preset (case-insensitive)."""
    try:
        return ExportSize(value.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in ExportSize)
        raise ValueError(f"unknown export size {value!r}; allowed: {allowed}") from None


def png_scale(page: PageSpec) -> float:
    """Scale that makes Chromium's canvas exactly png_width × png_height.

    The canvas size is layout size × scale, cut to whole pixels, so pick the middle of the
    interval where both products land in [target, target + 0.5).
    """
    low = max(page.png_width / page.layout_width, page.png_height / page.layout_height)
    high = min(
        (page.png_width + 0.5) / page.layout_width, (page.png_height + 0.5) / page.layout_height
    )
    if high <= low:
        raise ValueError(f"no exact PNG scale for {page}")
    return (low + high) / 2


def render_options(fmt: ExportFormat, size: ExportSize) -> dict[str, Any]:
    """kaleido layout options: PNG is scaled to its pixel preset, vector formats stay 1:1."""
    page = PAGES[size]
    scale = png_scale(page) if fmt is ExportFormat.PNG else 1.0
    return {
        "format": fmt.value,
        "width": page.layout_width,
        "height": page.layout_height,
        "scale": scale,
    }


def _wrap(text: str, page: PageSpec, max_lines: int = 3) -> list[str]:
    """Break the filter description into lines that fit the page (a CJK glyph is ~1 em wide)."""
    width = max(20, int(page.layout_width * 0.9 / page.base_font))
    return textwrap.wrap(text, width=width, max_lines=max_lines, placeholder=" …") or [""]


def _footer(caption: ExportCaption, page: PageSpec) -> list[dict[str, Any]]:
    """Zone note, then source and data date, each on its own lines under the map (the source
    wraps instead of running into the note)."""
    small = {"size": page.base_font - 2, "color": "#555555"}
    common = {"xref": "paper", "yref": "paper", "y": 0, "yanchor": "top", "showarrow": False}
    width = max(20, int(page.layout_width * 0.95 / (page.base_font - 2)))
    source = f"数据来源：{caption.source}　|　数据日期：{caption.date}"
    lines = textwrap.wrap(source, width=width, max_lines=2, placeholder=" …")
    notes = []
    shift = page.base_font
    for note in caption.notes:
        wrapped = textwrap.wrap(note, width=width, max_lines=2, placeholder=" …")
        notes.append(
            {**common, "x": 0, "xanchor": "left", "yshift": -shift, "align": "left",
             "font": small, "text": "<br>".join(wrapped)}
        )  # fmt: skip
        shift += int(page.base_font * 1.25 * len(wrapped))
    if caption.zone_note:
        notes.append(
            {**common, "x": 0, "xanchor": "left", "yshift": -shift, "align": "left",
             "font": {**small, "color": "#8a4b08"}, "text": caption.zone_note}
        )  # fmt: skip
        shift += int(page.base_font * 1.4)
    notes.append(
        {**common, "x": 0, "xanchor": "left", "yshift": -shift, "align": "left",
         "font": small, "text": "<br>".join(lines)}
    )  # fmt: skip
    return notes


def _readable_scales(fig: go.Figure, page: PageSpec) -> None:
    """Legend and colour bars sized for print, on the copy being decorated."""
    bar = {
        "tickfont": {"size": page.base_font},
        "title": {"font": {"size": page.base_font}},
        "thickness": page.base_font + 6,
        "len": 0.4,
        "xpad": 10,  # plotly's default: a page has no mode bar to keep clear of
    }
    for trace in fig.data:
        if "colorbar" in trace:
            trace.update(colorbar=bar)
    for axis in fig.select_coloraxes():
        axis.update(colorbar=bar)
    fig.update_layout(
        legend={"font": {"size": page.base_font}, "bgcolor": "rgba(255,255,255,0.85)"}
    )


def decorate_for_export(fig: go.Figure, caption: ExportCaption, size: ExportSize) -> go.Figure:
    """A copy of the figure with title, filters, notes, source and date for a briefing deck."""
    page = PAGES[size]
    out = go.Figure(fig)
    lines = _wrap(caption.filters_text, page)
    top = int(page.title_font * 1.6 + len(lines) * page.base_font * 1.5 + page.base_font * 1.5)
    out.update_layout(
        width=page.layout_width,
        height=page.layout_height,
        font={"family": CJK_FONT_FAMILY, "size": page.base_font, "color": "#222222"},
        paper_bgcolor="white",
        margin={
            "t": top,
            "b": int(page.base_font * (5.5 + 2.5 * len(caption.notes))),
            "l": page.base_font * 2,
            "r": page.base_font * 4,
        },
        title={
            "text": f"<b>{caption.title}</b>",
            "font": {"size": page.title_font},
            "subtitle": {"text": "<br>".join(lines), "font": {"size": page.base_font}},
            "x": 0.02,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": page.base_font},
        },
    )
    _readable_scales(out, page)
    framed = isinstance(out.layout.meta, dict) and "framed" in out.layout.meta
    if (
        "geo2" in out.layout and not framed
    ):  # a landscape page: city map and central-city inset side by side
        from dashboard.figures import apply_updates, export_page_layout

        out = go.Figure(apply_updates(out.to_dict(), export_page_layout()))
    if caption.zone_note:  # the footer carries the note: do not print it twice
        out.layout.annotations = [a for a in out.layout.annotations if a.text != caption.zone_note]
    for note in _footer(caption, page):
        out.add_annotation(note)
    return out


def find_chromium(browser_path: str | None = None) -> str:
    """The system Chromium: an explicit path, then $TASK_ATLAS_CHROMIUM / $BROWSER_PATH, then PATH.

    A browser that kaleido/choreographer downloaded is never used (offline first).
    """
    explicit = browser_path or next(
        (os.environ[v] for v in BROWSER_ENV_VARS if v in os.environ), None
    )
    if explicit:
        candidates: tuple[str, ...] = (explicit,)
    else:
        found = (shutil.which("chromium"), shutil.which("chromium-browser"))
        candidates = (*SYSTEM_CHROMIUM_PATHS, *(p for p in found if p))
    for candidate in candidates:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ExportUnavailable(f"{INSTALL_HINT} (looked for: {', '.join(candidates)})")


class _KaleidoSession:
    """A warm kaleido browser driven from its own event-loop thread."""

    def __init__(self, browser_path: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        try:
            self._kaleido = self._call(self._open(browser_path), RENDER_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise

    @staticmethod
    async def _open(browser_path: str) -> Any:
        import kaleido
        from choreographer.browsers.chromium import Chromium

        class OfflineChromium(Chromium):
            def get_cli(self) -> list[str]:
                return [*super().get_cli(), *OFFLINE_CHROMIUM_FLAGS]

        k = kaleido.Kaleido(path=browser_path, browser_cls=OfflineChromium, **KALEIDO_OPTIONS)
        await k.open()
        return k

    def _call(self, coro: Any, timeout: float) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=timeout)

    def render(self, fig: dict[str, Any], opts: dict[str, Any]) -> bytes:
        data = self._call(self._kaleido.calc_fig(fig, opts=opts), RENDER_TIMEOUT_S + 10)
        return bytes(data)

    def close(self) -> None:
        try:
            self._call(self._kaleido.close(), 30)
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


class Exporter:
    """Renders exports one at a time through one warm Chromium; concurrent callers queue."""

    def __init__(self, browser_path: str | None = None, queue_timeout: float = QUEUE_TIMEOUT_S):
        self._browser_path = browser_path
        self._queue_timeout = queue_timeout
        self._lock = threading.Lock()
        self._session: _KaleidoSession | None = None

    def render(self, fig: go.Figure, caption: ExportCaption, fmt: str, size: str) -> bytes:
        """Validate, decorate and render; raises ValueError, ExportUnavailable or ExportError."""
        export_format, export_size = parse_format(fmt), parse_size(size)
        decorated = decorate_for_export(fig, caption, export_size)
        content = self._render(decorated.to_dict(), render_options(export_format, export_size))
        if export_format is ExportFormat.PDF:  # searchable Chinese text, our title in the metadata
            from dashboard.pdf_text import fix_pdf

            content = fix_pdf(content, caption.title)
        return content

    def _render(self, fig: dict[str, Any], opts: dict[str, Any]) -> bytes:
        if not self._lock.acquire(timeout=self._queue_timeout):
            raise ExportError("导出队列繁忙,请稍后再试 / export queue busy, try again later")
        try:
            session = self._session or self._start()
            try:
                return session.render(fig, opts)
            except Exception as exc:  # a crashed or hung browser is restarted next time
                self._close_session()
                raise ExportError(f"导出失败 / export failed: {exc!r}") from exc
        finally:
            self._lock.release()

    def _start(self) -> _KaleidoSession:
        path = find_chromium(self._browser_path)
        try:
            self._session = _KaleidoSession(path)
        except Exception as exc:
            raise ExportUnavailable(f"{INSTALL_HINT} ({path}: {exc!r})") from exc
        return self._session

    def _close_session(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            with contextlib.suppress(Exception):  # the browser may already be gone
                session.close()

    def close(self) -> None:
        """Stop the warm browser (it restarts on the next render)."""
        with self._lock:
            self._close_session()


_DEFAULT: dict[str | None, Exporter] = {}
_DEFAULT_LOCK = threading.Lock()


def default_exporter() -> Exporter:
    """The process-wide exporter for the current browser setting, created on first use."""
    key = next((os.environ[v] for v in BROWSER_ENV_VARS if v in os.environ), None)
    with _DEFAULT_LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = Exporter()
            atexit.register(_DEFAULT[key].close)
        return _DEFAULT[key]


def render_export(fig: go.Figure, caption: ExportCaption, fmt: str, size: str) -> bytes:
    """PNG/SVG/PDF bytes of the decorated figure, rendered by the shared warm exporter."""
    return default_exporter().render(fig, caption, fmt, size)
