"""Pure figure builders: data frames in, plotly figures out.

The district map is built once with its geometry; what changes with the filters is a short
list of (path, value) updates that callbacks send as a `dash.Patch`, so the boundaries are
never re-sent. `build_district_map` applies the same updates, so both routes agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.filters import MODE_LABELS, CountMode

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
COLORSCALE = [
    [0.0, "#eef2f7"],
    [0.25, "#b9d2ea"],
    [0.5, "#6ea3d3"],
    [0.75, "#2f6fb0"],
    [1.0, "#0b3d7a"],
]
ZONE_COLOR = "#c0392b"
SELECTED_COLOR = "#e67e22"
EMPTY_TEXT = "没有符合条件的任务"
ZONE_NOTE = "虚线为功能区示意范围(非法定边界)"
# Trace order matters: plotly.js fetches a world topojson from cdn.plot.ly when the *first* geo
# trace has a locationmode, so a lon/lat trace (the labels) goes first to keep the map offline.
LABELS, DISTRICTS, ZONE_OUTLINES, ZONE_MARKERS, LEADERS = 0, 1, 2, 3, 4
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
Update = tuple[tuple[str | int, ...], Any]


def _features(places_geojson: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in places_geojson["features"] if f["properties"]["kind"] == kind]


def _outline(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
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


def _zone_outlines(zones: list[dict[str, Any]]) -> tuple[list[float | None], list[float | None]]:
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in zones:
        x, y = _outline(feature["geometry"])
        lons += x
        lats += y
    return lons, lats


def _label_point(props: dict[str, Any]) -> tuple[float, float]:
    return LABEL_CALLOUTS.get(props["name"], (props["label_lon"], props["label_lat"]))


def _zone_point(props: dict[str, Any]) -> tuple[float, float]:
    return ZONE_MARKER_SPOTS.get(props["name"], (props["label_lon"], props["label_lat"]))


def _leader_lines(dprops: list[dict[str, Any]]) -> tuple[list[float | None], list[float | None]]:
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


def _geo_ranges(districts: list[dict[str, Any]], pad: float = 0.01) -> dict[str, Any]:
    """Axis ranges hugging the city: plotly's `fitbounds` leaves ~5% empty on each side."""
    lons: list[float] = []
    lats: list[float] = []
    for feature in districts:
        x, y = _outline(feature["geometry"])
        lons += [v for v in x if v is not None]
        lats += [v for v in y if v is not None]
    dx, dy = (max(lons) - min(lons)) * pad, (max(lats) - min(lats)) * pad
    return {
        "lonaxis": {"range": [min(lons) - dx, max(lons) + dx]},
        "lataxis": {"range": [min(lats) - dy, max(lats) + dy]},
    }


def _base_map(places_geojson: dict[str, Any]) -> dict[str, Any]:
    """The figure's fixed part: geometry, label positions, styling."""
    districts = _features(places_geojson, "district")
    zones = _features(places_geojson, "zone")
    lons, lats = _zone_outlines(zones)
    dprops = [f["properties"] for f in districts]
    zprops = [f["properties"] for f in zones]
    leader_lons, leader_lats = _leader_lines(dprops)
    data: list[dict[str, Any]] = [
        {
            "type": "scattergeo",
            "mode": "text",
            "hoverinfo": "skip",
            "showlegend": False,
            "lon": [_label_point(p)[0] for p in dprops],
            "lat": [_label_point(p)[1] for p in dprops],
            "textposition": [
                CALLOUT_TEXT_POSITIONS.get(p["name"], "middle center") for p in dprops
            ],
            "textfont": {"size": label_sizes(places_geojson, 12), "shadow": "auto"},
        },
        {
            "type": "choropleth",
            "geojson": {"type": "FeatureCollection", "features": districts},
            "locations": [f["id"] for f in districts],
            "featureidkey": "id",
            "coloraxis": "coloraxis",
            "name": "区",
            "showlegend": False,
        },
        {
            "type": "scattergeo",
            "mode": "lines",
            "lon": lons,
            "lat": lats,
            "hoverinfo": "skip",
            "line": {"color": ZONE_COLOR, "width": 1.6, "dash": "dash"},
            "name": "功能区边界(虚线为示意范围)",
            "showlegend": True,
        },
        {
            "type": "scattergeo",
            "mode": "markers+text",
            "textposition": [ZONE_TEXT_POSITIONS.get(p["name"], "top center") for p in zprops],
            "lon": [_zone_point(p)[0] for p in zprops],
            "lat": [_zone_point(p)[1] for p in zprops],
            "marker": {
                "symbol": "diamond",
                "coloraxis": "coloraxis",
                "line": {"color": ZONE_COLOR},
            },
            "textfont": {"size": 11, "color": ZONE_COLOR, "shadow": "auto"},
            "showlegend": False,
            "name": "功能区",
        },
        {
            "type": "scattergeo",
            "mode": "lines",
            "lon": leader_lons,
            "lat": leader_lats,
            "hoverinfo": "skip",
            "line": {"color": LEADER_COLOR, "width": 1},
            "showlegend": False,
        },
    ]
    layout = {
        "geo": {
            "visible": False,
            **_geo_ranges(districts),
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        "coloraxis": {
            "colorscale": COLORSCALE,
            "cmin": 0,
            # Inside the plot, over the empty ground south-east of 江夏/新洲: a colour bar
            # outside it would push the margin and shrink the map.
            "colorbar": {
                "thickness": 14,
                "len": 0.45,
                "x": 0.99,
                "xanchor": "right",
                "y": 0.03,
                "yanchor": "bottom",
            },
        },
        "legend": {"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.8)"},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "font": {"family": FONT_FAMILY, "size": 13},
        "paper_bgcolor": "white",
        "uirevision": "atlas-map",
        "clickmode": "event",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    return {"data": data, "layout": layout}


def _hovertemplate(mode: CountMode) -> str:
    group = " · 群体表述 %{customdata[5]}" if mode == CountMode.WITH_CITYWIDE else ""
    return (
        "<b>%{customdata[1]}</b><br>牵头 %{customdata[2]} · 责任 %{customdata[3]}"
        f" · 提及 %{{customdata[4]}}{group}<br>合计 %{{customdata[6]}} 项<extra></extra>"
    )


def _customdata(rows: pd.DataFrame, names: Sequence[str]) -> list[list[Any]]:
    cols = ["lead", "responsible", "mention", "group", "total"]
    values = rows[cols].to_numpy().tolist()
    return [[p, n, *v] for p, n, v in zip(rows["place"], names, values, strict=True)]


def _label_colors(totals: Sequence[int], cmax: int) -> list[str]:
    return ["white" if t > 0.6 * cmax else "#1f2d3d" for t in totals]


def map_updates(
    counts: pd.DataFrame,
    places_geojson: dict[str, Any],
    *,
    mode: CountMode,
    show_zones: bool = True,
    selected: str | None = None,
) -> list[Update]:
    """Everything that changes with the filters, as (path into the figure, value) pairs."""
    by_id = counts.set_index("place_id")
    d = by_id.loc[[f["id"] for f in _features(places_geojson, "district")]]
    zprops = [f["properties"] for f in _features(places_geojson, "zone")]
    z = by_id.loc[[p["id"] for p in zprops]]
    znames = [p["name"] + ("(示意范围)" if p["approximate"] else "") for p in zprops]
    cmax = max(int(counts["total"].max() if len(counts) else 0), 1)
    empty = int(counts["total"].sum()) == 0
    notes = (
        [
            {
                "text": EMPTY_TEXT,
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "font": {"size": 22, "color": "#555"},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        ]
        if empty
        else []
    )
    if show_zones:
        notes.append(
            {
                "text": ZONE_NOTE,
                "showarrow": False,
                "x": 0.01,
                "y": 0.01,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": ZONE_COLOR},
            }
        )
    dtotal = d["total"].tolist()
    return [
        (("data", LABELS, "text"), district_labels(d["place"].tolist(), dtotal)),
        (("data", LABELS, "textfont", "color"), _label_colors(dtotal, cmax)),
        (("data", DISTRICTS, "z"), dtotal),
        (("data", DISTRICTS, "customdata"), _customdata(d, d["place"].tolist())),
        (("data", DISTRICTS, "hovertemplate"), _hovertemplate(mode)),
        (("data", DISTRICTS, "marker"), _district_lines(d["place"].tolist(), selected)),
        (("data", ZONE_OUTLINES, "visible"), show_zones),
        (("data", ZONE_MARKERS, "visible"), show_zones),
        (
            ("data", ZONE_MARKERS, "text"),
            [f"{n} {t}" for n, t in zip(z["place"], z["total"], strict=True)],
        ),
        (("data", ZONE_MARKERS, "customdata"), _customdata(z, znames)),
        (("data", ZONE_MARKERS, "hovertemplate"), _hovertemplate(mode)),
        (("data", ZONE_MARKERS, "marker", "color"), z["total"].tolist()),
        (
            ("data", ZONE_MARKERS, "marker", "size"),
            [18 if n == selected else 12 for n in z["place"]],
        ),
        (
            ("data", ZONE_MARKERS, "marker", "line", "width"),
            [3 if n == selected else 1.5 for n in z["place"]],
        ),
        (("layout", "coloraxis", "cmax"), cmax),
        (("layout", "coloraxis", "colorbar", "dtick"), max(1, -(-cmax // 5))),
        (
            ("layout", "coloraxis", "colorbar", "title"),
            {"text": f"任务数<br>({MODE_LABELS[mode]})"},
        ),
        (("layout", "annotations"), notes),
    ]


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


def _district_lines(names: list[str], selected: str | None) -> dict[str, Any]:
    chosen = [n == selected for n in names]
    return {
        "line": {
            "color": [SELECTED_COLOR if c else "white" for c in chosen],
            "width": [4 if c else 1 for c in chosen],
        }
    }


def apply_updates(target: Any, updates: Sequence[Update]) -> Any:
    """Write each update into a figure dict or a `dash.Patch` (both support item access)."""
    for path, value in updates:
        node = target
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return target


def label_sizes(places_geojson: dict[str, Any], base: int) -> list[int]:
    """District label font sizes: smaller for the central districts so they overlap less."""
    names = [f["properties"]["name"] for f in _features(places_geojson, "district")]
    return [round(base * 0.8) if n in SHORT_NAMES else base for n in names]


def briefing_updates(places_geojson: dict[str, Any], on: bool) -> list[Update]:
    """Larger type on the map for 汇报模式 (and back); the legend steps down below the caption,
    which the page lays over the map's top edge so the map gets the full height."""
    return [
        (("layout", "font", "size"), 20 if on else 13),
        (("layout", "legend", "y"), 0.93 if on else 0.99),
        (("data", LABELS, "textfont", "size"), label_sizes(places_geojson, 16 if on else 12)),
        (("data", ZONE_MARKERS, "textfont", "size"), 14 if on else 11),
    ]


def build_district_map(
    counts: pd.DataFrame,
    places_geojson: dict[str, Any],
    *,
    mode: CountMode,
    show_zones: bool = True,
    selected: str | None = None,
) -> go.Figure:
    """Choropleth of the 13 districts by task count, zones as a dashed approximate layer."""
    fig = _base_map(places_geojson)
    updates = map_updates(
        counts, places_geojson, mode=mode, show_zones=show_zones, selected=selected
    )
    return go.Figure(apply_updates(fig, updates))


def agency_bar_spec(
    top: pd.DataFrame, *, selected: str | None = None, role: str = "any"
) -> dict[str, Any]:
    """The agency chart as a plain figure dict (callbacks send it without plotly's validation)."""
    title = "牵头单位" if role == "lead" else "涉及单位"
    units = top["unit"].tolist()
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": top["n_tasks"].tolist(),
        "y": units,
        "customdata": units,
        "marker": {"color": [SELECTED_COLOR if u == selected else "#2f6fb0" for u in units]},
        "hovertemplate": "%{y}: %{x} 项<extra></extra>",
    }
    empty = (
        [
            {
                "text": EMPTY_TEXT,
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
            }
        ]
        if top.empty
        else []
    )
    layout = {
        "title": {"text": f"{title}(前{len(top)}名,点击筛选)", "font": {"size": 14}},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"title": {"text": "任务数"}},
        "margin": {"l": 8, "r": 8, "t": 36, "b": 36},
        "font": {"family": FONT_FAMILY, "size": 12},
        "height": 320,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "annotations": empty,
    }
    return {"data": [bar], "layout": layout}


def build_agency_bar(
    top: pd.DataFrame, *, selected: str | None = None, role: str = "any"
) -> go.Figure:
    """Horizontal bars of the units on most tasks; a click on a bar filters by that unit."""
    return go.Figure(agency_bar_spec(top, selected=selected, role=role))
