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

from dashboard.map_labels import (
    CALLOUT_TEXT_POSITIONS,
    LEADER_COLOR,
    ZONE_TEXT_POSITIONS,
    district_labels,
    features,
    geo_ranges,
    label_point,
    label_sizes,
    leader_lines,
    zone_outlines,
    zone_point,
)
from dashboard.options import ALL_LINKS, MODE_LABELS, CountMode
from dashboard.style import (
    COLORSCALE,
    FONT_FAMILY,
    SELECTED_COLOR,
    ZONE_COLOR,
    ZONE_NOTE,
    empty_note,
)

# Trace order matters: plotly.js fetches a world topojson from cdn.plot.ly when the *first* geo
# trace has a locationmode, so a lon/lat trace (the labels) goes first to keep the map offline.
LABELS, DISTRICTS, ZONE_OUTLINES, ZONE_MARKERS, LEADERS = 0, 1, 2, 3, 4
Update = tuple[tuple[str | int, ...], Any]


def _base_map(places_geojson: dict[str, Any]) -> dict[str, Any]:
    """The figure's fixed part: geometry, label positions, styling."""
    districts = features(places_geojson, "district")
    zones = features(places_geojson, "zone")
    lons, lats = zone_outlines(zones)
    dprops = [f["properties"] for f in districts]
    zprops = [f["properties"] for f in zones]
    leader_lons, leader_lats = leader_lines(dprops)
    data: list[dict[str, Any]] = [
        {
            "type": "scattergeo",
            "mode": "text",
            "hoverinfo": "skip",
            "showlegend": False,
            "lon": [label_point(p)[0] for p in dprops],
            "lat": [label_point(p)[1] for p in dprops],
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
            "lon": [zone_point(p)[0] for p in zprops],
            "lat": [zone_point(p)[1] for p in zprops],
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
            **geo_ranges(districts),
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
    cols = [*map(str, ALL_LINKS), "total"]
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
    d = by_id.loc[[f["id"] for f in features(places_geojson, "district")]]
    zprops = [f["properties"] for f in features(places_geojson, "zone")]
    z = by_id.loc[[p["id"] for p in zprops]]
    znames = [p["name"] + ("(示意范围)" if p["approximate"] else "") for p in zprops]
    cmax = max(int(counts["total"].max() if len(counts) else 0), 1)
    empty = int(counts["total"].sum()) == 0
    note_style = {"font": {"size": 22, "color": "#555"}, "bgcolor": "rgba(255,255,255,0.85)"}
    notes = [empty_note(**note_style)] if empty else []
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
