"""Real headless Chromium: login → upload a filled workbook → check → confirm → the 进度 view's
headline, map and task list change → logout. Screenshots under test-artifacts/access/.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from werkzeug.serving import make_server

from access.config import AccessSettings
from access.store import UserStore
from access.web import install_access
from cli.main import main
from dashboard.app import create_app
from dashboard.data import load_atlas
from progress.db import open_store
from progress.store import current_returns
from tests.access_helpers import PASSWORD, SECRET, cheap_hashes, db_url, populated, store
from tests.browser.conftest import text_of, texts
from tests.progress_fixtures import CO_LEAD_TASK, CO_LEAD_UNIT, fill_workbook

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "access"
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
Wait = Callable[..., object]
HEADLINE_JS = (
    "const e = document.getElementById('progress-headline'); return e ? e.textContent : ''"
)


@pytest.fixture
def site(
    atlas_dir: Path, populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """`serve --db URL` on 127.0.0.1: the logins and the 进度 view read one store."""
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    open_store(db_url).close()  # the progress tables, empty: no returns yet
    server = create_app(load_atlas(atlas_dir), store_url=db_url).server
    install_access(server, AccessSettings(db_url, secure_cookies=False, data_dir=atlas_dir))
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def workbook(atlas_dir: Path, db_url: str, tmp_path: Path) -> Path:
    out = tmp_path / "templates"
    args = ["--quarter", "2024Q2", "--data", str(atlas_dir), "--db", db_url, "--out", str(out)]
    assert main(["progress", "template", *args]) == 0
    path = out / f"2024Q2_{CO_LEAD_UNIT}.xlsx"
    fill_workbook(path, {CO_LEAD_TASK: {"完成状态": "滞后", "完成进度(%)": 20}})
    return path


def _shot(driver: WebDriver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _stored(url: str) -> int:
    opened = open_store(url)
    try:
        return len(current_returns(opened))
    finally:
        opened.close()


def _progress(driver: WebDriver, wait: Wait, site: str, expect: str) -> str:
    """The 进度 headline once it says `expect` (its first render may still be a placeholder)."""
    driver.get(f"{site}/#progress?quarter=2024Q2")
    return str(wait(lambda d: expect in (h := str(d.execute_script(HEADLINE_JS))) and h, 30))


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_login_upload_confirm_the_progress_view_changes_logout(
    browser: WebDriver,
    wait: Wait,
    site: str,
    workbook: Path,
    db_url: str,
    width: int,
    height: int,
) -> None:
    size = f"{width}x{height}"
    browser.set_window_size(width, height)
    before = _progress(browser, wait, site, "尚无进度报送")  # nothing reported yet

    browser.get(f"{site}/login?next=/returns")
    browser.find_element(By.ID, "name").send_keys("keji")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login-submit").click()
    wait(lambda d: d.find_elements(By.ID, "returns-upload"))
    browser.find_element(By.ID, "quarter").send_keys("2024Q2")
    browser.find_element(By.ID, "files").send_keys(str(workbook))
    browser.find_element(By.ID, "returns-upload").click()
    # the upload's post reloads the page: the table is read inside the wait
    wait(lambda d: "2024Q2_市科技局.xlsx" in (t := text_of(d, "file-table")) and "可以导入" in t)
    _shot(browser, f"returns-checked-{size}")
    assert _stored(db_url) == 0  # checked, not yet saved
    browser.find_element(By.ID, "returns-confirm").click()
    wait(lambda d: "1 行，1 行有变化" in text_of(d, "returns-done"))
    _shot(browser, f"returns-imported-{size}")

    browser.get(f"{site}/")  # the map, with who is logged in at the right of the header
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#district-map .js-plotly-plot"), 30)
    right = browser.execute_script(
        "const r = document.getElementById('account-badge').getBoundingClientRect();return r.right;"
    )
    assert 0 < right <= width  # inside the window

    def close_progress(d: WebDriver) -> str:
        """The 进度 overlay covers the header: close it if it is open."""
        close = d.find_elements(By.ID, "progress-close")
        if close and close[0].is_displayed():
            close[0].click()
            return "closed"
        return "not open"

    if wait(close_progress) == "closed":  # inside a wait: the overlay may be redrawn meanwhile
        wait(lambda d: not d.find_element(By.ID, "progress-view").is_displayed())
    wait(EC.frame_to_be_available_and_switch_to_it((By.ID, "account-badge")))
    wait(lambda d: d.find_elements(By.ID, "badge-name"))
    assert "keji" in browser.find_element(By.ID, "badge-name").text
    browser.switch_to.default_content()
    _shot(browser, f"header-logged-in-{size}")

    after = _progress(browser, wait, site, "2024年第二季度")
    assert after != before
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#progress-map path.choroplethlocation"), 30)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#progress-tasks .ag-row"), 30)
    status_cells = "#progress-tasks .ag-cell[col-id='状态']"  # the grid redraws its rows
    wait(lambda d: "滞后" in texts(d, status_cells), 30)  # the uploaded return, on the task list
    wait(lambda d: CO_LEAD_UNIT in text_of(d, "progress-units"), 30)
    _shot(browser, f"progress-after-upload-{size}")

    browser.get(f"{site}/logout")
    browser.find_element(By.ID, "logout-submit").click()
    wait(lambda d: d.find_elements(By.ID, "signed-out"))
    browser.get(f"{site}/returns")  # logged out: the write page sends a browser to /login
    wait(lambda d: d.find_elements(By.ID, "login-submit"))
    assert "/login?next=/returns" in browser.current_url
