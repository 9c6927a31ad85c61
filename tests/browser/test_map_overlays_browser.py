"""Real headless Chromium at 1024×768, 1366×768 and 1920×1080: what plotly draws over the maps
overlaps nothing — the mode bar (toolbar), the colour bar with its title, the legend — and in
汇报模式 the large labels stay inside their map and apart.

Before: the mode bar sat over the colour bar's title at 1024 and 1366 px wide (map view, 进度
map, 对比 map); in 汇报模式 at 1024×768 the legend ran under the colour bar, the inset's 20 px
labels overlapped (江岸/江汉, 武昌/汉阳 …) and 东湖风景区 and 东湖高新区 were cut at the inset's
right edge. Screenshots: test-artifacts/overlays/<view>_<w>x<h>.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from dashboard.figures import BRIEFING_FONT, INSET_TITLE
from tests.browser.conftest import demo_store_app

pytestmark = pytest.mark.browser
Wait = Callable[..., object]
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "overlays"
#: Everything read from one drawn map in one script (null until it has its colour bar, mode bar
#: and labels): rectangles are [left, top, right, bottom] in viewport px.
MEASURE_JS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
if (!gd || !gd._fullLayout || !gd.querySelector('.modebar')) return null;
const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const title = gd.querySelector('.colorbar .cbtitle'), fills = gd.querySelector('.colorbar .cbfills');
const legend = gd.querySelector('.legend .bg');
if (!fills || !title) return null;
// what the colour bar shows (its invisible padded background left out): title, bar, tick labels
const parts = [title, fills, ...gd.querySelectorAll('.colorbar .cbaxis text, .colorbar g.tick text')]
  .map(box).filter(b => b[2] > b[0]);
const bar = [Math.min(...parts.map(b => b[0])), Math.min(...parts.map(b => b[1])),
             Math.max(...parts.map(b => b[2])), Math.max(...parts.map(b => b[3]))];
const out = {width: gd._fullLayout.width, font: gd._fullLayout.font.size,
             modebar: box(gd.querySelector('.modebar')), colorbar: bar, title: box(title),
             legend: legend ? box(legend) : null, geos: {}};
for (const g of ['geo', 'geo2']) {
  const root = gd.querySelector('g.geo.' + g);
  if (!root) continue;
  out.geos[g] = {bg: box(root.querySelector('.layer.bg rect')),
                 texts: Array.from(root.querySelectorAll('.scattergeo text'))
                   .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
                   .map(t => [t.textContent, ...box(t)])};
}
return out;
"""


def _settled(graph: str, font: int | None = None) -> Callable[[WebDriver], Any]:
    """The map's measures once two reads in a row agree (plotly has finished redrawing), at
    the layout font size `font` when given (汇报模式's patch has arrived)."""

    def _read(driver: WebDriver) -> Any:
        first = driver.execute_script(MEASURE_JS, graph)
        if not first or (font is not None and first["font"] != font):
            return None
        gd = f"document.querySelector('#{graph} .js-plotly-plot')"
        width = driver.execute_script(f"return {gd}.getBoundingClientRect().width")
        if abs(first["width"] - width) > 2:  # not yet redrawn to its column's width
            return None
        return first if driver.execute_script(MEASURE_JS, graph) == first else None

    return _read


def _apart(a: list[float], b: list[float], gap: float = 0) -> bool:
    return a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]


def _overlay_problems(m: dict[str, Any]) -> list[str]:
    problems = []
    if not _apart(m["modebar"], m["title"]):
        problems.append(f"mode bar {m['modebar']} over the colour bar's title {m['title']}")
    if not _apart(m["modebar"], m["colorbar"]):
        problems.append(f"mode bar {m['modebar']} over the colour bar {m['colorbar']}")
    if m["legend"] and not _apart(m["legend"], m["colorbar"]):
        problems.append(f"legend {m['legend']} under the colour bar {m['colorbar']}")
    if "geo2" in m["geos"] and not _apart(m["modebar"], m["geos"]["geo2"]["bg"]):
        problems.append(f"mode bar {m['modebar']} over the inset {m['geos']['geo2']['bg']}")
    for drawn in m["geos"].values():
        problems += [
            f"mode bar over {t[0]}" for t in drawn["texts"] if not _apart(m["modebar"], t[1:])
        ]
    return problems


def _label_problems(m: dict[str, Any]) -> list[str]:
    """Labels out of their map's drawn view, or touching another label."""
    problems = []
    for geo, drawn in m["geos"].items():
        bg, texts = drawn["bg"], drawn["texts"]
        for t in texts:
            if t[0] == INSET_TITLE:  # set in the frame's corner (test_map_fit.py checks it)
                continue
            edge = min(t[1] - bg[0], bg[2] - t[3], t[2] - bg[1], bg[3] - t[4])
            if edge < 1:
                problems.append(f"{t[0]} cut by the edge of {geo} ({edge:.0f} px)")
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                if not _apart(a[1:], b[1:], 1):
                    problems.append(f"{a[0]} × {b[0]} in {geo}")
    return problems


def _shot(browser: WebDriver, name: str, size: tuple[int, int]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}_{size[0]}x{size[1]}.png"))


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over the fixture data and a demo store of 2024Q2 (the 进度 map)."""
    with demo_store_app(tmp_path_factory, "2024Q2..2024Q2") as url:
        yield url


def _briefing(browser: WebDriver, wait: Wait) -> None:
    browser.find_element(By.ID, "briefing-toggle").click()
    wait(lambda d: "briefing" in (d.find_element(By.ID, "atlas-root").get_attribute("class") or ""))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_map_view_overlays_and_briefing_labels(
    browser: WebDriver, wait: Wait, demo_url: str, size: tuple[int, int]
) -> None:
    browser.set_window_size(*size)
    browser.get(demo_url + "/")
    m = wait(_settled("district-map"), 30)
    _shot(browser, "map", size)
    assert _overlay_problems(m) == []
    _briefing(browser, wait)
    m = wait(_settled("district-map", BRIEFING_FONT), 30)
    _shot(browser, "map-briefing", size)
    assert _overlay_problems(m) + _label_problems(m) == []
    assert len(m["geos"]["geo2"]["texts"]) >= 9  # the seven central districts and two zones
    # the headline numbers in large type: each on one line (at 1024 px "29 项任务" broke
    # after 项, "18 个区/功能区" after the slash)
    lines = browser.execute_script(
        "return Array.from(document.querySelectorAll('#headline > span')).map(s => [s.textContent,"
        " s.getBoundingClientRect().height, s.querySelector('b').getBoundingClientRect().height]);"
    )
    assert len(lines) == 3 and all(h < 1.4 * b for _, h, b in lines), lines


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_progress_map_overlays_and_briefing_labels(
    browser: WebDriver, wait: Wait, demo_url: str, size: tuple[int, int]
) -> None:
    browser.set_window_size(*size)
    browser.get(demo_url + "/#progress?quarter=2024Q2")
    m = wait(_settled("progress-map"), 30)
    _shot(browser, "progress", size)
    assert _overlay_problems(m) + _label_problems(m) == []
    _briefing(browser, wait)
    m = wait(_settled("progress-map"), 30)
    _shot(browser, "progress-briefing", size)
    assert _overlay_problems(m) + _label_problems(m) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare_map_overlays(
    browser: WebDriver, wait: Wait, demo_url: str, size: tuple[int, int]
) -> None:
    browser.set_window_size(*size)
    browser.get(demo_url + "/#compare?from=wr2023&to=wr2024")
    m = wait(_settled("compare-map"), 30)
    _shot(browser, "compare", size)
    assert _overlay_problems(m) + _label_problems(m) == []
