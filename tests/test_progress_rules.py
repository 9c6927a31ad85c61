"""Quarters, deadlines and the 序时进度 light rule, on tiny inline cases."""

from __future__ import annotations

from datetime import date

import pytest

from progress.deadlines import stated_deadline
from progress.quarters import Quarter, parse_quarter, parse_quarter_range
from progress.rules import Facts, assess, describe_rules, expected_percent, load_rules

BOOK = load_rules()


def test_quarters_parse_order_and_dates() -> None:
    q = parse_quarter("2024Q2")
    assert (q, parse_quarter("2024年第二季度"), parse_quarter(" 2024q2 ")) == (q, q, q)
    assert (q.start, q.end, q.label) == (date(2024, 4, 1), date(2024, 6, 30), "2024年第二季度")
    assert (str(Quarter(2024, 1).previous()), str(Quarter(2024, 4).next())) == ("2023Q4", "2025Q1")
    assert [str(x) for x in parse_quarter_range("2023Q4..2024Q2")] == ["2023Q4", "2024Q1", "2024Q2"]
    for bad in ("2024Q5", "2024", "Q2", "2024Q2..2023Q1"):
        with pytest.raises(ValueError):
            parse_quarter_range(bad)


@pytest.mark.parametrize(
    ("text", "year", "due"),
    [
        ("2024年6月底前完成改造", 2024, date(2024, 6, 30)),
        ("年底前建成投用", 2024, date(2024, 12, 31)),
        ("9月底前启动,年底前完成", 2024, date(2024, 12, 31)),  # the latest date wins
        ("2025年底前全面建成", 2023, date(2025, 12, 31)),
        ("6月前完成招标", 2024, date(2024, 6, 30)),
        ("上半年完成立项", 2024, date(2024, 6, 30)),
        ("2025年前基本实现", 2022, date(2025, 12, 31)),
        ("推进产城融合", 2024, None),
        ("建设13个项目,新增3万个", 2024, None),  # numbers are not dates
    ],
)
def test_stated_deadlines(text: str, year: int, due: date | None) -> None:
    assert stated_deadline(text, year) == due


def _facts(
    percent: float,
    quarter: str = "2024Q2",
    *,
    status: str = "序时推进",
    deadline: date = date(2024, 12, 31),
    previous: str = "",
    reported: bool = True,
) -> Facts:
    q = parse_quarter(quarter)
    return Facts(
        reported, status, percent, expected_percent(q, deadline), q.end, deadline, previous
    )


@pytest.mark.parametrize(
    ("facts", "status", "light"),
    [
        (_facts(0, reported=False, status=""), "", "grey"),
        (_facts(40, status="暂缓"), "暂缓", "grey"),
        (_facts(100, status="已完成"), "提前完成", "green"),
        (_facts(100, "2024Q4", status="已完成"), "已完成", "green"),
        (_facts(90, "2024Q4"), "滞后", "red"),  # past the deadline, not done: overdue
        (_facts(50, "2024Q3", deadline=date(2024, 6, 30)), "滞后", "red"),
        (_facts(0, status="未启动"), "未启动", "red"),  # Q2: half the year gone
        (_facts(0, "2024Q1", status="未启动"), "未启动", "yellow"),
        (_facts(25), "滞后", "red"),  # 49.7 expected: 24.7 points behind > 20
        (_facts(40), "滞后", "yellow"),  # 9.7 behind: more than 5, at most 20
        (_facts(46), "序时推进", "green"),  # within the 5-point tolerance
        (_facts(50, previous="red"), "序时推进", "yellow"),  # 红转黄: caught up after red
        (_facts(60), "超序时", "green"),
    ],
)
def test_light_rule(facts: Facts, status: str, light: str) -> None:
    rule = assess(facts, BOOK)
    assert (rule.status, rule.light) == (status, light)


def test_expected_progress_is_the_elapsed_share_of_this_years_stretch() -> None:
    q2 = parse_quarter("2024Q2")
    assert expected_percent(q2, date(2024, 12, 31)) == 49.7  # 182 of 366 days
    assert expected_percent(q2, date(2025, 12, 31)) == 49.7  # multi-year: 完成全年目标进度
    assert expected_percent(q2, date(2024, 6, 30)) == 100.0
    assert expected_percent(q2, date(2023, 12, 31)) == 100.0
    assert expected_percent(parse_quarter("2024Q1"), date(2024, 6, 30)) == 50.0  # 91 of 182 days


def test_rules_in_words_name_the_thresholds() -> None:
    words = "\n".join(describe_rules(BOOK))
    assert "低于序时进度超过 20 个百分点 → 红灯、滞后" in words
    assert "上季度为红灯 → 黄灯、序时推进" in words
    assert "tolerance_points" not in words


def test_reportable_statuses_and_reasons() -> None:
    assert BOOK.reportable == ["未启动", "序时推进", "超序时", "滞后", "已完成", "暂缓"]
    assert BOOK.statuses["reason"].str.len().min() > 5
    assert all(len(r.reason) > 1 for r in BOOK.rules)
