"""Targets stated twice (重点工作 and 民生实事) are linked both ways and counted once."""

from __future__ import annotations

from functools import cache

import pandas as pd

from assignments.corpus import build_tables
from assignments.targets import (
    TargetTask,
    count_targets,
    link_targets,
    links_from_column,
    same_target,
    target_of,
)


@cache
def _tasks() -> pd.DataFrame:
    return build_tables().tasks.set_index("task_id")


def test_same_target_needs_the_quantity_and_the_words_around_it() -> None:
    assert same_target("打造5个示范点,完成260个老旧小区改造。", "完成老旧小区改造260个。")
    assert not same_target("新建农村老年人互助中心(服务点)30个。", "新开业老年人供餐点30个。")
    assert not same_target("完成260个老旧小区改造。", "完成老旧小区改造200个。")


def test_the_260_old_estates_are_linked_both_ways_in_tasks_csv() -> None:
    tasks = _tasks()
    assert tasks.loc["wr2023-2.5.83", "same_target"] == "wr2023-4.7.21"
    assert tasks.loc["wr2023-4.7.21", "same_target"] == "wr2023-2.5.83"


def test_links_are_symmetric_within_one_plan_and_between_the_two_parts() -> None:
    tasks = _tasks()
    links = links_from_column(tasks.index, tasks["same_target"], "|")
    assert len(links) >= 60
    for task_id, others in links.items():
        for other in others:
            assert task_id in links[other]
            assert tasks.loc[other, "plan_id"] == tasks.loc[task_id, "plan_id"]
            parts = {str(tasks.loc[other, "part"]), str(tasks.loc[task_id, "part"])}
            assert any("民生实事" in p for p in parts) and any("重点工作" in p for p in parts)


def test_totals_count_a_linked_target_once() -> None:
    links = {"a": ("b",), "b": ("a", "c"), "c": ("b",)}
    assert target_of(links) == {"a": "a", "b": "a", "c": "a"}
    assert count_targets(["a", "b", "c", "d"], links) == 2
    assert count_targets(["b"], links) == 1
    assert count_targets([], links) == 0


def test_corpus_totals_with_and_without_the_links() -> None:
    tasks = _tasks()
    links = links_from_column(tasks.index, tasks["same_target"], "|")
    rep = target_of(links)
    for plan_id, n_tasks in (("wr2023", 322), ("wr2024", 302)):
        ids = tasks.index[tasks["plan_id"] == plan_id]
        linked = [t for t in ids if t in links]
        groups = {rep[t] for t in linked}
        assert len(ids) == n_tasks and len(groups) < len(linked)
        assert count_targets(ids, links) == n_tasks - len(linked) + len(groups)


def test_link_targets_compares_only_one_plans_two_parts() -> None:
    tasks = [
        TargetTask("p-2.1.1", "p", "二、重点工作", "完成老旧小区改造260个。"),
        TargetTask("p-4.1.1", "p", "四、民生实事", "完成260个老旧小区改造。"),
        TargetTask("q-4.1.1", "q", "四、民生实事", "完成260个老旧小区改造。"),
        TargetTask("p-2.1.2", "p", "二、重点工作", "完成260个老旧小区改造。"),
    ]
    assert link_targets(tasks) == {
        "p-2.1.1": ("p-4.1.1",),
        "p-4.1.1": ("p-2.1.1", "p-2.1.2"),
        "p-2.1.2": ("p-4.1.1",),
    }
