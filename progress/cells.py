"""Untrusted text going into a spreadsheet or CSV never becomes a live formula."""

from __future__ import annotations

#: Leading characters a spreadsheet reads as a formula (OWASP CSV injection list).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
QUOTE = "'"


def neutralise(value: object) -> object:
    """Text starting with a formula character gets a leading apostrophe; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return QUOTE + value
    return value


def restore(text: str) -> str:
    """Undo `neutralise` on text read back from a workbook we wrote."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_LEADS):
        return text[1:]
    return text
