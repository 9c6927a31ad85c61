"""Where two copies of a plan differ, the reviewable decision table picks the wording."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assignments.corpus import build_tables
from assignments.decisions import copy_decisions, decide
from assignments.model import Task


def _task(task_id: str, text: str) -> Task:
    return Task(task_id, "wr2023", "", "", "", "70", text, (), "a.txt", 1)


def test_item_70_of_2023_reads_zuoda_xinchengqu_with_the_reason() -> None:
    tables = build_tables()
    text = tables.tasks.set_index("task_id").loc["wr2023-2.4.70", "text"]
    assert str(text).startswith("做大新城区,支持蔡甸")  # the PDF extract read 做大新城
    decided = [d for d in tables.report["wr2023"]["differences"] if d.startswith("decided:")]
    assert decided and "做优主城区" in decided[0] and "做强功能区" in decided[0]


def test_every_decision_has_a_reason_and_a_side() -> None:
    for decision in copy_decisions().values():
        assert decision.keep in ("primary", "copy") and len(decision.reason) > 40


def test_a_stale_decision_is_an_error_not_a_silent_rewrite() -> None:
    primary = _task("wr2023-2.4.70", "完全不同的文字。")
    with pytest.raises(ValueError, match="no longer read"):
        decide(primary, replace(primary, text="做大新城区,别的。"))


def test_undecided_tasks_keep_the_primary_text() -> None:
    primary = _task("wr2023-2.4.71", "甲。")
    assert decide(primary, replace(primary, text="乙。")) == (primary, "")
