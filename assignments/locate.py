"""Find the official plan inside its wrapper (notice, forum posts, page debris, attachments)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assignments.lines import LineKind, classify
from assignments.wrapper import match_wrapper

_NOTICE_START = re.compile(r"关于印发|文件$|^索引号|^发文机构|^中共武汉市委")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(印发)?$")
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
_STRUCTURAL = {LineKind.PART, LineKind.CHAPTER, LineKind.SUBSECTION, LineKind.ITEM}
MIN_PARAGRAPH = 60
MAX_TITLE_LINES = 3


@dataclass(frozen=True)
class Layout:
    """Index ranges of a document: [body_start, body_end) is the plan; the rest is wrapper."""

    body_start: int
    body_end: int
    title: tuple[int, ...]  # indices of the plan-title lines
    notice_start: int | None  # first line of the official notice, if any
    tail_status: str  # status of lines after the body: metadata or noise
    first_item_inferred: bool  # the paragraph before item 2 is item 1 that lost its number


def locate(lines: list[str]) -> Layout | None:
    """Where the plan body starts and ends in normalised lines; None when it has no items."""
    start = _first_structural(lines)
    if start is None:
        return None
    inferred = False
    prev = _previous_content(lines, start)
    first = classify(lines[start])
    if prev is not None and first.kind == LineKind.ITEM and _is_paragraph(lines[prev]):
        inferred = first.number == "2"
        start = prev
    end, tail = _body_end(lines, start)
    title = _title_lines(lines, start)
    notice = next((i for i in range(start) if _NOTICE_START.search(lines[i])), None)
    return Layout(start, end, title, notice, tail, inferred)


def _first_structural(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line and match_wrapper(line) is None and classify(line).kind in _STRUCTURAL:
            return i
    return None


def _previous_content(lines: list[str], index: int) -> int | None:
    for i in range(index - 1, -1, -1):
        if lines[i]:
            return None if match_wrapper(lines[i]) else i
    return None


def _is_paragraph(line: str) -> bool:
    return (
        len(line) >= MIN_PARAGRAPH
        and line.endswith("。")
        and classify(line).kind == LineKind.TEXT
        and not _NOTICE_START.search(line)
    )


def _body_end(lines: list[str], start: int) -> tuple[int, str]:
    for i in range(start, len(lines)):
        pat = match_wrapper(lines[i]) if lines[i] else None
        if pat is not None and pat.effect == "ends_body":
            end = i
            while end > start and (not lines[end - 1] or _USERNAME.match(lines[end - 1])):
                end -= 1  # the forum user name above a "帖子:" header belongs to the tail
            return end, pat.status
    return len(lines), "metadata"


def _title_lines(lines: list[str], start: int) -> tuple[int, ...]:
    found: list[int] = []
    i = start - 1
    while i >= 0 and (not lines[i] or lines[i].endswith("。")) and len(found) == 0:
        if lines[i] and (len(lines[i]) < MIN_PARAGRAPH or not lines[i].startswith("《")):
            break  # only a preamble paragraph (《纲要》…制订本方案。) sits between title and body
        i -= 1
    while i >= 0 and len(found) < MAX_TITLE_LINES:
        line = lines[i]
        if line:
            if not _looks_like_title(line):
                break
            found.append(i)
        i -= 1
    return tuple(sorted(found))


def _looks_like_title(line: str) -> bool:
    return (
        len(line) <= MIN_PARAGRAPH
        and not line.endswith(("。", ":"))
        and not _DATE.match(line)
        and "通知" not in line
        and match_wrapper(line) is None
        and classify(line).kind == LineKind.TEXT
    )
