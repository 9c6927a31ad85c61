"""`task-atlas report`: a district (or zone) report as a paged PDF with searchable text.

The map of the place (the one export assembly, framed on the place), then every task of the
place under the filters, grouped by plan and sector. The page is plain HTML (every task text
escaped, no script) printed to PDF by the system Chromium with networking off, fonts from
fonts-noto-cjk; pdf_text.fix_pdf then makes the Chinese text extract as typed.
"""

from __future__ import annotations

import argparse
import base64
import html
import subprocess
import tempfile
from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.data import AtlasData
from dashboard.export import OFFLINE_CHROMIUM_FLAGS, ExportError, find_chromium, render_export
from dashboard.export_cli import UsageError, add_file_arguments, run_file_command
from dashboard.filters import Filters
from dashboard.pdf_text import fix_pdf
from dashboard.place_export import PlaceExport, place_export
from dashboard.style import FONT_FAMILY

PRINT_TIMEOUT_S = 120
MAX_TASKS = 2000  # a report never grows past this many tasks (the corpus has 834)
CSS = f"""
@page {{ size: A4; margin: 16mm 14mm 18mm; }}
body {{ font-family: {FONT_FAMILY}; color: #1f2d3d; font-size: 10.5pt; line-height: 1.5; }}
h1 {{ font-size: 20pt; margin: 0 0 4pt; }}
.caption {{ color: #5b6b7c; margin-bottom: 8pt; }}
img.map {{ width: 100%; border: 1px solid #dde3ea; }}
h2 {{ font-size: 14pt; border-bottom: 1.5px solid #2f6fb0; margin: 14pt 0 4pt;
      break-after: avoid; }}
h3 {{ font-size: 11.5pt; color: #2f6fb0; margin: 8pt 0 2pt; break-after: avoid; }}
ol {{ margin: 0; padding-left: 0; list-style: none; }}
li {{ margin: 0 0 5pt; break-inside: avoid; }}
.no {{ display: inline-block; min-width: 2.2em; font-weight: bold; }}
.units, .links {{ color: #5b6b7c; font-size: 9pt; margin-left: 2.2em; }}
.footer {{ color: #5b6b7c; font-size: 8.5pt; margin-top: 12pt; }}
"""


def _task_html(row: dict[Any, Any]) -> str:
    units = f"牵头：{row['lead_units'] or '—'}"
    if row["responsible_units"]:
        units += f"；责任：{row['responsible_units']}"
    return (
        f"<li><span class='no'>{html.escape(row['item_no'] or '·')}</span>"
        f"{html.escape(row['text'])}<div class='units'>{html.escape(units)}</div>"
        f"<div class='links'>{html.escape(row['links'])}</div></li>"
    )


def tasks_html(tasks: pd.DataFrame) -> str:
    """Tasks grouped by plan, then sector (rows arrive sorted so), as escaped HTML."""
    blocks = []
    records = tasks.head(MAX_TASKS).to_dict("records")
    for plan, by_plan in groupby(records, key=lambda r: r["plan"]):
        items = list(by_plan)
        blocks.append(f"<h2>{html.escape(str(plan))}（{len(items)} 项）</h2>")
        for sector, by_sector in groupby(items, key=lambda r: r["sector"]):
            rows = list(by_sector)
            blocks.append(f"<h3>{html.escape(str(sector))}（{len(rows)} 项）</h3>")
            blocks.append("<ol>" + "".join(_task_html(r) for r in rows) + "</ol>")
    return "".join(blocks) or "<p>该地点没有符合当前筛选条件的任务。</p>"


def report_html(export: PlaceExport, map_png: bytes) -> str:
    caption = export.view.caption
    image = base64.b64encode(map_png).decode()
    note = f"<div>{html.escape(caption.zone_note)}</div>" if caption.zone_note else ""
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{html.escape(caption.title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{html.escape(caption.title)}</h1>"
        f"<div class='caption'>{html.escape(caption.filters_text)}</div>"
        f"<img class='map' alt='地图' src='data:image/png;base64,{image}'>"
        f"{tasks_html(export.tasks)}"
        f"<div class='footer'>{note}<div>数据来源：{html.escape(caption.source)}　|　"
        f"数据日期：{html.escape(caption.date)}</div></div></body></html>"
    )


def print_pdf(page: str, browser_path: str | None = None) -> bytes:
    """HTML → PDF with the system Chromium (headless, offline, no header/footer)."""
    chromium = find_chromium(browser_path)
    # Chromium's helpers can still be writing to the profile as the folder is removed: a
    # leftover temp folder is harmless, a traceback after the PDF was written is not.
    with tempfile.TemporaryDirectory(
        prefix="task-atlas-report-", ignore_cleanup_errors=True
    ) as tmp:
        source, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        cmd = [
            chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", *OFFLINE_CHROMIUM_FLAGS, "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", source.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExportError(f"报告生成超时 / report timed out ({PRINT_TIMEOUT_S}s)") from exc
        if not out.is_file() or out.stat().st_size == 0:
            raise ExportError("报告生成失败 / Chromium wrote no PDF")
        return out.read_bytes()


def build_report(data: AtlasData, filters: Filters, place: str) -> bytes:
    """The report PDF of `place` under `filters` (searchable, titled)."""
    export = place_export(data, filters, place)
    view = export.view
    png = render_export(view.figure, view.caption, "png", "16:9")
    return fix_pdf(print_pdf(report_html(export, png)), view.caption.title)


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    add_file_arguments(parser, "FILE.pdf", "PDF file")


def _report_of(data: AtlasData, filters: Filters) -> bytes:
    """The report of the --place the filters name (required: a report is about one place)."""
    if not filters.place:
        raise UsageError("--place is required (a district or zone)")
    return build_report(data, filters, filters.place)


def run_report(args: argparse.Namespace) -> int:
    """`task-atlas report --place NAME [filters] --out FILE.pdf`."""
    return run_file_command("report", args, ".pdf", _report_of)
