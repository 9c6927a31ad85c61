"""What a comparison says: the four relations and the columns of `task-atlas compare`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Relation(StrEnum):
    """How a task of the `to` plan relates to a task of the `from` plan."""

    CONTINUED = "延续"  # same line of work, same wording or only figures updated
    ADJUSTED = "调整"  # same line of work, scope or target changed
    NEW = "新增"  # a `to` task with no predecessor
    DROPPED = "取消"  # a `from` task with no successor


#: Columns of the comparison table (CSV written by `task-atlas compare`).
COMPARE_COLUMNS = ("from_task_id", "to_task_id", "relation", "score", "evidence")

#: A task continues at most this many predecessors (merge) and has at most this many successors.
MAX_LINKS = 2
#: ... unless the other plan is broader: one 十四五 task is carried out by many yearly tasks.
WIDE_LINKS = 12
#: Threshold between plans of different breadth (chosen on unlabelled tasks, see README).
WIDE_THRESHOLD = 0.20

#: How broad a plan kind's tasks are (plans.csv `kind`); a broader task may have WIDE_LINKS links.
KIND_SCOPE = {
    "年度政府工作报告任务分解": 1,
    "五年规划纲要任务分工": 2,
    "五年规划建议": 3,
}


@dataclass(frozen=True)
class MatchSettings:
    """Weights and thresholds of the matcher; defaults chosen on unlabelled tasks (see README)."""

    max_successors: int = MAX_LINKS  # links per `from` task
    max_predecessors: int = MAX_LINKS  # links per `to` task
    top_k: int = 6  # text neighbours kept per task, each direction
    weight_text: float = 0.45  # character n-gram TF-IDF cosine (or containment)
    weight_entity: float = 0.35  # shared named entities (projects, platforms, figures)
    weight_fuzz: float = 0.20  # rapidfuzz ratio / partial ratio
    bonus_same_sector: float = 0.06  # both tasks in the same sector (tasks.csv `sector`)
    threshold: float = 0.28  # a pair below this is not the same line of work
    extra_threshold: float = 0.32  # a second predecessor or successor needs a bit more
    floor: float = 0.10  # a clear mutual best may stand below the threshold, never below this
    margin: float = 1.5  # ... when it beats the runner-up of its task by this factor
    continued_ratio: float = 90.0  # wording ratio (figures masked) at or above which it is 延续


def settings_for(from_kind: str, to_kind: str) -> MatchSettings:
    """Default settings, with more links allowed on the side whose plan kind is broader."""
    a, b = KIND_SCOPE.get(from_kind, 1), KIND_SCOPE.get(to_kind, 1)
    if a == b:
        return MatchSettings()
    # a yearly task against a long 十四五 paragraph scores lower for the same line of work
    return MatchSettings(
        max_successors=WIDE_LINKS if a > b else MAX_LINKS,
        max_predecessors=WIDE_LINKS if b > a else MAX_LINKS,
        threshold=WIDE_THRESHOLD,
        extra_threshold=WIDE_THRESHOLD + 0.02,
    )
