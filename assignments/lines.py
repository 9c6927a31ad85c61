"""Recognise the structural form of one normalised line: heading, item, unit line or text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assignments.roles import ROLE_WORD

CN_DIGITS = "零一二三四五六七八九"
CN_NUMERAL = "[一二三四五六七八九十百]+"


class LineKind(StrEnum):
    PART = "part"  # 一、主要指标分工
    CHAPTER = "chapter"  # (一)坚持创新第一动力…
    SUBSECTION = "subsection"  # ——千方百计提振促进消费
    ITEM = "item"  # 1. / 1、 / (一) with a unit annotation
    UNITS = "units"  # (牵头单位:…) or 牵头单位:… on its own line
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    """A classified line: kind, number (arabic, "" if none) and the text after the number."""

    kind: LineKind
    number: str
    body: str
    label: str = ""  # the number as written: "63", or "一" for a (一) item


_PART = re.compile(rf"^({CN_NUMERAL})[、.]\s*(.+)$")
_CHAPTER = re.compile(rf"^\(({CN_NUMERAL})\)\s*(.+)$")
_SUBSECTION = re.compile(r"^[—–-]{2}\s*(.+)$")
# `1.` or `1、` followed by text, but not a decimal (`1.3万家`) or a date/quantity (`2035年`).
_ITEM = re.compile(r"^(\d{1,3})\s*[.、]\s*(?!\d)(.*)$")  # body may follow on the next line
_DECIMAL_ITEM = re.compile(r"^(\d{1,3})\s*[.、]\s*(\d.*)$")
_UNIT_MARK = re.compile(ROLE_WORD + r"\s*:")
_UNITS_LINE = re.compile(r"^[(\[〈]?\s*" + ROLE_WORD + r"\s*:")

#: A part heading is short; the notice's numbered paragraphs (一、高度重视,…。各单位要…) are not.
MAX_HEADING_CHARS = 40


def cn_to_int(numeral: str) -> int:
    """Chinese numeral up to 百 (一 → 1, 十四 → 14, 二十三 → 23)."""
    if "百" in numeral:
        hundreds, _, rest = numeral.partition("百")
        return (cn_to_int(hundreds) if hundreds else 1) * 100 + (cn_to_int(rest) if rest else 0)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)
    return CN_DIGITS.index(numeral)


def has_unit_annotation(text: str) -> bool:
    """Whether the text names units (牵头单位: / 责任单位: / 配合单位: …)."""
    return _UNIT_MARK.search(text) is not None


def classify(line: str) -> Line:
    """Classify one normalised, non-empty line."""
    if _UNITS_LINE.match(line):
        return Line(LineKind.UNITS, "", line)
    if m := _ITEM.match(line):
        return Line(LineKind.ITEM, m.group(1), m.group(2), m.group(1))
    if m := _CHAPTER.match(line):
        body = m.group(2)
        is_item = has_unit_annotation(body) or not _is_heading(body)
        kind = LineKind.ITEM if is_item else LineKind.CHAPTER
        return Line(kind, str(cn_to_int(m.group(1))), body, m.group(1))
    if (m := _PART.match(line)) and _is_heading(m.group(2)):
        return Line(LineKind.PART, str(cn_to_int(m.group(1))), m.group(2))
    if m := _SUBSECTION.match(line):
        return Line(LineKind.SUBSECTION, "", m.group(1))
    return Line(LineKind.TEXT, "", line)


def decimal_item(line: str) -> Line | None:
    """`1.0。…` read as item 1: only trusted by the caller when 1 is the expected number."""
    if m := _DECIMAL_ITEM.match(line):
        return Line(LineKind.ITEM, m.group(1), m.group(2), m.group(1))
    return None


def _is_heading(text: str) -> bool:
    return len(text) <= MAX_HEADING_CHARS and "。" not in text.rstrip("。")
