"""`task-atlas compare`: the comparison table as CSV (comparison/command.py, unchanged), or a
report of it as .docx / .pdf with its map (dashboard/compare_report.py).

Lives in cli/ because the report needs the dashboard's map and exporter, which comparison/
(a lower layer) must not import.
"""

from __future__ import annotations

import argparse
import sys

from pipeline.defaults import EXIT_USAGE

REPORT_SUFFIXES = (".docx", ".pdf")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from comparison.command import add_compare_arguments

    add_compare_arguments(parser)
    parser.add_argument(
        "--place",
        metavar="NAME",
        help="with --out FILE.docx|FILE.pdf: list this district's or zone's tasks per relation",
    )


def run(args: argparse.Namespace) -> int:
    """CSV for any other --out (as before); a report for .docx and .pdf."""
    suffix = args.out.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        if args.place:
            print("task-atlas compare: error: --place needs --out FILE.docx or FILE.pdf "
                  "(the CSV holds the whole comparison)", file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        from comparison.command import run_compare

        return run_compare(args)
    return _run_report(args, suffix)


def _run_report(args: argparse.Namespace, suffix: str) -> int:
    from comparison.command import compare_plans
    from dashboard.compare_report import build_compare_report, report_bytes
    from dashboard.compare_state import CompareState
    from dashboard.data import load_atlas
    from dashboard.export_cli import UsageError, report_errors, resolve_place, write_atomic

    def body() -> None:
        if args.out.is_dir():
            raise UsageError(f"{args.out}: is a folder; name the report file")
        table = compare_plans(args.data, args.from_plan, args.to_plan, args.overrides)
        data = load_atlas(args.data)
        state = CompareState(args.from_plan, args.to_plan, resolve_place(data, args.place))
        report = build_compare_report(data, state, table)
        write_atomic(args.out, report_bytes(report, suffix))
        counts = report.view.counts
        print(f"wrote {args.out}: " + ", ".join(f"{r} {n}" for r, n in counts.items()),
              file=sys.stderr)  # fmt: skip

    return report_errors("compare", body)
