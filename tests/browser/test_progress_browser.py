"""Real headless Chromium: the 进度 view over a demo store, opened from a URL hash, at three sizes.

Screenshots go to test-artifacts/dashboard/progress-*.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import demo_store_app, texts

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "atlas_data"
Wait = Callable[..., object]
SIZES = ((1024, 768), (1366, 768), (1920, 1080))
PANEL_PLACE = "江岸区"


@pytest.fixture(scope="module")
def progress_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over the fixture data and a demo store of 2024Q1..2024Q4."""
    with demo_store_app(tmp_path_factory, "2024Q1..2024Q4") as url:
        yield url


def _headline(driver: WebDriver) -> str:
    script = "const e = document.getElementById('progress-headline'); return e ? e.textContent : ''"
    return str(driver.execute_script(script))


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_progress_view_from_the_url_hash(
    browser: WebDriver,
    wait: Wait,
    progress_url: str,
    shot: Callable[[str], Path],
    requested_urls: Callable[[], list[str]],
    width: int,
    height: int,
) -> None:
    browser.set_window_size(width, height)
    browser.get(progress_url + "/#progress?quarter=2024Q2&status=" + quote("序时推进"))
    headline = wait(lambda d: "2024年第二季度" in (h := _headline(d)) and h, 30)
    assert str(headline).startswith("【演示数据】") and "截至 2024-06-30" in str(headline)
    wait(lambda d: d.find_element(By.ID, "progress-view").is_displayed())
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#progress-map path.choroplethlocation"), 30)
    # the grid redraws its rows as the hash's status filter arrives: read them inside the wait
    wait(lambda d: set(texts(d, "#progress-tasks .ag-cell[col-id='状态']")) == {"序时推进"}, 30)
    shot(f"progress-{width}x{height}")
    browser.execute_script("document.getElementById('progress-tasks').scrollIntoView()")
    shot(f"progress-tasks-{width}x{height}")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    outside = [
        u
        for u in requested_urls()
        if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith(("data:", "blob:"))
    ]
    assert outside == []


def test_tabs_follow_the_url_and_remember_each_view(
    browser: WebDriver, wait: Wait, progress_url: str
) -> None:
    browser.set_window_size(1366, 768)
    browser.get(progress_url + "/?plan=wr2024#progress?quarter=2024Q3")
    wait(lambda d: "2024年第三季度" in _headline(d), 30)
    assert _selected_tab(browser) == "进度"
    _tab(browser, "任务地图").click()  # leaving: the hash goes, the map's filters stay
    wait(lambda d: urlparse(d.current_url).fragment == "")
    assert urlparse(browser.current_url).query == "plan=wr2024"
    wait(lambda d: d.find_element(By.ID, "district-map").is_displayed())
    _tab(browser, "进度").click()  # coming back: its last hash, so its quarter, again
    wait(lambda d: urlparse(d.current_url).fragment == "progress?quarter=2024Q3")
    wait(lambda d: d.find_element(By.ID, "progress-view").is_displayed())
    browser.back()  # back to the map tab
    wait(lambda d: _selected_tab(d) == "任务地图")
    browser.forward()
    wait(lambda d: _selected_tab(d) == "进度")
    wait(lambda d: "2024年第三季度" in _headline(d), 30)


def test_panel_shows_status_lights_with_a_legend(
    browser: WebDriver, wait: Wait, progress_url: str, shot: Callable[[str], Path]
) -> None:
    browser.set_window_size(1366, 768)
    browser.get(progress_url + "/?place=" + quote(PANEL_PLACE))

    def lights_and_legend(d: WebDriver) -> tuple[set[str], str] | None:
        """Both read in one go: the panel redraws while the lights arrive."""
        lights = texts(d, "#place-panel .task-item .task-light")
        legend = texts(d, "#place-panel .light-legend summary")
        return (set(lights), legend[0]) if lights and legend else None

    found = wait(lights_and_legend, 30)
    assert isinstance(found, tuple)
    lights, legend = found
    assert legend.startswith("【演示数据】进度灯:2024年第四季度")
    assert lights <= {
        "已完成",
        "序时推进",
        "滞后",
        "未启动",
        "超序时",
        "提前完成",
        "暂缓",
        "未报送",
    }
    shot("panel-lights-1366x768")


def _tab(driver: WebDriver, label: str) -> Any:
    return driver.find_element(By.XPATH, f"//*[@id='view-tabs']//*[normalize-space()='{label}']")


def _selected_tab(driver: WebDriver) -> str:
    script = (
        "const t = document.querySelector('#view-tabs .tab--selected');"
        " return t ? t.textContent : ''"
    )
    return str(driver.execute_script(script))
