"""Real headless Chromium: the 进度 view over a demo store, opened from a URL hash, at three sizes.

Screenshots go to test-artifacts/dashboard/progress-*.png.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.data import load_atlas
from progress.db import DB_ENV, open_store
from progress.demo import fill_demo
from progress.quarters import parse_quarter_range
from progress.tasks import read_task_tables

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "atlas_data"
Wait = Callable[..., object]
SIZES = ((1024, 768), (1366, 768), (1920, 1080))


@pytest.fixture(scope="module")
def progress_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over the fixture data and a demo store of 2024Q1..2024Q4."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'demo.db'}"
    store = open_store(url)
    fill_demo(read_task_tables(FIXTURE), store, parse_quarter_range("2024Q1..2024Q4"))
    store.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(DB_ENV, url)
        app = create_app(load_atlas(FIXTURE))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


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
    wait(lambda d: "2024年第二季度" in _headline(d), 30)
    view = browser.find_element(By.ID, "progress-view")
    assert view.is_displayed()
    assert _headline(browser).startswith("【演示数据】") and "截至 2024-06-30" in _headline(browser)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#progress-map path.choroplethlocation"), 30)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#progress-tasks .ag-row"), 30)
    statuses = {
        e.text
        for e in browser.find_elements(By.CSS_SELECTOR, "#progress-tasks .ag-cell[col-id='状态']")
    }
    assert statuses == {"序时推进"}  # the status filter from the hash
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


def test_closing_the_view_clears_the_hash_and_the_button_reopens_it(
    browser: WebDriver, wait: Wait, progress_url: str
) -> None:
    browser.set_window_size(1366, 768)
    browser.get(progress_url + "/#progress?quarter=2024Q3")
    wait(lambda d: "2024年第三季度" in _headline(d), 30)
    browser.find_element(By.ID, "progress-close").click()
    wait(lambda d: not d.find_element(By.ID, "progress-view").is_displayed())
    assert urlparse(browser.current_url).fragment == ""
    browser.find_element(By.ID, "progress-open").click()
    wait(lambda d: d.find_element(By.ID, "progress-view").is_displayed())
    wait(lambda d: urlparse(d.current_url).fragment.startswith("progress?quarter=2024Q3"))
