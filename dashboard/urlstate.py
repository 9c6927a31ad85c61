"""The view state in the URL query: pure parse and serialise, validated at the boundary.

Both are generic over the fields `viewstate.Filters` declares, so a new filter is in the URL
as soon as it is declared. A URL is typed by people and pasted from chats: anything unknown
falls back to the default and comes back as a notice, never an error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.fieldkinds import Vocabulary
from dashboard.viewstate import FIELDS, Filters

KNOWN_KEYS = tuple(spec.url_key for spec in FIELDS.values())


def parse_query(search: str | None, vocab: Vocabulary) -> tuple[Filters, tuple[str, ...]]:
    """Filters named by `?plan=…&sector=…`; invalid parts fall back to defaults, with notices."""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    notices: list[str] = []
    unknown = [k for k in query if k not in KNOWN_KEYS]
    if unknown:
        notices.append(f"未知参数:{'、'.join(unknown)},已忽略")
    values: dict[str, Any] = {
        name: spec.kind.from_url(query.get(spec.url_key, []), vocab, spec.label, notices)
        for name, spec in FIELDS.items()
    }
    return Filters(**values), tuple(notices)


def to_query(filters: Filters) -> str:
    """`?…` for the non-default parts of `filters` ("" when everything is default)."""
    pairs = [
        (spec.url_key, value)
        for name, spec in FIELDS.items()
        for value in spec.kind.to_url(getattr(filters, name))
    ]
    return "?" + urlencode(pairs) if pairs else ""
