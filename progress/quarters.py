"""Quarters as the office names them (2024Q2): parsing, ranges, dates and the elapsed share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")
_QUARTER_ZH = re.compile(r"^\s*(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度\s*$")
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True, order=True)
class Quarter:
    """One calendar quarter; orders by time, prints as 2024Q2."""

    year: int
    q: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def label(self) -> str:
        """2024年第二季度 for the interface and the 通报."""
        return f"{self.year}年第{'一二三四'[self.q - 1]}季度"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter: the as-of date of its returns."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.q // 4, self.q % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.q == 1), (self.q - 2) % 4 + 1)


def parse_quarter(text: str) -> Quarter:
    """2024Q2 or 2024年第二季度 → Quarter; ValueError naming the text otherwise."""
    match = _QUARTER.match(text) or _QUARTER_ZH.match(text)
    if not match:
        raise ValueError(f"not a quarter: {text!r} (expected e.g. 2024Q2)")
    year, q = match.groups()
    if not 1990 <= int(year) <= 2100:
        raise ValueError(f"quarter year out of range: {text!r}")
    return Quarter(int(year), int(q) if q.isdigit() else _ZH_DIGITS[q])


def parse_quarter_range(text: str) -> list[Quarter]:
    """2024Q1..2024Q4 (or one quarter) → every quarter in between, first to last."""
    first, sep, last = text.partition("..")
    start = parse_quarter(first)
    stop = parse_quarter(last) if sep else start
    if stop < start:
        raise ValueError(f"quarter range runs backwards: {text!r}")
    out = [start]
    while out[-1] < stop:
        out.append(out[-1].next())
    if len(out) > 80:
        raise ValueError(f"quarter range longer than 20 years: {text!r}")
    return out


def elapsed_share(start: date, end: date, as_of: date) -> float:
    """Share of the days from `start` to `end` (inclusive) that have passed by `as_of`, 0..1."""
    total = (end - start).days + 1
    if total <= 0:
        return 1.0
    done = (as_of - start).days + 1
    return min(max(done / total, 0.0), 1.0)
