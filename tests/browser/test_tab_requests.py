"""Requests per tab interaction, counted in real headless Chromium (issue 13).

The 对比 and 进度 views keep their state in the URL hash. Their hash ↔ controls bookkeeping
used to be server callbacks that read and wrote the hash, so every hash change (a tab click,
a control of the other view, back/forward) sent one request per view even when nothing of
its state changed. Now that bookkeeping runs in the browser (assets/viewhash.js, mirroring
dashboard/viewhash.py): a view asks the server only for what it draws, and only when its
tab is open and something it draws changed.

Before (measured on the old code with these tests: first output of each request, rounds):
- page load on the map: also compare-map, compare-state ×2, progress-quarter (hidden tabs);
- opening 进度: compare-state, progress-headline, progress-quarter (3 rounds);
- a 进度 quarter or status: the same three, 3 rounds;
- opening 对比: compare-map, compare-state, progress-quarter (2 rounds);
- a 对比 plan, place click, task or 显示全市: the same three, 2 rounds;
- opening 进度 again with nothing changed, or Back to it: its three again (3 rounds);
- back to 任务地图: compare-state, progress-quarter, task-table (3 rounds).
After: the opened view's one request (progress-headline or compare-map), one round; nothing
at all when nothing it draws changed; the table's page alone on the map tab.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import act, demo_store_app, text_of
from tests.browser.test_dashboard_requests import (
    READY_JS,
    Posts,
    click_tab,
    interaction,
    outputs,
    pick,
    table_count,
)

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "atlas_data"
Wait = Callable[..., object]
SIZES = ((1024, 768), (1366, 768), (1920, 1080))


@pytest.fixture(scope="module")
def tabs_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over the fixture data and a demo store of 2024Q1..2024Q4."""
    with demo_store_app(tmp_path_factory, "2024Q1..2024Q4") as url:
        yield url


def fragment(driver: WebDriver) -> str:
    return unquote(urlparse(driver.current_url).fragment)


def headline(driver: WebDriver) -> str:
    return text_of(driver, "progress-headline")


def compare_title(driver: WebDriver) -> str:
    return text_of(driver, "compare-panel-title")


GRID = "progress-task-grid"


def check(posts: Posts, expected: list[str], grid: tuple[int, int] = (0, 0)) -> None:
    """The requests' first outputs besides the 进度 task grid's page requests, of which there
    are grid[0] to grid[1]; one round (none at all when nothing is expected). The grid asks
    for its page from a timer, after the page has drawn: whether its request leaves before the
    view's answer is back depends on the machine (test_dashboard_requests shows the same for
    the map's table with a slow answer), so with a grid request the rounds may be two."""
    assert [o for o in outputs(posts) if o != GRID] == expected, posts.outputs
    n_grid = outputs(posts).count(GRID)
    assert grid[0] <= n_grid <= grid[1], posts.outputs
    most = (1 if expected or n_grid else 0) + (1 if expected and n_grid else 0)
    assert (1 if expected or n_grid else 0) <= posts.rounds() <= most, posts.outputs


def tick(driver: WebDriver, label: str) -> None:
    """Toggle one status of the 进度 checklist."""
    path = f"//*[@id='progress-status']//label[normalize-space()='{label}']"
    driver.find_element(By.XPATH, path).click()


def test_each_tab_interaction_sends_only_what_its_view_draws(
    browser: WebDriver, wait: Wait, tabs_url: str, shot: Callable[[str], Path]
) -> None:
    browser.set_window_size(1366, 768)
    load = interaction(
        browser,
        wait,
        lambda: browser.get(tabs_url + "/"),
        lambda d: d.execute_script(READY_JS) and table_count(d).startswith("共"),
    )
    # the hidden views draw nothing on load; 进度 reads which quarters its store has
    hidden = [o for o in outputs(load) if o.startswith(("compare", "progress"))]
    assert hidden == ["progress-quarters"], load.outputs

    to_progress = interaction(
        browser, wait, lambda: click_tab(browser, "进度"), lambda d: "2024年第四季度" in headline(d)
    )
    # its numbers, once: the latest quarter; the grid's page as it mounts (answered with
    # nothing: no quarter yet) and once the quarter is picked
    check(to_progress, ["progress-headline"], grid=(1, 2))
    assert fragment(browser) == "progress"

    quarter = interaction(
        browser,
        wait,
        lambda: pick(browser, "progress-quarter", "2024Q2"),
        lambda d: "2024年第二季度" in headline(d) and "quarter=2024Q2" in fragment(d),
    )
    check(quarter, ["progress-headline"], grid=(1, 1))

    status = interaction(
        browser,
        wait,
        lambda: tick(browser, "滞后"),
        lambda d: fragment(d) == "progress?quarter=2024Q2&status=滞后",
    )
    check(status, ["progress-headline"], grid=(1, 1))
    shot("tab-requests-progress-1366x768")

    to_compare = interaction(
        browser,
        wait,
        lambda: click_tab(browser, "计划对比"),
        lambda d: compare_title(d).startswith("全市：2023年政府工作报告 → 2024年"),
    )
    check(to_compare, ["compare-map"])  # drawn when first opened, not with the page
    assert fragment(browser) == "compare"  # reading a hash never writes one (history intact)

    plan = interaction(
        browser,
        wait,
        lambda: pick(browser, "compare-from", "fyp14"),
        lambda d: compare_title(d).startswith("全市：") and "from=fyp14" in fragment(d),
    )
    check(plan, ["compare-map"])
    assert fragment(browser) == "compare?from=fyp14&to=wr2024"
    shot("tab-requests-compare-1366x768")

    again = interaction(
        browser,
        wait,
        lambda: click_tab(browser, "进度"),
        lambda d: (
            fragment(d) == "progress?quarter=2024Q2&status=滞后"
            and browser.find_element(By.ID, "progress-view").is_displayed()
        ),
    )
    # nothing of 进度's state or the page's filters changed: no numbers to ask for; the grid
    # mounts again and asks for its page
    check(again, [], grid=(0, 1))
    assert "2024年第二季度" in headline(browser)

    to_map = interaction(
        browser,
        wait,
        lambda: click_tab(browser, "任务地图"),
        lambda d: fragment(d) == "" and table_count(d).startswith("共"),
    )
    check(to_map, ["task-table"])  # the table mounts again and asks for its page

    back = interaction(
        browser,
        wait,
        browser.back,
        lambda d: (
            fragment(d) == "progress?quarter=2024Q2&status=滞后"
            and browser.find_element(By.ID, "progress-view").is_displayed()
        ),
    )
    check(back, [], grid=(0, 1))  # as when opened again: the grid mounts and asks
    assert "2024年第二季度" in headline(browser)

    back_compare = interaction(
        browser,
        wait,
        browser.back,
        lambda d: (
            fragment(d) == "compare?from=fyp14&to=wr2024"
            and browser.find_element(By.ID, "compare-root").is_displayed()
        ),
    )
    check(back_compare, [])
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_bad_hash_values_give_notices_and_a_drawn_view(
    browser: WebDriver,
    wait: Wait,
    tabs_url: str,
    shot: Callable[[str], Path],
    width: int,
    height: int,
) -> None:
    """Unknown plans, places, tasks, quarters and statuses in a pasted link: a notice each and
    the defaults drawn, no error; the URL is left as pasted (a rewrite would be a history
    entry that Back returns to and that rewrites itself again)."""
    browser.set_window_size(width, height)
    browser.get(tabs_url + "/#compare?from=nope&to=wr2024&place=" + quote("火星") + "&task=x")
    notice = wait(lambda d: "未知地点" in (t := text_of(d, "compare-notice")) and t)
    assert notice == "未知对比起点计划“nope”，已使用默认值；未知地点“火星”，已忽略"
    wait(lambda d: "未知任务“x”" in text_of(d, "compare-lineage"))
    wait(lambda d: compare_title(d).startswith("全市：2023年政府工作报告 → 2024年"))
    assert fragment(browser) == "compare?from=nope&to=wr2024&place=火星&task=x"  # as pasted
    shot(f"tab-requests-compare-notice-{width}x{height}")

    browser.get(tabs_url + "/#progress?quarter=2030Q1&status=" + quote("滞后") + "&status=bogus")
    notice = wait(lambda d: "未知状态" in (t := text_of(d, "progress-notice")) and t)
    assert notice == "2030Q1 没有报送数据，已使用最新季度；未知状态已忽略"
    wait(lambda d: "2024年第四季度" in headline(d))
    shot(f"tab-requests-progress-notice-{width}x{height}")
    browser.get(tabs_url + "/#progress?quarter=" + quote("<b>x") + "&status=bogus")
    notice = wait(lambda d: "无效的季度" in (t := text_of(d, "progress-notice")) and t)
    assert notice == "无效的季度“<b>x”，已使用最新季度；未知状态已忽略"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def click_label(driver: WebDriver, graph: str, name: str) -> None:
    label = driver.execute_script(
        f"return Array.from(document.querySelectorAll('#{graph} g.geo text'))"
        ".find(t => t.textContent.startsWith(arguments[0]));",
        name,
    )
    ActionChains(driver).move_to_element(label).pause(0.3).click().perform()


def test_each_compare_control_is_one_request(browser: WebDriver, wait: Wait, tabs_url: str) -> None:
    """A place click, a task and 显示全市 on the 对比 view: one request, one round each.
    Before: two rounds (compare-state, then compare-map) for each."""
    browser.set_window_size(1366, 768)
    browser.get(tabs_url + "/#compare?from=wr2023&to=wr2024")
    wait(lambda d: compare_title(d).startswith("全市："), 30)
    wait(lambda d: d.execute_script(
        "const gd = document.querySelector('#compare-map .js-plotly-plot');"
        "return gd && gd.data && gd.data.length;"), 30)  # fmt: skip

    place = interaction(
        browser,
        wait,
        lambda: click_label(browser, "compare-map", "江夏区"),
        lambda d: compare_title(d).startswith("江夏区：") and "place=江夏区" in fragment(d),
    )
    check(place, ["compare-map"])

    def first_task(d: WebDriver) -> None:
        button = d.find_element(By.CSS_SELECTOR, "#compare-panel button.cmp-task")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()

    task = interaction(
        browser,
        wait,
        lambda: wait(act(first_task)),
        lambda d: "task=" in fragment(d) and "cmp-path" in d.page_source,
    )
    check(task, ["compare-map"])

    everywhere = interaction(
        browser,
        wait,
        lambda: browser.find_element(By.ID, "compare-clear-place").click(),
        lambda d: compare_title(d).startswith("全市：") and "place=" not in fragment(d),
    )
    check(everywhere, ["compare-map"])
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
