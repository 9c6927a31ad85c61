"""The data folder `task-atlas build` writes, loaded once and read-only for the dashboard."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from assignments.schema import (
    PLACES_FILE,
    PLANS_COLUMNS,
    PLANS_FILE,
    TASK_PLACES_COLUMNS,
    TASK_PLACES_FILE,
    TASK_UNITS_COLUMNS,
    TASK_UNITS_FILE,
    TASKS_COLUMNS,
    TASKS_FILE,
)
from pipeline.data_folder import DataTableError, read_data_table

#: File name → required columns; the boundary check names the file and the missing column.
TABLES: dict[str, tuple[str, ...]] = {
    PLANS_FILE: PLANS_COLUMNS,
    TASKS_FILE: TASKS_COLUMNS,
    TASK_UNITS_FILE: TASK_UNITS_COLUMNS,
    TASK_PLACES_FILE: TASK_PLACES_COLUMNS,
}
PLACE_PROPERTIES = ("id", "name", "kind", "approximate", "label_lon", "label_lat")
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class DataFolderError(ValueError):
    """The data folder is missing, incomplete or malformed (message names the file)."""


@dataclass(frozen=True, eq=False)
class AtlasData:
    """Everything the dashboard shows; hashed by identity so derived indexes can be memoised."""

    plans: pd.DataFrame
    tasks: pd.DataFrame
    task_units: pd.DataFrame
    task_places: pd.DataFrame
    places_geojson: dict[str, Any]
    built_at: str


def _check_file(path: Path) -> None:
    """A data file must be there and be a regular file (not a folder, pipe or device)."""
    if not path.exists():
        raise DataFolderError(f"{path}: file missing (run `task-atlas build` first)")
    if not path.is_file():
        raise DataFolderError(f"{path}: not a regular file (a folder, pipe or device)")


def _read_table(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    try:
        return read_data_table(folder, name, columns)
    except DataTableError as exc:
        raise DataFolderError(str(exc)) from None


def _read_places(path: Path) -> dict[str, Any]:
    _check_file(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFolderError(f"{path}: not valid GeoJSON ({exc})") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not features or not isinstance(features, list):
        raise DataFolderError(f"{path}: no features")
    for n, feature in enumerate(features, start=1):
        _check_feature(path, n, feature)
        feature.setdefault("id", feature["properties"]["id"])
    return dict(doc)


def _check_feature(path: Path, n: int, feature: object) -> None:
    """A place as build writes it: properties with a numeric label point, a polygon geometry
    (anything else in a damaged file was a TypeError deep inside the map figure)."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise DataFolderError(f"{path}: feature #{n} is not a GeoJSON feature with properties")
    props = feature["properties"]
    name = feature.get("id", props.get("id"))
    missing = [k for k in PLACE_PROPERTIES if k not in props]
    if missing:
        raise DataFolderError(f"{path}: feature {name!r} lacks {missing}")
    label = [props["label_lon"], props["label_lat"]]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in label):
        raise DataFolderError(f"{path}: feature {name!r}: label_lon/label_lat must be numbers")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise DataFolderError(f"{path}: feature {name!r} has no polygon geometry")


def load_atlas(data_dir: Path) -> AtlasData:
    """Read and check the data folder; raises DataFolderError naming the missing file."""
    data_dir = Path(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise DataFolderError(f"{data_dir}: is a file, not a data folder")
    if not data_dir.is_dir():
        raise DataFolderError(f"{data_dir}: data folder not found (run `task-atlas build`)")
    frames = {name: _read_table(data_dir, name, cols) for name, cols in TABLES.items()}
    places = _read_places(data_dir / PLACES_FILE)
    stamp = (data_dir / TASKS_FILE).stat().st_mtime
    return AtlasData(
        plans=frames[PLANS_FILE],
        tasks=frames[TASKS_FILE],
        task_units=frames[TASK_UNITS_FILE],
        task_places=frames[TASK_PLACES_FILE],
        places_geojson=places,
        built_at=datetime.fromtimestamp(stamp, tz=UTC).strftime("%Y-%m-%d"),
    )


@functools.cache
def place_table(data: AtlasData) -> pd.DataFrame:
    """One row per mapped place (id, name, kind, approximate, label point), districts first.

    Memoised per data object; callers must treat the frame as read-only.
    """
    rows = [f["properties"] for f in data.places_geojson["features"]]
    frame = pd.DataFrame(rows, columns=[*PLACE_PROPERTIES, "note"])
    frame["approximate"] = frame["approximate"].astype(bool)
    frame["note"] = frame["note"].fillna("")
    order = frame["kind"].map({"district": 0, "zone": 1}).fillna(2)
    return frame.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")
