"""`task-atlas progress report`: the 通报 as .docx or .pdf, with the status map if Chromium is here.

Lives in cli/ because the map comes from the dashboard's figure builders and exporter.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

SUFFIXES = (".docx", ".pdf")


def _map_png(view: Any, tables: Any, data_dir: Any) -> bytes | None:
    """The status map (滞后 per place) as PNG, or None with a warning when it cannot be drawn."""
    import plotly.graph_objects as go

    from dashboard.data import DataFolderError, load_atlas
    from dashboard.export import ExportCaption, ExportError, render_export
    from dashboard.progress_figures import Metric, progress_map

    try:
        data = load_atlas(data_dir)
        fig = progress_map(view, data, Metric.BEHIND)
        caption = ExportCaption(
            title=f"{view.quarter.label}滞后任务分布",
            filters_text="",
            zone_note=None,
            source="武汉市任务地图 · 季度进度",
            date=f"截至 {view.quarter.end:%Y-%m-%d}",
        )
        return render_export(go.Figure(fig), caption, "png", "16:9")
    except (DataFolderError, ExportError, ValueError) as exc:
        print(f"warning: the report has no map ({exc})", file=sys.stderr)
        return None


def _check_choice(value: str | None, allowed: set[str], what: str) -> None:
    if value and value not in allowed:
        raise ValueError(f"unknown {what} {value!r}")


def run_report(args: argparse.Namespace, tables: Any, store: Any) -> int:
    from progress.report import build_report
    from progress.report_docx import write_docx
    from progress.report_pdf import write_pdf
    from progress.service import leads_in_force
    from progress.store import current_returns
    from progress.tasks import task_place_pairs
    from progress.view import quarter_view

    out = args.out
    if out.suffix.lower() not in SUFFIXES:
        raise ValueError(f"{out}: the report is written as .docx or .pdf")
    if not out.parent.is_dir():
        raise ValueError(f"{out}: folder {out.parent} does not exist")
    _check_choice(args.place, set(task_place_pairs(tables)["place"]), "place (district or zone)")
    _check_choice(args.unit, set(leads_in_force(tables, args.quarter)["unit"]), "lead unit")
    quarter = args.quarter
    returns = current_returns(store, [quarter.previous().previous(), quarter.previous(), quarter])
    view = quarter_view(tables, returns, quarter, place=args.place, unit=args.unit)
    scope = "".join(f"{x}" for x in (args.place, args.unit) if x)
    report = build_report(view, scope=scope)
    png = _map_png(view, tables, args.data)
    if out.suffix.lower() == ".docx":
        write_docx(report, out, png)
    else:
        write_pdf(report, out, png)
    h = view.headline
    print(
        f"wrote {out}: {h['任务']} tasks, {h['滞后']} 滞后, {h['未报送']} 未报送"
        + (" (演示数据)" if view.is_demo else "")
    )
    return 0
