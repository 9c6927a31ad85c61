"""Regenerate geodata/data/water.geojson (rivers and lakes drawn under the map's districts).

    apt-get install --no-install-recommends gmt gmt-gshhg-full    # GMT 6 and GSHHG 2.3.7 (LGPL)
    .venv/bin/python scripts/make_water.py [--out FILE]

Why GSHHG: the district polygons cover the river channels (a point mid-Yangtze at 武汉长江大桥
lies inside 武昌区; the full-resolution union has one 0.6 km² hole, an enclave in 新洲), so the
water cannot be derived from them; Debian's rnaturalearthdata 0.1.0 ships no rivers or lakes;
GSHHG (WGS-84, LGPL-3) has the Yangtze, the Han and the large lakes. GMT reads its binned files:
`gmt coast -M -I…` dumps the river lines, and the lakes (clipped to 1° bins in the files) are
rasterised by `gmt grdlandmask` and contoured back into whole polygons by `gmt grdcontour`.
The result is clipped to the city outline (+1 km), simplified to ~80 m and rounded to 4 decimals.
Names come from geodata/data/water.csv (a point per named river/lake, with the reason).
Only this script needs GMT; the app reads the file it writes.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geodata import boundaries as b

OUT = b.DATA_DIR / "water.geojson"
NAMES = b.DATA_DIR / "water.csv"
MARGIN = 0.05  # degrees of GMT region around the districts' extent
#: Water is kept inside the city outline plus this (degrees, ~1 km): a thematic map of Wuhan,
#: the neighbours' lakes would read as part of the city.
CITY_BUFFER = 0.01
STEP = 0.001  # lake raster cell, degrees (~100 m); the region is snapped to 0.01° to fit it
SIMPLIFY = 0.0008  # degrees (~80 m): invisible at the inset's scale, keeps the file small
DECIMALS = 4
#: WDBII river levels kept (GMT numbering): 1 permanent major, 2 additional major, 3 additional.
RIVER_LEVELS = (1, 2, 3)
SOURCE = "GSHHG 2.3.7 (Wessel & Smith), full resolution, via GMT 6 and Debian gmt-gshhg-full"
LICENSE = "LGPL-3.0-or-later"


def gmt(*args: str) -> str:
    # run in the temp dir: GMT leaves a gmt.history file in its working directory
    result = subprocess.run(
        ["gmt", *args], capture_output=True, text=True, check=False, cwd=tempfile.gettempdir()
    )
    if result.returncode != 0:
        raise SystemExit(f"gmt {args[0]} failed: {result.stderr.strip().splitlines()[-1:]}")
    return result.stdout


def segments(text: str) -> list[tuple[str, list[tuple[float, float]]]]:
    """GMT multisegment text → (header, points) per segment; empty segments dropped."""
    out: list[tuple[str, list[tuple[float, float]]]] = []
    for line in text.splitlines():
        if line.startswith(">"):
            out.append((line, []))
        elif line.strip() and out:
            x, y = line.split()[:2]
            out[-1][1].append((float(x), float(y)))
    return [(h, pts) for h, pts in out if len(pts) >= 2]


def rivers(region: str, level: int) -> BaseGeometry:
    text = gmt("coast", f"-R{region}", "-Df", f"-I{level}", "-M")
    return shapely.line_merge(shapely.MultiLineString([pts for _, pts in segments(text)]))


def lakes(region: str, padded: str) -> BaseGeometry:
    """Lakes and river-lakes as whole polygons (the binned source splits them at 1° lines)."""
    with tempfile.TemporaryDirectory() as tmp:
        grid, wide = f"{tmp}/lake.nc", f"{tmp}/wide.nc"
        # node value 1 on lakes and ponds, 0 on land and ocean
        gmt("grdlandmask", f"-R{region}", f"-I{STEP}", "-Df", "-N0/0/1/0/1", "-r", f"-G{grid}")
        gmt("grdcut", grid, f"-R{padded}", "-N0", f"-G{wide}")  # zero border: contours close
        text = gmt("grdcontour", wide, "-C+0.5", "-D")
    rings = [shapely.Polygon(pts) for _, pts in segments(text) if len(pts) >= 4]
    water: BaseGeometry = shapely.Polygon()
    for ring in sorted(rings, key=lambda p: -p.area):  # even-odd: islands inside lakes
        water = water.symmetric_difference(ring)
    return shapely.make_valid(water)


def named(geometry: BaseGeometry, names: list[dict[str, str]], kind: str) -> dict[str, str]:
    """Which part of `geometry` each named point lies in or next to (a lake: inside)."""
    out: dict[str, str] = {}
    for row in names:
        if row["kind"] != kind:
            continue
        point = shapely.Point(float(row["lon"]), float(row["lat"]))
        for i, part in enumerate(shapely.get_parts(geometry)):
            if part.contains(point):
                out[str(i)] = row["name"]
                break
        else:
            print(f"  not found in GSHHG: {row['name']} ({row['lon']}, {row['lat']})")
    return out


def rounded(geometry: BaseGeometry) -> BaseGeometry:
    simple = shapely.simplify(geometry, SIMPLIFY, preserve_topology=True)
    return shapely.set_precision(simple, 10**-DECIMALS)


def feature(name: str, kind: str, geometry: BaseGeometry, level: int | None) -> dict[str, Any]:
    props: dict[str, Any] = {"name": name, "kind": kind}
    if level is not None:
        props["level"] = level
    return {"type": "Feature", "properties": props, "geometry": mapping(rounded(geometry))}


def build(city: BaseGeometry) -> dict[str, Any]:
    """Rivers and lakes inside `city` (the districts' union) plus CITY_BUFFER."""
    districts_bounds = city.bounds
    # GMT needs the region to be a whole number of cells, or it shifts the grid
    x0, y0 = (math.floor((v - MARGIN) * 100) / 100 for v in districts_bounds[:2])
    x1, y1 = (math.ceil((v + MARGIN) * 100) / 100 for v in districts_bounds[2:])
    region = f"{x0:.2f}/{x1:.2f}/{y0:.2f}/{y1:.2f}"
    padded = f"{x0 - 0.01:.2f}/{x1 + 0.01:.2f}/{y0 - 0.01:.2f}/{y1 + 0.01:.2f}"
    extent = city.buffer(CITY_BUFFER).simplify(0.002)
    with NAMES.open(encoding="utf-8") as fh:
        names = list(csv.DictReader(fh))
    river_names = {1: "长江", 2: "汉江"}
    features: list[dict[str, Any]] = []
    water = lakes(region, padded)  # named whole, then clipped (a lake may cross the outline)
    # the river-lake stretch of the Yangtze is a lake polygon containing 长江's point
    lake_names = named(water, names, "lake") | named(water, names, "river")
    for i, whole in enumerate(shapely.get_parts(water)):
        part = whole.intersection(extent)
        if part.area < 1e-6:  # specks the raster contour leaves (< ~0.01 km²)
            continue
        name = lake_names.get(str(i), "")
        features.append(feature(name, "river" if name in river_names.values() else "lake",
                                part, None))  # fmt: skip
    for level in RIVER_LEVELS:
        lines = rivers(region, level).intersection(extent)
        if not lines.is_empty:
            features.append(feature(river_names.get(level, ""), "river", lines, level))
    return {
        "type": "FeatureCollection",
        "source": SOURCE,
        "license": LICENSE,
        "generator": "scripts/make_water.py",
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    collection = build(shapely.union_all(b.load_full_districts().geometry.to_list()))
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(args.out)  # a failed run leaves the old file intact
    kinds = [
        (f["properties"]["name"] or "-", f["properties"]["kind"]) for f in collection["features"]
    ]
    print(f"wrote {args.out} ({len(text) / 1024:.1f} KB, {len(kinds)} features): {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
