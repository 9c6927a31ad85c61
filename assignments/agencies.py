"""Agency (unit) names as written → canonical name and kind, from the alias table agencies.csv."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from assignments.roles import ROLE_WORD_NC
from assignments.schema import UNIT_KINDS
from assignments.tables import read_table

AGENCIES_CSV = Path(__file__).parent / "data" / "agencies.csv"
UNKNOWN = "unknown"

#: A bracketed note inside a unit: `〈市商务局〉` (host office) or `〈含开发区…,下同〉` (scope).
_NOTE = re.compile(r"〈[^〈〉]*〉?")
_TRIM = " ;,、。.:"
#: A role marker left on a unit by an unusual label: `参与单位:市…成员单位`.
_ROLE_PREFIX = re.compile("^" + ROLE_WORD_NC + ":")
#: Suffixes a shared-suffix list puts only on its last item: `武昌、洪山、江夏区人民政府`.
_GOVERNMENT_SUFFIXES = ("区人民政府", "区政府")
_ZONE_SUFFIX = "管委会"


@dataclass(frozen=True)
class Agency:
    """A unit's canonical name and its kind (a key of schema.UNIT_KINDS)."""

    canonical: str
    kind: str


def clean_unit(raw: str) -> str:
    """Fold width (NFKC), drop whitespace and trailing list punctuation."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).strip(_TRIM)
    text = _ROLE_PREFIX.sub("", text)
    return _strip_stray_brackets(text).strip(_TRIM)


def _strip_stray_brackets(text: str) -> str:
    """`(市发改委)`, `(市发改委`, `市发改委)` → 市发改委; `国家(武汉)中心` stays whole."""
    opened = sum(text.count(c) for c in "([")
    closed = sum(text.count(c) for c in ")]")
    if text[:1] in ("(", "[") and (text[-1:] in (")", "]") or opened > closed):
        text, opened = text[1:], opened - 1
    if text[-1:] in (")", "]") and closed > opened:
        text = text[:-1]
    return text


@cache
def alias_table(path: Path = AGENCIES_CSV) -> Mapping[str, Agency]:
    """The alias table, validated: every kind is a known unit kind, every alias is unique."""
    table: dict[str, Agency] = {}
    for row in read_table(path, ("alias", "canonical", "kind"), not_empty=("alias", "canonical")):
        alias, canonical, kind = (clean_unit(row[k]) for k in ("alias", "canonical", "kind"))
        if not alias or not canonical:
            raise row.error("empty alias or canonical name")
        if kind not in UNIT_KINDS or kind == UNKNOWN:
            raise row.error(f"unknown kind {kind!r} for {alias}")
        if alias in table:
            raise row.error(f"duplicate alias {alias}")
        table[alias] = Agency(canonical, kind)
    return MappingProxyType(table)


def _lookup(name: str) -> Agency | None:
    table = alias_table()
    if name in table:
        return table[name]
    if name.startswith("武汉市"):  # 武汉市发改委 → 市发改委
        return table.get(name[2:])
    return None


def resolve_unit(raw: str) -> Agency:
    """Canonical name and kind of a unit as written; kind "unknown" (never dropped) if unmatched.

    A bracketed note is tried whole first (`市委宣传部〈市文明办〉` is in the table), then dropped
    (`各区人民政府〈含开发区、长江新区、风景区管委会,下同〉` is the group 各区人民政府).
    """
    name = clean_unit(raw)
    found = _lookup(name) or _lookup(clean_unit(_NOTE.sub("", name)))
    return found if found is not None else Agency(name, UNKNOWN)


def expand_shared_suffix(names: list[str]) -> list[str]:
    """Give bare district/zone names the suffix that only the next suffixed item carries.

    ["武昌", "洪山", "江夏区人民政府"] → three district governments; ["东湖高新区", "武汉经开区",
    "临空港开发区管委会"] → three committees. Other items are returned unchanged.
    """
    out = list(names)
    for i, name in enumerate(out):
        kind = _bare_kind(name)
        if kind is None:
            continue
        following = next((n for n in out[i + 1 :] if _bare_kind(n) is None), None)
        if following is not None and _suffix_kind(following) == kind:
            out[i] = resolve_unit(name).canonical
    return out


def _bare_kind(name: str) -> str | None:
    """ "district"/"zone" when the name is a bare district or zone name without its suffix."""
    cleaned = clean_unit(name)
    if cleaned.endswith(("人民政府", "政府", _ZONE_SUFFIX)):
        return None
    agency = alias_table().get(cleaned)
    return agency.kind if agency is not None and agency.kind in ("district", "zone") else None


def _suffix_kind(name: str) -> str | None:
    cleaned = clean_unit(_NOTE.sub("", name))
    if cleaned.endswith(_GOVERNMENT_SUFFIXES):  # 江夏区人民政府, also 各新城区人民政府
        return "district"
    return "zone" if cleaned.endswith(_ZONE_SUFFIX) else None


def unknown_units(raws: Iterable[str]) -> list[str]:
    """The distinct units (cleaned, first-seen order) that the alias table does not know."""
    seen: dict[str, None] = {}
    for raw in raws:
        agency = resolve_unit(raw)
        if agency.kind == UNKNOWN:
            seen.setdefault(agency.canonical, None)
    return list(seen)
