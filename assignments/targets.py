"""Targets a plan states twice (重点工作 and again in 民生实事): link the copies, count them once.

A work report repeats many of its 民生实事 in the 重点工作 (`完成260个老旧小区改造` and `完成老旧
小区改造260个`). Two tasks of one plan state the same target when they share a quantity
(`260个`) and the words around it (`老旧小区`, `改造`): the quantity alone is not enough (`30个`
供餐点 is not `30个` 互助中心). The link is a relation both copies carry (`same_target` in
tasks.csv); `count_targets` lets every total count a linked target once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: A quantity with its unit: 260个, 5.8万套, 20万平方米, 100公里.
QUANTITY = re.compile(
    r"\d+(?:\.\d+)?(?:万|亿)?(?:平方米|立方米|公里|千米|人次|个|座|户|套|所|家|处|人|间|辆|条|"
    r"张|场|台|亩|吨|名|项|批|类|支)"
)
_NOISE = re.compile(r"[\s\d.,。、;:()“”《》\-—]+")
#: Characters read on each side of a shared quantity, and bigrams they must share.
WINDOW = 8
MIN_SHARED_BIGRAMS = 2
#: Parts whose items restate targets of the 重点工作 (the list of 民生实事).
REPEAT_PART = "民生实事"
KEY_PART = "重点工作"


@dataclass(frozen=True)
class TargetTask:
    """What linking needs of a task."""

    task_id: str
    plan_id: str
    part: str
    text: str


def _bigrams(text: str) -> set[str]:
    clean = _NOISE.sub("", text)
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def _context(text: str, quantity: str) -> set[str]:
    at = text.find(quantity)
    before = text[max(0, at - WINDOW) : at]
    after = text[at + len(quantity) : at + len(quantity) + WINDOW // 2]
    return _bigrams(before) | _bigrams(after)


def same_target(a: str, b: str) -> bool:
    """Whether two texts state one target: a shared quantity with shared words around it."""
    shared = set(QUANTITY.findall(a)) & set(QUANTITY.findall(b))
    return any(len(_context(a, q) & _context(b, q)) >= MIN_SHARED_BIGRAMS for q in shared)


def link_targets(tasks: Sequence[TargetTask]) -> dict[str, tuple[str, ...]]:
    """task_id → the ids of the tasks of the same plan that state the same target (both ways);
    only a 民生实事 item and a 重点工作 item are compared."""
    links: dict[str, list[str]] = {}
    key = [t for t in tasks if KEY_PART in t.part]
    for repeat in (t for t in tasks if REPEAT_PART in t.part):
        for item in key:
            if item.plan_id == repeat.plan_id and same_target(item.text, repeat.text):
                links.setdefault(item.task_id, []).append(repeat.task_id)
                links.setdefault(repeat.task_id, []).append(item.task_id)
    return {task_id: tuple(others) for task_id, others in links.items()}


def target_of(links: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """task_id → the task that stands for its target: the smallest id of its linked group."""
    rep: dict[str, str] = {}
    for start in sorted(links):
        if start in rep:
            continue
        group, stack = set(), [start]
        while stack:
            current = stack.pop()
            if current not in group:
                group.add(current)
                stack.extend(links.get(current, ()))
        first = min(group)
        rep |= dict.fromkeys(group, first)
    return rep


def count_targets(task_ids: Iterable[str], links: Mapping[str, Iterable[str]]) -> int:
    """How many distinct targets the tasks state: a group of linked tasks counts once."""
    rep = target_of(links)
    return len({rep.get(t, t) for t in task_ids})


def links_from_column(
    task_ids: Iterable[str], cells: Iterable[str], sep: str
) -> dict[str, tuple[str, ...]]:
    """The links as read back from tasks.csv (`same_target` cells joined by `sep`)."""
    return {t: tuple(c.split(sep)) for t, c in zip(task_ids, cells, strict=True) if c}
