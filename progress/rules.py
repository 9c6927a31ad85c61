"""Statuses, lights and the 序时进度 rule, read from the reviewable tables in progress/data/.

The rule is a first-match list (light_rules.csv): each row names a condition from the fixed
vocabulary below, the status and light it gives, and why. Thresholds live in
rule_params.csv. `describe_rules` says the same thing in words for the interface.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from progress.quarters import Quarter, elapsed_share

DATA_DIR = Path(__file__).resolve().parent / "data"
NOT_STARTED = "未启动"
ON_TRACK = "序时推进"
BEHIND = "滞后"
DONE = "已完成"
DONE_EARLY = "提前完成"
PAUSED = "暂缓"
NOT_REPORTED = "未报送"


@dataclass(frozen=True)
class Facts:
    """What the rule looks at for one task in one quarter."""

    reported: bool
    status: str  # as the unit reported it
    percent: float
    expected: float  # 序时进度, 0..100
    as_of: date
    deadline: date
    previous_light: str  # "" when there was no earlier quarter


@dataclass(frozen=True)
class Rule:
    order: int
    condition: str
    status: str
    light: str
    rule: str
    reason: str


@dataclass(frozen=True)
class RuleBook:
    """The tables, loaded and checked."""

    statuses: pd.DataFrame
    lights: pd.DataFrame
    rules: tuple[Rule, ...]
    params: dict[str, float]

    @property
    def reportable(self) -> list[str]:
        """Statuses a unit may choose in its return (the dropdown)."""
        return list(self.statuses.loc[self.statuses["reportable"] == "yes", "status"])

    @property
    def done_statuses(self) -> list[str]:
        return list(self.statuses.loc[self.statuses["done"] == "yes", "status"])

    def light_label(self, light: str) -> str:
        labels = dict(zip(self.lights["light"], self.lights["label"], strict=True))
        return labels.get(light, light)

    def light_colour(self, light: str) -> str:
        colours = dict(zip(self.lights["light"], self.lights["colour"], strict=True))
        return colours.get(light, "#9e9e9e")


#: A frame of facts: columns reported (bool), status (str), percent, expected (floats),
#: as_of, deadline (datetime64) and previous_light (str); one row per task or (task, unit).
FactFrame = pd.DataFrame
Condition = Callable[[FactFrame, dict[str, float]], "pd.Series[bool]"]


def _done(f: FactFrame, p: dict[str, float]) -> pd.Series:
    return (f["status"] == DONE) | (f["percent"] >= 100)


def _not_started(f: FactFrame) -> pd.Series:
    return (f["status"] == NOT_STARTED) | (f["percent"] <= 0)


#: The vocabulary light_rules.csv may use; each is evaluated on a whole frame at once.
CONDITIONS: dict[str, Condition] = {
    "no_return": lambda f, p: ~f["reported"],
    "paused": lambda f, p: f["status"] == PAUSED,
    "done_early": lambda f, p: _done(f, p) & (f["deadline"] > f["as_of"]),
    "done": _done,
    "overdue": lambda f, p: f["as_of"] >= f["deadline"],
    "not_started_late": lambda f, p: (
        _not_started(f) & (f["expected"] >= p["not_started_red_expected"])
    ),
    "not_started": lambda f, p: _not_started(f),
    "far_behind": lambda f, p: f["expected"] - f["percent"] > p["red_gap_points"],
    "behind": lambda f, p: f["expected"] - f["percent"] > p["tolerance_points"],
    "caught_up": lambda f, p: f["previous_light"] == "red",
    "ahead": lambda f, p: f["percent"] - f["expected"] >= p["ahead_points"],
    "on_track": lambda f, p: pd.Series(True, index=f.index),
}


def _read(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    path = DATA_DIR / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame


@functools.cache
def load_rules() -> RuleBook:
    """The four tables; ValueError naming the file and row if a rule names an unknown value."""
    statuses = _read("statuses.csv", ("status", "reportable", "done", "order", "meaning"))
    lights = _read("lights.csv", ("light", "label", "colour", "meaning"))
    raw = _read("light_rules.csv", ("order", "condition", "status", "light", "rule", "reason"))
    params_frame = _read("rule_params.csv", ("name", "value", "meaning"))
    params = {
        str(n): float(v) for n, v in zip(params_frame["name"], params_frame["value"], strict=True)
    }
    rules = []
    for i, row in enumerate(raw.to_dict("records"), start=2):
        where = f"{DATA_DIR / 'light_rules.csv'}: line {i}"
        rule = Rule(
            int(row["order"]), *(str(row[c]) for c in Rule.__dataclass_fields__ if c != "order")
        )
        if rule.condition not in CONDITIONS:
            raise ValueError(f"{where}: unknown condition {rule.condition!r}")
        if rule.status and rule.status not in set(statuses["status"]):
            raise ValueError(f"{where}: unknown status {rule.status!r}")
        if rule.light not in set(lights["light"]):
            raise ValueError(f"{where}: unknown light {rule.light!r}")
        rules.append(rule)
    rules.sort(key=lambda r: r.order)
    if not rules or rules[-1].condition != "on_track":
        raise ValueError(f"{DATA_DIR / 'light_rules.csv'}: the last rule must be on_track")
    return RuleBook(statuses, lights, tuple(rules), params)


def expected_percent(quarter: Quarter, deadline: date) -> float:
    """序时进度 at the quarter's end: the elapsed share of this year's stretch of the task.

    The stretch runs from 1 January of the quarter's year to the deadline, or to 31 December
    when the deadline is in a later year (the percentage is then 完成全年目标进度).
    """
    start = date(quarter.year, 1, 1)
    if deadline < start:
        return 100.0
    end = min(deadline, date(quarter.year, 12, 31))
    return round(100 * elapsed_share(start, end, quarter.end), 1)


def assess_frame(facts: FactFrame, book: RuleBook) -> list[Rule]:
    """The first rule whose condition holds, for every row at once."""
    masks = [CONDITIONS[r.condition](facts, book.params).to_numpy(dtype=bool) for r in book.rules]
    first = np.select(masks, np.arange(len(book.rules)), default=len(book.rules) - 1)
    return [book.rules[i] for i in first]


def assess(facts: Facts, book: RuleBook) -> Rule:
    """The first rule whose condition holds for one task."""
    frame = pd.DataFrame([asdict(facts)])
    for col in ("as_of", "deadline"):
        frame[col] = pd.to_datetime(frame[col])
    return assess_frame(frame, book)[0]


def describe_rules(book: RuleBook) -> list[str]:
    """The light rule in words, one sentence per rule, thresholds filled in."""
    p = {k: f"{v:g}" for k, v in book.params.items()}
    lines = [
        "序时进度:本年 1 月 1 日至完成时限(完成时限在以后年度的,至本年 12 月 31 日)"
        "已过去的时间比例;跨年度任务的完成进度按完成全年目标进度填报。"
    ]
    for rule in book.rules:
        text = rule.rule
        for name, value in p.items():
            text = text.replace(name, value)
        outcome = book.light_label(rule.light) + (f"、{rule.status}" if rule.status else "、未报送")
        lines.append(f"{rule.order}. {text} → {outcome}。")
    lines.append("按顺序判断,先符合的规则生效。")
    return lines
