"""Split a task's unit annotation `(牵头单位:…;责任单位:…)` off its text, by role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assignments.roles import ROLE_WORD, ROLE_WORD_NC, role_of

_OPEN = {"(": ")", "[": "]", "〈": "〉", "《": "》"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_MARKER = re.compile(ROLE_WORD + r"\s*:")
_NESTED = re.compile(r"〈\s*(" + ROLE_WORD_NC + r"\s*:[^〈〉]*)〉")
_TRIM = " ;,、。.:"


@dataclass(frozen=True)
class Annotation:
    """The text without its unit annotation, and the units as written with their roles."""

    text: str
    units: tuple[tuple[str, str], ...]  # (unit as written, role)
    annotated: bool


@cache  # pure; fuzzing and copies re-parse the same item texts
def split_annotation(text: str) -> Annotation:
    """Separate the unit annotation(s) of an item from its text.

    Handles `(…)` and `[…]` groups, a bare trailing `牵头单位:…` (a unit line joined under its
    item) and the nested form `(结对帮扶…〈责任单位:市乡村振兴局〉;对口支援…〈责任单位:…〉)`,
    whose scope words stay in the text because they name places.
    """
    groups = [g for g in _top_level_groups(text) if _MARKER.search(text[g[0] : g[1]])]
    if groups:
        return _from_groups(text, groups)
    m = _MARKER.search(text)
    if m is None:
        return Annotation(text.strip(), (), False)
    return Annotation(_clean_text(text[: m.start()]), parse_roles(text[m.start() :]), True)


def parse_roles(annotation: str) -> tuple[tuple[str, str], ...]:
    """`牵头单位:A、B;责任单位:C,D` → ((A, lead), (B, lead), (C, responsible), (D, responsible))."""
    marks = list(_MARKER.finditer(annotation))
    units: list[tuple[str, str]] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(annotation)
        role = role_of(m.group(1))
        units.extend((u, role) for u in split_unit_list(annotation[m.end() : end]))
    return tuple(units)


def split_unit_list(segment: str) -> list[str]:
    """Split `A、B,C〈含…、…〉` at top-level `、` and `,` only (notes in 〈〉 stay whole)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(segment):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "、,;":
            parts.append(segment[start:i])
            start = i + 1
    parts.append(segment[start:])
    return [p.strip(_TRIM) for p in parts if p.strip(_TRIM)]


def _from_groups(text: str, groups: list[tuple[int, int]]) -> Annotation:
    units: list[tuple[str, str]] = []
    pieces, pos = [], 0
    for start, end in groups:
        inner = text[start + 1 : end - 1] if _closed(text, start, end) else text[start + 1 : end]
        pieces.append(text[pos:start])
        pos = end
        if _MARKER.match(inner.lstrip()):
            units.extend(parse_roles(inner))
            continue
        for m in _NESTED.finditer(inner):  # nested form: keep the scope words
            units.extend(parse_roles(m.group(1)))
        scope = _NESTED.sub("", inner)
        if plain := _MARKER.search(scope):  # (其中,…〈牵头单位:…〉;…;责任单位:…)
            units.extend(parse_roles(scope[plain.start() :]))
            scope = scope[: plain.start()]
        scope = scope.strip(_TRIM)
        pieces.append(f"({scope})" if scope else "")
    pieces.append(text[pos:])
    return Annotation(_clean_text("".join(pieces)), tuple(units), True)


def _top_level_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level bracket group; an unclosed group runs to the end."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    if depth:
        groups.append((start, len(text)))
    return groups


def _closed(text: str, start: int, end: int) -> bool:
    return end - start >= 2 and text[end - 1] in ")]"


def _clean_text(text: str) -> str:
    text = re.sub(r"。{2,}", "。", text.strip())
    return text.rstrip(";,、 ").strip()


def is_balanced(text: str) -> bool:
    """Whether every `(`/`[` opened in the text is closed (a PDF break may split an annotation)."""
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
    return depth == 0
