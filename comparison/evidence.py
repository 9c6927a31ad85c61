"""Why two tasks are linked, in words: the shared project, programme or target, and the score."""

from __future__ import annotations

from collections.abc import Mapping
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from comparison.entities import EntityKind
from comparison.model import MatchSettings, Relation
from comparison.text import identical_key, wording

MAX_NAMED = 3
MIN_COMMON = 2  # a shared run of characters shorter than this says nothing

#: Order in which shared entities are named: projects first, figures last.
_KIND_ORDER = {EntityKind.NAME: 0, EntityKind.AGENCY: 1, EntityKind.PLACE: 2, EntityKind.FIGURE: 3}


def relation_of(from_text: str, to_text: str, settings: MatchSettings) -> Relation:
    """延续 when the wording is the same once figures are masked, otherwise 调整."""
    ratio = fuzz.ratio(wording(from_text), wording(to_text))
    return Relation.CONTINUED if ratio >= settings.continued_ratio else Relation.ADJUSTED


def shared_entities(
    a: Mapping[str, EntityKind], b: Mapping[str, EntityKind], weights: Mapping[str, float]
) -> list[str]:
    """Entities both tasks name, projects before places before figures, rarer first."""
    shared = [e for e in a if e in b]
    return sorted(shared, key=lambda e: (_KIND_ORDER[a[e]], -weights.get(e, 0.0), e))


def longest_common(a: str, b: str) -> str:
    """The longest run of characters both texts share, punctuation aside (empty if too short)."""
    a, b = identical_key(a), identical_key(b)
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    common = a[match.a : match.a + match.size].rstrip("0123456789.")
    return common if len(common) >= MIN_COMMON else ""


def common_term(a: str, b: str) -> str:
    """The longest run two texts share within their space-separated pieces (empty if too short).

    Given the texts the anchors see (verbs, generic phrases and figures cut out), this names the
    thing two tasks share (工业 in 实施“工业上楼” and 工业增加值) rather than a verb (实施).
    """
    left, right = "\x00".join(a.split()), "\x01".join(b.split())
    match = SequenceMatcher(None, left, right, autojunk=False).find_longest_match(
        0, len(left), 0, len(right)
    )
    common = left[match.a : match.a + match.size]
    return common if len(common) >= MIN_COMMON and "\x00" not in common else ""


def link_evidence(names: list[str], figures: list[str], common: str, score: float) -> str:
    """`共同:光谷科学岛、东湖科学城;相似度 0.81` — names first, else the shared wording."""
    if names:
        head = "共同:" + "、".join(names[:MAX_NAMED])
    elif common:
        head = f"共同措辞:“{common}”"
    else:
        head = "文字相近"
    tail = f";相同数字:{'、'.join(figures[:MAX_NAMED])}" if figures else ""
    return f"{head}{tail};相似度 {score:.2f}"


def unmatched_evidence(relation: Relation, nearest: str | None, score: float) -> str:
    """Why a task has no counterpart: nothing above the threshold, and the nearest miss."""
    side = "前序" if relation is Relation.NEW else "后续"
    if nearest is None:
        return f"无{side}任务:没有相近的任务"
    return f"无{side}任务:最接近的 {nearest} 相似度 {score:.2f},低于阈值"


def override_evidence(reason: str) -> str:
    return f"复核确认:{reason}"
