"""The view state in the URL query: pure parse and serialise, validated at the boundary."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from dashboard.data import AtlasData, place_table
from dashboard.filters import ROLE_LABELS, SPECIFIC_LINKS, CountMode, Filters

KNOWN_KEYS = ("plan", "sector", "agency", "role", "link", "q", "mode", "place", "zones")
MAX_KEYWORD = 50


@dataclass(frozen=True)
class Vocabulary:
    """Values a URL may name; anything else falls back to the default with a notice."""

    plans: frozenset[str]
    sectors: frozenset[str]
    agencies: frozenset[str]
    places: frozenset[str]


@functools.cache
def vocabulary(data: AtlasData) -> Vocabulary:
    """The plan ids, sectors, canonical units and place names in the data."""
    return Vocabulary(
        plans=frozenset(data.plans["plan_id"]),
        sectors=frozenset(data.tasks["sector"]),
        agencies=frozenset(data.task_units["unit"]),
        places=frozenset(place_table(data)["name"]),
    )


def _known(
    values: list[str], allowed: frozenset[str], label: str, notices: list[str]
) -> tuple[str, ...]:
    bad = [v for v in values if v not in allowed]
    if bad:
        notices.append(f"未知{label}:{'、'.join(bad)},已忽略")
    return tuple(dict.fromkeys(v for v in values if v in allowed))


def _one(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def _choice(
    value: str | None, allowed: tuple[str, ...], label: str, notices: list[str]
) -> str | None:
    if value is None or value in allowed:
        return value
    notices.append(f"无效的{label}“{value}”,已使用默认值")
    return None


def parse_query(search: str | None, vocab: Vocabulary) -> tuple[Filters, tuple[str, ...]]:
    """Filters named by `?plan=…&sector=…`; invalid parts fall back to defaults, with notices."""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    notices: list[str] = []
    unknown = [k for k in query if k not in KNOWN_KEYS]
    if unknown:
        notices.append(f"未知参数:{'、'.join(unknown)},已忽略")
    agency = _known(query.get("agency", [])[-1:], vocab.agencies, "单位", notices)
    place = _known(query.get("place", [])[-1:], vocab.places, "地点", notices)
    links = _known(query.get("link", []), frozenset(SPECIFIC_LINKS), "关联方式", notices)
    keyword = (_one(query, "q") or "").strip()
    if len(keyword) > MAX_KEYWORD:
        notices.append(f"关键词超过{MAX_KEYWORD}字,已截断")
    mode = _choice(_one(query, "mode"), tuple(CountMode), "计数口径", notices)
    role = _choice(_one(query, "role"), tuple(ROLE_LABELS), "单位角色", notices)
    zones = _choice(_one(query, "zones"), ("0", "1"), "功能区开关", notices)
    filters = Filters(
        plans=_known(query.get("plan", []), vocab.plans, "计划", notices),
        sectors=_known(query.get("sector", []), vocab.sectors, "领域", notices),
        agency=agency[0] if agency else None,
        agency_role=role or "any",
        links=links,
        keyword=keyword[:MAX_KEYWORD],
        mode=CountMode(mode) if mode else CountMode.SPECIFIC,
        place=place[0] if place else None,
        show_zones=zones != "0",
    )
    return filters, tuple(notices)


def to_query(filters: Filters) -> str:
    """`?…` for the non-default parts of `filters` ("" when everything is default)."""
    pairs: list[tuple[str, str]] = [("plan", p) for p in filters.plans]
    pairs += [("sector", s) for s in filters.sectors]
    if filters.agency:
        pairs.append(("agency", filters.agency))
    if filters.agency_role != "any":
        pairs.append(("role", filters.agency_role))
    pairs += [("link", link) for link in filters.links]
    if filters.keyword.strip():
        pairs.append(("q", filters.keyword.strip()))
    if filters.mode != CountMode.SPECIFIC:
        pairs.append(("mode", str(filters.mode)))
    if filters.place:
        pairs.append(("place", filters.place))
    if not filters.show_zones:
        pairs.append(("zones", "0"))
    return "?" + urlencode(pairs) if pairs else ""
