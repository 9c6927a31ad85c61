"""`task-atlas progress …`: the quarterly returns round trip on the command line.

template → (units fill in) → import → export / report; demo fills a store with 演示数据;
migrate brings a store's schema up to date. Heavy imports happen inside each command.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_REJECTED = 0, 1
DEFAULT_DATA = Path("data")
Prepare = Callable[[argparse.Namespace], None]


def _quarter(text: str) -> Any:
    from progress.quarters import parse_quarter

    try:
        return parse_quarter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _quarters(text: str) -> Any:
    from progress.quarters import parse_quarter_range

    try:
        return parse_quarter_range(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(p: argparse.ArgumentParser, *, data: bool = True, quarter: bool = True) -> None:
    if quarter:
        p.add_argument("--quarter", type=_quarter, required=True, help="e.g. 2024Q2")
    if data:
        p.add_argument(
            "--data",
            type=Path,
            default=DEFAULT_DATA,
            metavar="DIR",
            help="data folder from `task-atlas build` (default: ./data)",
        )
    p.add_argument(
        "--db",
        metavar="URL",
        help="store: a SQLite file or postgresql://… URL "
        "(default: $TASK_ATLAS_DB, else ./task-atlas.db)",
    )


def add_progress_parser(sub: Any, prepare: Prepare) -> None:
    """Add `progress` and its subcommands to the top-level parser's subparsers."""
    top = sub.add_parser("progress", help="quarterly progress: templates, returns, 通报")
    cmds = top.add_subparsers(dest="progress_command", required=True)

    p = cmds.add_parser("template", help="one return workbook per lead unit for a quarter")
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.set_defaults(run=_wrap(_run_template, prepare))

    p = cmds.add_parser("import", help="check and import filled return workbooks")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
    _common(p)
    p.add_argument("--by", default=None, help="who is importing (default: the login name)")
    p.set_defaults(run=_wrap(_run_import, prepare))

    p = cmds.add_parser("export", help="one CSV row per task in force in a quarter")
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    p.set_defaults(run=_wrap(_run_export, prepare))

    p = cmds.add_parser("report", help="the quarterly 通报 as Word (.docx) or PDF")
    _common(p)
    p.add_argument("--place", help="only tasks tied to this district or zone")
    p.add_argument("--unit", help="only tasks led by this unit")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.docx|FILE.pdf")
    p.set_defaults(run=_wrap(_run_report, prepare))

    p = cmds.add_parser("demo", help="fill a store with seeded demonstration returns (演示数据)")
    p.add_argument("--quarters", type=_quarters, required=True, help="e.g. 2024Q1..2024Q4")
    p.add_argument("--seed", type=int, default=2024)
    _common(p, quarter=False)
    p.set_defaults(run=_wrap(_run_demo, prepare))

    p = cmds.add_parser("migrate", help="create or upgrade the store's schema")
    _common(p, data=False, quarter=False)
    p.set_defaults(run=_run_migrate)


def _wrap(run: Callable[[argparse.Namespace], int], prepare: Prepare) -> Callable[..., int]:
    def command(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError

        prepare(args)
        try:
            return run(args)
        except SQLAlchemyError as exc:
            raise ValueError(f"progress store: {str(exc).splitlines()[0]}") from None

    return command


def _open(args: argparse.Namespace) -> Any:
    from progress.db import describe_url, open_store

    store = open_store(args.db)
    print(f"store: {describe_url(store.url)}", file=sys.stderr)
    return store


def _tables(args: argparse.Namespace) -> Any:
    from progress.tasks import read_task_tables

    return read_task_tables(args.data)


def _warn_vanished(tables: Any, store: Any) -> None:
    from progress.service import vanished_tasks

    gone = vanished_tasks(tables, store)
    if len(gone):
        shown = "、".join(gone["task_id"].head(10))
        more = f" 等 {len(gone)} 项" if len(gone) > 10 else ""
        print(
            f"warning: {len(gone)} task(s) with stored progress are no longer in the data "
            f"folder: {shown}{more} (their progress is kept in the store)",
            file=sys.stderr,
        )


def _run_template(args: argparse.Namespace) -> int:
    from progress.service import write_templates

    tables, store = _tables(args), _open(args)
    _warn_vanished(tables, store)
    written = write_templates(tables, store, args.quarter, args.out)
    for unit, path, n in written:
        print(f"{path}  {unit}  {n} 项任务")
    print(f"{len(written)} workbooks for {args.quarter} in {args.out}")
    return EXIT_OK


def _run_import(args: argparse.Namespace) -> int:
    from progress.service import import_files

    tables, store = _tables(args), _open(args)
    by = args.by or os.environ.get("TASK_ATLAS_USER") or getpass.getuser()
    report = import_files(tables, store, args.files, args.quarter, entered_by=by)
    for path, unit, n_rows, n_changed in report.imported:
        print(f"imported {path}  {unit}: {n_rows} returns, {n_changed} changed")
    for path, unit in report.unchanged:
        print(f"unchanged {path}  {unit}: this file was imported before; nothing changed")
    for problem in report.problems:
        print(f"rejected {problem}", file=sys.stderr)
    if report.rejected:
        print(
            f"{len(report.rejected)} file(s) rejected, nothing from them imported; "
            f"{len(report.imported) + len(report.unchanged)} file(s) imported",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    return EXIT_OK


def _run_export(args: argparse.Namespace) -> int:
    from progress.service import export_frame, write_csv

    tables, store = _tables(args), _open(args)
    _warn_vanished(tables, store)
    frame = export_frame(tables, store, args.quarter)
    write_csv(frame, args.out)
    reported = int((frame["status"] != "").sum())
    print(f"wrote {args.out}: {len(frame)} tasks in force in {args.quarter}, {reported} reported")
    return EXIT_OK


def _run_report(args: argparse.Namespace) -> int:
    from cli.progress_report import run_report

    tables, store = _tables(args), _open(args)
    _warn_vanished(tables, store)
    return run_report(args, tables, store)


def _run_demo(args: argparse.Namespace) -> int:
    from progress.demo import fill_demo

    tables, store = _tables(args), _open(args)
    for quarter, result in fill_demo(tables, store, args.quarters, seed=args.seed):
        note = " (already there)" if result.already_imported else ""
        print(f"演示数据 {quarter}: {result.n_changed} returns written{note}")
    return EXIT_OK


def _run_migrate(args: argparse.Namespace) -> int:
    from progress.db import current_revision

    store = _open(args)
    print(f"schema at revision {current_revision(store.engine)}")
    return EXIT_OK
