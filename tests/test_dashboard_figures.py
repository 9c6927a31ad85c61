"""Figure builders as plain functions: values on the map, zones layer, empty state, offline."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from dashboard.agency_bar import build_agency_bar
from dashboard.agency_ranking import top_agencies
from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.figures import (
    DISTRICTS,
    LABELS,
    LEADERS,
    ZONE_MARKERS,
    ZONE_OUTLINES,
    apply_updates,
    build_district_map,
    map_updates,
)
from dashboard.map_labels import LABEL_CALLOUTS, SHORT_NAMES, ZONE_MARKER_SPOTS
from dashboard.options import AgencyRole, CountMode
from dashboard.style import EMPTY_TEXT


def _map(
    atlas_data: AtlasData, mode: CountMode = CountMode.SPECIFIC, ids: Any = None, **kw: Any
) -> tuple[pd.DataFrame, go.Figure]:
    task_ids = atlas_data.tasks["task_id"] if ids is None else ids
    counts = count_by_place(atlas_data, task_ids, mode)
    return counts, build_district_map(counts, atlas_data.places_geojson, mode=mode, **kw)


def test_districts_coloured_by_count(atlas_data: AtlasData) -> None:
    counts, fig = _map(atlas_data)
    trace = fig.data[DISTRICTS]
    assert trace.type == "choropleth"
    assert len(trace.locations) == 13
    expected = counts.set_index("place_id")["total"].to_dict()
    assert list(trace.z) == [expected[pid] for pid in trace.locations]
    labels = dict(zip(trace.locations, fig.data[LABELS].text, strict=True))
    assert labels["420115"] == f"江夏区<br>{expected['420115']}"
    assert all(
        labels[pid] == name
        for pid, name in zip(counts["place_id"], counts["place"], strict=True)
        if pid in labels and expected[pid] == 0
    )
    assert "专项任务" in fig.layout.coloraxis.colorbar.title.text
    assert fig.layout.coloraxis.cmax == counts["total"].max()


def test_citywide_mode_changes_legend_hover_and_counts(atlas_data: AtlasData) -> None:
    specific, _ = _map(atlas_data)
    citywide, fig = _map(atlas_data, mode=CountMode.WITH_CITYWIDE)
    assert "含全市性任务" in fig.layout.coloraxis.colorbar.title.text
    assert "群体表述" in fig.data[DISTRICTS].hovertemplate
    assert (citywide["total"] >= specific["total"]).all()
    assert citywide["total"].sum() > specific["total"].sum()


def test_zone_layer_dashed_marked_approximate_and_toggleable(atlas_data: AtlasData) -> None:
    _, fig = _map(atlas_data)
    assert fig.data[ZONE_OUTLINES].line.dash == "dash"
    assert "示意范围" in fig.data[ZONE_OUTLINES].name
    assert all("示意范围" in row[1] for row in fig.data[ZONE_MARKERS].customdata)
    assert any("示意范围" in a.text for a in fig.layout.annotations)
    _, hidden = _map(atlas_data, show_zones=False)
    assert hidden.data[ZONE_OUTLINES].visible is False
    assert hidden.data[ZONE_MARKERS].visible is False


def test_selected_district_outlined(atlas_data: AtlasData) -> None:
    _, fig = _map(atlas_data, selected="江夏区")
    widths = fig.data[DISTRICTS].marker.line.width
    names = [row[0] for row in fig.data[DISTRICTS].customdata]
    others = [w for n, w in zip(names, widths, strict=True) if n != "江夏区"]
    assert widths[names.index("江夏区")] > max(others)


def test_empty_state_says_so(atlas_data: AtlasData) -> None:
    _, fig = _map(atlas_data, ids=[])
    assert EMPTY_TEXT in [a.text for a in fig.layout.annotations]
    assert set(fig.data[DISTRICTS].z) == {0}
    names = [row[0] for row in fig.data[DISTRICTS].customdata]
    assert list(fig.data[LABELS].text) == [SHORT_NAMES.get(n, n) for n in names]  # no "0"


def test_map_is_offline_first_trace_has_no_locationmode(atlas_data: AtlasData) -> None:
    """plotly.js fetches a world topojson from cdn.plot.ly if the first geo trace has one."""
    _, fig = _map(atlas_data)
    assert fig.data[0].type == "scattergeo"
    assert fig.data[0].locationmode is None
    assert fig.layout.geo.visible is False


def test_updates_are_small_and_carry_no_geometry(atlas_data: AtlasData) -> None:
    counts = count_by_place(atlas_data, atlas_data.tasks["task_id"], CountMode.SPECIFIC)
    patch = apply_updates(
        Patch(), map_updates(counts, atlas_data.places_geojson, mode=CountMode.SPECIFIC)
    )
    payload = json.dumps(patch.to_plotly_json(), ensure_ascii=False)
    assert "coordinates" not in payload
    assert len(payload.encode()) < 10_000
    full = build_district_map(counts, atlas_data.places_geojson, mode=CountMode.SPECIFIC)
    assert len(full.to_json()) > 5 * len(payload)


def _label_points(atlas_data: AtlasData, kind: str) -> dict[str, tuple[float, float]]:
    return {
        f["properties"]["name"]: (f["properties"]["label_lon"], f["properties"]["label_lat"])
        for f in atlas_data.places_geojson["features"]
        if f["properties"]["kind"] == kind
    }


def test_central_district_labels_are_short_and_moved_ones_have_leaders(
    atlas_data: AtlasData,
) -> None:
    counts, fig = _map(atlas_data)
    names = [row[0] for row in fig.data[DISTRICTS].customdata]
    labels = dict(zip(names, fig.data[LABELS].text, strict=True))
    totals = counts.set_index("place")["total"]
    assert len(SHORT_NAMES) == 7
    for name, short in SHORT_NAMES.items():
        assert labels[name] == (f"{short} {totals[name]}" if totals[name] else short)
    assert labels["黄陂区"].startswith("黄陂区<br>")
    points = _label_points(atlas_data, "district")
    spots = zip(fig.data[LABELS].lon, fig.data[LABELS].lat, strict=True)
    drawn = dict(zip(names, spots, strict=True))
    leaders = fig.data[LEADERS]
    starts = list(zip(leaders.lon[0::3], leaders.lat[0::3], strict=True))
    assert sorted(starts) == sorted(points[n] for n in LABEL_CALLOUTS)
    for name, point in points.items():
        assert drawn[name] == LABEL_CALLOUTS.get(name, point)


def test_zone_markers_keep_off_district_labels(atlas_data: AtlasData) -> None:
    _, fig = _map(atlas_data)
    zones = fig.data[ZONE_MARKERS]
    spots = zip(zones.customdata, zones.lon, zones.lat, strict=True)
    markers = {row[0]: (lon, lat) for row, lon, lat in spots}
    assert markers["临空港开发区"] == ZONE_MARKER_SPOTS["临空港开发区"]
    assert markers["临空港开发区"] != _label_points(atlas_data, "district")["东西湖区"]


def test_map_hugs_the_city_and_colour_bar_sits_inside(atlas_data: AtlasData) -> None:
    _, fig = _map(atlas_data)
    lons = [x for x, _ in _label_points(atlas_data, "district").values()]
    geo = fig.layout.geo
    assert geo.lonaxis.range[0] < min(lons) and max(lons) < geo.lonaxis.range[1]
    assert geo.lonaxis.range[1] - geo.lonaxis.range[0] < 1.6  # Wuhan spans ~1.4 degrees
    bar = fig.layout.coloraxis.colorbar
    assert bar.xanchor == "right" and bar.x <= 1  # inside: no margin pushed, map not shrunk


def test_agency_bar_highlights_selection_and_has_empty_state(atlas_data: AtlasData) -> None:
    top = top_agencies(atlas_data, atlas_data.tasks["task_id"], AgencyRole.ANY)
    fig = build_agency_bar(top, selected="市发改委")
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    assert list(bar.y) == top["unit"].tolist()
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colours["市发改委"] != colours[bar.y[-1]]
    empty = build_agency_bar(top.iloc[0:0])
    assert [a.text for a in empty.layout.annotations] == [EMPTY_TEXT]
