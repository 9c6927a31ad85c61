"""What a comparison says: the four relations and the columns of `task-atlas compare`."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    """Weights and thresholds of the matcher.

    The defaults are the matcher as first built (issue 12), chosen on unlabelled tasks: every
    feature added since is off here, so MatchSettings() is the BASELINE that the benchmark prints
    beside the current settings. settings_for() picks the current settings per pair of plan kinds
    (PROFILES, with the reason for each value).
    """

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
    weight_anchor: float = 0.0  # rare shared runs of characters (candidates.anchor_vectors)
    top_k_anchor: int = 0  # anchor neighbours kept per task, each direction (0: none)
    anchor_size: int = 3  # characters in an anchor run
    anchor_max_df: int = 4  # a run found in more tasks than this anchors nothing
    weight_sector_term: float = 0.0  # rare shared 2-character terms, same-sector pairs only
    term_max_df: int = 20  # a 2-character term in more tasks than this is no lead
    top_k_sector: int = 0  # text neighbours kept within the task's own sector (0: none)
    narrow_margin: float = 0.0  # plans of different breadth: the narrow task's clear best (0: off)
    narrow_floor: float = 0.0  # ... never below this score
    many_to_many: bool = False  # a linked task may still join another linked task


#: The matcher as first built (main before the recall work): kept to print beside the current one.
BASELINE = MatchSettings()

#: Rare shared runs of 3 characters (in at most 4 tasks of the two plans): 会展中心, 中欧班列,
#: 老旧小区 — the one concrete thing two tasks share, which cosine drowns in a long paragraph.
_ANCHORS = {"weight_anchor": 0.15, "top_k_anchor": 6, "anchor_size": 3, "anchor_max_df": 4}

#: Settings per pair of plan kinds, measured on the TUNING sample only
#: (tests/data/comparison_labels.csv; the held-out sample was never used to choose them).
#: key: "same" (two plans of one kind), "annual" (a yearly plan against a broader one),
#: "wide" (two broader plans of different kinds, e.g. 十四五 division → 十五五 proposal).
PROFILES: dict[str, dict[str, float | int | bool]] = {
    # wr2023 → wr2024: anchors raise recall 0.54 → 0.67 and precision 0.72 → 0.77
    "same": {**_ANCHORS},
    # fyp14 → fyp15: anchors (recall 0.61 → 0.91) let the threshold go back up to 0.28 from 0.20,
    # which keeps precision (0.55 → 0.61)
    "wide": {**_ANCHORS, "threshold": 0.28, "extra_threshold": 0.30},
    # fyp14 → wr2024: a yearly task names one concrete step (新能源汽车产量, 供气一张网) of a
    # 十四五 line written in other words; what they share is the sector and one or two terms.
    "annual": {
        **_ANCHORS,
        # 4-character runs: 3-character ones (新能源, 产业园) tie a yearly task to the wrong one of
        # the long 十四五 paragraphs (tuning precision 0.77 with 3, 0.85 with 4)
        "anchor_size": 4,
        # 汽车, 养老, 绿道: a 2-character term two tasks of one sector share (22 of 26 labelled
        # pairs share their sector; a random pair does 1 time in 12), in at most 20 tasks
        "weight_sector_term": 0.10,
        "term_max_df": 20,
        # neighbours within the sector: 汽车制造和服务 is no neighbour of 新能源汽车产量 over
        # the whole plan, it is within 先进制造
        "top_k_sector": 3,
        # the yearly task's clear best 十四五 line counts below the threshold (mutual best cannot
        # hold: the 十四五 line is carried out by many yearly tasks)
        "narrow_margin": 1.15,
        "narrow_floor": 0.16,
        # Weights and thresholds: first chosen on the tuning sample (term weight 0.20, sector
        # bonus 0.10, threshold 0.28), which linked too freely on the held-out samples (precision
        # 0.68 and 0.60). Re-chosen on tuning + held-out + held-out 2 together (92 wanted pairs):
        # the highest recall whose precision stays at least 0.80 (main's matcher: 0.83); measured
        # on held-out 3, labelled before this choice.
        "threshold": 0.32,
        "extra_threshold": 0.34,
    },
}


def profile_for(from_kind: str, to_kind: str) -> str:
    """Which PROFILES entry a pair of plan kinds uses."""
    a, b = KIND_SCOPE.get(from_kind, 1), KIND_SCOPE.get(to_kind, 1)
    if a == b:
        return "same"
    return "annual" if min(a, b) == KIND_SCOPE["年度政府工作报告任务分解"] else "wide"


def baseline_settings_for(from_kind: str, to_kind: str) -> MatchSettings:
    """The settings main's matcher used for this pair of plan kinds (printed as the baseline)."""
    a, b = KIND_SCOPE.get(from_kind, 1), KIND_SCOPE.get(to_kind, 1)
    if a == b:
        return BASELINE
    # a yearly task against a long 十四五 paragraph scores lower for the same line of work
    return replace(
        BASELINE,
        max_successors=WIDE_LINKS if a > b else MAX_LINKS,
        max_predecessors=WIDE_LINKS if b > a else MAX_LINKS,
        threshold=WIDE_THRESHOLD,
        extra_threshold=WIDE_THRESHOLD + 0.02,
    )


def settings_for(from_kind: str, to_kind: str) -> MatchSettings:
    """Current settings: more links on the broader side, then the pair's PROFILES entry."""
    base = baseline_settings_for(from_kind, to_kind)
    return replace(base, **PROFILES[profile_for(from_kind, to_kind)])  # type: ignore[arg-type]
