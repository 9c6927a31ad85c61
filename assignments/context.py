"""Framing paragraphs of a plan (review, situation, guiding thought, closing): context, not tasks.

A 五年规划建议 opens with a review of the last period, the situation and the guiding thought,
and closes with remarks on carrying the proposal out. They are numbered like the tasks but
assign nothing; `data/context_patterns.csv` recognises them by their wording, each pattern with
its reason. They stay in coverage.csv with the status `context` and out of the task counts.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_TABLE = "context_patterns.csv"
_COLUMNS = ("pattern", "role", "reason")


@dataclass(frozen=True)
class ContextPattern:
    """A wording that marks a framing paragraph, its role and why it is not a task."""

    pattern: re.Pattern[str]
    role: str
    reason: str


@cache
def context_patterns() -> tuple[ContextPattern, ...]:
    """Load and check `data/context_patterns.csv`."""
    text = resources.files("assignments").joinpath("data", _TABLE).read_text("utf-8")
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ValueError(f"{_TABLE}: columns must be {', '.join(_COLUMNS)}")
    rows = []
    for n, row in enumerate(reader, start=2):
        if not all(row.get(c) for c in _COLUMNS):
            raise ValueError(f"{_TABLE} line {n}: empty pattern, role or reason")
        rows.append(ContextPattern(re.compile(row["pattern"]), row["role"], row["reason"]))
    return tuple(rows)


def framing(text: str) -> ContextPattern | None:
    """The context pattern a paragraph's text (without its number) matches, if any."""
    return next((p for p in context_patterns() if p.pattern.search(text)), None)
