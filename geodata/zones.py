"""Approximate footprints of the five functional zones, drawn from the district polygons.

No official zone polygons are available offline, so each footprint is a pure function of the
district polygons and one reviewable row of `data/zones.csv`:

    footprint = (whole districts ∪ (anchor circles ∩ host districts)) − excluded zones,
    clipped to the city outline.

Anchor circles are drawn in lon/lat with a local km-per-degree scale (good to well under 1 %
at Wuhan's latitude, far below the uncertainty of the footprints themselves).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely import affinity
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from assignments.tables import Row, read_table

ZONES_CSV = Path(__file__).parent / "data" / "zones.csv"
KM_PER_DEG_LAT = 110.85  # meridian arc length per degree near 30.5° N
KM_PER_DEG_LON_EQUATOR = 111.32
CIRCLE_QUAD_SEGS = 12  # 48-gon: smooth enough at map scale, few vertices


@dataclass(frozen=True)
class Anchor:
    """A named place (WGS-84) and the radius of the circle drawn around it."""

    name: str
    lon: float
    lat: float
    radius_km: float


@dataclass(frozen=True)
class ZoneSpec:
    """One row of zones.csv: how a zone footprint is drawn and why."""

    id: str
    name: str
    method: str
    whole_districts: tuple[str, ...]
    host_districts: tuple[str, ...]
    anchors: tuple[Anchor, ...]
    exclude_zones: tuple[str, ...]
    note: str
    approximate: bool


def _codes(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def parse_anchors(cell: str) -> tuple[Anchor, ...]:
    """`沌口 114.17 30.49 7; 军山 …` → anchors (name lon lat radius_km, separated by ';')."""
    anchors = []
    for entry in filter(None, (e.strip() for e in cell.split(";"))):
        name, lon, lat, radius = entry.split()
        anchors.append(Anchor(name, float(lon), float(lat), float(radius)))
    return tuple(anchors)


def _fits_method(spec: ZoneSpec) -> bool:
    """The method column says which parameters a row must have."""
    whole, circles = bool(spec.whole_districts), bool(spec.anchors and spec.host_districts)
    if spec.method == "same_as_district":
        return len(spec.whole_districts) == 1 and not spec.anchors
    if spec.method == "districts_plus_circles":
        return whole and circles
    return spec.method == "circles_within_districts" and circles and not whole


ZONE_COLUMNS = (
    "id",
    "name",
    "method",
    "whole_districts",
    "host_districts",
    "anchors",
    "exclude_zones",
    "approximate",
    "note",
)


def _spec_from_row(row: Row) -> ZoneSpec:
    spec = ZoneSpec(
        id=row["id"],
        name=row["name"],
        method=row["method"],
        whole_districts=_codes(row["whole_districts"]),
        host_districts=_codes(row["host_districts"]),
        anchors=_anchors(row),
        exclude_zones=_codes(row["exclude_zones"]),
        note=row["note"],
        approximate=row["approximate"].strip().lower() == "true",
    )
    if not _fits_method(spec):
        raise row.error(f"zone {spec.id}: parameters do not fit method {spec.method!r}")
    return spec


def _anchors(row: Row) -> tuple[Anchor, ...]:
    try:
        return parse_anchors(row["anchors"])
    except ValueError:
        raise row.error(f"anchors: {row['anchors']!r} is not 'name lon lat radius_km; …'") from None


def read_zone_specs(path: Path = ZONES_CSV) -> list[ZoneSpec]:
    """All zone rows, in file order."""
    return [_spec_from_row(row) for row in read_table(path, ZONE_COLUMNS, not_empty=("id", "name"))]


def anchor_circle(anchor: Anchor) -> BaseGeometry:
    """A circle of `radius_km` around the anchor, as an ellipse in degrees."""
    km_per_deg_lon = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(anchor.lat))
    unit = Point(anchor.lon, anchor.lat).buffer(1.0, quad_segs=CIRCLE_QUAD_SEGS)
    return affinity.scale(
        unit, xfact=anchor.radius_km / km_per_deg_lon, yfact=anchor.radius_km / KM_PER_DEG_LAT
    )


def zone_footprint(
    spec: ZoneSpec, districts: Mapping[str, BaseGeometry], built: Mapping[str, BaseGeometry]
) -> BaseGeometry:
    """One zone's footprint; `built` holds the zones drawn before it (for exclusions)."""
    parts = [districts[code] for code in spec.whole_districts]
    if spec.anchors:
        circles = shapely.union_all([anchor_circle(a) for a in spec.anchors])
        hosts = shapely.union_all([districts[code] for code in spec.host_districts])
        parts.append(shapely.intersection(circles, hosts))
    footprint = shapely.union_all(parts)
    for zone_id in spec.exclude_zones:
        footprint = shapely.difference(footprint, built[zone_id])
    return footprint


def build_zone_footprints(
    districts: Mapping[str, BaseGeometry],
    specs: Sequence[ZoneSpec],
    outline: BaseGeometry | None = None,
) -> dict[str, BaseGeometry]:
    """Footprints keyed by zone id, each clipped to `outline` (default: union of districts)."""
    city = outline if outline is not None else shapely.union_all(list(districts.values()))
    built: dict[str, BaseGeometry] = {}
    for spec in sorted(specs, key=lambda s: len(s.exclude_zones)):  # excluded zones first
        missing = [z for z in spec.exclude_zones if z not in built]
        if missing:
            raise ValueError(f"zones.csv: zone {spec.id} excludes undefined zones {missing}")
        footprint = shapely.intersection(zone_footprint(spec, districts, built), city)
        built[spec.id] = _polygonal(footprint)
    return {spec.id: built[spec.id] for spec in specs}


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Drop stray points/lines that overlay operations can leave on shared edges."""
    parts = shapely.get_parts(geometry)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon") and p.area > 0]
    return shapely.union_all(polygons) if polygons else shapely.MultiPolygon()
