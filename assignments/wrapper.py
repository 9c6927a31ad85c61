"""Known page debris (navigation, forum chrome, spam, attachments) as a reviewable table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assignments.tables import read_table

_TABLE = Path(__file__).parent / "data" / "wrapper_patterns.csv"
#: A forum user name (letters required, so a bare item number `12.` is never one).
_USERNAME = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9_.\-]{2,40}$")
_STATUSES = {"noise", "metadata"}
_EFFECTS = {"line", "ends_body"}


@dataclass(frozen=True)
class WrapperPattern:
    """A regular expression for a kind of line that is not part of the plan."""

    pattern: re.Pattern[str]
    status: str  # noise | metadata
    effect: str  # line: just this line; ends_body: the official text has ended
    reason: str


@cache
def wrapper_patterns() -> tuple[WrapperPattern, ...]:
    """Load and validate `data/wrapper_patterns.csv` (its cells are stripped: no pattern
    begins or ends with a space)."""
    rows = []
    for row in read_table(
        _TABLE, ("pattern", "status", "effect", "reason"), not_empty=("pattern",)
    ):
        if row["status"] not in _STATUSES or row["effect"] not in _EFFECTS:
            raise row.error(f"bad status {row['status']!r} or effect {row['effect']!r}")
        try:
            pattern = re.compile(row["pattern"])
        except re.error as exc:
            raise row.error(f"pattern is not a regular expression ({exc})") from None
        rows.append(WrapperPattern(pattern, row["status"], row["effect"], row["reason"]))
    return tuple(rows)


def match_wrapper(line: str) -> WrapperPattern | None:
    """The first wrapper pattern that matches a normalised line, if any."""
    for pat in wrapper_patterns():
        if pat.pattern.search(line):
            return pat
    return None


def is_forum_author(lines: list[str], index: int) -> bool:
    """A forum user name: a short Latin handle whose next non-empty line is a post header."""
    if not _USERNAME.match(lines[index]):
        return False
    following = next((line for line in lines[index + 1 :] if line), "")
    pat = match_wrapper(following)
    return pat is not None and pat.effect == "ends_body" and pat.status == "noise"
