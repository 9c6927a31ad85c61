"""Real headless Chromium at 1024×768, 1366×768 and 1920×1080: the inset's frame is the edge of
the drawn inset, no label crosses its map's edge, the colour bar's ticks are flat, and the pure
model of plotly's geo fit (tests/map_geometry.py, used by tests/test_map_fit.py) matches what
Chromium draws.

Screenshots: test-artifacts/map_fit/map_<w>x<h>.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.map_geometry import geo_view

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "map_fit"
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
Wait = Callable[..., object]
#: Everything read from the drawn map in one script, so no read sees a half-redrawn plot.
MEASURE_JS = """
const gd = document.querySelector('#district-map .js-plotly-plot');
if (!gd || !gd._fullLayout || !gd._fullLayout.geo2) return null;
const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const out = {width: gd._fullLayout.width, height: gd._fullLayout.height,
             layout: JSON.parse(JSON.stringify({margin: gd._fullLayout.margin,
                geo: {domain: gd._fullLayout.geo.domain, lonaxis: {range: gd._fullLayout.geo.lonaxis.range},
                      lataxis: {range: gd._fullLayout.geo.lataxis.range}},
                geo2: {domain: gd._fullLayout.geo2.domain, lonaxis: {range: gd._fullLayout.geo2.lonaxis.range},
                       lataxis: {range: gd._fullLayout.geo2.lataxis.range}}})),
             plot: box(gd.querySelector('.main-svg')), geos: {}, ticks: []};
for (const g of ['geo', 'geo2']) {
  const root = gd.querySelector('g.geo.' + g);
  const frame = root.querySelector('.layer.frame path');
  out.geos[g] = {bg: box(root.querySelector('.layer.bg rect')), frame: frame ? box(frame) : null,
                 texts: Array.from(root.querySelectorAll('text')).filter(t => t.textContent.trim())
                   .map(t => [t.textContent, ...box(t)])};
}
out.ticks = Array.from(gd.querySelectorAll('.colorbar .cbaxis text, .colorbar g.tick text'))
  .map(t => [t.textContent, t.getAttribute('transform') || '']);
return out;
"""


def _settled_measure(driver: WebDriver) -> dict | None:
    """The map's measures once two reads in a row agree (plotly has finished its resize)."""
    first = driver.execute_script(MEASURE_JS)
    if not first or not first["geos"]["geo2"]["texts"]:
        return None
    second = driver.execute_script(MEASURE_JS)
    return first if first == second else None


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_inset_frame_labels_and_colour_bar_fit(
    browser: WebDriver, wait: Wait, app_url: str, size: tuple[int, int]
) -> None:
    browser.set_window_size(*size)
    browser.get(app_url + "/")
    m = wait(_settled_measure, timeout=20)
    assert isinstance(m, dict)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.find_element(By.ID, "district-map").screenshot(
        str(ARTIFACTS / f"map_{size[0]}x{size[1]}.png")
    )
    left, top = m["plot"][0], m["plot"][1]
    for geo in ("geo", "geo2"):
        drawn = m["geos"][geo]
        # the pure model puts the view where Chromium draws it
        view = geo_view(m["layout"], geo, m["width"], m["height"])
        model = (view.x0 + left, view.y0 + top, view.x1 + left, view.y1 + top)
        assert model == pytest.approx(drawn["bg"], abs=1.5), geo
        outside = [
            (t[0], round(min(t[1] - drawn["bg"][0], drawn["bg"][2] - t[3],
                             t[2] - drawn["bg"][1], drawn["bg"][3] - t[4])))
            for t in drawn["texts"]
        ]  # fmt: skip
        assert [o for o in outside if o[1] < 1] == [], geo
    # the inset's frame is plotly's, on the drawn view's edge
    assert m["geos"]["geo2"]["frame"] == pytest.approx(m["geos"]["geo2"]["bg"], abs=1.5)
    assert len(m["ticks"]) >= 6
    assert [t for t in m["ticks"] if "rotate" in t[1]] == []
