"""Real headless Chromium at 1366×768: the water layer is drawn on the city map and the inset,
and a click on a label over water still selects the place (water never takes a click).

Screenshot: test-artifacts/water/dashboard_1366x768.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from dashboard.figures import INSET_WATER, WATER
from geodata.water import load_water
from tests.browser.conftest import act

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "water"
Wait = Callable[..., object]
READY_JS = (
    "const gd = document.querySelector('#district-map .js-plotly-plot');"
    "return gd && gd.data && gd.data[1].customdata"
    " && document.querySelector('#filters-caption').textContent;"
)
WATER_JS = (
    "const gd = document.querySelector('#district-map .js-plotly-plot');"
    "return arguments[0].map(i => [gd.data[i].name, gd.data[i].hoverinfo, gd.data[i].geo]);"
)


def _panel_title(driver: WebDriver) -> str:
    return driver.find_element(By.ID, "place-panel-title").text


def _click_label(driver: WebDriver, name: str, frame: str) -> None:
    """Click the label `name` drawn in the geo subplot `frame` ('geo' or 'geo2')."""
    label = driver.execute_script(
        "return Array.from(document.querySelectorAll("
        "`#district-map g.geo.${arguments[1]} text`))"
        ".find(t => t.textContent.startsWith(arguments[0]));",
        name,
        frame,
    )
    assert label is not None, f"no label {name} in {frame}"
    ActionChains(driver).move_to_element(label).pause(0.3).click().perform()


def test_water_drawn_and_labels_over_water_still_click(
    browser: WebDriver, wait: Wait, app_url: str
) -> None:
    browser.set_window_size(1366, 768)
    browser.get(app_url + "/")
    wait(lambda d: d.execute_script(READY_JS))
    traces = browser.execute_script(WATER_JS, [*WATER, *INSET_WATER])
    assert {(name, hover) for name, hover, _ in traces} == {("水系", "skip")}
    assert [geo for *_, geo in traces] == ["geo"] * len(WATER) + ["geo2"] * len(INSET_WATER)
    lakes = sum(1 for f in load_water()["features"] if "Polygon" in f["geometry"]["type"])
    drawn, inset_lakes = browser.execute_script(
        "const gd = document.querySelector('#district-map .js-plotly-plot');"
        "return [document.querySelectorAll('#district-map path.choroplethlocation').length,"
        " gd.data[arguments[0]].locations.length];",
        INSET_WATER[0],
    )
    assert 2 <= inset_lakes < lakes
    assert drawn == 13 + 7 + lakes + inset_lakes  # districts, inset districts, lakes on both
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "dashboard_1366x768.png"))
    # 东湖风景区's inset label lies on GSHHG's 东湖; 青山's on the Yangtze's two-bank stretch
    for name in ("东湖风景区", "青山"):
        wait(act(lambda d, n=name: _click_label(d, n, "geo2")))
        wait(lambda d, n=name: _panel_title(d).startswith(n))
