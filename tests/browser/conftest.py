"""A real headless Chromium (Debian's chromium-driver) against the app on a local port.

Performance logging is on so tests can list every request the page made.

Reading a page that redraws: an ag-grid's rows, a panel or list a callback re-renders, a page
reloading after a form post. An element found a moment earlier can be gone when its text is
read (StaleElementReferenceException), so such reads happen inside a `wait` condition, which
retries them, never after it: `wait(lambda d: texts(d, css) == expected)`, `got = wait(lambda
d: text_of(d, "id") or None)`, and clicks on redrawn elements with `wait(act(...))`.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.data import AtlasData, load_atlas
from progress.db import DB_ENV, open_store
from progress.demo import fill_demo
from progress.quarters import parse_quarter_range
from progress.tasks import read_task_tables
from tests.helpers import FIXTURE

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "dashboard"
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1600,1000",
    "--lang=zh-CN",
)
#: What a wait condition may meet while the page redraws: retried, not fatal (WebDriverWait
#: already retries NoSuchElementException).
REDRAWN = (StaleElementReferenceException,)


def texts(driver: WebDriver, css: str) -> list[str]:
    """The texts of every element matching `css`, read now: call it inside a wait."""
    return [str(e.text) for e in driver.find_elements(By.CSS_SELECTOR, css)]


def text_of(driver: WebDriver, element_id: str) -> str:
    """The text of the element with `element_id` ("" while it is missing): inside a wait."""
    found = driver.find_elements(By.ID, element_id)
    return str(found[0].text) if found else ""


def act(action: Callable[[WebDriver], object]) -> Callable[[WebDriver], bool]:
    """A wait condition that performs `action` (a click on a redrawn element) and holds once it
    went through; a stale element fails before anything is sent, so the retry is safe."""

    def _done(driver: WebDriver) -> bool:
        action(driver)
        return True

    return _done


@contextmanager
def serving(server: Flask) -> Iterator[str]:
    """`server` served by werkzeug in a thread on a free local port; its URL."""
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


@contextmanager
def demo_store_app(tmp_path_factory: pytest.TempPathFactory, quarters: str) -> Iterator[str]:
    """The dashboard over the fixture data and a store of demo returns for `quarters`
    ("2024Q1..2024Q4"), served; its URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'demo.db'}"
    store = open_store(url)
    fill_demo(read_task_tables(FIXTURE), store, parse_quarter_range(quarters))
    store.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DB_ENV, raising=False)  # the store comes from store_url (serve --db), not env
        app = create_app(load_atlas(FIXTURE), store_url=url)
    with serving(app.server) as served:
        yield served


@pytest.fixture(scope="session")
def app_url(atlas_data: AtlasData) -> Iterator[str]:
    """The dashboard served by werkzeug in a thread on a free local port."""
    with serving(create_app(atlas_data).server) as url:
        yield url


@pytest.fixture(scope="session")
def download_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture
def browser(download_dir: Path) -> Iterator[WebDriver]:
    if not shutil.which("chromedriver"):
        pytest.skip("chromedriver not installed (apt-get install chromium-driver)")
    options = Options()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.add_experimental_option("prefs", {"download.default_directory": str(download_dir)})
    driver = webdriver.Chrome(options=options)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
    )
    yield driver
    driver.quit()


@pytest.fixture
def wait(browser: WebDriver) -> Callable[..., object]:
    """wait(condition, timeout=10): poll `condition(driver)` until truthy; a read of an element
    the page redrew meanwhile (stale) is polled again."""

    def _wait(condition: Callable[[WebDriver], object], timeout: float = 10) -> object:
        poll = WebDriverWait(browser, timeout, poll_frequency=0.1, ignored_exceptions=REDRAWN)
        return poll.until(condition)

    return _wait


@pytest.fixture
def shot(browser: WebDriver) -> Callable[[str], Path]:
    """Save a screenshot under test-artifacts/dashboard/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        browser.save_screenshot(str(path))
        return path

    return _shot


@pytest.fixture
def requested_urls(browser: WebDriver) -> Callable[[], list[str]]:
    """Every URL the page requested since the last call (from Chrome's performance log)."""

    def _urls() -> list[str]:
        urls = []
        for entry in browser.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    return _urls
