"""One primary sector per task: from its headings (sector_headings.csv), else from its words.

Rule: the most specific heading that the table knows decides (subsection, then chapter, then
part). A non-mixed heading gives its sector. A mixed heading (it covers several sectors) lets the
keyword scores of the task text decide, and gives its own sector when no keyword matches.
With no known heading at all (the 十五五 proposal has none) the keywords decide, and
FALLBACK_SECTOR is used when nothing matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assignments.tables import Row, read_table

DATA = Path(__file__).parent / "data"
SECTORS_CSV = DATA / "sectors.csv"
HEADINGS_CSV = DATA / "sector_headings.csv"
KEYWORDS_CSV = DATA / "sector_keywords.csv"
TOPICS_CSV = DATA / "sector_topics.csv"

#: The sector for a task that no heading and no keyword places (macro targets, the plan's preamble).
FALLBACK_SECTOR = "综合发展"
LEVELS = ("subsection", "chapter", "part")  # most specific first
#: The first sentence of an item states its topic (`16.大力提振消费。…`): its words count extra.
LEAD_SENTENCE_BONUS = 2
_LEAD_SENTENCE = re.compile(r"^[^。;!?]*")


@dataclass(frozen=True)
class HeadingRule:
    """A row of sector_headings.csv."""

    pattern: str
    level: str
    sector: str
    mixed: bool
    reason: str


@dataclass(frozen=True)
class SectorChoice:
    """A sector and why: basis is "topic", "heading", "keywords" or "fallback"; evidence says
    which."""

    sector: str
    basis: str
    evidence: str


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, Row]]:
    """Rows of a table with its header checked; each row numbered as a spreadsheet shows it."""
    return [(row.line, row) for row in read_table(path, columns, not_empty=columns[:2])]


@cache
def sector_table(path: Path = SECTORS_CSV) -> tuple[str, ...]:
    """The canonical sectors in table order (the order also breaks keyword ties)."""
    names = tuple(row["sector"].strip() for _, row in _rows(path, ("sector", "description")))
    if FALLBACK_SECTOR not in names or len(set(names)) != len(names):
        raise ValueError(f"{path.name}: duplicate sector or no {FALLBACK_SECTOR}")
    return names


def _sector(path: Path, n: int, value: str) -> str:
    sector = value.strip()
    if sector not in sector_table():
        raise ValueError(f"{path.name} row {n}: unknown sector {sector!r}")
    return sector


@cache
def heading_rules(path: Path = HEADINGS_CSV) -> tuple[HeadingRule, ...]:
    """The heading table, validated (level, sector and mixed flag)."""
    rules = []
    for n, row in _rows(path, ("pattern", "level", "sector", "mixed", "reason")):
        level, mixed = row["level"].strip(), row["mixed"].strip()
        if level not in LEVELS or mixed not in ("yes", "no"):
            raise ValueError(f"{path.name} row {n}: bad level {level!r} or mixed {mixed!r}")
        sector = _sector(path, n, row["sector"])
        pattern = _normalise(row["pattern"])
        rules.append(HeadingRule(pattern, level, sector, mixed == "yes", row["reason"].strip()))
    return tuple(rules)


@cache
def keyword_weights(path: Path = KEYWORDS_CSV) -> tuple[tuple[str, str, int], ...]:
    """(keyword, sector, weight) rows, validated."""
    out = []
    for n, row in _rows(path, ("keyword", "sector", "weight")):
        weight = row["weight"].strip()
        if not weight.isdigit() or int(weight) == 0:
            raise ValueError(f"{path.name} row {n}: weight must be a positive integer")
        out.append((_normalise(row["keyword"]), _sector(path, n, row["sector"]), int(weight)))
    return tuple(out)


@cache
def heading_rule(level: str, heading: str) -> HeadingRule | None:
    """The first rule of `level` whose pattern occurs in the heading, if any."""
    text = _normalise(heading)
    if not text:
        return None
    return next((r for r in heading_rules() if r.level == level and r.pattern in text), None)


def keyword_scores(text: str) -> dict[str, int]:
    """Score per sector: weight × hits, the lead sentence's hits counted extra.

    A longer keyword uses up its characters, so 农业转移人口 does not also count as 农业,
    nor 生态环境 as 生态.
    """
    scores: dict[str, int] = {}
    for _, sector, points in _keyword_points(text):
        scores[sector] = scores.get(sector, 0) + points
    return scores


def _keyword_points(text: str) -> list[tuple[str, str, int]]:
    """(keyword, sector, points) for each keyword found in the text."""
    body = _normalise(text)
    lead = _LEAD_SENTENCE.match(re.sub(r"^[0-9]+[.、]", "", body))
    lead_hits = _hits(lead.group(0) if lead else "")
    rows = _keyword_rows()
    return [
        (
            keyword,
            rows[keyword][0],
            rows[keyword][1] * (n + LEAD_SENTENCE_BONUS * lead_hits[keyword]),
        )
        for keyword, n in _hits(body).items()
    ]


def _hits(text: str) -> Counter[str]:
    """Keyword occurrences, scanning left to right and preferring the longest keyword."""
    return Counter(m.group(0) for m in _keyword_pattern().finditer(text))


@cache
def _keyword_rows() -> dict[str, tuple[str, int]]:
    return {keyword: (sector, weight) for keyword, sector, weight in keyword_weights()}


@cache
def _keyword_pattern() -> re.Pattern[str]:
    longest_first = sorted(_keyword_rows(), key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in longest_first))


def _by_keywords(text: str) -> SectorChoice | None:
    points = _keyword_points(text)
    if not points:
        return None
    scores: dict[str, int] = {}
    for _, s, p in points:
        scores[s] = scores.get(s, 0) + p
    best = max(scores.values())
    sector = next(s for s in sector_table() if scores.get(s) == best)
    words = "、".join(k for k, s, _ in points if s == sector)
    return SectorChoice(sector, "keywords", f"keywords {words} (score {best})")


@cache
def topic_rules(path: Path = TOPICS_CSV) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(pattern, sector, reason) rows: topics that get one sector under any heading."""
    out = []
    for n, row in _rows(path, ("pattern", "sector", "reason")):
        if not row["reason"].strip():
            raise ValueError(f"{path.name} row {n}: a topic rule needs its reason")
        out.append((re.compile(row["pattern"]), _sector(path, n, row["sector"]), row["reason"]))
    return tuple(out)


def _by_topic(text: str) -> SectorChoice | None:
    """The item's topic (its first sentence) named in sector_topics.csv decides first, so a
    target repeated under different headings (重点工作 and 民生实事) gets one sector."""
    lead = _LEAD_SENTENCE.match(_normalise(text))
    first = lead.group(0) if lead else ""
    for pattern, sector, _ in topic_rules():
        if m := pattern.search(first):
            return SectorChoice(sector, "topic", f"topic {m.group(0)} (sector_topics.csv)")
    return None


def sector_reason(*, part: str, chapter: str, subsection: str, text: str) -> SectorChoice:
    """The task's sector with the rule or keywords that decided it: a topic of
    sector_topics.csv first, then the most specific known heading, then the keywords."""
    if (topic := _by_topic(text)) is not None:
        return topic
    headings = {"subsection": subsection, "chapter": chapter, "part": part}
    for level in LEVELS:
        rule = heading_rule(level, headings[level])
        if rule is None:
            continue
        if not rule.mixed:
            return SectorChoice(rule.sector, "heading", f"{level}: {rule.pattern}")
        found = _by_keywords(text)
        if found is not None:
            return SectorChoice(
                found.sector, "keywords", f"mixed {level} {rule.pattern}; {found.evidence}"
            )
        return SectorChoice(rule.sector, "heading", f"mixed {level} {rule.pattern}; no keyword")
    found = _by_keywords(text)
    return (
        found
        if found is not None
        else SectorChoice(FALLBACK_SECTOR, "fallback", "no heading or keyword")
    )


@cache  # pure; fuzzing and copies re-parse the same items
def assign_sector(*, part: str, chapter: str, subsection: str, text: str) -> str:
    """The task's primary sector (one of SECTORS)."""
    return sector_reason(part=part, chapter=chapter, subsection=subsection, text=text).sector


SECTORS: tuple[str, ...] = sector_table()
