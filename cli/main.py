"""`task-atlas` command line: build, parse, serve, export, report, deck, compare, progress, users.

Errors a user can cause (bad documents, bad boundary files, bad folders) print one line and
exit non-zero; they never show a traceback. Heavy imports happen inside each command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.defaults import DEFAULT_DATA_DIR, EXIT_FAILED, EXIT_OK, EXIT_USAGE, error_text

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "main"]

Command = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit codes: 0 ok, 1 failed (one line on stderr), 2 usage (argparse)."""
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser(_command_word(argv))
    args = parser.parse_args(argv)
    command: Command = args.run
    try:
        return command(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, OSError) as exc:  # the boundary errors all derive from ValueError
        print(f"task-atlas {args.command}: error: {error_text(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _command_word(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="task-atlas",
        description="任务地图 Task Atlas",
        epilog="exit codes: 0 ok, 1 failed (one line on stderr says why), 2 usage error",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="parse the plan documents, tag places, write the data")
    build.add_argument(
        "--sources",
        type=Path,
        action="append",
        metavar="DIR",
        help="build from this folder of documents instead of the bundled corpus (repeatable)",
    )
    build.add_argument(
        "--boundaries",
        type=Path,
        metavar="FILE",
        help="official boundaries (GeoJSON, GeoPackage or Shapefile) replacing "
        "the shipped ones, matched by name or code",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help=f"data folder to write (default: ./{DEFAULT_DATA_DIR})",
    )
    build.set_defaults(run=_run_build)

    parse = sub.add_parser("parse", help="parse one document and show what was found")
    parse.add_argument("file", type=Path)
    parse.add_argument("--json", action="store_true", help="print the parse as JSON")
    parse.set_defaults(run=_run_parse)

    # serve and export import dash and plotly: only when they are the command asked for
    serve = sub.add_parser("serve", help="serve the dashboard (builds ./data if it is missing)")
    if command == "serve":
        from dashboard.serve import add_serve_arguments, run_serve

        add_serve_arguments(serve)
        serve.set_defaults(run=_with_data(run_serve))
    export = sub.add_parser("export", help="export a filtered map as PNG, SVG or PDF")
    if command == "export":
        from dashboard.export_cli import add_export_arguments, run_export

        add_export_arguments(export)
        export.set_defaults(run=_with_data(run_export))
    # compare (issue 12): task-level comparison of two plans, in comparison/command.py
    compare = sub.add_parser("compare", help="compare two plans task by task (延续/调整/新增/取消)")
    if command == "compare":  # CSV, or a .docx/.pdf report with the map (cli/compare_cmd.py)
        from cli.compare_cmd import add_arguments, run

        add_arguments(compare)
        compare.set_defaults(run=run)
    # progress: the quarterly returns round trip (commands in cli/progress_cmd.py)
    from cli.progress_cmd import add_progress_parser

    add_progress_parser(sub, lambda args: _prepare_data(args.data))
    # users: logins and roles (access/); imports SQLAlchemy only when asked for
    users = sub.add_parser("users", help="manage logins: add, list, disable, passwd")
    if command == "users":
        from access.cli import add_users_arguments, run_users

        add_users_arguments(users)
        users.set_defaults(run=run_users)
    # briefing products (issue 9): a place report (PDF) and an editable deck (PPTX)
    report = sub.add_parser("report", help="a district/zone report as a searchable PDF")
    if command == "report":
        from dashboard.report import add_report_arguments, run_report

        add_report_arguments(report)
        report.set_defaults(run=_with_data(run_report))
    deck = sub.add_parser("deck", help="an editable PowerPoint deck: city map, one slide a place")
    if command == "deck":
        from dashboard.deck import add_deck_arguments, run_deck

        add_deck_arguments(deck)
        deck.set_defaults(run=_with_data(run_deck))
    return parser


def _with_data(run: Command) -> Command:
    """`run` after the data folder is made ready (see _prepare_data)."""

    def prepared(args: argparse.Namespace) -> int:
        _prepare_data(args.data)
        return run(args)

    return prepared


def _run_build(args: argparse.Namespace) -> int:
    from assignments.report import build_summary
    from pipeline.build import build_all, write_data_folder
    from pipeline.folder import check_target

    check_target(args.out)
    result = build_all(args.sources, args.boundaries)
    write_data_folder(result, args.out)
    for warning in result.warnings:
        print(f"task-atlas build: warning: {warning}", file=sys.stderr)
    print(build_summary(result.tables, result.task_places, args.out))
    return EXIT_OK


def _run_parse(args: argparse.Namespace) -> int:
    from assignments.report import parse_report

    text, ok = parse_report(args.file, as_json=args.json)
    print(text)
    return EXIT_OK if ok else EXIT_FAILED


def _prepare_data(data: Path) -> None:
    """Make the data folder ready for serve/export, never touching a folder the user named.

    An interrupted build is recovered first. Only the default folder is built when missing
    (from the bundled corpus) or rebuilt when stale (from the inputs it records, never the
    bundled corpus instead); a folder named with --data must exist, and a stale one is used
    as it is with a note saying how to rebuild it.
    """
    from pipeline.build import build_all, is_fresh, recorded_inputs, write_data_folder
    from pipeline.folder import OutputError, is_data_folder, recover

    recover(data)
    is_default = data == DEFAULT_DATA_DIR
    if not data.exists():
        if not is_default:
            raise FileNotFoundError(
                f"{data}: data folder not found (build it with `task-atlas build --out {data}`)"
            )
        print(f"task-atlas: building {data} from the bundled documents …", file=sys.stderr)
        write_data_folder(build_all(), data)
        return
    inputs = recorded_inputs(data)
    if is_data_folder(data) and inputs is None:
        print(
            f"task-atlas: {data}: its build report is unreadable, so whether it is up to date "
            f"cannot be told; used as it is (`task-atlas build --out {data}` rebuilds it)",
            file=sys.stderr,
        )
        return
    if not is_data_folder(data) or inputs is None or is_fresh(data):
        return  # not written by this build (or fresh): used as it is; load_atlas checks it
    sources, boundaries = inputs
    given = [*(sources or []), *([boundaries] if boundaries else [])]
    gone = [str(p) for p in given if not p.exists()]
    if gone or not is_default:
        why = f"its inputs are gone ({', '.join(gone)})" if gone else _rebuild_hint(data, inputs)
        print(f"task-atlas: {data} is out of date; used as it is: {why}", file=sys.stderr)
        return
    print(f"task-atlas: rebuilding {data} from its recorded inputs …", file=sys.stderr)
    try:
        write_data_folder(build_all(sources, boundaries), data)
    except OutputError as exc:  # e.g. a file the user put there: keep everything, say so
        print(f"task-atlas: {data} not rebuilt, used as it is: {exc}", file=sys.stderr)


def _rebuild_hint(data: Path, inputs: tuple[list[Path] | None, Path | None]) -> str:
    sources, boundaries = inputs
    words = [f"--sources {s}" for s in sources or []]
    words += [f"--boundaries {boundaries}"] if boundaries else []
    return f"`task-atlas build {' '.join([*words, f'--out {data}'])}` refreshes it"


if __name__ == "__main__":
    sys.exit(main())
