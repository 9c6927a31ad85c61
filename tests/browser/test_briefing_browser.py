"""Briefing-grade checks in a real headless Chromium: toolbar, label clicks, layout sizes.

Screenshots go to test-artifacts/dashboard/ (looked at by hand when these change).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

pytestmark = pytest.mark.browser
Wait = Callable[..., object]
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
MAP_READY = (
    "const gd = document.querySelector('#district-map .js-plotly-plot');"
    "return !!(gd && gd.data && gd.data[1].customdata"
    " && document.querySelector('#district-map .modebar-btn'));"
)
CJK = range(0x4E00, 0xA000)


def _open(browser: WebDriver, wait: Wait, url: str, size: tuple[int, int]) -> None:
    browser.set_window_size(*size)
    browser.get(url)
    wait(lambda d: d.execute_script(MAP_READY), timeout=30)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_cloud_control_and_chinese_toolbar(
    browser: WebDriver, wait: Wait, app_url: str, shot: Callable[[str], Path], size: tuple[int, int]
) -> None:
    _open(browser, wait, app_url, size)
    html = browser.page_source
    for word in ("Chart Studio", "Share chart", "sendDataToCloud", "Edit in"):
        assert word not in html
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('#district-map .modebar-btn'))"
        ".map(b => b.getAttribute('data-title'));"
    )
    assert titles, "the map has a toolbar"
    for title in titles:
        assert any(ord(c) in CJK for c in title), title
    links = browser.find_elements(By.CSS_SELECTOR, "#district-map a[href*='plot.ly'], "
                                  "#district-map a[href*='plotly.com']")  # fmt: skip
    assert links == []
    shot(f"toolbar_{size[0]}x{size[1]}")


def _label_boxes(browser: WebDriver) -> list[dict[str, float | str]]:
    """Every place label drawn on the map: its text and the centre of its box on screen."""
    return browser.execute_script(
        "const gd = document.querySelector('#district-map .js-plotly-plot');"
        "const out = [];"
        "gd.querySelectorAll('.scattergeo text').forEach(t => {"
        "  const r = t.getBoundingClientRect();"
        "  if (r.width > 0 && t.textContent.trim())"
        "    out.push({text: t.textContent, x: r.left + r.width / 2, y: r.top + r.height / 2});"
        "});"
        "return out;"
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_clicking_each_label_selects_its_own_place(
    browser: WebDriver, wait: Wait, app_url: str, shot: Callable[[str], Path], size: tuple[int, int]
) -> None:
    _open(browser, wait, app_url, size)
    browser.execute_script("document.querySelector('#district-map').scrollIntoView()")
    labels = _label_boxes(browser)
    names = browser.execute_script(
        "const gd = document.querySelector('#district-map .js-plotly-plot');"
        "return gd.data.filter(t => t.meta === 'labels')"
        ".flatMap(t => t.customdata.map(c => c[0]));"
    )
    assert len(set(names)) == 18
    assert len(labels) >= 18
    wrong = []
    for name in sorted(set(names)):
        box = next(b for b in labels if str(b["text"]).startswith(_label_start(name)))
        _click_at(browser, float(box["x"]), float(box["y"]))
        try:
            wait(lambda d: d.find_element(By.ID, "place-panel-title").text != "请选择地点", 5)
        except TimeoutException:
            wrong.append(f"{name}→nothing at {box}")
            continue
        got = browser.find_element(By.ID, "place-panel-title").text.split("：")[0]
        if got != name:
            wrong.append(f"{name}→{got}")
        browser.find_element(By.ID, "clear-selection").click()
        wait(lambda d: d.find_element(By.ID, "place-panel-title").text == "请选择地点")
    shot(f"labels_{size[0]}x{size[1]}")
    assert wrong == []


def _click_at(browser: WebDriver, x: float, y: float) -> None:
    """A real mouse click at viewport coordinates (through Chrome's input pipeline)."""
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        browser.execute_cdp_cmd(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
        )


def _label_start(name: str) -> str:
    from dashboard.map_labels import SHORT_NAMES

    return SHORT_NAMES.get(name, name)
