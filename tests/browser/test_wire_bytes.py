"""Bytes on the wire as Chromium counts them (CDP `encodedDataLength`), and nothing off 127.0.0.1.

Issue 13: a first visit was 6.1 MB (plotly.min.js 4.7 MB, nothing compressed); the goal is
≤ 2.0 MB for a first visit and ≤ 300 KB for a repeat visit (a new browser on the same profile).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import wire  # benchmarks/wire.py: the same counting the benchmark prints

pytestmark = pytest.mark.browser
FIRST_LOAD_LIMIT = 2_000_000
REPEAT_VISIT_LIMIT = 300_000
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "chromium-profile"


def _browser(profile: Path, size: tuple[int, int]) -> Iterator[WebDriver]:
    driver = wire.chromium(profile)
    driver.set_window_size(*size)
    try:
        yield driver
    finally:
        driver.quit()


def _hosts(capture: wire.Capture) -> set[str]:
    return {str(urlparse(x.url).hostname) for x in capture.exchanges.values()}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_and_repeat_visit_bytes(app_url: str, profile: Path, size: tuple[int, int]) -> None:
    for driver in _browser(profile, size):
        first = wire.load(driver, f"{app_url}/")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"wire-first-load-{size[0]}x{size[1]}.png"))
    for driver in _browser(profile, size):
        repeat = wire.load(driver, f"{app_url}/")

    urls = [x.url for x in first.exchanges.values()]
    assert not any("package_data/plotly.min.js" in u for u in urls), "full plotly.js requested"
    bundle = next(x for x in first.exchanges.values() if "plotly-atlas.min.js" in x.url)
    assert bundle.encoding == "br"
    assert bundle.wire_bytes < 600_000  # 1.4 MB of JavaScript, brotli-compressed
    assert first.wire_bytes <= FIRST_LOAD_LIMIT, f"first load {first.wire_bytes} bytes"
    assert repeat.wire_bytes <= REPEAT_VISIT_LIMIT, f"repeat visit {repeat.wire_bytes} bytes"
    # the repeat visit takes versioned scripts from the cache without asking the server
    assert not any("plotly-atlas" in x.url for x in repeat.exchanges.values() if x.wire_bytes)
    # offline: every request, including plotly.js's geo topojson, stays on this machine
    assert _hosts(first) | _hosts(repeat) == {"127.0.0.1"}
