"""`task-atlas export --view progress`: the 进度 view's map for a quarter as PNG/SVG/PDF.

The options of the map export (filters, --format, --size, --title, --out) plus the 进度 view's
own: --quarter, --db, --status and --metric. The image is dashboard.progress_export's one
assembly, the same as the 导出图片 button of the 进度 tab.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from dashboard import export
from dashboard.data import AtlasData, load_atlas
from dashboard.export import ExportError
from dashboard.export_cli import (
    UsageError,
    check_destination,
    export_format,
    filters_from_args,
    report_errors,
    write_atomic,
)
from dashboard.progress_export import ProgressState, progress_export
from dashboard.progress_figures import NOT_REPORTED, Metric
from dashboard.progress_view import default_source
from progress.provider import ProgressSource
from progress.quarters import parse_quarter
from progress.rules import load_rules

#: The options only --view progress takes (dest names), so --view map can refuse them.
PROGRESS_OPTIONS = ("quarter", "db", "status", "metric")


def add_progress_arguments(parser: argparse.ArgumentParser) -> None:
    """The 进度 view's options of `task-atlas export` (used with --view progress)."""
    group = parser.add_argument_group("--view progress")
    add = group.add_argument
    add("--quarter", metavar="QUARTER", help="quarter with returns, e.g. 2024Q2 (required)")
    add("--db", metavar="URL", help="progress store: a SQLite file or postgresql://… URL "
        "(default: $TASK_ATLAS_DB, else ./task-atlas.db)")  # fmt: skip
    add("--status", action="append", metavar="STATUS",
        help="only count tasks of this status in the words, e.g. 滞后 (repeatable)")  # fmt: skip
    add("--metric", choices=[m.value for m in Metric], default=None,
        help="rate = 完成率, mean = 平均进度 (default), behind = 滞后任务数")  # fmt: skip


def given_progress_options(args: argparse.Namespace) -> list[str]:
    """The --view progress options given on the command line (for --view map's refusal)."""
    return [f"--{name}" for name in PROGRESS_OPTIONS if getattr(args, name, None)]


def open_source(data: AtlasData, db: str | None) -> ProgressSource:
    """The store with the returns; a store that does not exist is a usage error, never created."""
    source = default_source(data, db)
    if source.store is None:
        raise UsageError(
            f"no progress store at {db or '$TASK_ATLAS_DB / ./task-atlas.db'}; "
            "import returns with `task-atlas progress import` or `progress demo` first"
        )
    return source


def state_from_args(args: argparse.Namespace, source: ProgressSource) -> ProgressState:
    """--quarter, --status, --metric checked against the store and the status table."""
    if not args.quarter:
        raise UsageError("--view progress needs --quarter, e.g. --quarter 2024Q2")
    try:
        quarter = parse_quarter(args.quarter)
    except ValueError as exc:
        raise UsageError(f"--quarter: {exc}") from None
    quarters = source.quarters()
    if quarter not in quarters:
        known = ", ".join(str(q) for q in quarters) or "none"
        raise UsageError(f"no returns for {quarter} in the store; quarters with returns: {known}")
    allowed = [*load_rules().statuses["status"], NOT_REPORTED]
    statuses = tuple(s.strip() for item in args.status or () for s in item.split(",") if s.strip())
    unknown = [s for s in statuses if s not in allowed]
    if unknown:
        raise UsageError(f"unknown status {', '.join(unknown)}; known: {', '.join(allowed)}")
    return ProgressState(quarter, Metric(args.metric or Metric.MEAN), statuses)


def run_progress_export(args: argparse.Namespace) -> int:
    """`task-atlas export --view progress`; user errors print one line (exit 2 usage, 1 failure)."""

    def body() -> None:
        fmt = export_format(args).value
        if args.each_district is not None:
            raise UsageError("--each-district is for --view map; name one image with --out")
        check_destination(args)
        data = load_atlas(args.data)
        filters = filters_from_args(args, data)
        try:
            source = open_source(data, args.db)
            state = state_from_args(args, source)
            view = progress_export(data, source, filters, state, title=args.title)
        except SQLAlchemyError as exc:  # one line, not the driver's whole message
            raise ExportError(f"progress store: {str(exc).splitlines()[0]}") from exc
        write_atomic(args.out, export.render_export(view.figure, view.caption, fmt, args.size))
        print(f"wrote {args.out}", file=sys.stderr)

    return report_errors("export", body)
