"""Find the official plan inside its wrapper (notice, forum posts, page debris, attachments).

The plan is found by its structure, not by where the first or last wrapper line happens to be:
it opens with the first line that can begin an outline (`一、`, `(一)`, item 1), and a
wrapper line that would end it (a forum post header, 附表, 抄送 …) ends it only when the outline
does not carry on after it. Forum chrome between two posts of the official text is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assignments.lines import Line, LineKind, classify
from assignments.wrapper import is_forum_author, match_wrapper

_NOTICE_START = re.compile(r"关于印发|文件$|^索引号|^发文机构|^中共武汉市委")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(印发)?$")
_STRUCTURAL = {LineKind.PART, LineKind.CHAPTER, LineKind.SUBSECTION, LineKind.ITEM}
#: Lines that carry the outline's numbering (subsections do not).
_NUMBERED = {LineKind.PART, LineKind.CHAPTER, LineKind.ITEM}
MIN_PARAGRAPH = 60
#: An item after a wrapper line carries the outline on if its number is at most this far past
#: the highest number so far (a copy may have lost a few items, as the 十五五 proposal has).
MAX_GAP = 10
#: How many numbered lines after a wrapper line are tried (one may be out of place).
LOOKAHEAD = 3
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


@dataclass
class Sequence:
    """Where the outline stands: part, chapter and last item number (items run across chapters)."""

    part: int = 0
    chapter: int = 0
    item: int = 0  # highest item number since the last restart
    last: int = 0  # the last item number seen
    after_heading: bool = False  # numbering may restart at 1 under a new heading

    def follows(self, cls: Line) -> bool:
        """Whether a numbered line carries the outline on from here (the next part, chapter
        or item)."""
        number = int(cls.number) if cls.number.isdigit() else -1
        if cls.kind == LineKind.PART:
            return number == self.part + 1
        if cls.kind == LineKind.CHAPTER:  # a partial copy may start below its first chapter
            return number == self.chapter + 1 or self.chapter == 0
        if self.after_heading and number == 1:
            return True
        return any(n < number <= n + MAX_GAP for n in (self.item, self.last)) or self.item == 0

    def step(self, cls: Line) -> None:
        number = int(cls.number) if cls.number.isdigit() else 0
        if cls.kind == LineKind.PART:
            self.part, self.chapter, self.item, self.last = number, 0, 0, 0
        elif cls.kind == LineKind.CHAPTER:
            self.chapter = number
        elif cls.kind == LineKind.ITEM and number:
            restart = self.after_heading and number == 1
            self.item = number if restart else max(self.item, number)
            self.last = number
        self.after_heading = cls.kind != LineKind.ITEM


def locate(lines: list[str]) -> Layout | None:
    """Where the plan body starts and ends in normalised lines; None when it has no items."""
    start = _body_start(lines)
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


def is_numbered_line(line: str) -> bool:
    """A line that starts with an item number and has text after it (`12.…`, `(三)…(牵头…)`)."""
    cls = classify(line)
    return cls.kind == LineKind.ITEM and bool(cls.body)


def _structural(lines: list[str]) -> list[tuple[int, Line]]:
    return [
        (i, cls)
        for i, line in enumerate(lines)
        if line and match_wrapper(line) is None and (cls := classify(line)).kind in _STRUCTURAL
    ]


def _body_start(lines: list[str]) -> int | None:
    """The first line that can open an outline: part 一, chapter (一), item 1 (or item 2 after
    the paragraph that lost its number 1), or a subsection (a partial copy); else the first
    structural line. A stray numbered line before it (a task quoted in a forum reply) does not
    open the plan: it is reported as unparsed."""
    found = _structural(lines)
    if not found:
        return None
    for i, cls in found:
        if cls.kind == LineKind.SUBSECTION or cls.number == "1":
            return i
        if cls.kind == LineKind.ITEM and cls.number == "2":
            prev = _previous_content(lines, i)
            if prev is not None and _is_paragraph(lines[prev]):
                return i
    return found[0][0]


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
    """The body ends at a wrapper line that ends it (post header, 附表, 抄送 …) unless the
    outline carries on after it: then the wrapper is chrome in the middle and is skipped."""
    seq = Sequence()
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            continue
        pat = match_wrapper(line)
        if pat is None:
            cls = classify(line)
            if cls.kind in _NUMBERED:
                seq.step(cls)
            continue
        if pat.effect == "ends_body" and not _carries_on(lines, i + 1, seq):
            end = i
            while end > start and (not lines[end - 1] or is_forum_author(lines, end - 1)):
                end -= 1  # the forum user name above a "帖子:" header belongs to the tail
            return end, pat.status
    return len(lines), "metadata"


def _carries_on(lines: list[str], after: int, seq: Sequence) -> bool:
    """Whether one of the next LOOKAHEAD numbered lines after `after` continues the outline."""
    seen = 0
    for i in range(after, len(lines)):
        line = lines[i]
        if not line or match_wrapper(line) is not None:
            continue
        cls = classify(line)
        if cls.kind in _NUMBERED:
            if seq.follows(cls):
                return True
            seen += 1
            if seen == LOOKAHEAD:
                return False
    return False


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
