"""Walk the plan body line by line into raw items under their part, chapter and subsection."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assignments.lines import Line, LineKind, classify, decimal_item, has_unit_annotation
from assignments.roles import ROLE_WORD_TAIL, ROLE_WORDS, role_of_tail
from assignments.units import is_balanced
from assignments.wrapper import is_forum_author, match_wrapper

#: Parts that hold the notice's own requirements to the units, not tasks.
NON_TASK_PART = re.compile(r"工作要求|保障措施|组织实施")
_SENTENCE_END = ("。", "!", "?", ";", ")")


@dataclass
class RawItem:
    """An item being assembled from one or more lines."""

    number: str
    label: str
    part: str
    chapter: str
    subsection: str
    p: int
    c: int
    lines: list[int] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.fragments)


@dataclass
class Outline:
    """Items found, plus a status and detail for each body line index."""

    items: list[RawItem] = field(default_factory=list)
    statuses: dict[int, tuple[str, str]] = field(default_factory=dict)
    repairs: list[tuple[int, str]] = field(default_factory=list)  # (line index, what was done)


@dataclass
class _State:
    part: str = ""
    chapter: str = ""
    subsection: str = ""
    p: int = 0
    c: int = 0
    skip_part: bool = False
    current: RawItem | None = None
    items_in_chapter: int = 0
    last_number: int = 0  # last item number in this part: numbering runs across chapters


def walk_body(
    lines: list[str], start: int, end: int, *, annotated: bool, first_inferred: bool
) -> Outline:
    """Assemble the items of lines[start:end]; `annotated` documents name units per item."""
    out, st = Outline(), _State()
    for i in range(start, end):
        line = lines[i]
        if not line:
            continue
        wrapper = match_wrapper(line)
        if wrapper is not None:
            out.statuses[i] = (wrapper.status, wrapper.reason)
            continue
        if is_forum_author(lines, i):
            out.statuses[i] = ("noise", "forum user name above a post header")
            continue
        cls = classify(line)
        if i == start and first_inferred and cls.kind == LineKind.TEXT:
            cls = Line(LineKind.ITEM, "1", line, "1")
        if st.skip_part and cls.kind != LineKind.PART:
            out.statuses[i] = _requirement_status(st, line)
            continue
        inferred = i == start and first_inferred
        if cls.kind == LineKind.TEXT and (dec := decimal_item(line)) and _expected(st, dec.number):
            cls = dec
        if cls.kind in _HEADINGS or (cls.kind == LineKind.ITEM and cls.body):
            _drop_bare_number(out, st)
        _step(out, st, i, cls, line, annotated=annotated, inferred=inferred)
    _drop_bare_number(out, st)
    return out


_HEADINGS = {LineKind.PART, LineKind.CHAPTER, LineKind.SUBSECTION}


def _requirement_status(st: _State, line: str) -> tuple[str, str]:
    """Lines of a non-task part are the notice's requirements; a line naming its units there is
    a task out of place, reported rather than filed away."""
    if has_unit_annotation(line):
        return "unparsed", f"a task line inside {st.part}: not placed in the outline"
    return "metadata", f"{st.part}: requirements of the notice, not tasks"


def _drop_bare_number(out: Outline, st: _State) -> None:
    """A bare item number (`12.`) takes the next text line as its body; one followed by another
    item or a heading has no body and is reported, never joined to the next item."""
    cur = st.current
    if cur is None or not cur.number or cur.text.strip() or len(cur.lines) != 1:
        return
    out.items.remove(cur)
    out.statuses[cur.lines[0]] = ("unparsed", f"bare item number {cur.label} with no text")
    st.current = None


def _step(
    out: Outline, st: _State, i: int, cls: Line, line: str, *, annotated: bool, inferred: bool
) -> None:
    if cls.kind == LineKind.PART:
        st.part, st.p, st.chapter, st.c, st.subsection = line, int(cls.number), "", 0, ""
        st.skip_part, st.current, st.items_in_chapter = (
            bool(NON_TASK_PART.search(cls.body)),
            None,
            0,
        )
        st.last_number = 0
        out.statuses[i] = ("heading", "part")
    elif cls.kind == LineKind.CHAPTER:
        st.chapter, st.c, st.subsection = line, int(cls.number), ""
        st.current, st.items_in_chapter = None, 0
        out.statuses[i] = ("heading", "chapter")
    elif cls.kind == LineKind.SUBSECTION:
        st.subsection, st.current = line, None
        out.statuses[i] = ("heading", "subsection")
    elif cls.kind == LineKind.ITEM and _breaks_sequence(st.current, cls, annotated):
        _text_line(out, st, i, line, annotated=annotated)  # `3、` inside a broken line
    elif cls.kind == LineKind.ITEM and not cls.body and not _expected(st, cls.number):
        out.statuses[i] = ("unparsed", f"bare item number {cls.label} out of sequence")
    elif cls.kind == LineKind.ITEM:
        _start_item(out, st, i, cls.number, cls.body, inferred=inferred, label=cls.label)
    elif cls.kind == LineKind.UNITS:
        _unit_line(out, st, i, cls.body)
    else:
        _text_line(out, st, i, cls.body, annotated=annotated)


def _start_item(
    out: Outline, st: _State, i: int, number: str, body: str, *, inferred: bool, label: str = ""
) -> None:
    item = RawItem(number, label or number, st.part, st.chapter, st.subsection, st.p, st.c)
    if number.isdigit():
        st.last_number = int(number)
    item.lines.append(i)
    item.fragments.append(body)
    out.items.append(item)
    st.current = item
    st.items_in_chapter += 1
    label = f"item {number}" if number else "unnumbered item"
    out.statuses[i] = ("task", label + (" (number inferred)" if inferred else ""))


def _unit_line(out: Outline, st: _State, i: int, body: str) -> None:
    cur = st.current
    if cur is not None and (not has_unit_annotation(cur.text) or not is_balanced(cur.text)):
        cur.lines.append(i)
        cur.fragments.append(body)
        out.statuses[i] = ("task", f"unit line of item {cur.number or '(unnumbered)'}")
        return
    heading = st.chapter or st.subsection or st.part
    text = re.sub(r"^\([一二三四五六七八九十百]+\)", "", heading)
    _start_item(out, st, i, "", text + body, inferred=False)
    out.statuses[i] = ("task", "unit line of a chapter: one task for the chapter")


def _text_line(out: Outline, st: _State, i: int, body: str, *, annotated: bool) -> None:
    cur = st.current
    tail = _ORPHAN_TAIL.match(body)
    if annotated and cur is not None and tail and not _is_open(cur.text, annotated=annotated):
        _attach_tail(out, cur, i, body, tail)
    elif cur is not None and _is_open(cur.text, annotated=annotated):
        cur.lines.append(i)
        cur.fragments.append(body)
        out.statuses[i] = ("task", f"continuation of item {cur.number or '(unnumbered)'}")
    elif not annotated or has_unit_annotation(body) or st.items_in_chapter == 0:
        _start_item(out, st, i, "", body, inferred=False)
    else:
        out.statuses[i] = ("unparsed", "text after a complete item: no number, heading or units")


#: A line that is the tail of a unit annotation whose role word was cut (`位:市科技局…)`).
_ORPHAN_TAIL = re.compile(r"^" + ROLE_WORD_TAIL + r"\s*:(.+)$")


def _attach_tail(out: Outline, cur: RawItem, i: int, body: str, tail: re.Match[str]) -> None:
    """An orphan unit-list tail right under a complete item, no heading between, belongs to that
    item: its units are added with the role its surviving marker implies, and the repair is
    reported (coverage detail and a document warning)."""
    role = role_of_tail(tail.group(1))
    word = next(w for w, r in ROLE_WORDS.items() if r == role and w.endswith(tail.group(1)))
    units = tail.group(2).rstrip(")")
    cur.lines.append(i)
    cur.fragments.append(f"({word}:{units})")
    label = cur.number or "(unnumbered)"
    detail = f"repair: orphan unit tail `{body[:12]}…` attached to item {label} as {word}"
    out.statuses[i] = ("task", detail)
    out.repairs.append((i, detail))


def _expected(st: _State, number: str) -> bool:
    return number.isdigit() and int(number) in (st.last_number + 1, 1)


def _breaks_sequence(cur: RawItem | None, cls: Line, annotated: bool) -> bool:
    """A numbered line inside an open item that is not the next number is a broken line,
    unless it names its own units in full (an item in its own right) or the open item is
    already inside its unit list."""
    number = cls.number
    if cur is None or not cur.number or not cur.text or not _is_open(cur.text, annotated=annotated):
        return False
    if annotated and has_unit_annotation(cls.body) and is_balanced(cls.body):
        return False
    if has_unit_annotation(cur.text):
        return False  # the break is inside a unit list: no unit name starts with `12.`
    if cur.text.endswith(_SENTENCE_END):
        return False  # a finished sentence: trust the number even if it skips
    return number.isdigit() and int(number) != int(cur.number) + 1


def _is_open(text: str, *, annotated: bool) -> bool:
    if annotated:
        return not has_unit_annotation(text) or not is_balanced(text)
    return not text.endswith(_SENTENCE_END)
