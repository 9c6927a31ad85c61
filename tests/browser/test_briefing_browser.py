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

from tests.browser.conftest import act, text_of

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
        try:  # the title, read inside the wait: the panel redraws while it is read
            title = wait(lambda d: (t := text_of(d, "place-panel-title")) != "请选择地点" and t, 5)
        except TimeoutException:
            wrong.append(f"{name}→nothing at {box}")
            continue
        got = str(title).split("：")[0]
        if got != name:
            wrong.append(f"{name}→{got}")
        wait(act(lambda d: d.find_element(By.ID, "clear-selection").click()))
        wait(lambda d: text_of(d, "place-panel-title") == "请选择地点")
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


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)],
                         ids=lambda s: f"{s[0]}x{s[1]}")  # fmt: skip
def test_briefing_mode_presents_map_and_tasks_with_keys(
    browser: WebDriver, wait: Wait, app_url: str, shot: Callable[[str], Path], size: tuple[int, int]
) -> None:
    from selenium.webdriver.common.keys import Keys

    from dashboard.data import load_atlas as _load
    from dashboard.data import place_table
    from tests.helpers import FIXTURE

    order = list(place_table(_load(FIXTURE))["name"])
    _open(browser, wait, app_url, size)
    browser.find_element(By.ID, "briefing-toggle").click()
    wait(lambda d: "briefing" in d.find_element(By.ID, "atlas-root").get_attribute("class"))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    wait(lambda d: d.find_element(By.ID, "place-panel-title").text.startswith(order[0]))
    body.send_keys(Keys.ARROW_RIGHT)
    wait(lambda d: d.find_element(By.ID, "place-panel-title").text.startswith(order[1]))
    boxes = wait(
        lambda d: d.execute_script(  # null while the panel's task list is redrawn
            "if (!document.querySelector('.task-item')) return null;"
            "const r = s => document.querySelector(s).getBoundingClientRect();"
            "const m = r('#district-map'), p = r('.panel'), c = r('#filters-caption');"
            "return {map: [m.left, m.right, m.top, m.bottom], panel: [p.left, p.right, p.top, p.bottom],"
            " caption: c.height, vw: innerWidth, vh: innerHeight,"
            " font: parseFloat(getComputedStyle(document.querySelector('.task-item')).fontSize)};"
        )
    )
    assert isinstance(boxes, dict)
    m, p = boxes["map"], boxes["panel"]
    assert m[1] <= p[0] + 1, boxes  # side by side, no overlap
    assert p[1] <= boxes["vw"] + 1 and m[3] <= boxes["vh"] + 1 and p[3] <= boxes["vh"] + 1
    assert m[1] - m[0] > 0.45 * boxes["vw"]
    assert boxes["caption"] > 0 and boxes["font"] >= 16
    shot(f"briefing_{size[0]}x{size[1]}")
    body.send_keys(Keys.ARROW_LEFT)
    wait(lambda d: d.find_element(By.ID, "place-panel-title").text.startswith(order[0]))
    body.send_keys(Keys.ESCAPE)
    wait(lambda d: "briefing" not in d.find_element(By.ID, "atlas-root").get_attribute("class"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_place_labels_do_not_collide(
    browser: WebDriver, wait: Wait, app_url: str, size: tuple[int, int]
) -> None:
    _open(browser, wait, app_url, size)
    rects = browser.execute_script(
        "const gd = document.querySelector('#district-map .js-plotly-plot');"
        "return Array.from(gd.querySelectorAll('.scattergeo text'))"
        ".filter(t => t.textContent.trim()).map(t => {"
        "  const r = t.getBoundingClientRect();"
        "  return [t.textContent, r.left, r.top, r.right, r.bottom]; });"
    )
    overlaps = [
        f"{a[0]} × {b[0]}"
        for i, a in enumerate(rects)
        for b in rects[i + 1 :]
        if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1
    ]
    assert len(rects) >= 18
    assert overlaps == []
