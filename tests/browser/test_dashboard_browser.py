"""Real headless Chromium: load offline, filter, click a district, restore from a URL, export.

Expected numbers are computed here straight from the fixture CSVs with pandas, not through
the dashboard's own code. Screenshots of each step go to test-artifacts/dashboard/.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlparse

import pandas as pd
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import act, text_of
from tests.helpers import FIXTURE

pytestmark = pytest.mark.browser
SPECIFIC = ["lead", "responsible", "mention"]
Wait = Callable[..., object]
READY_JS = (
    "const gd = document.querySelector('#district-map .js-plotly-plot');"
    "return gd && gd.data && gd.data[1].customdata"
    " && document.querySelector('#filters-caption').textContent;"
)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURE / name, dtype=str, keep_default_na=False)


def expected_district_counts(plans: list[str], sectors: list[str]) -> dict[str, int]:
    tasks, places = _read("tasks.csv"), _read("task_places.csv")
    ids = tasks.loc[tasks["plan_id"].isin(plans) & tasks["sector"].isin(sectors), "task_id"]
    rows = places[places["task_id"].isin(ids) & places["link"].isin(SPECIFIC)]
    rows = rows[rows["place_kind"] == "district"]
    return {str(k): int(v) for k, v in rows.groupby("place")["task_id"].nunique().items()}


def expected_place_tasks(
    place: str, plans: list[str] | None = None, sectors: list[str] | None = None
) -> set[str]:
    tasks, places = _read("tasks.csv"), _read("task_places.csv")
    keep = tasks["plan_id"].isin(plans or tasks["plan_id"])
    keep &= tasks["sector"].isin(sectors or tasks["sector"])
    places = places[places["task_id"].isin(tasks.loc[keep, "task_id"])]
    rows = places[(places["place"] == place) & places["link"].isin(SPECIFIC)]
    return set(rows["task_id"])


def map_counts(driver: WebDriver) -> dict[str, int]:
    """District name → z currently drawn by plotly in the browser."""
    return driver.execute_script(
        "const gd = document.querySelector('#district-map .js-plotly-plot');"
        "const t = gd.data[1]; const out = {};"
        "t.customdata.forEach((c, i) => { out[c[0]] = t.z[i]; }); return out;"
    )


def map_box(driver: WebDriver) -> dict[str, float]:
    """Size of the drawn districts and of the free space left under the map in its column."""
    return driver.execute_script(
        "const gd = document.querySelector('#district-map .js-plotly-plot');"
        "const land = gd.querySelector('.choroplethlayer').getBoundingClientRect();"
        "const col = document.querySelector('.map-column').getBoundingClientRect();"
        "const kids = Array.from(document.querySelector('.map-column').children)"
        "  .filter(k => getComputedStyle(k).position !== 'absolute');"
        "const used = kids.reduce((s, k) => s + k.getBoundingClientRect().height, 0);"
        "return {height: land.height, plot: gd.getBoundingClientRect().height,"
        "        free: col.height - used};"
    )


def panel_task_ids(driver: WebDriver) -> set[str]:
    items = driver.find_elements(By.CSS_SELECTOR, "#place-panel .task-item")
    return {el.get_attribute("data-task-id") for el in items}


def panel_title(driver: WebDriver) -> str:
    return driver.find_element(By.ID, "place-panel-title").text


def click_place(driver: WebDriver, name: str) -> None:
    """Click the map at the place's label point (labels sit inside their polygon)."""
    label = driver.execute_script(
        "return Array.from(document.querySelectorAll('#district-map g.geo text'))"
        ".find(t => t.textContent.startsWith(arguments[0]));",
        name,
    )
    ActionChains(driver).move_to_element(label).pause(0.3).click().perform()


def pick(driver: WebDriver, dropdown_id: str, value: str) -> None:
    """Open a Dash 4 dropdown, tick the option with `value`, close it."""
    driver.find_element(By.ID, dropdown_id).click()
    option = driver.find_element(By.CSS_SELECTOR, f".dash-dropdown-content input[value='{value}']")
    option.find_element(By.XPATH, "./ancestor::label").click()
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()


def open_app(driver: WebDriver, wait: Wait, url: str) -> None:
    driver.get(url)
    wait(lambda d: d.execute_script(READY_JS))


def settled(measure: Callable[[WebDriver], object]) -> Callable[[WebDriver], bool]:
    """A wait condition: true once `measure` gives the same value on three polls in a row."""
    seen: list[object] = []

    def _same(driver: WebDriver) -> bool:
        seen.append(measure(driver))
        return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

    return _same


def severe_console(driver: WebDriver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_loads_offline_without_console_errors(
    browser: WebDriver,
    wait: Wait,
    app_url: str,
    shot: Callable[[str], Path],
    requested_urls: Callable[[], list[str]],
) -> None:
    open_app(browser, wait, app_url + "/")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#district-map path.choroplethlocation"))
    shot("01-loaded")
    assert severe_console(browser) == []
    urls = requested_urls()
    assert any("plotly" in u for u in urls), "the page should load plotly.js from this server"
    outside = [
        u
        for u in urls
        if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith(("data:", "blob:"))
    ]
    assert outside == []
    assert "武汉市任务地图" in browser.title
    wait(lambda d: "专项任务" in text_of(d, "filters-caption"))
    box = map_box(browser)
    assert box["free"] < 20, box  # the map takes the column's spare height
    # the districts fill the map's height but for the band the classed legend takes at the top
    assert box["height"] > 0.8 * box["plot"], box


def test_plan_and_sector_filter_sets_expected_counts(
    browser: WebDriver, wait: Wait, app_url: str, shot: Callable[[str], Path]
) -> None:
    open_app(browser, wait, app_url + "/")
    pick(browser, "filter-plans", "wr2023")
    pick(browser, "filter-sectors", "先进制造")
    expected = expected_district_counts(["wr2023"], ["先进制造"])
    assert expected and sum(expected.values()) >= 2
    wait(lambda d: {k: v for k, v in map_counts(d).items() if v} == expected)
    assert "plan=wr2023" in browser.current_url
    shot("02-filtered-wr2023-先进制造")
    wait(lambda d: "计划：2023年政府工作报告；领域：先进制造" in text_of(d, "filters-caption"))
    assert severe_console(browser) == []


def test_click_district_opens_panel_and_second_click_clears(
    browser: WebDriver, wait: Wait, app_url: str, shot: Callable[[str], Path]
) -> None:
    open_app(browser, wait, app_url + "/")
    expected = expected_place_tasks("江夏区")
    wait(act(lambda d: click_place(d, "江夏区")))
    wait(lambda d: panel_title(d).startswith("江夏区"))
    wait(lambda d: panel_task_ids(d) == expected)
    wait(lambda d: panel_title(d) == f"江夏区：{len(expected)} 项任务")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#place-panel mark"))  # 汤逊湖 / 纸坊
    assert "place=" in browser.current_url
    shot("03-clicked-江夏区")
    wait(act(lambda d: click_place(d, "江夏区")))
    wait(lambda d: panel_title(d) == "请选择地点")
    assert "place=" not in browser.current_url
    shot("04-second-click-cleared")
    wait(act(lambda d: click_place(d, "江夏区")))
    wait(lambda d: panel_title(d).startswith("江夏区"))
    wait(act(lambda d: d.find_element(By.ID, "clear-selection").click()))
    wait(lambda d: panel_title(d) == "请选择地点")
    assert severe_console(browser) == []


def test_url_restores_filters_and_selection(
    browser: WebDriver, wait: Wait, app_url: str, shot: Callable[[str], Path]
) -> None:
    query = f"?plan=wr2023&sector={quote('先进制造')}&place={quote('江夏区')}"
    open_app(browser, wait, app_url + "/" + query)
    expected = expected_district_counts(["wr2023"], ["先进制造"])
    wait(lambda d: {k: v for k, v in map_counts(d).items() if v} == expected)
    tasks = expected_place_tasks("江夏区", ["wr2023"], ["先进制造"])
    assert tasks
    wait(lambda d: panel_task_ids(d) == tasks)
    wait(lambda d: "2023年政府工作报告" in text_of(d, "filter-plans"))
    wait(lambda d: "先进制造" in text_of(d, "filter-sectors"))
    shot("05-restored-from-url")
    open_app(browser, wait, app_url + "/?plan=nope&mode=weird")
    notice = wait(lambda d: "链接参数有误" in (t := text_of(d, "url-notice")) and t)
    assert "未知计划：nope" in str(notice) and "计数口径" in str(notice)
    assert sum(map_counts(browser).values()) > 0
    shot("06-invalid-url-notice")
    assert severe_console(browser) == []


def test_briefing_mode(
    browser: WebDriver, wait: Wait, app_url: str, shot: Callable[[str], Path]
) -> None:
    open_app(browser, wait, app_url + "/?plan=wr2024")
    browser.find_element(By.ID, "briefing-toggle").click()
    wait(lambda d: "briefing" in d.find_element(By.ID, "atlas-root").get_attribute("class"))
    wait(lambda d: not d.find_element(By.CSS_SELECTOR, ".sidebar").is_displayed())
    # map and task list side by side (test_briefing_browser.py checks the layout at 3 sizes)
    wait(lambda d: d.find_element(By.ID, "place-panel").is_displayed())
    wait(settled(lambda d: map_box(d)["height"]))  # plotly's resize transition has finished
    shot("07-briefing-mode")
    wait(lambda d: "2024年政府工作报告" in text_of(d, "filters-caption"))


@pytest.mark.export
def test_export_button_returns_png_of_requested_size(
    browser: WebDriver, wait: Wait, app_url: str, download_dir: Path
) -> None:
    pytest.importorskip("dashboard.export")
    open_app(browser, wait, app_url + "/?plan=wr2024")
    before = set(download_dir.glob("*.png"))
    browser.find_element(By.ID, "export-button").click()

    def new_png(_: WebDriver) -> Path | None:
        notice = browser.find_element(By.ID, "export-notice").text
        if notice:
            pytest.skip(f"server-side export unavailable here: {notice}")
        fresh = [p for p in set(download_dir.glob("*.png")) - before if p.stat().st_size]
        return fresh[0] if fresh else None

    png = wait(new_png, timeout=60)
    assert isinstance(png, Path)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1920, 1080)


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1366, 768), (1920, 1080)])
def test_common_screen_sizes(
    browser: WebDriver,
    wait: Wait,
    app_url: str,
    shot: Callable[[str], Path],
    width: int,
    height: int,
) -> None:
    browser.set_window_size(width, height)
    open_app(browser, wait, app_url + "/?plan=wr2024&place=" + quote("江夏区"))
    wait(lambda d: panel_title(d).startswith("江夏区"))
    wait(settled(lambda d: map_box(d)["height"]))
    shot(f"08-size-{width}x{height}")
    sizes = browser.execute_script(
        "return {page: document.documentElement.scrollWidth, view: window.innerWidth,"
        " map: document.querySelector('#district-map').getBoundingClientRect().width};"
    )
    assert sizes["page"] <= sizes["view"], sizes  # nothing pushed off to the side
    assert map_box(browser)["height"] > 300
    assert sizes["map"] > 0.35 * sizes["view"], sizes
    assert severe_console(browser) == []
