"""The legend of an exported map page covers no district, zone marker or inset.

Before: the legend's white box sat at the top left of the page (x 0.01, y 0.99), over the top of
黄陂区 on every page size (16:9, A4, A3), in the map export, the 进度 export and the 对比 export
(all three decorate the same two-map layout). The pure tests place the legend with
tests/map_geometry.py's estimate of plotly's legend box; the export tests measure the box plotly
draws in the exported SVG and check the same things, and that the estimate is right.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from shapely.geometry import Point, Polygon, box, shape
from shapely.ops import transform

from dashboard.compare_export import assemble_compare_export
from dashboard.compare_state import CompareState
from dashboard.data import AtlasData, load_atlas
from dashboard.export import PAGES, ExportCaption, ExportSize, decorate_for_export, render_export
from dashboard.export_view import assemble_export
from dashboard.figures import ZONE_MARKERS
from dashboard.map_labels import CENTRAL, features, zone_point
from dashboard.progress_export import ProgressState, progress_export
from dashboard.progress_view import default_source
from dashboard.viewstate import Filters
from progress.db import open_store
from progress.demo import fill_demo
from progress.quarters import parse_quarter, parse_quarter_range
from progress.tasks import read_task_tables
from tests.map_geometry import GeoView, geo_view, legend_box, plot_area
from tests.progress_fixtures import ATLAS_FIXTURE

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
VIEWS = ("map", "map-no-zones", "progress", "compare")
CLEAR_PX = 2  # the legend keeps this far from what it must not cover


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return load_atlas(ATLAS_FIXTURE)


@pytest.fixture(scope="module")
def views(data: AtlasData, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """name → (figure, caption) of each export that prints the two-map page."""
    url = f"sqlite:///{tmp_path_factory.mktemp('legend') / 'demo.db'}"
    store = open_store(url)
    fill_demo(read_task_tables(ATLAS_FIXTURE), store, parse_quarter_range("2024Q2..2024Q2"))
    store.close()
    out: dict[str, tuple[go.Figure, ExportCaption]] = {}
    for name, filters in (("map", Filters()), ("map-no-zones", Filters(show_zones=False))):
        view = assemble_export(data, filters)
        out[name] = (view.figure, view.caption)
    progress = progress_export(
        data, default_source(data, url), Filters(), ProgressState(parse_quarter("2024Q2"))
    )
    out["progress"] = (progress.figure, progress.caption)
    compare = assemble_compare_export(data, CompareState("wr2023", "wr2024", None))
    out["compare"] = (compare.figure, compare.caption)
    return out


def _entries(fig: dict[str, Any]) -> list[str]:
    """The names the legend lists (one per legendgroup-less trace with showlegend)."""
    return [
        t["name"] for t in fig["data"] if t.get("showlegend") and t.get("visible", True) is True
    ]


def _polygon_px(view: GeoView, geometry: dict[str, Any]) -> Any:
    return transform(lambda x, y, z=None: view.project(x, y), shape(geometry))


def _covered(
    fig: dict[str, Any], data: AtlasData, legend: tuple[float, ...], w: float, h: float
) -> list[str]:
    """What the legend box (px) covers or comes within CLEAR_PX of."""
    layout = fig["layout"]
    city, inset = geo_view(layout, "geo", w, h), geo_view(layout, "geo2", w, h)
    area = box(*legend).buffer(CLEAR_PX)
    problems = []
    for f in features(data.places_geojson, "district"):
        if area.intersects(_polygon_px(city, f["geometry"])):
            problems.append(f["properties"]["name"])
    if fig["data"][ZONE_MARKERS].get("visible", True):
        for f in features(data.places_geojson, "zone"):
            x, y = city.project(*zone_point(f["properties"]))
            if area.intersects(Point(x, y).buffer(9)):  # 12 px diamond, 1.5 px line
                problems.append(f"{f['properties']['name']} marker")
    if area.intersects(box(inset.x0, inset.y0, inset.x1, inset.y1)):
        problems.append("the inset")
    left, top, pw, ph = plot_area(layout, w, h)
    if not Polygon.from_bounds(left, top, left + pw, top + ph).contains(box(*legend)):
        problems.append("outside the plot area (title or footer)")
    return problems


@pytest.mark.parametrize("size", list(ExportSize))
@pytest.mark.parametrize("name", VIEWS)
def test_legend_covers_no_district_marker_or_inset(
    views: dict[str, Any], data: AtlasData, name: str, size: ExportSize
) -> None:
    figure, caption = views[name]
    fig = decorate_for_export(figure, caption, size).to_plotly_json()
    page = PAGES[size]
    entries = _entries(fig)
    assert entries  # 水系, and 功能区边界 when the zones are drawn
    legend = legend_box(fig["layout"], entries, page.layout_width, page.layout_height)
    assert _covered(fig, data, legend, page.layout_width, page.layout_height) == []


def test_central_districts_are_in_the_inset_only(data: AtlasData) -> None:
    """The check above covers the inset as a whole: its districts are the central seven."""
    assert set(CENTRAL) <= {
        f["properties"]["name"] for f in features(data.places_geojson, "district")
    }


needs_chromium = pytest.mark.skipif(
    not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()),
    reason="no system Chromium (apt-get install chromium)",
)
LEGEND_RECT = re.compile(
    r'<g class="legend"[^>]*transform="translate\(([-\d.]+),\s*([-\d.]+)\)"[^>]*>'
    r'\s*<rect class="bg"[^>]*width="([\d.]+)" height="([\d.]+)"'
)


@needs_chromium
@pytest.mark.export
@pytest.mark.parametrize("size", list(ExportSize))
@pytest.mark.parametrize("name", ["map", "progress", "compare"])
def test_drawn_legend_covers_nothing_and_matches_the_estimate(
    views: dict[str, Any], data: AtlasData, name: str, size: ExportSize
) -> None:
    """The legend box Chromium draws (from the exported SVG): same checks, and the pure
    tests' estimate within a few px of it. A PNG of each page is saved to look at."""
    figure, caption = views[name]
    svg = render_export(figure, caption, "svg", size.value).decode()
    match = LEGEND_RECT.search(svg)
    assert match, "no legend in the SVG"
    x, y, w, h = map(float, match.groups())
    drawn = (x, y, x + w, y + h)
    fig = decorate_for_export(figure, caption, size).to_plotly_json()
    page = PAGES[size]
    assert _covered(fig, data, drawn, page.layout_width, page.layout_height) == []
    estimate = legend_box(fig["layout"], _entries(fig), page.layout_width, page.layout_height)
    assert estimate == pytest.approx(drawn, abs=6)
    ARTIFACTS.mkdir(exist_ok=True)
    png = render_export(figure, caption, "png", size.value)
    (ARTIFACTS / f"export-legend-{name}-{size.value.replace(':', 'x')}.png").write_bytes(png)
