"""The water layer (issue 9, "Cartography worth printing"): 长江, 汉江 and the large lakes from
GSHHG, drawn between the districts and the labels on the city map and the inset, never hoverable."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest
import shapely
from shapely.geometry import shape

from dashboard.counting import count_by_place
from dashboard.data import AtlasData, load_atlas
from dashboard.export_view import export_source
from dashboard.figures import (
    DISTRICTS,
    INSET_DISTRICTS,
    INSET_LABELS,
    INSET_MARKERS,
    INSET_WATER,
    INSET_ZONES,
    LABELS,
    RIVER_WIDTHS,
    WATER,
    ZONE_OUTLINES,
    build_district_map,
)
from dashboard.options import CountMode
from dashboard.place_export import frame_on_place
from dashboard.viewstate import Filters
from geodata.boundaries import load_full_districts
from geodata.water import WATER_FILE, load_water

FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return load_atlas(FIXTURE)


@pytest.fixture(scope="module")
def fig(data: AtlasData) -> go.Figure:
    counts = count_by_place(data, data.tasks["task_id"], CountMode.SPECIFIC)
    return build_district_map(counts, data.places_geojson, mode=CountMode.SPECIFIC)


def test_water_file_is_small_valid_inside_wuhan_and_sourced() -> None:
    raw = WATER_FILE.read_text(encoding="utf-8")
    assert len(raw.encode()) <= 60 * 1024
    collection = json.loads(raw)
    assert collection["license"] == "LGPL-3.0-or-later" and "GSHHG" in collection["source"]
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    assert all(g.is_valid and not g.is_empty for g in geoms)
    city = shapely.union_all(load_full_districts().geometry.to_list())
    # clipped to the city outline + ~1 km (make_water.CITY_BUFFER)
    assert all(city.buffer(0.012).contains(g) for g in geoms)
    names = {f["properties"]["name"] for f in collection["features"]}
    assert {"长江", "汉江", "东湖", "汤逊湖", "梁子湖"} <= names
    kinds = {f["properties"]["name"]: f["properties"]["kind"] for f in collection["features"]}
    assert kinds["东湖"] == "lake" and kinds["汉江"] == "river"


def test_named_water_lies_where_the_river_and_lakes_are() -> None:
    """Real places: the Yangtze passes 武汉长江大桥, the Han joins it at 汉口, 东湖 is in 武昌/洪山."""
    parts: dict[str, list[shapely.Geometry]] = {}
    for f in load_water()["features"]:
        parts.setdefault(f["properties"]["name"], []).append(shape(f["geometry"]))
    near = {name: shapely.union_all(gs) for name, gs in parts.items()}
    bridge, han_mouth = shapely.Point(114.289, 30.553), shapely.Point(114.28, 30.568)
    assert near["长江"].distance(bridge) < 0.01
    assert near["汉江"].distance(han_mouth) < 0.02
    assert near["东湖"].contains(shapely.Point(114.40, 30.56))


def test_water_sits_between_districts_and_labels_in_both_frames(fig: go.Figure) -> None:
    for frame, districts, water, above in (
        ("geo", DISTRICTS, WATER, (ZONE_OUTLINES, LABELS)),
        ("geo2", INSET_DISTRICTS, INSET_WATER, (INSET_MARKERS, INSET_LABELS)),
    ):
        assert fig.data[districts].type == "choropleth" and fig.data[districts].geo == frame
        traces = [fig.data[i] for i in water]
        assert all(t.geo == frame and t.name == "水系" for t in traces)
        assert districts < min(water) and max(water) < min(above)
        lakes, *rivers = traces
        assert lakes.type == "choropleth"
        names = {f["properties"]["name"] for f in lakes.geojson["features"]}
        assert {"东湖", "长江"} <= names  # the inset's lakes: the ones reaching into it
        assert {t.type for t in rivers} == {"scattergeo"}
        assert all(len(t.lon) > 10 for t in rivers)  # each width class has lines


def test_water_never_takes_hover_or_clicks(fig: go.Figure) -> None:
    for i in (*WATER, *INSET_WATER):
        assert fig.data[i].hoverinfo == "skip"
    # the labels and districts still answer
    assert fig.data[LABELS].hoverinfo != "skip" and fig.data[DISTRICTS].hoverinfo != "skip"
    assert fig.data[INSET_ZONES].geo == "geo2"  # still the inset's first (lon/lat) trace


def test_inset_carries_only_the_water_it_shows(fig: go.Figure) -> None:
    city, inset = fig.data[WATER[0]], fig.data[INSET_WATER[0]]
    assert len(inset.locations) < len(city.locations)
    assert "梁子湖" not in {f["properties"]["name"] for f in inset.geojson["features"]}


def test_yangtze_drawn_wider_than_han(fig: go.Figure) -> None:
    widths = {n: fig.data[WATER[1 + i]].line.width for i, n in enumerate(RIVER_WIDTHS)}
    assert widths["长江"] > widths["汉江"] > widths[""]
    legend = [fig.data[i] for i in (*WATER, *INSET_WATER) if fig.data[i].showlegend]
    assert len(legend) == 1 and legend[0].geo == "geo"


def test_export_names_the_water_source(data: AtlasData) -> None:
    assert export_source(data, Filters()).endswith("水系：GSHHG 2.3.7（LGPL）")


def test_place_export_hides_inset_water(data: AtlasData, fig: go.Figure) -> None:
    tasks = data.tasks.head(0)
    framed = frame_on_place(fig, data.places_geojson, "江夏区", tasks, len(tasks))
    assert all(framed.data[i].visible is False for i in INSET_WATER)
    assert all(framed.data[i].visible is not False for i in WATER)
