"""Text preparation for matching: generic policy phrases out, figures masked."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
GENERIC_PHRASES_CSV = DATA_DIR / "generic_phrases.csv"

_PUNCT = re.compile(r"[\s,，。、;；:：!！?？()（）\[\]【】“”\"'‘’《》〈〉「」—\-…·]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@functools.cache
def generic_phrases(path: Path = GENERIC_PHRASES_CSV) -> tuple[str, ...]:
    """Phrases that say nothing about which line of work a task is (longest first)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = [i + 2 for i, r in enumerate(rows) if not (r.get("phrase") or "").strip()]
    if missing or (rows and "reason" not in rows[0]):
        raise ValueError(f"{path}: every row needs a phrase and a reason (line {missing[:1]})")
    phrases = {r["phrase"].strip() for r in rows}
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


@functools.cache
def _generic_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in phrases) or r"(?!x)x")


def matching_text(text: str, phrases: tuple[str, ...]) -> str:
    """The text the n-gram model sees: generic phrases, punctuation and figures removed."""
    stripped = _generic_pattern(phrases).sub(" ", text)
    stripped = _DIGITS.sub(" ", stripped)
    return _PUNCT.sub(" ", stripped).strip()


def wording(text: str) -> str:
    """The text with figures masked and punctuation dropped: equal wording means 延续."""
    return _PUNCT.sub("", _DIGITS.sub("#", text))


def identical_key(text: str) -> str:
    """Key under which two tasks of one plan say the same thing (one target, two headings)."""
    return _PUNCT.sub("", text)
