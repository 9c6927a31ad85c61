"""Where the map's names go: the central-city inset, hand-checked label spots, geometry helpers.

The seven central districts fill a few percent of Wuhan's frame, so their labels cannot sit on
the city map without colliding. They, and the zones that lie among them, are labelled in a
central-city inset instead; the city map labels only the six outer districts and the outer
zones. Every one of the 18 places has exactly one label, and a label is a clickable point that
carries its own place (issue 9, item 2: a click on 江岸's label selected 黄陂区).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: The central districts, shown with their labels in the inset.
CENTRAL = ("江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区")
#: The inset's extent (lon, lat): the central districts' core, where they touch the rivers, and
#: a strip of 光谷 to the south where 东湖高新区's label fits inside the frame.
INSET_LON = (114.12, 114.56)
INSET_LAT = (30.42, 30.71)
INSET_BOX_COLOR = "#5b6b7c"
#: The 7 central districts use short names in the inset ("江岸" rather than "江岸区").
SHORT_NAMES = {name: name.removesuffix("区") for name in CENTRAL}
#: Label spots (lon, lat) that differ from a place's own label point, checked by eye at
#: 1024×768, 1366×768, 1920×1080 and on the 16:9/A4/A3 exports, and by tests that keep every
#: label inside its map and off the others at those sizes (test_map_fit.py): zone labels sit
#: beside their marker, crowded central labels move onto open ground, and a label near the map's
#: edge sits far enough in for its text (临空港开发区 on the west edge, 东湖高新区 in the inset's
#: south strip).
LABEL_SPOTS = {
    "临空港开发区": (113.945, 30.835),
    "长江新区": (114.45, 30.80),
    "武汉经开区": (114.25, 30.385),
    "东湖风景区": (114.455, 30.578),
    "东湖高新区": (114.455, 30.445),
    "江岸区": (114.31, 30.665),
    "江汉区": (114.25, 30.625),
    "硚口区": (114.18, 30.585),
    "青山区": (114.44, 30.65),
    "洪山区": (114.40, 30.50),
    "武昌区": (114.325, 30.545),
    "汉阳区": (114.20, 30.51),
    # off 武汉经开区's and 长江新区's labels, which sit between them on a narrow map
    "汉南区": (114.041, 30.253),
    "蔡甸区": (113.991, 30.517),
    "新洲区": (114.658, 30.667),
}
#: Zone markers moved off a district label they would cover: 临空港开发区 is the same ground as
#: 东西湖区, so its polygon label point is 东西湖区's; its marker moves west, still inside it.
#: 武汉经开区's marker sits at its core (沌口), off 汉南区's label (the zone's polygon label point
#: can fall on 汉南区's, which it contains).
ZONE_MARKER_SPOTS = {"临空港开发区": (113.955, 30.712), "武汉经开区": (114.14, 30.44)}


@dataclass(frozen=True)
class Label:
    """One place's label: where it is drawn and on which map (main or inset)."""

    name: str
    kind: str
    lon: float
    lat: float
    in_inset: bool


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


def in_inset(lon: float, lat: float) -> bool:
    return INSET_LON[0] <= lon <= INSET_LON[1] and INSET_LAT[0] <= lat <= INSET_LAT[1]


def zone_point(props: dict[str, Any]) -> tuple[float, float]:
    return ZONE_MARKER_SPOTS.get(props["name"], (props["label_lon"], props["label_lat"]))


def place_labels(places_geojson: dict[str, Any]) -> list[Label]:
    """All 18 labels, districts first (in the geojson's order), then zones."""
    out = []
    for kind in ("district", "zone"):
        for feature in features(places_geojson, kind):
            p = feature["properties"]
            own = zone_point(p) if kind == "zone" else (p["label_lon"], p["label_lat"])
            lon, lat = LABEL_SPOTS.get(p["name"], own)
            inset = p["name"] in CENTRAL or (kind == "zone" and in_inset(lon, lat))
            out.append(Label(p["name"], kind, lon, lat, inset))
    return out


def inset_box() -> tuple[list[float | None], list[float | None]]:
    """The inset's extent drawn on the city map, so the reader sees what is enlarged."""
    (x0, x1), (y0, y1) = INSET_LON, INSET_LAT
    return [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]


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


def inset_ranges() -> dict[str, Any]:
    return {"lonaxis": {"range": list(INSET_LON)}, "lataxis": {"range": list(INSET_LAT)}}


def label_texts(labels: Sequence[Label], totals: Sequence[int]) -> list[str]:
    """District labels on two lines; zone labels on one ("武汉经开区 35"), flatter beside their
    marker where the outer districts crowd them."""
    return labels_with(labels, [str(t) if t else "" for t in totals])


def labels_with(
    labels: Sequence[Label], values: Sequence[str], *, stacked: bool = False
) -> list[str]:
    """Each label's name with a value after it (the name alone for ""): the task count on the
    map view, "+3 −1" on the 对比 map; short central names in the inset. `stacked` puts a
    zone's value under its name too (a long value beside it reaches the next label)."""
    out = []
    for lb, value in zip(labels, values, strict=True):
        shown = SHORT_NAMES.get(lb.name, lb.name) if lb.in_inset else lb.name
        if lb.kind == "zone" and not stacked:
            out.append(f"{lb.name} {value}" if value else lb.name)
        else:
            out.append(f"{shown}<br>{value}" if value else shown)
    return out


def hit_sizes(labels: Sequence[Label], font: int) -> list[int]:
    """Invisible marker diameters under each label: one text line high for every label.

    plotly ranks hover candidates by (distance to the point − marker radius), so a wider marker
    would steal clicks from a smaller label nearby; equal radii make the nearest label win,
    and any label beats the district polygon under it (labels are drawn after the districts).
    """
    return [font + 4 for _ in labels]
