"""The browser's copy of the 对比 and 进度 hash rules (assets/viewhash.js) answers as the
Python ones (dashboard/viewhash.py) on the same cases (tests/test_viewhash.py), in Chromium.

The rules are loaded into a blank page with the URL helpers they use (assets/urlsync.js): no
app, no server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.test_viewhash import COMPARE_CASES, CONFIG, PROGRESS_CASES, STATUSES, python_answers

pytestmark = pytest.mark.browser
ASSETS = Path(__file__).resolve().parents[2] / "assets"


def browser_answers(browser: WebDriver) -> dict[str, list[Any]]:
    browser.get("about:blank")
    for name in ("urlsync.js", "viewhash.js"):
        browser.execute_script((ASSETS / name).read_text("utf-8"))
    answers: dict[str, list[Any]] = browser.execute_script(
        "const r = window.dash_clientside.atlas_views.rules, c = arguments[0];"
        "return {"
        " compare: c.compare.map(([t, v, f, p, s]) => r.compareSync(c.config, t, v, f, p, s)),"
        " progress: c.progress.map(([t, f, q, s, qs]) => r.progressSync(c.statuses, t, f, q, s, qs)),"
        "};",
        {
            "config": CONFIG,
            "statuses": STATUSES,
            "compare": COMPARE_CASES,
            "progress": PROGRESS_CASES,
        },
    )
    return answers


def test_the_browser_and_python_answer_alike(browser: WebDriver) -> None:
    expected = json.loads(json.dumps(python_answers()))  # tuples as lists, as in the browser
    got = browser_answers(browser)
    for view, cases in (("compare", COMPARE_CASES), ("progress", PROGRESS_CASES)):
        for case, want, have in zip(cases, expected[view], got[view], strict=True):
            assert have == want, (view, case)
