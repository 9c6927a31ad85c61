"""Each task's deadline: the 完成时限 its text states, else the end of its plan's year or period.

Wuhan's task divisions write deadlines as 2024年6月底前, 年底前, 6月底前, 上半年, 2025年前 …;
a date without a year takes the plan's year. The latest date named wins (a task with
"6月底前启动，年底前完成" is due at the end of the year).
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date

_FULL = re.compile(r"(20\d{2})年(?:(\d{1,2})月(?:底|末)?|(年底|年末|底))?(?:前|以前|之前)")
_MONTH = re.compile(r"(?<![\d年])(\d{1,2})月(?:底|末)?(?:前|以前|之前)")
_YEAR_END = re.compile(r"(?<!\d)(?:今年|本年度?|年)(?:底|末)(?:前|以前|之前)?")
_HALF = re.compile(r"上半年")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=65536)
def stated_deadline(text: str, plan_year: int) -> date | None:
    """The latest deadline written in `text`, or None when it states none."""
    found: list[date] = []
    for match in _FULL.finditer(text):
        year, month, end = match.groups()
        if month and 1 <= int(month) <= 12:
            found.append(month_end(int(year), int(month)))
        elif end or not month:
            found.append(date(int(year), 12, 31))
    for match in _MONTH.finditer(text):
        month = int(match.group(1))
        if 1 <= month <= 12:
            found.append(month_end(plan_year, month))
    if _YEAR_END.search(_FULL.sub("", text)):
        found.append(date(plan_year, 12, 31))
    if _HALF.search(text) and not found:
        found.append(date(plan_year, 6, 30))
    return max(found) if found else None


def default_deadline(period_end_year: int) -> date:
    """No stated 完成时限: the end of the plan's year (annual) or period (five-year)."""
    return date(period_end_year, 12, 31)
