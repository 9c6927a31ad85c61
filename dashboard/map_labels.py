"""Where the map's names and markers go: geometry helpers and hand-checked label placements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LEADER_COLOR = "#7b8794"
LEADER_REACH = 0.85  # share of the way from a district's point to its moved label
#: The 7 central districts are too small for "江岸区<br>12": their labels drop 区 and use one line.
SHORT_NAMES = {
    "江岸区": "江岸",
    "江汉区": "江汉",
    "硚口区": "硚口",
    "汉阳区": "汉阳",
    "武昌区": "武昌",
    "青山区": "青山",
    "洪山区": "洪山",
}
#: (lon, lat) where a crowded label is drawn instead of its label point, joined to it by a thin
#: leader line: 江岸, 江汉, 硚口 sit within ~20 px of each other at 1366×768, so their labels
#: move north and west onto open ground. Checked by eye at 1366×768, 1600×900 and the 16:9 export.
LABEL_CALLOUTS = {
    "江岸区": (114.262, 30.7),
    "江汉区": (114.225, 30.645),
    "硚口区": (114.125, 30.598),
}
#: Which side of its callout point a moved label sits, so the leader line ends at its edge.
CALLOUT_TEXT_POSITIONS = {"江岸区": "top center", "江汉区": "top center", "硚口区": "middle left"}
#: Zone markers moved off a district label they would cover: 临空港开发区 is the same ground as
#: 东西湖区, so its polygon label point is 东西湖区's; its marker moves west, still inside it.
ZONE_MARKER_SPOTS = {"临空港开发区": (113.955, 30.712)}
#: Where each zone's name goes relative to its marker, away from the district labels near it.
ZONE_TEXT_POSITIONS = {
    "东湖风景区": "top right",
    "东湖高新区": "bottom center",
}


def features(places_geojson: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in places_geojson["features"] if f["properties"]["kind"] == kind]


def outline(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """Exterior rings of a (Multi)Polygon as lon/lat lists split by None."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    lons: list[float | None] = []
    lats: list[float | None] = []
    for polygon in polygons:
        lons += [pt[0] for pt in polygon[0]] + [None]
        lats += [pt[1] for pt in polygon[0]] + [None]
    return lons, lats


def zone_outlines(zones: list[dict[str, Any]]) -> tuple[list[float | None], list[float | None]]:
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in zones:
        x, y = outline(feature["geometry"])
        lons += x
        lats += y
    return lons, lats


def label_point(props: dict[str, Any]) -> tuple[float, float]:
    return LABEL_CALLOUTS.get(props["name"], (props["label_lon"], props["label_lat"]))


def zone_point(props: dict[str, Any]) -> tuple[float, float]:
    return ZONE_MARKER_SPOTS.get(props["name"], (props["label_lon"], props["label_lat"]))


def leader_lines(dprops: list[dict[str, Any]]) -> tuple[list[float | None], list[float | None]]:
    """Lines from each moved label's own point towards it, stopping short of the text."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for p in dprops:
        if p["name"] in LABEL_CALLOUTS:
            lon, lat = LABEL_CALLOUTS[p["name"]]
            x, y = p["label_lon"], p["label_lat"]
            lons += [x, x + LEADER_REACH * (lon - x), None]
            lats += [y, y + LEADER_REACH * (lat - y), None]
    return lons, lats


def geo_ranges(districts: list[dict[str, Any]], pad: float = 0.01) -> dict[str, Any]:
    """Axis ranges hugging the city: plotly's `fitbounds` leaves ~5% empty on each side."""
    lons: list[float] = []
    lats: list[float] = []
    for feature in districts:
        x, y = outline(feature["geometry"])
        lons += [v for v in x if v is not None]
        lats += [v for v in y if v is not None]
    dx, dy = (max(lons) - min(lons)) * pad, (max(lats) - min(lats)) * pad
    return {
        "lonaxis": {"range": [min(lons) - dx, max(lons) + dx]},
        "lataxis": {"range": [min(lats) - dy, max(lats) + dy]},
    }


def district_labels(names: Sequence[str], totals: Sequence[int]) -> list[str]:
    """ "黄陂区<br>32" under wide districts, "江岸 7" on one line for the small central ones."""
    labels = []
    for name, total in zip(names, totals, strict=True):
        short = SHORT_NAMES.get(name)
        if short:
            labels.append(f"{short} {total}" if total else short)
        else:
            labels.append(f"{name}<br>{total}" if total else name)
    return labels


def label_sizes(places_geojson: dict[str, Any], base: int) -> list[int]:
    """District label font sizes: smaller for the central districts so they overlap less."""
    names = [f["properties"]["name"] for f in features(places_geojson, "district")]
    return [round(base * 0.8) if n in SHORT_NAMES else base for n in names]
