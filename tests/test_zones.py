"""Zone footprints: drawn from districts + zones.csv, approximate, inside the city."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geodata import boundaries as b
from geodata.zones import (
    Anchor,
    ZoneSpec,
    anchor_circle,
    build_zone_footprints,
    parse_anchors,
    read_zone_specs,
)

AREA_CRS = "+proj=aea +lat_1=29.5 +lat_2=31.5 +lat_0=30.5 +lon_0=114.3 +datum=WGS84 +units=m"
ZONE_NAMES = {
    "Z-DHGX": "东湖高新区", "Z-WHJK": "武汉经开区", "Z-LKG": "临空港开发区",
    "Z-CJXQ": "长江新区", "Z-DHFJ": "东湖风景区",
}  # fmt: skip


@pytest.fixture(scope="module")
def places() -> gpd.GeoDataFrame:
    return b.load_places().set_index("id")


@pytest.fixture(scope="module")
def full_footprints() -> Mapping[str, BaseGeometry]:
    full = b.load_full_districts()
    return build_zone_footprints(
        dict(zip(full["id"], full.geometry, strict=True)), read_zone_specs()
    )


def _km2(geometry: BaseGeometry) -> float:
    return float(gpd.GeoSeries([geometry], crs=b.CRS).to_crs(AREA_CRS).area.iloc[0] / 1e6)


def _outside_km2(zone: BaseGeometry, region: BaseGeometry) -> float:
    """Area of `zone` outside `region`; rounding vertices to 1e-5° leaves slivers of ~10 m²."""
    return _km2(zone.difference(region))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Drop the shared-edge lines an intersection of neighbours returns."""
    parts = [p for p in shapely.get_parts(geometry) if p.area > 0]
    return shapely.union_all(parts)


def _union(places: gpd.GeoDataFrame, codes: list[str]) -> BaseGeometry:
    return shapely.union_all(places.loc[codes, "geometry"].to_numpy())


def test_five_zones_all_approximate_with_note(places: gpd.GeoDataFrame) -> None:
    zones = places[places["kind"] == "zone"]
    assert dict(zip(zones.index, zones["name"], strict=True)) == ZONE_NAMES
    assert zones["approximate"].all()
    assert set(zones["note"]) == {"示意范围,非官方边界"}


def test_zones_lie_inside_the_city(places: gpd.GeoDataFrame) -> None:
    city = _union(places, list(b.DISTRICTS))
    for zone_id in ZONE_NAMES:
        zone = places.loc[zone_id, "geometry"]
        assert zone.area > 0.003, zone_id  # > ~30 km²: a real footprint, not a sliver
        assert _outside_km2(zone, city) < 0.001, zone_id


def test_linkonggang_is_dongxihu(places: gpd.GeoDataFrame) -> None:
    assert places.loc["Z-LKG", "geometry"].equals(places.loc["420112", "geometry"])


def test_economic_zone_is_hannan_plus_east_caidian(places: gpd.GeoDataFrame) -> None:
    zone = places.loc["Z-WHJK", "geometry"]
    hannan, caidian = places.loc["420113", "geometry"], places.loc["420114", "geometry"]
    assert _outside_km2(hannan, zone) < 0.001
    in_caidian = _polygonal(zone.intersection(caidian))
    assert 150 < _km2(in_caidian) < 260  # ~490 km² in all, minus 汉南区's ~290 km²
    assert in_caidian.bounds[0] > 113.95  # only the east side, near the Yangtze
    assert _outside_km2(zone, hannan.union(caidian)) < 0.001
    assert zone.contains(shapely.Point(114.16, 30.49))  # 沌口


def test_hightech_zone_in_hongshan_and_jiangxia_not_in_east_lake(
    places: gpd.GeoDataFrame,
) -> None:
    zone = places.loc["Z-DHGX", "geometry"]
    hosts = _union(places, ["420111", "420115"])
    assert _outside_km2(zone, hosts) < 0.001
    assert _km2(zone.intersection(places.loc["Z-DHFJ", "geometry"])) < 0.001
    assert zone.contains(shapely.Point(114.40, 30.50))  # 光谷广场
    assert _km2(zone.intersection(places.loc["420111", "geometry"])) > 100
    assert _km2(zone.intersection(places.loc["420115", "geometry"])) > 100


def test_changjiang_new_area_north_of_the_river(places: gpd.GeoDataFrame) -> None:
    zone = places.loc["Z-CJXQ", "geometry"]
    north = _union(places, ["420116", "420117", "420102"])
    assert _outside_km2(zone, north) < 0.001
    jiangan_part = _km2(zone.intersection(places.loc["420102", "geometry"]))
    assert 0 < jiangan_part < 30  # only the 谌家矶 edge of 江岸区
    assert _km2(zone.intersection(places.loc["420107", "geometry"])) < 0.001  # not 青山 (south)


def test_scenic_area_between_wuchang_and_hongshan(places: gpd.GeoDataFrame) -> None:
    zone = places.loc["Z-DHFJ", "geometry"]
    assert _outside_km2(zone, _union(places, ["420106", "420111"])) < 0.001
    assert _km2(zone.intersection(places.loc["420106", "geometry"])) > 5
    assert _km2(zone.intersection(places.loc["420111", "geometry"])) > 5
    assert 40 < _km2(zone) < 80


def test_shipped_zones_are_a_function_of_display_districts(places: gpd.GeoDataFrame) -> None:
    districts = {code: places.loc[code, "geometry"] for code in b.DISTRICTS}
    rebuilt = build_zone_footprints(districts, read_zone_specs())
    for zone_id, geom in rebuilt.items():
        rounded = b.round_coordinates(geom, b.DISPLAY_DECIMALS)
        assert places.loc[zone_id, "geometry"].symmetric_difference(rounded).area < 1e-12, zone_id


def test_display_zones_close_to_full_resolution_zones(
    places: gpd.GeoDataFrame, full_footprints: Mapping[str, BaseGeometry]
) -> None:
    for zone_id, geom in full_footprints.items():
        shown = places.loc[zone_id, "geometry"]
        assert shown.symmetric_difference(geom).area / geom.area < 0.02, zone_id


def test_anchor_circle_has_the_stated_radius() -> None:
    anchor = Anchor("光谷广场", 114.393, 30.508, 6.5)
    area = _km2(anchor_circle(anchor))
    assert area == pytest.approx(math.pi * 6.5**2, rel=0.01)


def test_parse_anchors() -> None:
    anchors = parse_anchors("沌口 114.16 30.49 6.5; 军山 114.09 30.39 5.5")
    assert anchors == (Anchor("沌口", 114.16, 30.49, 6.5), Anchor("军山", 114.09, 30.39, 5.5))
    assert parse_anchors("") == ()


def test_zones_csv_documents_every_zone() -> None:
    specs = read_zone_specs()
    assert [s.id for s in specs] == list(ZONE_NAMES)
    text = b.DATA_DIR.joinpath("zones.csv").read_text(encoding="utf-8")
    assert "facts" in text.splitlines()[0] and "reasoning" in text.splitlines()[0]
    for spec in specs:
        for anchor in spec.anchors:
            assert 113.7 < anchor.lon < 115.1 and 29.9 < anchor.lat < 31.4, anchor
            assert anchor.name in text


def test_exclusion_and_whole_districts_on_tiny_data() -> None:
    districts = {"A": box(0, 0, 1, 1), "B": box(1, 0, 2, 1)}
    specs = [
        ZoneSpec("Z2", "乙", "circles_within_districts", (), ("A", "B"),
                 (Anchor("c", 1.0, 0.5, 30.0),), ("Z1",), "", True),
        ZoneSpec("Z1", "甲", "same_as_district", ("A",), (), (), (), "", True),
    ]  # fmt: skip
    zones = build_zone_footprints(districts, specs)
    assert list(zones) == ["Z2", "Z1"]  # file order kept though Z1 is built first
    assert zones["Z1"].equals(districts["A"])
    assert zones["Z2"].intersection(districts["A"]).area == pytest.approx(0.0, abs=1e-12)
    assert 0.0 < zones["Z2"].area < 1.0


def test_bad_method_row_is_rejected(tmp_path: Path) -> None:
    rows = Path(b.DATA_DIR / "zones.csv").read_text(encoding="utf-8").splitlines()
    header, lkg = rows[0], next(r for r in rows if r.startswith("Z-LKG"))
    bad = lkg.replace("same_as_district", "circles_within_districts")
    path = tmp_path / "zones.csv"
    path.write_text(f"{header}\n{bad}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Z-LKG: parameters do not fit method"):
        read_zone_specs(path)
