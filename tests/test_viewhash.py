"""The 对比 and 进度 views' hash rules (dashboard/viewhash.py). The cases here are also run
through the browser's copy of them (assets/viewhash.js) in Chromium, which must answer alike
(tests/browser/test_viewhash_browser.py)."""

from __future__ import annotations

from typing import Any

from dashboard.viewhash import (
    compare_sync,
    owns,
    parse_compare,
    parse_progress,
    progress_sync,
    quarter_text,
)

CONFIG = {
    "plans": ["fyp14", "wr2023", "wr2024"],
    "places": ["江夏区", "洪山区", "东湖高新区"],
    "default": {"from_plan": "wr2023", "to_plan": "wr2024"},
}
STATUSES = {"statuses": ["已完成", "滞后", "未报送"]}
QUARTERS = ["2024Q1", "2024Q2"]
START = {"from_plan": "wr2023", "to_plan": "wr2024", "place": None, "task": None}
CLICK = {"points": [{"customdata": ["江夏区", "江夏"]}]}
LONG = "长" * 80
COMPARE_CASES: list[list[Any]] = [
    [None, None, "", ["wr2023", "wr2024"], {}],
    [None, None, "#compare", ["wr2023", "wr2024"], {}],
    ["hash", None, "#compare", ["wr2023", "wr2024"], START],
    [
        "hash",
        None,
        "#compare?from=fyp14&to=wr2024&place=%E6%B4%AA%E5%B1%B1%E5%8C%BA",
        ["wr2023", "wr2024"],
        START,
    ],
    ["hash", None, "#compare?from=nope&to=wr2024&place=火星&task=x", ["wr2023", "wr2024"], {}],
    ["hash", None, f"#compare?from={LONG}&task={LONG}", ["wr2023", "wr2024"], START],
    ["hash", None, "#compare?from=&to=fyp14&to=wr2023&place=", ["wr2023", "wr2024"], START],
    ["hash", None, "#comparex?from=fyp14", ["wr2023", "wr2024"], START],
    ["hash", None, "#progress?quarter=2024Q2", ["wr2023", "wr2024"], START],
    ["from", None, "#compare", ["fyp14", "wr2024"], START],
    ["from", None, "#compare", ["wr2024", "wr2024"], START],
    ["to", None, "#compare?from=wr2023&to=wr2024", ["wr2023", "wr2024"], START],
    ["map", CLICK, "#compare", ["wr2023", "wr2024"], START],
    ["map", CLICK, "#compare", ["wr2023", "wr2024"], {**START, "place": "江夏区"}],
    ["map", {"points": []}, "#compare", ["wr2023", "wr2024"], {**START, "place": "江夏区"}],
    ["map", "junk", "#compare", ["wr2023", "wr2024"], START],
    ["clear", 1, "#compare?from=wr2023&to=wr2024", ["wr2023", "wr2024"], START],
    ["task", ["wr2024-2.1.1", 1], "#compare", ["wr2023", "wr2024"], {**START, "place": "江夏区"}],
    ["task", ["wr2024-2.1.1", None], "#compare", ["wr2023", "wr2024"], START],
    ["bogus", None, "#compare", ["wr2023", "wr2024"], START],
    # a task id with characters Python and the browser's URLSearchParams encode differently
    ["task", ["a~b*c (d)'!", 1], "#compare", ["wr2023", "wr2024"], START],
    ["hash", None, "#compare?task=a%7Eb*c+(d)'!&place=+", ["wr2023", "wr2024"], START],
]
PROGRESS_CASES: list[list[Any]] = [
    [None, "", None, [], None],
    [None, "", None, [], QUARTERS],
    ["quarters", "#progress", None, [], QUARTERS],
    ["hash", "#progress", "2024Q2", [], QUARTERS],
    ["hash", "#progress?quarter=2024Q1&status=滞后&status=bogus", "2024Q2", [], QUARTERS],
    ["hash", "#progress?quarter=2024年第一季度", None, [], QUARTERS],
    ["hash", "#progress?quarter=2030Q1", "2024Q1", ["滞后"], QUARTERS],
    ["hash", f"#progress?quarter={LONG}", None, [], QUARTERS],
    ["hash", "#progress?quarter=2024Q1", None, [], []],
    ["hash", "#progressx?quarter=2024Q1", None, [], QUARTERS],
    ["hash", "#compare?from=wr2023", "2024Q2", [], QUARTERS],
    ["quarter", "#progress", "2024Q1", [], QUARTERS],
    ["status", "#progress?quarter=2024Q1", "2024Q1", ["滞后", "已完成"], QUARTERS],
    ["status", "#progress?quarter=2024Q1", "2024Q1", [], QUARTERS],
    ["quarter", "", None, [], QUARTERS],  # a control mounting while another tab is open
]


def python_answers() -> dict[str, list[Any]]:
    return {
        "compare": [compare_sync(CONFIG, t, v, f, p, c) for t, v, f, p, c in COMPARE_CASES],
        "progress": [progress_sync(STATUSES, t, f, q, s, qs) for t, f, q, s, qs in PROGRESS_CASES],
    }


def test_a_hash_restores_the_compare_state_and_names_what_it_ignored() -> None:
    state, notices = parse_compare("#compare?from=fyp14&to=wr2024&place=洪山区&task=t-1", CONFIG)
    assert state == {"from_plan": "fyp14", "to_plan": "wr2024", "place": "洪山区", "task": "t-1"}
    assert notices == []
    state, notices = parse_compare("#compare?from=nope&place=火星", CONFIG)
    assert state == START
    assert notices == ["未知对比起点计划“nope”，已使用默认值", "未知地点“火星”，已忽略"]
    _, notices = parse_compare(f"#compare?to={LONG}", CONFIG)
    assert notices == [f"未知对比终点计划“{'长' * 20}”，已使用默认值"]  # quoted, bounded


def test_a_hash_restores_the_progress_state_and_names_what_it_ignored() -> None:
    assert parse_progress("#progress?quarter=2024年第一季度", QUARTERS, []) == ("2024Q1", [], [])
    assert parse_progress("#progress?status=滞后&status=x", QUARTERS, ["滞后"]) == (
        "2024Q2",
        ["滞后"],
        ["未知状态已忽略"],
    )
    assert parse_progress("#progress?quarter=2030Q1", QUARTERS, [])[2] == [
        "2030Q1 没有报送数据，已使用最新季度"
    ]
    assert parse_progress("#progress?quarter=<b>", [], [])[::2] == (
        None,
        ["无效的季度“<b>”，已使用最新季度"],
    )
    assert quarter_text(" 2024 q3 ") == "2024Q3" and quarter_text("1900Q1") is None
    assert owns("#progress", "#progress?x=1") and not owns("#progress", "#progressx")


def test_opening_a_view_with_nothing_changed_asks_for_nothing() -> None:
    """Back on a tab whose hash and controls agree: no state change, so no request."""
    same = compare_sync(CONFIG, "hash", None, "#compare", ["wr2023", "wr2024"], START)
    assert same == {"notice": ""}
    again = progress_sync(STATUSES, "hash", "#progress?quarter=2024Q1", "2024Q1", [], QUARTERS)
    assert again == {"notice": ""}
