"""Real headless Chromium against a --require-login server: login → the map → logout.

Screenshots of the login page (three window sizes), a refused login, the map after login,
the admin's user page and the page after logout go to test-artifacts/access/.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from access.config import AccessSettings
from access.store import UserStore
from access.web import COOKIE_NAME, install_access
from dashboard.app import create_app
from dashboard.data import AtlasData
from tests.access_helpers import PASSWORD, SECRET, cheap_hashes, db_url, populated, store
from tests.browser.conftest import text_of

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "access"
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
Wait = Callable[..., object]
MAP_READY_JS = (
    "const gd = document.querySelector('#district-map .js-plotly-plot');"
    "return gd && gd.data && gd.data[1].customdata"
    " && document.querySelector('#filters-caption').textContent;"
)


@pytest.fixture
def login_url(
    atlas_data: AtlasData, populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The dashboard with --require-login, on a free local port (plain http: no Secure flag)."""
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    server = create_app(atlas_data).server
    install_access(server, AccessSettings(db_url, require_login=True, secure_cookies=False))
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def _shot(driver: WebDriver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def _submit_login(driver: WebDriver, name: str, password: str) -> None:
    driver.find_element(By.ID, "name").clear()
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()


def test_login_page_at_three_sizes(browser: WebDriver, wait: Wait, login_url: str) -> None:
    for width, height in SIZES:
        browser.set_window_size(width, height)
        browser.get(f"{login_url}/?plan=wr2024")
        wait(lambda d: d.find_elements(By.ID, "login-submit"))
        form = browser.find_element(By.ID, "login").rect
        assert form["x"] >= 0 and form["x"] + form["width"] <= width  # fits the window
        assert browser.title == "登录 · 武汉市任务地图"
        _shot(browser, f"login-{width}x{height}")


def test_login_see_the_map_then_logout(browser: WebDriver, wait: Wait, login_url: str) -> None:
    browser.set_window_size(1366, 768)
    browser.get(f"{login_url}/?plan=wr2024")
    wait(lambda d: "/login" in d.current_url)
    assert browser.find_elements(By.ID, "district-map") == []

    _submit_login(browser, "office", "wrong password")
    wait(lambda d: "用户名或密码错误" in text_of(d, "login-error"))  # the form's post reloads
    _shot(browser, "login-refused")

    _submit_login(browser, "office", PASSWORD)
    wait(lambda d: d.execute_script(MAP_READY_JS))
    assert browser.current_url == f"{login_url}/?plan=wr2024"  # back where the user was going
    cookie = browser.get_cookie(COOKIE_NAME)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert browser.execute_script("return document.cookie") == ""  # invisible to scripts
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert [m for m in severe if "/login" not in m] == []
    _shot(browser, "after-login-map")

    browser.get(f"{login_url}/logout")
    wait(lambda d: "当前用户：office" in text_of(d, "logout"))
    browser.find_element(By.ID, "logout-submit").click()
    wait(lambda d: text_of(d, "signed-out") == "您已退出登录。")
    _shot(browser, "after-logout")
    browser.get(f"{login_url}/")
    wait(lambda d: d.find_elements(By.ID, "login-submit"))
    assert browser.get_cookie(COOKIE_NAME) is None or "_user_id" not in str(
        browser.get_cookie(COOKIE_NAME)
    )


def test_admin_adds_a_reporter_in_the_browser(
    browser: WebDriver, wait: Wait, login_url: str, populated: UserStore
) -> None:
    browser.set_window_size(1366, 768)
    browser.get(f"{login_url}/login?next=/admin/users")
    _submit_login(browser, "root", PASSWORD)
    wait(lambda d: d.find_elements(By.ID, "user-table"))
    browser.find_element(By.ID, "new-name").send_keys("jiaotong")
    browser.find_element(By.CSS_SELECTOR, "#new-role option[value=reporter]").click()
    browser.find_element(By.ID, "new-unit").send_keys("市交通运输局")
    browser.find_element(By.ID, "new-password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/admin/users'] button").click()
    wait(lambda d: "市交通运输局" in text_of(d, "user-table"))  # read as the post reloads
    account = populated.get("jiaotong")
    assert account is not None and account.unit == "市交通运输局" and account.role == "reporter"
    assert "$argon2" not in browser.page_source
    _shot(browser, "admin-users")
