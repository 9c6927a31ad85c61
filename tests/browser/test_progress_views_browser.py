"""Real headless Chromium on the 进度 tab at three sizes: the colour bar's words and the 演示数据
mark as a user sees them, 导出图片 downloading a real image, and 汇报模式 entered from the tab.

Screenshots go to test-artifacts/dashboard/progress-*.png, the exported image to
test-artifacts/dashboard/progress-export-*.png. Reads of the page happen inside the waits
(the grid and the map redraw while callbacks answer).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from dashboard.data import load_atlas, place_table
from tests.browser.conftest import ARTIFACTS, demo_store_app

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "atlas_data"
Wait = Callable[..., Any]
SIZES = ((1024, 768), (1366, 768), (1920, 1080))


@pytest.fixture(scope="module")
def progress_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over the fixture data and a demo store of 2024Q1..2024Q4."""
    with demo_store_app(tmp_path_factory, "2024Q1..2024Q4") as url:
        yield url


def _fresh(read: Callable[[WebDriver], Any]) -> Callable[[WebDriver], Any]:
    """A wait condition that reads the page and retries when plotly or the grid redrew it."""

    def condition(driver: WebDriver) -> Any:
        try:
            return read(driver)
        except StaleElementReferenceException:
            return False

    return condition


def _rect(driver: WebDriver, element: Any) -> dict[str, float]:
    return dict(
        driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", element)
    )


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def _open(browser: WebDriver, wait: Wait, url: str, size: tuple[int, int]) -> None:
    browser.set_window_size(*size)
    browser.get(url + "/#progress?quarter=2024Q2")
    script = "const e = document.getElementById('progress-headline'); return e ? e.textContent : ''"
    wait(lambda d: "2024年第二季度" in str(d.execute_script(script)), 30)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#progress-map path.choroplethlocation"), 30)


def _bar_labels(driver: WebDriver) -> list[tuple[str, dict[str, float], str]] | bool:
    """(text, rect, transform) of each colour-bar tick label once all five are drawn."""
    texts = driver.find_elements(By.CSS_SELECTOR, "#progress-map g.colorbar g.cbaxis text")
    labels = [(t.text, _rect(driver, t), t.get_attribute("transform") or "") for t in texts]
    return labels if len(labels) == 5 and all(text for text, _, _ in labels) else False


@pytest.mark.parametrize("size", SIZES)
def test_colour_bar_words_and_demo_mark_are_readable(
    browser: WebDriver,
    wait: Wait,
    progress_url: str,
    shot: Callable[[str], Path],
    size: tuple[int, int],
) -> None:
    _open(browser, wait, progress_url, size)
    labels = wait(_fresh(_bar_labels), 20)
    assert [text for text, _, _ in labels] == ["<20%", "20–39%", "40–59%", "60–79%", "≥80%"]
    assert all("rotate" not in transform for _, _, transform in labels)
    rects = [rect for _, rect, _ in labels]
    assert not any(_overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :])

    def demo_and_rest(driver: WebDriver) -> Any:
        notes = driver.find_elements(By.CSS_SELECTOR, "#progress-map g.annotation")
        mark = [n for n in notes if n.text == "演示数据"]
        legend = driver.find_elements(By.CSS_SELECTOR, "#progress-map g.legend")
        paths = driver.find_elements(By.CSS_SELECTOR, "#progress-map path.choroplethlocation")
        if len(mark) != 1 or not legend or not paths:
            return False
        tops = [_rect(driver, p)["top"] for p in paths]
        return _rect(driver, mark[0]), _rect(driver, legend[0]), min(tops)

    mark, legend, map_top = wait(_fresh(demo_and_rest), 20)
    assert not _overlap(mark, legend)
    assert mark["bottom"] <= map_top + 1  # above every district, not on the map
    shot(f"progress-bar-{size[0]}x{size[1]}")


def _downloaded(folder: Path, before: set[Path]) -> Callable[[WebDriver], Path | bool]:
    def done(_: WebDriver) -> Path | bool:
        new = [p for p in folder.glob("任务进度_2024Q2_*.png") if p not in before]
        partial = list(folder.glob("*.crdownload"))
        return new[0] if new and not partial else False

    return done


def test_export_button_downloads_a_real_image(
    browser: WebDriver, wait: Wait, progress_url: str, download_dir: Path
) -> None:
    _open(browser, wait, progress_url, (1366, 768))
    before = set(download_dir.glob("*.png"))
    browser.find_element(By.ID, "progress-export-button").click()
    image = wait(_downloaded(download_dir, before), 90)
    assert isinstance(image, Path)
    with Image.open(image) as opened:
        assert opened.size == (1920, 1080)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(image, ARTIFACTS / "progress-export-1920x1080.png")
    notice = wait(lambda d: d.find_element(By.ID, "progress-export-notice").text, 10)
    assert str(notice).startswith("已导出：任务进度_2024Q2_")
    link = browser.find_element(By.ID, "progress-export-link").get_attribute("href") or ""
    assert urlparse(link).path.startswith("/_atlas-download/")  # the route, not base64 JSON


def _place(driver: WebDriver) -> str | None:
    values = parse_qs(urlparse(driver.current_url).query).get("place")
    return values[0] if values else None


@pytest.mark.parametrize("size", SIZES)
def test_briefing_mode_from_the_progress_tab(
    browser: WebDriver,
    wait: Wait,
    progress_url: str,
    shot: Callable[[str], Path],
    size: tuple[int, int],
) -> None:
    _open(browser, wait, progress_url, size)
    browser.find_element(By.ID, "briefing-toggle").click()
    wait(lambda d: "briefing" in (d.find_element(By.ID, "atlas-root").get_attribute("class") or ""))
    assert browser.find_element(By.ID, "progress-map").is_displayed()
    assert not browser.find_element(By.ID, "progress-quarter").is_displayed()
    assert not browser.find_element(By.ID, "progress-units").is_displayed()
    headline = browser.find_element(By.ID, "progress-headline")
    assert float(headline.value_of_css_property("font-size").removesuffix("px")) >= 19
    assert "2024年第二季度" in headline.text and "截至 2024-06-30" in headline.text
    assert "报送数据截至 2024-06-30" in browser.find_element(By.ID, "progress-as-of").text
    order = [str(n) for n in place_table(load_atlas(FIXTURE))["name"]]
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    wait(lambda d: _place(d) == order[0], 20)

    def place_tasks(driver: WebDriver) -> Any:
        if f"地点：{order[0]}" not in driver.find_element(By.ID, "progress-headline").text:
            return False
        cells = driver.find_elements(By.CSS_SELECTOR, "#progress-briefing .brief-light")
        lights = [c.text for c in cells]
        return lights if lights and all(lights) else False

    lights = wait(_fresh(place_tasks), 30)
    assert set(lights) <= {"绿", "黄", "红", "灰"}
    grid = browser.find_element(By.ID, "progress-briefing")
    assert grid.is_displayed() and not browser.find_element(By.ID, "progress-tasks").is_displayed()
    size_px = browser.find_element(By.CSS_SELECTOR, "#progress-briefing li").value_of_css_property(
        "font-size"
    )
    assert float(size_px.removesuffix("px")) >= 16  # large type
    map_rect = _rect(browser, browser.find_element(By.ID, "progress-map"))
    grid_rect = _rect(browser, grid)
    assert grid_rect["left"] >= map_rect["right"] - 1  # side by side
    assert map_rect["bottom"] <= size[1] + 1 and grid_rect["bottom"] <= size[1] + 1
    shot(f"progress-briefing-{size[0]}x{size[1]}")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    wait(lambda d: _place(d) == order[1], 20)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
    wait(lambda d: _place(d) == order[0], 20)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    wait(
        lambda d: (
            "briefing" not in (d.find_element(By.ID, "atlas-root").get_attribute("class") or "")
        )
    )
    assert browser.find_element(By.ID, "progress-quarter").is_displayed()
    assert not browser.find_element(By.ID, "progress-briefing").is_displayed()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
