"""`task-atlas` command line: build, parse, serve, export.

Errors a user can cause (bad documents, bad boundary files, bad folders) print one line and
exit non-zero; they never show a traceback. Heavy imports happen inside each command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path("data")
EXIT_USER_ERROR = 1
EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser(_command_word(argv))
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.run
    try:
        return command(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, OSError) as exc:  # the boundary errors all derive from ValueError
        print(f"task-atlas {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR


def _command_word(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="task-atlas", description="任务地图 Task Atlas")
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
        default=DEFAULT_DATA,
        metavar="DIR",
        help="data folder to write (default: ./data)",
    )
    build.set_defaults(run=_run_build)

    parse = sub.add_parser("parse", help="parse one document and show what was found")
    parse.add_argument("file", type=Path)
    parse.add_argument("--json", action="store_true", help="print the parse as JSON")
    parse.set_defaults(run=_run_parse)

    # serve and export import dash and plotly: only when they are the command asked for
    serve = sub.add_parser("serve", help="serve the dashboard (builds the data if needed)")
    if command == "serve":
        _add_lazy(serve, "dashboard.serve", "add_serve_arguments", "run_serve", _ensure_data)
    export = sub.add_parser("export", help="export a filtered map as PNG, SVG or PDF")
    if command == "export":
        _add_lazy(
            export, "dashboard.export_cli", "add_export_arguments", "run_export", _ensure_data
        )
    _add_briefing_commands(sub, command)
    return parser


def _add_briefing_commands(sub: Any, command: str | None) -> None:
    """Briefing products (issue 9): a place report (PDF) and an editable deck (PPTX)."""
    report = sub.add_parser("report", help="a district/zone report as a searchable PDF")
    if command == "report":
        _add_lazy(report, "dashboard.report", "add_report_arguments", "run_report", _ensure_data)
    deck = sub.add_parser("deck", help="an editable PowerPoint deck: city map, one slide a place")
    if command == "deck":
        _add_lazy(deck, "dashboard.deck", "add_deck_arguments", "run_deck", _ensure_data)


def _add_lazy(
    parser: argparse.ArgumentParser,
    module: str,
    add_name: str,
    run_name: str,
    prepare: Callable[[argparse.Namespace], None] | None = None,
) -> None:
    """Let a dashboard module define its own options; import it only when it is used."""
    import importlib

    mod = importlib.import_module(module)
    getattr(mod, add_name)(parser)
    runner = getattr(mod, run_name)

    def run(args: argparse.Namespace) -> int:
        if prepare is not None:
            prepare(args)
        return int(runner(args))

    parser.set_defaults(run=run)


def _run_build(args: argparse.Namespace) -> int:
    from assignments.report import build_summary
    from pipeline.build import build_all, write_data_folder

    result = build_all(args.sources, args.boundaries)
    write_data_folder(result, args.out)
    print(build_summary(result.tables, result.task_places, args.out))
    return 0


def _run_parse(args: argparse.Namespace) -> int:
    from assignments.report import parse_report

    text, ok = parse_report(args.file, as_json=args.json)
    print(text)
    return 0 if ok else EXIT_USER_ERROR


def _ensure_data(args: argparse.Namespace) -> None:
    """Build the data folder when it is missing or older than its sources and code."""
    from pipeline.build import build_all, is_fresh, recorded_inputs, write_data_folder

    data: Path = getattr(args, "data", None) or DEFAULT_DATA
    if (data / "plans.csv").exists():
        inputs = recorded_inputs(data)
        if inputs is None or is_fresh(data):
            return  # a folder `build` did not write (no record of its inputs) is used as it is
    else:
        inputs = None
    sources, boundaries = inputs if inputs else (None, None)
    if any(not p.exists() for p in [*(sources or []), *([boundaries] if boundaries else [])]):
        print(
            f"task-atlas: {data} is stale but its sources are gone; using it as it is",
            file=sys.stderr,
        )
        return
    print(f"task-atlas: building {data} …", file=sys.stderr)
    write_data_folder(build_all(sources, boundaries), data)


if __name__ == "__main__":
    sys.exit(main())
