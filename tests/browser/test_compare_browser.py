"""Real headless Chromium on the 对比 view: restore from the URL hash, pick a task, see its lineage.

The expected counts come from `task-atlas compare`'s CSV joined with task_places.csv by pandas,
not from the view's code. Screenshots at three sizes go to test-artifacts/dashboard/.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

import pandas as pd
import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from cli.main import main
from dashboard.app import create_app
from dashboard.data import load_atlas
from pipeline.build import build_all, write_data_folder
from tests.browser.conftest import act, texts

pytestmark = pytest.mark.browser
Wait = Callable[..., object]
SIZES = ((1024, 768), (1366, 768), (1920, 1080))
ARTIFACTS_EXPORTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"
PLACE = "江夏区"
#: The map has redrawn to the width of its column after a window resize.
FITTED_JS = (
    "const gd = document.querySelector('#compare-map .js-plotly-plot');"
    "return gd && gd._fullLayout &&"
    " Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 2;"
)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "data"
    write_data_folder(build_all(None, None), folder)
    return folder


@pytest.fixture(scope="module")
def corpus_url(corpus_dir: Path) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app(load_atlas(corpus_dir)).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def expected_heads(corpus_dir: Path, tmp: Path) -> list[str]:
    out = tmp / "cmp.csv"
    args = ["compare", "--from", "wr2023", "--to", "wr2024", "--data", str(corpus_dir)]
    assert main([*args, "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    places = pd.read_csv(corpus_dir / "task_places.csv", dtype=str, keep_default_na=False)
    here = set(places.loc[(places["place"] == PLACE)
                          & places["link"].isin(["lead", "responsible", "mention"]), "task_id"])  # fmt: skip
    about = table["to_task_id"].where(table["to_task_id"] != "", table["from_task_id"])
    mine = table[about.isin(here)].drop_duplicates(["from_task_id", "to_task_id"])
    counts = mine["relation"].value_counts()
    return [f"{r}（{int(counts.get(r, 0))}）" for r in ("新增", "延续", "调整", "取消")]


def test_compare_view_from_url_hash_to_lineage(
    browser: WebDriver,
    wait: Wait,
    shot: Callable[[str], Path],
    requested_urls: Callable[[], list[str]],
    corpus_url: str,
    corpus_dir: Path,
    tmp_path: Path,
) -> None:
    browser.set_window_size(*SIZES[1])
    browser.get(f"{corpus_url}/#compare?from=wr2023&to=wr2024&place={quote(PLACE)}")
    title = wait(lambda d: (t := d.find_element(By.ID, "compare-panel-title").text) and t)
    assert title == f"{PLACE}：2023年政府工作报告 → 2024年政府工作报告"
    heads = expected_heads(corpus_dir, tmp_path)
    wait(lambda d: texts(d, ".cmp-section summary") == heads)  # the panel, read as it settles
    net = browser.execute_script(
        "const gd = document.querySelector('#compare-map .js-plotly-plot');"
        "const t = gd.data[1]; return t.z[t.customdata.indexOf(arguments[0])];",
        PLACE,
    )
    new, dropped = (int(h.split("（")[1].rstrip("）")) for h in (heads[0], heads[3]))
    assert net == new - dropped

    def open_first_adjusted(d: WebDriver) -> None:
        button = d.find_element(By.CSS_SELECTOR, ".cmp-adjusted button.cmp-task")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()

    wait(act(open_first_adjusted))
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".cmp-diff .cmp-added, .cmp-diff .cmp-removed"))
    fragment = unquote(urlparse(browser.current_url).fragment)
    assert "task=wr2024-" in fragment and f"place={PLACE}" in fragment

    for width, height in SIZES:
        browser.set_window_size(width, height)
        root = browser.find_element(By.ID, "compare-root")
        browser.execute_script("arguments[0].scrollIntoView();", root)
        wait(lambda d: d.execute_script(FITTED_JS))
        try:  # plotly may still be placing the labels after its resize
            wait(lambda d: not _label_overlaps(d))
        except TimeoutException:
            assert _label_overlaps(browser) == [], (width, height)
        shot(f"compare_{width}x{height}")
    external = [u for u in requested_urls() if not u.startswith((corpus_url, "data:", "blob:"))]
    assert external == []


def test_main_filters_and_comparison_share_the_url(
    browser: WebDriver, wait: Wait, corpus_url: str
) -> None:
    """The hash opens the 计划对比 tab; the map's ?query stays through tab switches, and the
    comparison comes back as it was."""
    browser.set_window_size(*SIZES[1])
    browser.get(f"{corpus_url}/?plan=wr2024#compare?from=fyp14&to=wr2024&place={quote('洪山区')}")
    wait(lambda d: "洪山区" in d.find_element(By.ID, "compare-panel-title").text)
    wait(lambda d: d.find_element(By.ID, "compare-root").is_displayed())
    _tab(browser, "任务地图").click()
    caption = wait(lambda d: (e := d.find_elements(By.ID, "filters-caption")) and e[0].text)
    assert str(caption).startswith("计划：2024年政府工作报告")
    keyword = browser.find_element(By.ID, "filter-keyword")
    keyword.send_keys("光谷\n")
    wait(lambda d: "q=" in d.current_url)
    assert "plan=wr2024" in urlparse(browser.current_url).query
    _tab(browser, "计划对比").click()
    wait(lambda d: urlparse(d.current_url).fragment.startswith("compare"))
    url = urlparse(browser.current_url)
    assert "plan=wr2024" in url.query and "q=" in url.query
    assert unquote(url.fragment) == "compare?from=fyp14&to=wr2024&place=洪山区"
    wait(lambda d: "洪山区" in d.find_element(By.ID, "compare-panel-title").text)


def test_export_button_downloads_the_url_state_through_the_download_route(
    browser: WebDriver,
    wait: Wait,
    shot: Callable[[str], Path],
    corpus_url: str,
    download_dir: Path,
) -> None:
    """导出图片 in the 对比 tab: the file is the comparison the URL names (plans, place),
    fetched from /_atlas-download/ (the callback answers with a link, not the bytes)."""
    browser.set_window_size(*SIZES[1])
    browser.get(f"{corpus_url}/#compare?from=fyp14&to=wr2024&place={quote('洪山区')}")
    wait(lambda d: "洪山区" in d.find_element(By.ID, "compare-panel-title").text)
    before = set(download_dir.iterdir())
    button = browser.find_element(By.ID, "compare-export-button")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    link = wait(lambda d: _read(d, _link), 120)
    assert isinstance(link, tuple)
    href, name = link
    assert urlparse(href).path.startswith("/_atlas-download/")
    assert name.startswith("下载 任务对比_fyp14_wr2024_洪山区_") and name.endswith(".png")

    def arrived(_d: WebDriver) -> Path | None:
        new = [p for p in set(download_dir.iterdir()) - before if p.suffix == ".png"]
        return new[0] if new else None

    path = wait(arrived, 30)
    assert isinstance(path, Path) and path.name == name.removeprefix("下载 ")
    content = path.read_bytes()
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", content[16:24]) == (1920, 1080)
    ARTIFACTS_EXPORTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS_EXPORTS / "compare_button_洪山区.png").write_bytes(content)
    wait(lambda d: d.execute_script(FITTED_JS) and not _label_overlaps(d))
    shot("compare_export_1366x768")


def _heads(driver: WebDriver) -> list[str]:
    return [s.text for s in driver.find_elements(By.CSS_SELECTOR, ".cmp-section summary")]


def _link(driver: WebDriver) -> tuple[str, str] | None:
    link = driver.find_element(By.ID, "compare-export-link")
    href, text = link.get_attribute("href") or "", link.text
    return (href, text) if href and text else None


def _read(driver: WebDriver, read: Callable[[WebDriver], Any]) -> Any:
    """`read(driver)`, or None while Dash replaces the elements being read."""
    try:
        return read(driver)
    except StaleElementReferenceException:
        return None


def _label_overlaps(browser: WebDriver) -> list[str]:
    """Pairs of ± labels on the 对比 map whose boxes on screen overlap (the central districts'
    crowded before the map had its central-city inset)."""
    rects = browser.execute_script(
        "const gd = document.querySelector('#compare-map .js-plotly-plot');"
        "return Array.from(gd.querySelectorAll('.scattergeo text'))"
        ".filter(t => t.textContent.trim()).map(t => {"
        "  const r = t.getBoundingClientRect();"
        "  return [t.textContent, r.left, r.top, r.right, r.bottom]; });"
    )
    assert len(rects) >= 18
    return [
        f"{a[0]} × {b[0]}"
        for i, a in enumerate(rects)
        for b in rects[i + 1 :]
        if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1
    ]


def _tab(driver: WebDriver, label: str) -> Any:
    return driver.find_element(By.XPATH, f"//*[@id='view-tabs']//*[normalize-space()='{label}']")
