"""Pure figure builders: data frames in, plotly figures out.

The district map is built once with its geometry; what changes with the filters is a short
list of (path, value) updates that callbacks send as a `dash.Patch`, so the boundaries are
never re-sent. `build_district_map` applies the same updates, so both routes agree.

The map has two geo subplots: the city (`geo`) and a central-city inset (`geo2`), where the
seven central districts and the zones among them are labelled (see map_labels). Colours are
fixed classes per count mode (style.COUNT_CLASSES / SHARE_CLASSES), stated in the legend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import shape

from dashboard.map_labels import (
    CENTRAL,
    INSET_BOX_COLOR,
    INSET_LAT,
    INSET_LON,
    Label,
    features,
    geo_ranges,
    hit_sizes,
    inset_box,
    inset_ranges,
    label_texts,
    place_labels,
    zone_outlines,
    zone_point,
)
from dashboard.options import ALL_LINKS, MODE_LABELS, CountMode
from dashboard.style import (
    COUNT_CLASSES,
    FONT_FAMILY,
    SELECTED_COLOR,
    SHARE_CLASSES,
    WATER_COLOR,
    WATER_EDGE,
    ZONE_COLOR,
    ZONE_NOTE,
    class_index,
    classed_colorscale,
    empty_note,
)
from geodata.water import load_water

# Trace order matters: plotly.js fetches a world topojson from cdn.plot.ly when the *first* geo
# trace has a locationmode, so a lon/lat trace goes first on each subplot; and of two points at
# the same hover distance the *later* trace wins, so the labels come after the districts (else
# a click on 江岸's label selected the district under it, issue 9 item 2). plotly draws every
# choropleth below every scattergeo of a subplot, so water cannot sit under an opaque district
# fill: the lakes are a pale choropleth right after the districts and the rivers lines right
# after that, both under the zones and the labels, with no hover (they never take a click).
#: River line widths (px) by name ("" = the unnamed rivers): 长江 reads wider than 汉江. A line
#: trace has one width, so each width is its own trace.
RIVER_WIDTHS = {"长江": 4.0, "汉江": 2.2, "": 1.0}
WATER_TRACE_COUNT = 1 + len(RIVER_WIDTHS)  # the lakes, then one line trace per width
INSET_BOX, DISTRICTS = 0, 1
WATER = range(DISTRICTS + 1, DISTRICTS + 1 + WATER_TRACE_COUNT)
ZONE_OUTLINES, ZONE_MARKERS, LABELS = WATER.stop, WATER.stop + 1, WATER.stop + 2
INSET_ZONES, INSET_DISTRICTS = LABELS + 1, LABELS + 2
INSET_WATER = range(INSET_DISTRICTS + 1, INSET_DISTRICTS + 1 + WATER_TRACE_COUNT)
INSET_MARKERS, INSET_LABELS = INSET_WATER.stop, INSET_WATER.stop + 1
INSET_HEADING = INSET_LABELS + 1  # the inset's title, drawn inside its frame
LABEL_TRACES = (LABELS, INSET_LABELS)
Update = tuple[tuple[str | int, ...], Any]
Classes = tuple[tuple[float, str], ...]  # (exclusive upper bound, label), as in style.py
LABEL_FONT = 13
#: 汇报模式's type on the map: 20 px for the legend-free text (hover, notes), 18 px for the place
#: labels. At 20 px the inset's labels overlapped each other at 1024×768 (江岸/江汉, 硚口/汉阳,
#: 武昌/东湖风景区) and 东湖风景区, 东湖高新区 ran past the inset's edge; 18 px in the larger
#: 汇报模式 inset (BRIEFING_INSET) fits at 1024×768, 1366×768 and 1920×1080 (test_map_fit.py).
BRIEFING_FONT = 20
BRIEFING_LABEL_FONT = 18
#: The legend keeps a small size in 汇报模式: at 20 px it ran under the colour bar at 1024 px.
BRIEFING_LEGEND_FONT = 15
INK = "#1f2d3d"
ZONE_LABEL_COLOR = "#7a1f14"  # darker than the dashes, on a white halo: not red on red
#: Where the inset goes in the dashboard's map: the empty ground south-east of 江夏/新洲, right
#: of the city's view at every screen size (the city is drawn at most 0.6 of the width wide).
CORNER_INSET = {"x": [0.62, 0.995], "y": [0.04, 0.6]}
CITY_DOMAIN = {"x": [0.0, 0.66], "y": [0.0, 1.0]}
#: 汇报模式's map column is squarer and its type larger: the inset grows (down to the bottom
#: edge, in from 0.56) so its labels fit; the city, height-bound there, keeps its size.
BRIEFING_CITY = {"x": [0.0, 0.62], "y": [0.0, 1.0]}
BRIEFING_INSET = {"x": [0.56, 1.0], "y": [0.0, 0.62]}
#: On a landscape export page (16:9, A4, A3): the city on the left, the inset large on the right.
EXPORT_CITY = {"x": [0.0, 0.52], "y": [0.0, 1.0]}
EXPORT_INSET = {"x": [0.54, 1.0], "y": [0.09, 0.8]}
#: The legend on an export page: one row under the inset, in the right column. At the top left
#: of the page (the dashboard's place) its white box covered the top of 黄陂区 on every page
#: size; the right column has no district outside the inset, and the inset starts above it.
EXPORT_LEGEND = {"orientation": "h", "x": EXPORT_INSET["x"][0], "xanchor": "left",
                 "y": 0.0, "yanchor": "bottom"}  # fmt: skip
#: A white halo keeps dark text readable on every class colour and on the zone dashes.
HALO = "0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff"
INSET_TITLE = "中心城区放大"
#: The inset's frame is plotly's own geo frame: plotly fits the inset's lon/lat box into its
#: domain keeping the map's aspect, so the drawn view fills the domain in one direction only,
#: and a paper rectangle around the domain stood off the map (or under its clipped edge). The
#: geo frame is the view's own edge at every size; plotly fetches no topojson for it.
INSET_FRAME = {"showframe": True, "framecolor": INSET_BOX_COLOR, "framewidth": 1}
#: The colour bar's texts have fixed sizes and never rotate: plotly tilted the tick labels when
#: they crowded a narrow map (1366×768) and turned them upright in 汇报模式's 20 px type.
COLORBAR_TICK_FONT = 12
COLORBAR_LEN = 0.5
#: The mode bar (plotly's toolbar) stands upright at the right edge, above the inset: lying
#: across the top right it sat over the colour bar's title at 1024 and 1366 px. The colour
#: bar keeps this many px off the right edge for it (xpad, so at every width).
MODEBAR = {"orientation": "v"}
MODEBAR_CLEAR_PX = 40
#: Where every map's colour bar sits (the 对比 map's too): across the top right, off the mode
#: bar. Outside the plot it would push the margin and shrink the map.
COLORBAR_PLACE = {"x": 1.0, "xanchor": "right", "xpad": MODEBAR_CLEAR_PX, "y": 0.99,
                  "yanchor": "top"}  # fmt: skip
#: The inset's hover is the same in both modes (kept out of the per-filter patch); the city
#: map's hover has the breakdown by link type.
INSET_HOVER = "<b>%{customdata[1]}</b><br>合计 %{customdata[6]} 项<extra></extra>"
HOVER_NOTE = "同一任务只计一次"


def inset_zones(places_geojson: dict[str, Any]) -> list[dict[str, Any]]:
    """Zones whose marker and label are in the inset (the others are on the city map only)."""
    names = {lb.name for lb in place_labels(places_geojson) if lb.kind == "zone" and lb.in_inset}
    return [f for f in features(places_geojson, "zone") if f["properties"]["name"] in names]


def map_labels_of(places_geojson: dict[str, Any], inset: bool) -> list[Label]:
    """The labels of the city map (inset=False) or of the inset, in their trace's order."""
    return [lb for lb in place_labels(places_geojson) if lb.in_inset == inset]


def _label_trace(labels: list[Label], geo: str) -> dict[str, Any]:
    return {
        "type": "scattergeo",
        "geo": geo,
        "meta": "labels",
        "mode": "markers+text",
        "lon": [lb.lon for lb in labels],
        "lat": [lb.lat for lb in labels],
        "textposition": "middle center",
        "marker": {"size": hit_sizes(labels, LABEL_FONT), "opacity": 0},
        "textfont": {
            "size": LABEL_FONT,
            "shadow": HALO,
            "color": [ZONE_LABEL_COLOR if lb.kind == "zone" else INK for lb in labels],
        },
        # the place for clicks; its numbers are in the district/zone hover (kept out of the
        # per-filter patch, which stays under 10 KB)
        "customdata": [[lb.name, lb.name] for lb in labels],
        "hovertemplate": "<b>%{customdata[1]}</b><br>点击查看任务清单<extra></extra>",
        "showlegend": False,
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }


def _inset_heading() -> dict[str, Any]:
    """The inset's title in its top-left corner, inside the frame: a point of the inset itself,
    so it stays on the frame wherever plotly fits the view (a paper annotation at the domain's
    corner floated above it). No hover, so it never takes a click."""
    return {
        "type": "scattergeo",
        "geo": "geo2",
        # an invisible marker: plotly sets text off a marker by its size, a few px in from
        # the corner at any scale (text alone starts on the corner and the frame cuts it)
        "mode": "markers+text",
        "marker": {"size": 8, "opacity": 0},
        "lon": [INSET_LON[0] + 0.002],
        "lat": [INSET_LAT[1] - 0.002],
        "text": [INSET_TITLE],
        "textposition": "bottom right",
        "textfont": {"size": 12, "color": INSET_BOX_COLOR, "shadow": HALO},
        "hoverinfo": "skip",
        "showlegend": False,
        "name": INSET_TITLE,
    }


def _zone_traces(zones: list[dict[str, Any]], geo: str, legend: bool) -> list[dict[str, Any]]:
    lons, lats = zone_outlines(zones)
    zprops = [f["properties"] for f in zones]
    return [
        {
            "type": "scattergeo",
            "geo": geo,
            "mode": "lines",
            "lon": lons,
            "lat": lats,
            "hoverinfo": "skip",
            "line": {"color": ZONE_COLOR, "width": 1.6, "dash": "dash"},
            "name": "功能区边界（虚线为示意范围）",
            "showlegend": legend,
        },
        {
            "type": "scattergeo",
            "geo": geo,
            "mode": "markers",
            "lon": [zone_point(p)[0] for p in zprops],
            "lat": [zone_point(p)[1] for p in zprops],
            "marker": {
                "symbol": "diamond",
                "coloraxis": "coloraxis",
                "line": {"color": ZONE_COLOR},
            },
            "showlegend": False,
            "name": "功能区",
        },
    ]


def _choropleth(districts: list[dict[str, Any]], geo: str) -> dict[str, Any]:
    return {
        "type": "choropleth",
        "geo": geo,
        "geojson": {"type": "FeatureCollection", "features": districts},
        "locations": [f["id"] for f in districts],
        "featureidkey": "id",
        "coloraxis": "coloraxis",
        "name": "区",
        "showlegend": False,
    }


def _lines(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"]) if geometry["type"] == "MultiLineString" else []


def _overlaps(geometry: dict[str, Any], lon: Sequence[float], lat: Sequence[float]) -> bool:
    x0, y0, x1, y1 = shape(geometry).bounds
    return x0 <= lon[1] and x1 >= lon[0] and y0 <= lat[1] and y1 >= lat[0]


def _water_traces(
    water: dict[str, Any], geo: str, legend: bool, view: tuple[Sequence[float], ...] | None = None
) -> list[dict[str, Any]]:
    """Lakes (a single-colour choropleth, the Yangtze's two-bank stretch among them) and the
    river lines, one trace per RIVER_WIDTHS entry (None between parts). No hover, no legend
    except one "水系" entry on the city map. With `view` (lon range, lat range) only the water
    reaching into it is sent: the inset shows a tenth of the city."""
    if view is not None:
        kept = [f for f in water["features"] if _overlaps(f["geometry"], *view)]
        water = {**water, "features": kept}
    areas = [f for f in water["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    lakes = {
        "type": "choropleth",
        "geo": geo,
        "geojson": {"type": "FeatureCollection", "features": areas},
        "locations": [f["id"] for f in areas],
        "featureidkey": "id",
        "z": [0] * len(areas),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, WATER_COLOR], [1, WATER_COLOR]],
        "showscale": False,
        "marker": {"line": {"color": WATER_EDGE, "width": 1}},
        "hoverinfo": "skip",
        "name": "水系",
        "showlegend": False,
    }
    rivers = []
    for name, width in RIVER_WIDTHS.items():
        lons: list[float | None] = []
        lats: list[float | None] = []
        for f in water["features"]:
            if f["properties"]["name"] == name or (
                name == "" and f["properties"]["name"] not in RIVER_WIDTHS
            ):
                for line in _lines(f["geometry"]):
                    lons += [p[0] for p in line] + [None]
                    lats += [p[1] for p in line] + [None]
        rivers.append(
            {
                "type": "scattergeo",
                "geo": geo,
                "mode": "lines",
                "lon": lons,
                "lat": lats,
                "line": {"color": WATER_EDGE, "width": width},
                "hoverinfo": "skip",
                "name": "水系",
                "showlegend": legend and name == "长江",
            }
        )
    return [lakes, *rivers]


def base_map(places_geojson: dict[str, Any], water: dict[str, Any]) -> dict[str, Any]:
    """The figure's fixed part: geometry, label positions, styling (the city map and its
    central-city inset; the 对比 map fills the same figure with its own values)."""
    districts = features(places_geojson, "district")
    zones = features(places_geojson, "zone")
    central = [f for f in districts if f["properties"]["name"] in CENTRAL]
    box_lons, box_lats = inset_box()
    outlines, markers = _zone_traces(zones, "geo", True)
    inset_outlines, _ = _zone_traces(zones, "geo2", False)
    _, inset_markers = _zone_traces(inset_zones(places_geojson), "geo2", False)
    inset_markers["hovertemplate"] = INSET_HOVER
    data: list[dict[str, Any]] = [
        {
            "type": "scattergeo",
            "geo": "geo",
            "mode": "lines",
            "lon": box_lons,
            "lat": box_lats,
            "hoverinfo": "skip",
            "line": {"color": INSET_BOX_COLOR, "width": 1},
            "showlegend": False,
            "name": "中心城区放大图范围",
        },
        _choropleth(districts, "geo"),
        *_water_traces(water, "geo", True),
        outlines,
        markers,
        _label_trace(map_labels_of(places_geojson, False), "geo"),
        inset_outlines,
        {**_choropleth(central, "geo2"), "hovertemplate": INSET_HOVER},
        *_water_traces(water, "geo2", False, (INSET_LON, INSET_LAT)),
        inset_markers,
        _label_trace(map_labels_of(places_geojson, True), "geo2"),
        _inset_heading(),
    ]
    geo_common = {"visible": False, "projection": {"type": "mercator"}}
    layout = {
        "geo": {
            **geo_common,
            **geo_ranges(districts),
            "bgcolor": "rgba(0,0,0,0)",
            "domain": CITY_DOMAIN,
        },
        "geo2": {
            **geo_common,
            **inset_ranges(),
            **INSET_FRAME,
            "bgcolor": "white",
            "domain": CORNER_INSET,
        },
        "annotations": [],
        "coloraxis": {  # both modes have six classes: only the tick texts and title change
            "colorscale": classed_colorscale(len(COUNT_CLASSES)),
            "cmin": -0.5,
            "cmax": len(COUNT_CLASSES) - 0.5,
            # top right, over the empty ground north-east of 新洲
            "colorbar": {
                "orientation": "h",
                "thickness": 12,
                "len": COLORBAR_LEN,
                **COLORBAR_PLACE,
                "title": {"side": "top", "font": {"size": COLORBAR_TICK_FONT + 1}},
                "tickvals": list(range(len(COUNT_CLASSES))),
                "tickangle": 0,
                "tickfont": {"size": COLORBAR_TICK_FONT},
            },
        },
        "legend": {"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.8)"},
        "modebar": MODEBAR,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "font": {"family": FONT_FAMILY, "size": 13},
        "paper_bgcolor": "white",
        "uirevision": "atlas-map",
        "clickmode": "event",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    return {"data": data, "layout": layout}


def zone_note_annotation() -> dict[str, Any]:
    """ZONE_NOTE in the map's bottom left corner (an export moves it into the footer)."""
    return {"text": ZONE_NOTE, "showarrow": False, "x": 0.01, "y": 0.01, "xref": "paper",
            "yref": "paper", "xanchor": "left", "yanchor": "bottom",
            "font": {"size": 11, "color": ZONE_LABEL_COLOR},
            "bgcolor": "rgba(255,255,255,0.8)"}  # fmt: skip


def inset_layout(inset: dict[str, list[float]], main: dict[str, list[float]]) -> list[Update]:
    """Place the city map and the inset (paper fractions): beside each other in the dashboard,
    differently on a wide export page. The frame and title are the inset's own and follow it."""
    return [
        (("layout", "geo", "domain"), main),
        (("layout", "geo2", "domain"), inset),
        (("layout", "meta"), {"inset": inset}),
    ]


def export_page_layout() -> list[Update]:
    """The landscape export page: city map left, inset right, the legend under the inset
    (keys set one by one: the export's legend font and background stay)."""
    legend = [(("layout", "legend", key), value) for key, value in EXPORT_LEGEND.items()]
    return [*inset_layout(EXPORT_INSET, EXPORT_CITY), *legend]


def _hovertemplate(mode: CountMode) -> str:
    group = ""
    if mode == CountMode.WITH_CITYWIDE:
        group = (" · 群体表述 %{customdata[5]}<br>不经群体表述 %{customdata[7]} 项，"
                 "占 %{customdata[8]}%")  # fmt: skip
    return (
        "<b>%{customdata[1]}</b><br>牵头 %{customdata[2]} · 责任 %{customdata[3]}"
        f" · 提及 %{{customdata[4]}}{group}<br>合计 %{{customdata[6]}} 项（{HOVER_NOTE}）"
        "<extra></extra>"
    )


def _customdata(rows: pd.DataFrame, names: Sequence[str]) -> list[list[Any]]:
    cols = [*map(str, ALL_LINKS), "total"]
    values = rows[cols].to_numpy().tolist()
    # targets reached by a named link (counting.count_by_mask); frames of other views
    # (the 进度 map) have no such column and never show the share
    named = rows["specific"].tolist() if "specific" in rows else [0] * len(rows)
    out = []
    for place, name, v, own in zip(rows["place"], names, values, named, strict=True):
        share = round(100 * own / v[4], 1) if v[4] else 0
        out.append([place, name, *v, own, share])
    return out


def _classes(rows: pd.DataFrame, mode: CountMode, classes: Classes | None = None) -> list[int]:
    if classes is not None:  # another view's own classes of `total` (the 进度 map's percentages)
        return [class_index(t, classes) for t in rows["total"]]
    if mode == CountMode.WITH_CITYWIDE:
        shares = [r[8] if r[6] else 0 for r in _customdata(rows, rows["place"].tolist())]
        return [class_index(s, SHARE_CLASSES) for s in shares]
    return [class_index(t, COUNT_CLASSES) for t in rows["total"]]


def _label_updates(
    trace: int, labels: list[Label], by_name: pd.DataFrame, mode: CountMode, selected: str | None
) -> list[Update]:
    rows = by_name.loc[[lb.name for lb in labels]].reset_index()
    return [
        (("data", trace, "text"), label_texts(labels, rows["total"].tolist())),
    ]


def map_updates(
    counts: pd.DataFrame,
    places_geojson: dict[str, Any],
    *,
    mode: CountMode,
    show_zones: bool = True,
    selected: str | None = None,
    classes: Classes | None = None,
) -> list[Update]:
    """Everything that changes with the filters, as (path into the figure, value) pairs.

    `classes` colours `total` by other fixed classes than the counting mode's (the 进度 view)."""
    by_id = counts.set_index("place_id")
    by_name = counts.set_index("place")
    d = by_id.loc[[f["id"] for f in features(places_geojson, "district")]]
    central = d[d["place"].isin(CENTRAL)]
    zprops = [f["properties"] for f in features(places_geojson, "zone")]
    z = by_id.loc[[p["id"] for p in zprops]]
    znames = [p["name"] + ("（示意范围）" if p["approximate"] else "") for p in zprops]
    empty = int(counts["total"].sum()) == 0
    note_style = {"font": {"size": 22, "color": "#555"}, "bgcolor": "rgba(255,255,255,0.85)"}
    notes = [empty_note(**note_style)] if empty else []
    if show_zones:
        notes.append(zone_note_annotation())
    shown = classes or (SHARE_CLASSES if mode == CountMode.WITH_CITYWIDE else COUNT_CLASSES)
    updates: list[Update] = []
    updates.append((("data", DISTRICTS, "hovertemplate"), _hovertemplate(mode)))
    for trace, rows in ((DISTRICTS, d), (INSET_DISTRICTS, central)):
        updates += [
            (("data", trace, "z"), _classes(rows, mode, classes)),
            (("data", trace, "customdata"), _customdata(rows, rows["place"].tolist())),
            (("data", trace, "marker"), district_lines(rows["place"].tolist(), selected)),
        ]
    for trace, inset in ((LABELS, False), (INSET_LABELS, True)):
        updates += _label_updates(
            trace, map_labels_of(places_geojson, inset), by_name, mode, selected
        )
    inset_ids = [f["id"] for f in inset_zones(places_geojson)]
    inset_names = [n for i, n in zip(z.index, znames, strict=True) if i in inset_ids]
    zone_sets = (
        (ZONE_OUTLINES, ZONE_MARKERS, z, znames),
        (INSET_ZONES, INSET_MARKERS, z.loc[inset_ids], inset_names),
    )
    updates.append((("data", ZONE_MARKERS, "hovertemplate"), _hovertemplate(mode)))
    for outlines, markers, rows, names in zone_sets:
        updates += [
            (("data", outlines, "visible"), show_zones),
            (("data", markers, "visible"), show_zones),
            (("data", markers, "customdata"), _customdata(rows, names)),
            (("data", markers, "marker", "color"), _classes(rows, mode, classes)),
            (("data", markers, "marker", "size"), _marker_sizes(list(rows["place"]), selected)),
            (
                ("data", markers, "marker", "line", "width"),
                _marker_widths(list(rows["place"]), selected),
            ),
        ]
    title = "专项任务占比（不经群体表述）" if mode == CountMode.WITH_CITYWIDE else "任务数"
    updates += [
        (("layout", "coloraxis", "colorbar", "ticktext"), [label for _, label in shown]),
        (
            ("layout", "coloraxis", "colorbar", "title", "text"),
            f"{title}（{MODE_LABELS[mode]}，固定分级）",
        ),
        (("layout", "annotations"), notes),
    ]
    if classes is not None:  # the base figure's bar has the six count classes
        updates += [
            (("layout", "coloraxis", "colorbar", "tickvals"), list(range(len(classes)))),
            (("layout", "coloraxis", "cmax"), len(classes) - 0.5),
        ]
    return updates


def _marker_sizes(names: list[str], selected: str | None) -> list[int]:
    return [18 if n == selected else 12 for n in names]


def _marker_widths(names: list[str], selected: str | None) -> list[float]:
    return [3 if n == selected else 1.5 for n in names]


#: What the selected place changes in map_updates: path below the trace → value of its names.
SELECTION_PARTS: dict[tuple[Any, ...], Callable[[list[str], str | None], Any]] = {
    ("marker",): lambda names, selected: district_lines(names, selected),
    ("marker", "size"): _marker_sizes,
    ("marker", "line", "width"): _marker_widths,
}


def with_selection(updates: list[Update], selected: str | None) -> list[Update]:
    """map_updates(…, selected=None) with `selected` outlined, as map_updates(…, selected=…)
    gives: the rest depends on the filters only, so it is computed once per filter state."""
    if not selected:
        return updates
    names = {
        path[1]: [row[0] for row in value]
        for path, value in updates
        if path[0] == "data" and path[2:] == ("customdata",)
    }
    return [
        (path, SELECTION_PARTS[path[2:]](names[path[1]], selected))
        if path[0] == "data" and path[2:] in SELECTION_PARTS and path[1] in names
        else (path, value)
        for path, value in updates
    ]


def district_lines(names: list[str], selected: str | None) -> dict[str, Any]:
    """District outlines: the selected place drawn thick in the selection colour."""
    chosen = [n == selected for n in names]
    return {
        "line": {
            "color": [SELECTED_COLOR if c else "white" for c in chosen],
            "width": [4 if c else 1 for c in chosen],
        }
    }


def district_names(places_geojson: dict[str, Any]) -> list[list[str]]:
    """District names in the order of the city choropleth and of the inset choropleth."""
    names = [f["properties"]["name"] for f in features(places_geojson, "district")]
    return [names, [n for n in names if n in CENTRAL]]


def apply_updates(target: Any, updates: Sequence[Update]) -> Any:
    """Write each update into a figure dict or a `dash.Patch` (both support item access)."""
    for path, value in updates:
        node = target
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return target


def briefing_updates(places_geojson: dict[str, Any], on: bool) -> list[Update]:
    """Larger type and a larger inset on the map for 汇报模式 (and back)."""
    size = BRIEFING_LABEL_FONT if on else LABEL_FONT
    updates: list[Update] = [
        (("layout", "font", "size"), BRIEFING_FONT if on else 13),
        (("layout", "legend", "y"), 0.99),
        (("layout", "legend", "font"), {"size": BRIEFING_LEGEND_FONT if on else LABEL_FONT}),
        *(inset_layout(BRIEFING_INSET, BRIEFING_CITY) if on
          else inset_layout(CORNER_INSET, CITY_DOMAIN)),
    ]  # fmt: skip
    for trace, inset in ((LABELS, False), (INSET_LABELS, True)):
        updates.append((("data", trace, "textfont", "size"), size))
        labels = map_labels_of(places_geojson, inset)
        updates.append((("data", trace, "marker", "size"), hit_sizes(labels, size)))
    return updates


def build_district_map(
    counts: pd.DataFrame,
    places_geojson: dict[str, Any],
    *,
    mode: CountMode,
    show_zones: bool = True,
    selected: str | None = None,
    water: dict[str, Any] | None = None,
) -> go.Figure:
    """Choropleth of the 13 districts by task count, zones as a dashed approximate layer, the
    rivers and lakes (`water`, default the shipped GSHHG layer) between them."""
    fig = base_map(places_geojson, load_water() if water is None else water)
    updates = map_updates(
        counts, places_geojson, mode=mode, show_zones=show_zones, selected=selected
    )
    return go.Figure(apply_updates(fig, updates))
