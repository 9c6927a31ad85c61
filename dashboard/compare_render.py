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
from dashboard.figures import (
    COLORBAR_PLACE,
    DISTRICTS,
    INSET_DISTRICTS,
    INSET_LABELS,
    INSET_MARKERS,
    LABELS,
    ZONE_MARKERS,
    Update,
    apply_updates,
    base_map,
    district_lines,
    district_names,
    inset_zones,
    map_labels_of,
    zone_note_annotation,
)
from dashboard.map_labels import features, labels_with
from dashboard.style import empty_note, zh_punct
from geodata.water import load_water

#: Diverging: red where more tasks were dropped than added, blue where more were added.
DIVERGING = [
    [0.0, "#b2182b"],
    [0.25, "#ef8a62"],
    [0.5, "#f7f7f7"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
PANEL_ORDER = (Relation.NEW, Relation.CONTINUED, Relation.ADJUSTED, Relation.DROPPED)
MAX_PER_SECTION = 60
TASK_BUTTON = "compare-task"  # pattern-matching id type of a task in the panel
NO_CHANGE_TEXT = "两份计划在这里没有可比的任务"
LEGEND_WORDS = ("取消多于新增", "持平", "新增多于取消")
#: The scale in words over its numbers (words as end ticks ran off a narrow map's edge).
COLOUR_TITLE = f"任务变化（新增 − 取消）<br>红：{LEGEND_WORDS[0]}　蓝：{LEGEND_WORDS[2]}"
HOVER = "%{hovertext}<extra></extra>"
#: Inset label spots of the 对比 map that differ from the map view's (map_labels.LABEL_SPOTS):
#: "东湖高新区<br>+13 −12" centred at the map view's spot ran past the inset's right edge at
#: 1024×768; moved west onto open ground of the zone, clear of 洪山's label (checked by eye and
#: by the browser test's overlap check at three sizes).
INSET_SPOTS = {"东湖高新区": (114.505, 30.458)}


def _signed(changes: pd.DataFrame) -> list[str]:
    """ "+新增 −取消" per place; "" (the label is the name alone) where neither happened.

    A "+0 −0" on every quiet place read as a change to look at and crowded the ones that
    changed; the name alone is what the map view shows for a place with no tasks, the neutral
    colour says 持平 and the hover still gives the four counts."""
    return [
        f"+{n} −{d}" if n or d else ""
        for n, d in zip(changes[Relation.NEW.value], changes[Relation.DROPPED.value], strict=True)
    ]


def _hover(changes: pd.DataFrame) -> list[str]:
    rows = changes.to_dict("records")
    return [
        f"<b>{r['place']}</b><br>新增 {r['新增']} · 取消 {r['取消']}<br>"
        f"延续 {r['延续']} · 调整 {r['调整']}<br>净变化 {r['net']:+d}"
        for r in rows
    ]


def _rows(by_name: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Counts for `names` in that order (0 for a place the comparison never reaches)."""
    rows = by_name.reindex(list(names)).fillna(0).astype(int)
    return rows.rename_axis("place").reset_index()


def _colour_axis(reach: int) -> dict[str, Any]:
    """Diverging around 0, the ends said in words; across the top right like the map view's."""
    return {
        "colorscale": DIVERGING,
        "cmin": -reach,
        "cmax": reach,
        "cmid": 0,
        "colorbar": {
            "orientation": "h",
            "title": {"text": COLOUR_TITLE, "side": "top"},
            "tickvals": [-reach, 0, reach],
            "ticktext": [f"−{reach}", LEGEND_WORDS[1], f"+{reach}"],
            "thickness": 12,
            "len": 0.5,
            **COLORBAR_PLACE,
        },
    }


def change_updates(
    changes: pd.DataFrame, places_geojson: dict[str, Any], *, selected: str | None = None
) -> list[Update]:
    """The 对比 values written into the map view's figure: net change on the districts (city
    and inset) and zone markers, "+新增 −取消" on every label, a diverging colour axis."""
    by_name = changes.set_index("place")[[*(r.value for r in Relation), "net"]]
    city, central = district_names(places_geojson)
    updates: list[Update] = []
    for trace, names in ((DISTRICTS, city), (INSET_DISTRICTS, central)):
        rows = _rows(by_name, names)
        updates += [
            (("data", trace, "z"), rows["net"].tolist()),
            (("data", trace, "customdata"), rows["place"].tolist()),
            (("data", trace, "hovertext"), _hover(rows)),
            (("data", trace, "hovertemplate"), HOVER),
            (("data", trace, "marker"), district_lines(rows["place"].tolist(), selected)),
        ]
    zones = [f["properties"]["name"] for f in features(places_geojson, "zone")]
    inset = [f["properties"]["name"] for f in inset_zones(places_geojson)]
    for trace, names in ((ZONE_MARKERS, zones), (INSET_MARKERS, inset)):
        rows = _rows(by_name, names)
        updates += [
            (("data", trace, "customdata"), rows["place"].tolist()),
            (("data", trace, "hovertext"), _hover(rows)),
            (("data", trace, "hovertemplate"), HOVER),
            (("data", trace, "marker", "color"), rows["net"].tolist()),
            (("data", trace, "marker", "size"), [18 if n == selected else 12 for n in names]),
            (("data", trace, "marker", "line", "width"),
             [3 if n == selected else 1.5 for n in names]),
        ]  # fmt: skip
    for trace, in_inset in ((LABELS, False), (INSET_LABELS, True)):
        labels = map_labels_of(places_geojson, in_inset)
        rows = _rows(by_name, [lb.name for lb in labels])
        texts = labels_with(labels, _signed(rows), stacked=True)
        updates.append((("data", trace, "text"), texts))
        if in_inset:
            spots = [INSET_SPOTS.get(lb.name, (lb.lon, lb.lat)) for lb in labels]
            updates += [
                (("data", trace, "lon"), [lon for lon, _ in spots]),
                (("data", trace, "lat"), [lat for _, lat in spots]),
            ]
    notes = [zone_note_annotation()]  # the inset's title is base_map's own trace
    if int(changes[[r.value for r in Relation]].to_numpy().sum()) == 0:
        notes.append(empty_note(text=NO_CHANGE_TEXT, font={"size": 18}))
    reach = max(int(changes["net"].abs().max()) if len(changes) else 0, 1)
    return [
        *updates,
        (("layout", "coloraxis"), _colour_axis(reach)),
        (("layout", "annotations"), notes),
        (("layout", "uirevision"), "compare-map"),
    ]


def build_change_map(
    changes: pd.DataFrame,
    places_geojson: dict[str, Any],
    *,
    selected: str | None = None,
    water: dict[str, Any] | None = None,
) -> go.Figure:
    """The map view's map (city, water, zones, central-city inset, clickable labels) coloured
    by net change per place (新增 − 取消) on a diverging scale, with ± counts on the labels."""
    figure = base_map(places_geojson, load_water() if water is None else water)
    return go.Figure(apply_updates(figure, change_updates(changes, places_geojson,
                                                           selected=selected)))  # fmt: skip


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
            html.Div(zh_punct(row["evidence"]), className="cmp-evidence"),
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
            items.append(html.Li(f"另有 {more} 项，见下载的对比表", className="cmp-more"))
        sections.append(
            html.Details(
                [html.Summary(f"{relation.value}（{len(mine)}）"), html.Ul(items)],
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
        return [html.P("点击上方列表中的任务，查看它在各计划间的演变。", className="cmp-hint")]
    out: list[Any] = [
        html.P(" → ".join(labels.get(s.plan_id, s.plan_id) for s in steps), className="cmp-path")
    ]
    if len(steps) == 1:
        out.append(html.P([*_task_line(steps[0].task_id, steps[0].text), "（没有前序或后续任务）"]))
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
