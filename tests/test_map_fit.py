"""The map's frame, labels and colour bar fit the map at the sizes it is shown at.

Pure tests on the figure: tests/map_geometry.py computes where plotly.js draws each geo
subplot and label for a figure at a given pixel size (tests/browser/test_map_fit_browser.py
checks those figures against Chromium). The dashboard sizes are the map's plot sizes measured
in Chromium at the three screen sizes; the export sizes are the pages' own layouts.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import plotly.graph_objects as go
import pytest

from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.export import PAGES, ExportCaption, ExportSize, decorate_for_export
from dashboard.figures import (
    INSET_LABELS,
    INSET_TITLE,
    LABELS,
    apply_updates,
    briefing_updates,
    build_district_map,
)
from dashboard.options import CountMode
from dashboard.style import COUNT_CLASSES, SHARE_CLASSES, ZONE_NOTE
from tests.map_geometry import GeoView, geo_view, plot_area, text_box, text_size

#: The map's plot (width, height) in the dashboard at 1024×768, 1366×768 and 1920×1080.
DASHBOARD_PLOTS = {"1024x768": (700, 383), "1366x768": (581, 350), "1920x1080": (1135, 700)}
#: …and in 汇报模式 (the map column is two thirds of the page at 1024 px, three fifths above).
BRIEFING_PLOTS = {"1024x768": (656, 480), "1366x768": (796, 512), "1920x1080": (1128, 824)}
CAPTION = ExportCaption(
    title="武汉市任务分布图（专项任务）",
    filters_text="全部任务；计数口径：专项任务",
    zone_note=ZONE_NOTE,
    source="任务地图 Task Atlas 整理",
    date="2026-11-27",
)
EDGE_PX = 3  # a label keeps this far inside its map's edge
GAP_PX = 2  # and this far from every other label
Case = tuple[dict[str, Any], float, float]


def _figure(data: AtlasData, mode: CountMode) -> dict[str, Any]:
    """The dashboard's map of the whole built corpus: every filter shows a subset of its tasks,
    so no label's total (and text) is ever wider than here."""
    counts = count_by_place(data, data.tasks["task_id"], mode)
    return build_district_map(counts, data.places_geojson, mode=mode).to_plotly_json()


@pytest.fixture(scope="module")
def cases(corpus_data: AtlasData) -> dict[str, Case]:
    """name → (figure, width, height): the dashboard at three screen sizes, every export page."""
    out = {}
    for mode in CountMode:
        fig = _figure(corpus_data, mode)
        for name, (w, h) in DASHBOARD_PLOTS.items():
            out[f"{mode.value}-{name}"] = (fig, w, h)
        briefing = apply_updates(deepcopy(fig), briefing_updates(corpus_data.places_geojson, True))
        for name, (w, h) in BRIEFING_PLOTS.items():
            out[f"{mode.value}-briefing-{name}"] = (briefing, w, h)
        for size in ExportSize:
            page = PAGES[size]
            decorated = decorate_for_export(go.Figure(fig), CAPTION, size).to_plotly_json()
            out[f"{mode.value}-{size.value}"] = (decorated, page.layout_width, page.layout_height)
    return out


IDS = [
    f"{mode.value}-{name}"
    for mode in CountMode
    for name in [
        *DASHBOARD_PLOTS,
        *(f"briefing-{size}" for size in BRIEFING_PLOTS),
        *map(str, ExportSize),
    ]
]


def _frame(layout: dict[str, Any], w: float, h: float) -> tuple[float, ...]:
    """The inset's frame in px: plotly's geo frame, or a paper rectangle shape."""
    if layout["geo2"].get("showframe"):
        v = geo_view(layout, "geo2", w, h)
        return v.x0, v.y0, v.x1, v.y1
    left, top, pw, ph = plot_area(layout, w, h)
    (rect,) = [s for s in layout.get("shapes", []) if s.get("type") == "rect"]
    return (left + pw * rect["x0"], top + ph * (1 - rect["y1"]),
            left + pw * rect["x1"], top + ph * (1 - rect["y0"]))  # fmt: skip


@pytest.mark.parametrize("name", IDS)
def test_inset_frame_is_the_drawn_inset(cases: dict[str, Case], name: str) -> None:
    """The frame is the edge of what plotly draws, so the zone dashes end on it and no blank
    band sits inside it (the frame used to be the domain, up to 60 px off the view)."""
    fig, w, h = cases[name]
    view = geo_view(fig["layout"], "geo2", w, h)
    frame = _frame(fig["layout"], w, h)
    assert frame == pytest.approx((view.x0, view.y0, view.x1, view.y1), abs=0.5)


def _title_px(fig: dict[str, Any], view: GeoView, w: float, h: float) -> tuple[float, float]:
    for trace in fig["data"]:
        if trace.get("text") == [INSET_TITLE]:
            assert trace["geo"] == "geo2" and trace["textposition"] == "bottom right"
            return view.project(trace["lon"][0], trace["lat"][0])
    (note,) = [a for a in fig["layout"]["annotations"] if a["text"] == INSET_TITLE]
    left, top, pw, ph = plot_area(fig["layout"], w, h)
    return left + pw * note["x"], top + ph * (1 - note["y"])


@pytest.mark.parametrize("name", IDS)
def test_inset_title_sits_in_the_frames_corner(cases: dict[str, Case], name: str) -> None:
    fig, w, h = cases[name]
    view = geo_view(fig["layout"], "geo2", w, h)
    x, y = _title_px(fig, view, w, h)
    assert view.x0 <= x <= view.x0 + 5 and view.y0 <= y <= view.y0 + 5, (x, y, view)


@pytest.mark.parametrize("name", IDS)
def test_labels_inside_their_map_and_apart(cases: dict[str, Case], name: str) -> None:
    """临空港开发区 (city map, west edge) and 东湖高新区 (inset, east edge) were cut by the
    edge at 1024 and 1366 px; every label keeps EDGE_PX inside and GAP_PX from the others."""
    fig, w, h = cases[name]
    problems = []
    for geo, trace in (("geo", LABELS), ("geo2", INSET_LABELS)):
        view = geo_view(fig["layout"], geo, w, h)
        t = fig["data"][trace]
        font = t["textfont"]["size"]
        boxes = [text_box(view, *p, font) for p in zip(t["lon"], t["lat"], t["text"], strict=True)]
        names = [row[0] for row in t["customdata"]]
        for n, (x0, y0, x1, y1) in zip(names, boxes, strict=True):
            edge = min(x0 - view.x0, view.x1 - x1, y0 - view.y0, view.y1 - y1)
            if edge < EDGE_PX:
                problems.append(f"{n} {edge:.0f} px from the edge of {geo}")
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                gap = max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])
                if gap < GAP_PX:
                    problems.append(f"{names[i]} and {names[j]} {gap:.0f} px apart")
    assert problems == []


@pytest.mark.parametrize("name", IDS)
def test_colour_bar_ticks_fit_without_turning(cases: dict[str, Case], name: str) -> None:
    """plotly tilts crowded tick labels (30° at 1366×768, upright in 汇报模式 at 1024): the
    ticks are set flat, and each class's label fits its share of the bar with room between."""
    fig, w, h = cases[name]
    bar = fig["layout"]["coloraxis"]["colorbar"]
    assert bar["tickangle"] == 0
    _, _, pw, _ = plot_area(fig["layout"], w, h)
    font = bar["tickfont"]["size"]
    classes = SHARE_CLASSES if name.startswith(CountMode.WITH_CITYWIDE.value) else COUNT_CLASSES
    assert list(bar["ticktext"]) == [label for _, label in classes]
    step = bar["len"] * pw / len(classes)
    widest = max(text_size(label, font)[0] for label in bar["ticktext"])
    assert widest + 4 <= step, (widest, step)


@pytest.mark.parametrize("name", [i for i in IDS if "briefing" in i])
def test_briefing_inset_covers_no_district_of_the_city_map(
    cases: dict[str, Case], corpus_data: AtlasData, name: str
) -> None:
    """汇报模式's larger inset stays on the empty ground east of the city."""
    from shapely.geometry import box, shape
    from shapely.ops import transform

    from dashboard.map_labels import features

    fig, w, h = cases[name]
    city, inset = geo_view(fig["layout"], "geo", w, h), geo_view(fig["layout"], "geo2", w, h)
    frame = box(inset.x0, inset.y0, inset.x1, inset.y1)
    covered = [
        f["properties"]["name"]
        for f in features(corpus_data.places_geojson, "district")
        if frame.intersects(
            transform(lambda x, y, z=None: city.project(x, y), shape(f["geometry"]))
        )
    ]
    assert covered == []
