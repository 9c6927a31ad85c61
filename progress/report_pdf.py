"""The 通报 as a PDF with searchable Chinese text: HTML printed by the system Chromium.

Every text is HTML-escaped (untrusted text never becomes markup); the map is embedded as a
data URI; Chromium runs headless with networking shut off, fonts from fonts-noto-cjk.
"""

from __future__ import annotations

import base64
import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from progress.report import Report, Table
from progress.workbook import DEMO_MARK

CHROMIUM_ENV = "TASK_ATLAS_CHROMIUM"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # root in containers; the page is our own escaped HTML
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
PRINT_TIMEOUT_S = 120
CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; }
h1 { text-align: center; font-size: 18pt; } .sub { text-align: center; color: #555; }
h2 { font-size: 13pt; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: .5em 0; }
th, td { border: 1px solid #888; padding: 2px 4px; } th { background: #eee; }
img { width: 100%; } .demo { color: #b00; font-weight: bold; text-align: center; }
"""


class PdfUnavailable(ValueError):
    """No Chromium to print with; the message says how to install it."""


def find_chromium() -> str:
    for candidate in (os.environ.get(CHROMIUM_ENV), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise PdfUnavailable("未找到 Chromium,无法生成 PDF;请 apt-get install chromium fonts-noto-cjk")


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def report_html(report: Report, map_png: bytes | None = None) -> str:
    parts = [f"<h1>{html.escape(report.title)}</h1><p class=sub>{html.escape(report.subtitle)}</p>"]
    if report.demo:
        parts.append(f"<p class=demo>{DEMO_MARK}</p>")
    for section in report.sections:
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in section.paragraphs]
        parts += [_table(t) for t in section.tables]
        if section.image and map_png:
            data = base64.b64encode(map_png).decode("ascii")
            parts.append(f'<img alt="进度分布图" src="data:image/png;base64,{data}">')
    body = "\n".join(parts)
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">"
        f"<style>{CSS}</style></head><body>{body}</body></html>"
    )


def write_pdf(report: Report, path: Path, map_png: bytes | None = None) -> None:
    """Print the report's HTML to `path` with headless Chromium."""
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="task-atlas-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(report_html(report, map_png), encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        cmd = [
            browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}", page.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(
                f"Chromium did not finish printing in {PRINT_TIMEOUT_S} s"
            ) from None
        if not out.is_file() or out.stat().st_size == 0:
            raise PdfUnavailable(f"Chromium ({browser}) did not write the PDF")
        tmp_out = path.with_name(f".{path.name}.tmp")
        shutil.copyfile(out, tmp_out)
        tmp_out.replace(path)
