"""Pure renderers of the 对比 view: the change map, the place panel, the lineage with its diff.

Task text only ever becomes the text of an html.Span (never HTML), so nothing in a document
can inject markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import html

from comparison.model import Relation
from comparison.views import Step, wording_diff
from dashboard.map_labels import features, geo_ranges, zone_point
from dashboard.style import FONT_FAMILY, empty_note

#: Diverging: red where more tasks were dropped than added, blue where more were added.
DIVERGING = [
    [0.0, "#b2182b"],
    [0.25, "#ef8a62"],
    [0.5, "#f7f7f7"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
LEGEND_WORDS = ("取消多于新增", "持平", "新增多于取消")
PANEL_ORDER = (Relation.NEW, Relation.CONTINUED, Relation.ADJUSTED, Relation.DROPPED)
MAX_PER_SECTION = 60
TASK_BUTTON = "compare-task"  # pattern-matching id type of a task in the panel
NO_CHANGE_TEXT = "两份计划在这里没有可比的任务"


def _label_point(props: dict[str, Any]) -> tuple[float, float]:
    """Where a district's name goes: the label point the geometry records."""
    return (props["label_lon"], props["label_lat"])


def _signed(changes: pd.DataFrame) -> list[str]:
    return [
        f"+{n} −{d}"
        for n, d in zip(changes[Relation.NEW.value], changes[Relation.DROPPED.value], strict=True)
    ]


def _hover(changes: pd.DataFrame) -> list[str]:
    rows = changes.to_dict("records")
    return [
        f"<b>{r['place']}</b><br>新增 {r['新增']} · 取消 {r['取消']}<br>"
        f"延续 {r['延续']} · 调整 {r['调整']}<br>净变化 {r['net']:+d}"
        for r in rows
    ]


def build_change_map(
    changes: pd.DataFrame, places_geojson: dict[str, Any], *, selected: str | None = None
) -> go.Figure:
    """Districts coloured by net change (新增 − 取消) on a diverging scale, zones as diamonds."""
    by_name = changes.set_index("place")
    districts = features(places_geojson, "district")
    zones = features(places_geojson, "zone")
    d = by_name.reindex([f["properties"]["name"] for f in districts]).fillna(0).reset_index()
    z = by_name.reindex([f["properties"]["name"] for f in zones]).fillna(0).reset_index()
    for frame in (d, z):
        frame[list(frame.columns[1:])] = frame[list(frame.columns[1:])].astype(int)
    reach = max(int(changes["net"].abs().max()) if len(changes) else 0, 1)
    dprops = [f["properties"] for f in districts]
    zprops = [f["properties"] for f in zones]
    labels = [f"{p['name']}<br>{s}" for p, s in zip(dprops, _signed(d), strict=True)]
    data: list[dict[str, Any]] = [
        {  # lon/lat first: a first geo trace with a locationmode makes plotly.js reach a CDN
            "type": "scattergeo",
            "mode": "text",
            "lon": [_label_point(p)[0] for p in dprops],
            "lat": [_label_point(p)[1] for p in dprops],
            "text": labels,
            "hoverinfo": "skip",
            "showlegend": False,
            "textfont": {"size": 11, "color": "#1f2d3d"},
        },
        {
            "type": "choropleth",
            "geojson": {"type": "FeatureCollection", "features": districts},
            "locations": [f["id"] for f in districts],
            "featureidkey": "id",
            "z": d["net"].tolist(),
            "coloraxis": "coloraxis",
            "customdata": d["place"].tolist(),
            "hovertext": _hover(d),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {
                "line": {
                    "color": ["#e67e22" if n == selected else "#ffffff" for n in d["place"]],
                    "width": [3 if n == selected else 0.8 for n in d["place"]],
                }
            },
            "showlegend": False,
        },
        {
            "type": "scattergeo",
            "mode": "markers+text",
            "lon": [zone_point(p)[0] for p in zprops],
            "lat": [zone_point(p)[1] for p in zprops],
            "text": [f"{p['name']} {s}" for p, s in zip(zprops, _signed(z), strict=True)],
            "textposition": "top center",
            "customdata": z["place"].tolist(),
            "hovertext": _hover(z),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {
                "symbol": "diamond",
                "size": 13,
                "color": z["net"].tolist(),
                "coloraxis": "coloraxis",
                "line": {"color": "#c0392b", "width": 1.2},
            },
            "textfont": {"size": 10, "color": "#8e2b20"},
            "showlegend": False,
        },
    ]
    layout: dict[str, Any] = {
        "geo": {
            "visible": False,
            **geo_ranges(districts),
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        "coloraxis": {
            "colorscale": DIVERGING,
            "cmin": -reach,
            "cmax": reach,
            "cmid": 0,
            "colorbar": {
                "title": {"text": "任务变化<br>(新增−取消)"},
                "tickvals": [-reach, 0, reach],
                "ticktext": [
                    f"{LEGEND_WORDS[0]} {-reach}",
                    LEGEND_WORDS[1],
                    f"{LEGEND_WORDS[2]} +{reach}",
                ],
                "thickness": 14,
                "len": 0.5,
                "x": 0.99,
                "xanchor": "right",
                "y": 0.03,
                "yanchor": "bottom",
            },
        },
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "font": {"family": FONT_FAMILY, "size": 12},
        "paper_bgcolor": "white",
        "uirevision": "compare-map",
        "clickmode": "event",
    }
    if int(changes[[r.value for r in Relation]].to_numpy().sum()) == 0:
        layout["annotations"] = [empty_note(text=NO_CHANGE_TEXT, font={"size": 18})]
    return go.Figure({"data": data, "layout": layout})


def _task_line(task_id: str, text: str) -> list[Any]:
    return [html.Span(task_id, className="cmp-task-id"), html.Span(text, className="cmp-text")]


def _item(row: Mapping[Any, Any]) -> html.Li:
    relation = row["relation"]
    if relation == Relation.DROPPED:
        key, body = row["from_task_id"], _task_line(row["from_task_id"], row["from_text"])
    elif relation == Relation.NEW:
        key, body = row["to_task_id"], _task_line(row["to_task_id"], row["to_text"])
    else:
        key = row["to_task_id"]
        body = [html.Span(f"{row['from_task_id']} → ", className="cmp-task-id")]
        body += _task_line(row["to_task_id"], row["to_text"])
    return html.Li(
        [
            html.Button(body, id={"type": TASK_BUTTON, "index": key}, className="cmp-task"),
            html.Div(row["evidence"], className="cmp-evidence"),
        ]
    )


def render_place_panel(rows: pd.DataFrame) -> list[Any]:
    """新增 / 延续 / 调整 / 取消 sections, each listing its tasks with the evidence."""
    sections: list[Any] = []
    for relation in PANEL_ORDER:
        mine = rows[rows["relation"] == relation.value]
        mine = mine.drop_duplicates(["from_task_id", "to_task_id"])
        items = [_item(r) for r in mine.head(MAX_PER_SECTION).to_dict("records")]
        more = len(mine) - len(items)
        if more > 0:
            items.append(html.Li(f"另有 {more} 项,见下载的对比表", className="cmp-more"))
        sections.append(
            html.Details(
                [html.Summary(f"{relation.value}({len(mine)})"), html.Ul(items)],
                open=bool(len(mine)),
                className=f"cmp-section cmp-{relation.name.lower()}",
            )
        )
    return sections


def _spans(pieces: Sequence[tuple[str, str]]) -> list[html.Span]:
    return [html.Span(text, className=f"cmp-{kind}") for kind, text in pieces]


def render_lineage(steps: Sequence[Step], labels: Mapping[str, str]) -> list[Any]:
    """Each step beside the one before, the wording that changed marked on both sides."""
    if not steps:
        return [html.P("点击上方列表中的任务,查看它在各计划间的演变。", className="cmp-hint")]
    out: list[Any] = [
        html.P(" → ".join(labels.get(s.plan_id, s.plan_id) for s in steps), className="cmp-path")
    ]
    if len(steps) == 1:
        out.append(html.P([*_task_line(steps[0].task_id, steps[0].text), " (没有前序或后续任务)"]))
    for old, new in itertools.pairwise(steps):
        left, right = wording_diff(old.text, new.text)
        out.append(
            html.Div(
                [
                    html.Div([html.Div(old.task_id, className="cmp-task-id"), *_spans(left)]),
                    html.Div(
                        [
                            html.Div(f"{new.task_id} · {new.relation}", className="cmp-task-id"),
                            *_spans(right),
                        ]
                    ),
                ],
                className="cmp-diff",
            )
        )
    return out
