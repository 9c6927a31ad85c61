"""Requests per interaction, counted in real headless Chromium from its performance log (CDP).

Issue 13: a filter change sent 3 POSTs to /_dash-update-component (sync_state, update_view,
update_panel) and a map click 4 in two rounds (select_place, then the three again). Now every
interaction is one round of one request: clicks toggle in the browser (assets/atlas.js) and
one callback answers with URL, view and panel together.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

pytestmark = pytest.mark.browser
Wait = Callable[..., object]
UPDATE = "/_dash-update-component"
FINISHED = ("Network.loadingFinished", "Network.loadingFailed")
READY_JS = (
    "const gd = document.querySelector('#district-map .js-plotly-plot');"
    "return gd && gd.data && gd.data[1].customdata"
    " && document.querySelector('#filters-caption').textContent;"
)


@dataclass
class Posts:
    """Callback POSTs seen in the performance log: when each was sent and when it finished."""

    sent: dict[str, float] = field(default_factory=dict)
    done: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    quiet: int = 0  # polls in a row with nothing new and nothing pending

    def read(self, driver: WebDriver) -> None:
        new = False
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            params: dict[str, Any] = msg.get("params", {})
            rid = params.get("requestId", "")
            if msg["method"] == "Network.requestWillBeSent":
                req = params["request"]
                if req["method"] == "POST" and urlparse(req["url"]).path == UPDATE:
                    self.sent[rid] = params["timestamp"]
                    body = json.loads(req.get("postData") or "{}")
                    self.outputs[rid] = str(body.get("output", ""))[:60]
                    new = True
            elif msg["method"] in FINISHED and rid in self.sent:
                self.done[rid] = params["timestamp"]
                new = True
        pending = set(self.sent) - set(self.done)
        self.quiet = 0 if new or pending else self.quiet + 1

    def rounds(self) -> int:
        """Round of a request = 1 + the latest round among requests finished before it was sent."""
        level: dict[str, int] = {}
        for rid in sorted(self.sent, key=self.sent.__getitem__):
            before = [level[q] for q in level if self.done.get(q, float("inf")) <= self.sent[rid]]
            level[rid] = 1 + max(before, default=0)
        return max(level.values(), default=0)


def interaction(
    driver: WebDriver, wait: Wait, act: Callable[[], None], shown: Callable[[WebDriver], object]
) -> Posts:
    """Run `act`, wait until `shown` holds and the network has been idle for 5 polls (0.5 s)."""
    driver.get_log("performance")  # drop what came before
    posts = Posts()
    act()

    def finished(d: WebDriver) -> bool:
        posts.read(d)
        return bool(shown(d)) and posts.quiet >= 5

    wait(finished)
    return posts


def open_app(driver: WebDriver, wait: Wait, url: str) -> None:
    driver.get(url)
    wait(lambda d: d.execute_script(READY_JS))


def pick(driver: WebDriver, dropdown_id: str, value: str) -> None:
    driver.find_element(By.ID, dropdown_id).click()
    option = driver.find_element(By.CSS_SELECTOR, f".dash-dropdown-content input[value='{value}']")
    option.find_element(By.XPATH, "./ancestor::label").click()
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()


def click_place(driver: WebDriver, name: str) -> None:
    label = driver.execute_script(
        "return Array.from(document.querySelectorAll('#district-map g.geo text'))"
        ".find(t => t.textContent.startsWith(arguments[0]));",
        name,
    )
    ActionChains(driver).move_to_element(label).pause(0.3).click().perform()


def caption(driver: WebDriver) -> str:
    return str(driver.find_element(By.ID, "filters-caption").text)


def title(driver: WebDriver) -> str:
    return str(driver.find_element(By.ID, "place-panel-title").text)


def map_view(rec: Any) -> list[str]:
    """The map view's own requests: the task table asks for its page and the other tabs
    (计划对比, 进度) for their numbers with requests of their own."""
    others = ("task-table", "progress", "compare")
    return [o for o in rec.outputs.values() if not any(w in o for w in others)]


def test_one_request_per_interaction(browser: WebDriver, wait: Wait, app_url: str) -> None:
    load = interaction(browser, wait, lambda: open_app(browser, wait, app_url + "/"), caption)
    assert len(map_view(load)) == 1, load.outputs  # was 3 (sync_state, update_view, update_panel)

    change = interaction(
        browser,
        wait,
        lambda: pick(browser, "filter-plans", "wr2023"),
        lambda d: "2023年政府工作报告" in caption(d) and "plan=wr2023" in d.current_url,
    )
    assert len(map_view(change)) == 1, change.outputs  # was 3 POSTs

    click = interaction(
        browser,
        wait,
        lambda: click_place(browser, "江夏区"),
        lambda d: title(d).startswith("江夏区") and "place=" in d.current_url,
    )
    assert len(map_view(click)) == 1, click.outputs  # was 4 in 2 rounds

    with_place = interaction(
        browser,
        wait,
        lambda: pick(browser, "filter-plans", "wr2024"),
        lambda d: "2024年政府工作报告" in caption(d) and "wr2024" in d.current_url,
    )
    assert len(map_view(with_place)) == 1, with_place.outputs

    again = interaction(
        browser,
        wait,
        lambda: click_place(browser, "江夏区"),
        lambda d: title(d) == "请选择地点" and "place=" not in d.current_url,
    )
    assert len(map_view(again)) == 1, again.outputs
