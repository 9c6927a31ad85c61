"""`task-atlas export`: the dashboard's filtered map as PNG/SVG/PDF files for briefing decks."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import plotly.graph_objects as go
from tqdm import tqdm

from dashboard.data import AtlasData, DataFolderError, load_atlas, place_table
from dashboard.export import (
    ExportCaption,
    ExportError,
    ExportFormat,
    ExportSize,
    render_export,
)
from dashboard.export_view import assemble_export
from dashboard.options import AgencyRole, CountMode
from dashboard.viewstate import Filters
from pipeline.defaults import DEFAULT_DATA_DIR, EXIT_FAILED, EXIT_OK, EXIT_USAGE, error_text

MAP_TITLE = "武汉市任务分布图"
SOURCE_SUFFIX = "任务地图 Task Atlas 整理"
#: The views `task-atlas export --view` can draw (each has its own run function below).
VIEWS = ("map", "progress", "compare")


class UsageError(ValueError):
    """A value on the command line that the data does not know (exit code 2)."""


def report_errors(command: str, body: Callable[[], int | None]) -> int:
    """Run a file-writing command's `body`; a user's mistake prints one line and exits 2, a
    data folder, export or file failure one line and exits 1 (never a traceback); else the
    body's own exit code, or EXIT_OK. `export`, `report`, `deck` and the comparison and 进度
    exports share this shell, so their errors read alike."""
    try:
        code = body()
    except UsageError as exc:
        print(f"task-atlas {command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (DataFolderError, ExportError, OSError) as exc:
        print(f"task-atlas {command}: error: {error_text(exc)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK if code is None else code


def _values(raw: Iterable[str] | None) -> tuple[str, ...]:
    """Repeatable options that also take comma-separated lists: --plan wr2023,wr2024."""
    return tuple(
        v.strip() for item in raw or () for v in item.replace("\uff0c", ",").split(",") if v.strip()
    )


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The data folder and the view filters, shared by export, report and deck."""
    add = parser.add_argument
    add(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help=f"data folder (default: ./{DEFAULT_DATA_DIR})",
    )
    add("--plan", action="append", metavar="ID", help="plan id, e.g. wr2024 (repeatable)")
    add("--sector", action="append", metavar="NAME", help="sector, e.g. 科技创新 (repeatable)")
    add("--agency", metavar="NAME", help="canonical unit name, e.g. 市发改委")
    add(
        "--agency-role",
        choices=tuple(AgencyRole),
        default=AgencyRole.ANY,
        help="agency as lead or in any role",
    )
    add("--keyword", default="", help="only tasks whose text contains this")
    add("--mode", choices=[m.value for m in CountMode], default=CountMode.SPECIFIC.value,
        help="specific = 专项任务 (default), citywide = 含全市性任务")  # fmt: skip
    add("--place", metavar="NAME", help="district or zone (name or code) to highlight")
    add("--no-zones", action="store_true", help="hide the approximate zone layer")


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `task-atlas export`."""
    from dashboard.progress_export_cli import add_progress_arguments

    add_filter_arguments(parser)
    add = parser.add_argument
    add("--view", choices=VIEWS, default="map",
        help="map = the task map (default), progress = the 进度 view of --quarter, "
             "compare = the 对比 map of --from and --to")  # fmt: skip
    add(
        "--format",
        choices=[f.value for f in ExportFormat],
        help="png, svg or pdf (default: from --out, else png)",
    )
    add("--size", choices=[s.value for s in ExportSize], default=ExportSize.WIDESCREEN.value,
        help="16:9 = 1920×1080, a4/a3 = landscape at 300 dpi")  # fmt: skip
    add("--title", help="title printed on the image")
    add("--from", dest="from_plan", metavar="PLAN", help="--view compare: the earlier plan")
    add("--to", dest="to_plan", metavar="PLAN", help="--view compare: the later plan")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, metavar="FILE", help="image file to write")
    target.add_argument("--each-district", type=Path, metavar="DIR",
                        help="one image per district and zone (18) into this folder")  # fmt: skip
    add_progress_arguments(parser)


def check_known(kind: str, given: Sequence[str], known: Iterable[str]) -> None:
    known_set = set(known)
    unknown = [v for v in given if v not in known_set]
    if unknown:
        listed = ", ".join(sorted(known_set))
        raise UsageError(f"unknown {kind} {', '.join(unknown)}; known: {listed}")


def resolve_place(data: AtlasData, place: str | None) -> str | None:
    """A place given by display name or id → its display name."""
    if place is None:
        return None
    places = place_table(data)
    by_key = {
        **dict(zip(places["id"], places["name"], strict=True)),
        **{n: n for n in places["name"]},
    }
    check_known("place", [place], by_key)
    return str(by_key[place])


def filters_from_args(args: argparse.Namespace, data: AtlasData) -> Filters:
    """Command-line values → Filters, each checked against the data (UsageError if unknown)."""
    plans, sectors = _values(args.plan), _values(args.sector)
    check_known("plan", plans, data.plans["plan_id"])
    check_known("sector", sectors, data.tasks["sector"])
    if args.agency:
        check_known("agency", [args.agency], data.task_units["unit"])
    return Filters(
        plans=plans,
        sectors=sectors,
        agency=args.agency or None,
        agency_role=args.agency_role,
        keyword=args.keyword or "",
        mode=CountMode(args.mode),
        place=resolve_place(data, args.place),
        show_zones=not args.no_zones,
    )


def export_format(args: argparse.Namespace) -> ExportFormat:
    """--format, or the --out file's suffix; both given must agree, and a suffix that names
    another format (x.jpg) is refused rather than given a PNG under that name."""
    suffix = args.out.suffix.lstrip(".").lower() if args.out else ""
    if suffix and suffix not in set(ExportFormat):
        known = ", ".join(f".{f.value}" for f in ExportFormat)
        raise UsageError(f"--out {args.out}: cannot write .{suffix} files; use {known}")
    if args.format and suffix in set(ExportFormat) and suffix != args.format:
        raise UsageError(f"--format {args.format} does not match --out {args.out}")
    return ExportFormat(args.format or (suffix if suffix in set(ExportFormat) else "png"))


def check_destination(args: argparse.Namespace) -> None:
    """--out must not be a folder and --each-district must not be a file: said before any
    rendering, in words (a rename onto a folder was `[Errno 21] … .x.part -> adir`)."""
    if args.out is not None and args.out.is_dir():
        raise ExportError(f"{args.out}: is a folder; name the image file, e.g. {args.out}/map.png")
    folder = args.each_district
    if folder is not None and os.path.lexists(folder) and not folder.is_dir():
        raise ExportError(f"{folder}: exists and is not a folder; name a folder for the images")


def map_and_caption(
    data: AtlasData, filters: Filters, title: str | None
) -> tuple[go.Figure, ExportCaption]:
    """The dashboard's map under these filters and the words printed around it (the one
    export assembly, `dashboard.export_view.assemble_export`)."""
    view = assemble_export(data, filters, title=title)
    return view.figure, view.caption


def write_atomic(path: Path, content: bytes) -> None:
    """Write through a temporary file in the same folder, so a failure never leaves half a file.

    An OS error (a full disk, a read-only folder) names `path`, never the temporary file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an image is an ordinary file
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def _export_one(
    data: AtlasData, filters: Filters, args: argparse.Namespace, out: Path, fmt: str
) -> None:
    fig, caption = map_and_caption(data, filters, args.title)
    write_atomic(out, render_export(fig, caption, fmt, args.size))


def _export_each_district(
    data: AtlasData, filters: Filters, args: argparse.Namespace, fmt: str
) -> int:
    """One image per district and zone (18), framed on the place, with its count and top
    tasks beside the map."""
    from dashboard.place_export import all_places, place_export

    folder: Path = args.each_district
    rows = all_places(data)
    for code, name in tqdm(rows, desc="导出 export", unit="处", file=sys.stderr):
        view = place_export(data, filters, name).view
        content = render_export(view.figure, view.caption, fmt, args.size)
        write_atomic(folder / f"{code}_{name}.{fmt}", content)
    print(f"wrote {len(rows)} images to {folder}", file=sys.stderr)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """Run `task-atlas export`; user errors print one line (exit 2 usage, 1 failure)."""
    from dashboard.progress_export_cli import given_progress_options, run_progress_export

    if getattr(args, "view", "map") == "progress":
        return run_progress_export(args)

    def body() -> int | None:
        if given := given_progress_options(args):
            raise UsageError(f"{', '.join(given)}: only with --view progress")
        fmt = export_format(args).value
        check_destination(args)
        data = load_atlas(args.data)
        if args.view == "compare":  # the 对比 map (dashboard/compare_export.py)
            from dashboard.compare_export import export_compare

            return export_compare(data, args, fmt)
        if args.from_plan or args.to_plan:
            raise UsageError("--from and --to belong to --view compare")
        filters = filters_from_args(args, data)
        if args.each_district is not None:
            return _export_each_district(data, filters, args, fmt)
        _export_one(data, filters, args, args.out, fmt)
        print(f"wrote {args.out}", file=sys.stderr)
        return None

    return report_errors("export", body)


def add_file_arguments(parser: argparse.ArgumentParser, metavar: str, help_text: str) -> None:
    """The filters plus a required --out file: the arguments `deck` and `report` share."""
    add_filter_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, metavar=metavar, help=help_text)


def run_file_command(
    command: str,
    args: argparse.Namespace,
    suffix: str,
    build: Callable[[AtlasData, Filters], bytes],
) -> int:
    """The shell `deck` and `report` share: check --out's suffix, load the data folder, read the
    filters, write `build(data, filters)` atomically; user errors print one line (exit 2 usage,
    1 failure), so each command only says what it builds."""

    def body() -> None:
        if args.out.suffix.lower() != suffix:
            raise UsageError(f"--out must end in {suffix}: {args.out}")
        data = load_atlas(args.data)
        filters = filters_from_args(args, data)
        write_atomic(args.out, build(data, filters))
        print(f"wrote {args.out}", file=sys.stderr)

    return report_errors(command, body)
