"""汇报模式 stepping: ← → go through the 18 places in order and wrap."""

from __future__ import annotations

from dashboard.briefing import step_place

ORDER = ["江岸区", "江汉区", "东湖高新区"]


def test_step_forward_and_back_wrapping() -> None:
    assert step_place(ORDER, None, 1) == "江岸区"
    assert step_place(ORDER, None, -1) == "东湖高新区"
    assert step_place(ORDER, "江岸区", 1) == "江汉区"
    assert step_place(ORDER, "东湖高新区", 1) == "江岸区"
    assert step_place(ORDER, "江岸区", -1) == "东湖高新区"
    assert step_place(ORDER, "朝阳区", 1) == "江岸区"
