"""Real headless Chromium: each view opened by its URL at three window sizes, its content
visible and its Plotly graph the width of its container — also after the window was resized
while the view's tab was hidden. Screenshots: test-artifacts/dashboard/view-*.png.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.data import load_atlas
from progress.db import open_store
from progress.demo import fill_demo
from progress.quarters import parse_quarter_range
from progress.tasks import read_task_tables

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "atlas_data"
Wait = Callable[..., object]
SIZES = ((1024, 768), (1366, 768), (1920, 1080))
#: URL → (tab label, graph id, an element of the view that must be visible, its text must hold)
VIEWS = {
    "/?plan=wr2024": ("任务地图", "district-map", "filters-caption", "2024年"),
    "/#compare?from=wr2023&to=wr2024": ("计划对比", "compare-map", "compare-panel-title", "2023年"),
    "/#progress?quarter=2024Q2": ("进度", "progress-map", "progress-headline", "【演示数据】"),
}


def fitted(driver: WebDriver, graph: str) -> bool:
    """The graph is drawn, and as wide as its container (within 2 px)."""
    script = (
        "const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return Boolean(gd && gd._fullLayout && gd.querySelector('.main-svg') &&"
        " Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 2 &&"
        " gd.getBoundingClientRect().width > 200);"
    )
    return bool(driver.execute_script(script, graph))


def selected_tab(driver: WebDriver) -> str:
    script = "const t = document.querySelector('#view-tabs .tab--selected'); return t ? t.textContent : ''"
    return str(driver.execute_script(script))


@pytest.fixture(scope="module")
def views_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over the fixture data and a demo store passed as store_url (serve --db)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'demo.db'}"
    store = open_store(url)
    fill_demo(read_task_tables(FIXTURE), store, parse_quarter_range("2024Q1..2024Q4"))
    store.close()
    server = make_server("127.0.0.1", 0, create_app(load_atlas(FIXTURE), store_url=url).server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("path", list(VIEWS))
def test_each_view_opens_from_its_url(
    browser: WebDriver,
    wait: Wait,
    views_url: str,
    shot: Callable[[str], Path],
    path: str,
    width: int,
    height: int,
) -> None:
    tab, graph, element, text = VIEWS[path]
    browser.set_window_size(width, height)
    browser.get(views_url + path)
    wait(lambda d: selected_tab(d) == tab, 30)
    # found, read and checked visible in one condition: the callbacks redraw it meanwhile
    wait(lambda d: (e := d.find_elements(By.ID, element)) and text in e[0].text
         and e[0].is_displayed(), 30)  # fmt: skip
    wait(lambda d: fitted(d, graph), 30)
    name = tab_name(tab)
    shot(f"view-{name}-{width}x{height}")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_graph_in_a_tab_hidden_during_a_resize_fits_when_shown(
    browser: WebDriver, wait: Wait, views_url: str, shot: Callable[[str], Path]
) -> None:
    browser.set_window_size(1920, 1080)
    browser.get(views_url + "/#progress?quarter=2024Q2")
    wait(lambda d: fitted(d, "progress-map"), 30)
    for label, graph, (width, height) in (
        ("任务地图", "district-map", (1024, 768)),
        ("计划对比", "compare-map", (1920, 1080)),
        ("进度", "progress-map", (1366, 768)),
    ):
        browser.set_window_size(width, height)  # resized while the tab is hidden
        browser.find_element(
            By.XPATH, f"//*[@id='view-tabs']//*[normalize-space()='{label}']"
        ).click()
        wait(lambda d, g=graph: fitted(d, g), 30)
        shot(f"view-switched-{tab_name(label)}-{width}x{height}")


def tab_name(label: str) -> str:
    return {"任务地图": "map", "计划对比": "compare", "进度": "progress"}[label]
