"""The whole build: documents → tables → place tags → geometry, written as one data folder."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from assignments.corpus import CorpusTables, build_tables, bundled_sources, source_files
from assignments.reading import read_regular_file
from assignments.schema import (
    COVERAGE_FILE,
    PLACES_FILE,
    PLANS_FILE,
    REPORT_FILE,
    TASK_PLACES_COLUMNS,
    TASK_PLACES_FILE,
    TASK_UNITS_FILE,
    TASKS_FILE,
)
from geodata.boundaries import (
    apply_custom_boundaries,
    load_places,
    places_to_geojson,
    read_custom_boundaries,
)
from geodata.tagging import tag_tasks
from pipeline.folder import write_folder

MAX_BOUNDARY_BYTES = 1024 * 1024 * 1024  # official boundary files are tens of MB at most


@dataclass(frozen=True)
class BuildResult:
    """Everything `task-atlas build` writes."""

    tables: CorpusTables
    task_places: pd.DataFrame
    places_geojson: dict[str, Any]
    fingerprint: str
    inputs: dict[str, Any]
    warnings: tuple[str, ...] = ()  # repairs made to a --boundaries file


def build_all(
    source_dirs: Sequence[Path] | None = None, boundaries: Path | None = None
) -> BuildResult:
    """Parse, tag and attach geometry (custom boundary file first, so its errors come early)."""
    places = load_places()
    warnings: list[str] = []
    if boundaries is not None:
        custom = read_custom_boundaries(boundaries)
        warnings += custom.attrs.get("warnings", [])
        places = apply_custom_boundaries(places, custom)
    tables = build_tables(source_dirs)
    task_places = tag_tasks(tables.tasks, tables.task_units, tables.plans)
    return BuildResult(
        tables=tables,
        task_places=task_places[list(TASK_PLACES_COLUMNS)],
        places_geojson=places_to_geojson(places),
        fingerprint=fingerprint(source_dirs, boundaries),
        inputs={
            "sources": [str(d.resolve()) for d in source_dirs] if source_dirs else None,
            "boundaries": str(boundaries.resolve()) if boundaries else None,
        },
        warnings=tuple(warnings),
    )


def write_data_folder(result: BuildResult, out: Path) -> Path:
    """Write all tables at once (see pipeline.folder.write_folder); returns the folder written."""

    def write(folder: Path) -> None:
        t = result.tables
        for name, frame in (
            (PLANS_FILE, t.plans),
            (TASKS_FILE, t.tasks),
            (TASK_UNITS_FILE, t.task_units),
            (COVERAGE_FILE, t.coverage),
            (TASK_PLACES_FILE, result.task_places),
        ):
            frame.to_csv(folder / name, index=False, encoding="utf-8")
        (folder / PLACES_FILE).write_text(
            json.dumps(result.places_geojson, ensure_ascii=False), encoding="utf-8"
        )
        report = {
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprint": result.fingerprint,
            "inputs": result.inputs,
            "boundary_warnings": list(result.warnings),
            "plans": t.report,
        }
        (folder / REPORT_FILE).write_text(
            json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
        )

    return write_folder(out, write)


def fingerprint(source_dirs: Sequence[Path] | None, boundaries: Path | None = None) -> str:
    """A hash of the inputs and the package version: the data folder is stale when it changes."""
    h = hashlib.sha256(_version().encode())
    files = [f for d in source_dirs or [bundled_sources()] for f in source_files(d)]
    for path in files:
        h.update(path.name.encode())
        h.update(read_regular_file(path))  # never waits on a FIFO or reads a device
    if boundaries is not None:
        h.update(boundaries.name.encode())
        h.update(read_regular_file(boundaries, MAX_BOUNDARY_BYTES))
    for table in sorted(_data_tables()):
        h.update(table.read_bytes())
    return h.hexdigest()[:16]


def recorded_inputs(out: Path) -> tuple[list[Path] | None, Path | None] | None:
    """The sources and boundary file a data folder was built from; None if unreadable or not
    of the shape build writes (a hand-edited report is not trusted as a list of folders)."""
    try:
        inputs = json.loads((out / REPORT_FILE).read_text("utf-8"))["inputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(inputs, dict):
        return None
    sources, boundaries = inputs.get("sources"), inputs.get("boundaries")
    if sources is not None and not (
        isinstance(sources, list) and sources and all(isinstance(s, str) and s for s in sources)
    ):
        return None
    if boundaries is not None and not (isinstance(boundaries, str) and boundaries):
        return None
    return ([Path(s) for s in sources] if sources else None), (
        Path(boundaries) if boundaries else None
    )


def is_fresh(out: Path) -> bool:
    """Whether `out` holds a build of its recorded inputs with this version of the code."""
    inputs = recorded_inputs(out)
    if inputs is None:
        return False
    try:
        report = json.loads((out / REPORT_FILE).read_text("utf-8"))
        return bool(report.get("fingerprint") == fingerprint(*inputs))
    except (OSError, ValueError):
        return False


def _version() -> str:
    try:
        return metadata.version("wuhan-task-atlas")
    except metadata.PackageNotFoundError:
        return "dev"


def _data_tables() -> list[Path]:
    """The reviewable tables (aliases, sectors, gazetteer …): editing one calls for a rebuild."""
    root = Path(__file__).resolve().parent.parent
    return [
        *root.joinpath("geodata", "data").glob("*.csv"),
        *root.joinpath("assignments", "data").glob("*.csv"),
    ]
