"""Tag tasks to districts and zones, always with the evidence: named units, groups, place words.

Pure functions over the reviewable tables in geodata/data/ (see geodata.places). Precision codes
are defined in geodata/data/precision_codes.csv.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from assignments.model import UnitRef
from assignments.schema import (
    EVIDENCE_SEPARATOR,
    PLACE_KIND_UNSPECIFIED,
    PLACE_UNSPECIFIED,
    ROLE_DERIVED_LEAD,
    ROLE_LEAD,
    TASK_PLACES_COLUMNS,
)
from geodata.places import PlaceTables, default_tables

LINK_LEAD, LINK_RESPONSIBLE, LINK_MENTION, LINK_GROUP = "lead", "responsible", "mention", "group"
OUTSIDE = "outside"
SITE, AREA, DISTRICT, ZONE, SEVERAL, CITY_GROUP, OUTSIDE_CITY, UNSPECIFIED = range(1, 9)
NAMED_PRECISIONS = (DISTRICT, ZONE)
UNIT_SUFFIXES = ("人民政府", "管理委员会", "管委会", "政府")
_NOTE = re.compile(r"〈[^〈〉]*〉")


@dataclass(frozen=True)
class PlaceLink:
    """One task-to-place tag: how it is linked and the words that prove it."""

    place: str  # display name, outside place, or PLACE_UNSPECIFIED for 相关区 (RELATED)
    place_kind: str  # district / zone / outside / unspecified
    link: str  # lead / responsible / mention / group
    group: str  # ALL / CENTRAL / NEW / RELATED, "" unless link is group
    evidence: str  # the unit as written, or the exact words matched
    precision: int  # code from precision_codes.csv


class PlaceIndex:
    """Lookups compiled once from the place tables: unit aliases, group phrases, text words."""

    def __init__(self, tables: PlaceTables) -> None:
        self.tables = tables
        self.kind = {p.name: p.kind for p in tables.places} | {
            o.name: OUTSIDE for o in tables.outside
        }
        self.unit_alias = {w: p.name for p in tables.places for w in _unit_forms(p.name, p.aliases)}
        self.group_of = {ph: g.code for g in tables.groups for ph in g.phrases}
        self.words = self._text_words()
        ordered = sorted(self.words, key=len, reverse=True)  # leftmost-longest alternation
        self.pattern = re.compile("|".join(map(re.escape, ordered)))
        self._classified: dict[tuple[str, str], tuple[str, str]] = {}

    def _text_words(self) -> dict[str, tuple[tuple[str, int], ...]]:
        """Word → ((place, precision), …); an empty tuple marks a recognised, unlocated word."""
        t = self.tables
        words: dict[str, tuple[tuple[str, int], ...]] = {u.name: () for u in t.unlocated}
        for o in t.outside:
            words |= {w: ((o.name, OUTSIDE_CITY),) for w in (o.name, *o.aliases)}
        for e in t.gazetteer:
            base = SITE if e.precision == "site" else AREA
            hits = tuple((u, OUTSIDE_CITY if self.kind[u] == OUTSIDE else base) for u in e.units)
            words |= {w: hits for w in (e.name, *e.aliases)}
        for p in t.places:
            level = DISTRICT if p.kind == "district" else ZONE
            for w in (p.name, *p.aliases):  # unit forms in running text are units, not mentions
                words[w] = () if w.endswith(UNIT_SUFFIXES) else ((p.name, level),)
        return words

    def resolve_unit(self, unit: str) -> str | None:
        """The district or zone a unit name stands for (江夏区人民政府 → 江夏区), if any."""
        name = _NOTE.sub("", unit).strip()
        for candidate in (name, name.removeprefix("武汉市")):
            if candidate in self.unit_alias:
                return self.unit_alias[candidate]
        return None

    def classify(self, unit: str, unit_raw: str) -> tuple[str, str]:
        """(group code, "") for a group phrase, ("", place) for a district/zone, else ("", "").

        A unit whose note names a zone committee (市自贸办〈东湖高新区管委会〉) stands for it.
        """
        key = (unit, unit_raw)
        if key not in self._classified:
            names = [_NOTE.sub("", n).strip() for n in key]
            notes = [m.group(0)[1:-1] for m in _NOTE.finditer(unit_raw)]
            code = next((self.group_of[n] for n in names if n in self.group_of), "")
            place = "" if code else next(filter(None, map(self.resolve_unit, names + notes)), "")
            self._classified[key] = (code, place)
        return self._classified[key]


def _unit_forms(name: str, aliases: Iterable[str]) -> set[str]:
    forms = {name, *aliases}
    return forms | {f + s for f in forms for s in UNIT_SUFFIXES}


@lru_cache(maxsize=1)
def default_index() -> PlaceIndex:
    """The index over the bundled tables (built once; read-only)."""
    return PlaceIndex(default_tables())


def tag_task(
    text: str, units: Sequence[UnitRef], *, year: int | None, index: PlaceIndex | None = None
) -> list[PlaceLink]:
    """Every place link of one task: its district/zone units, its groups and its place words."""
    idx = index or default_index()
    links = [link for u in units for link in _unit_links(u, year, idx)]
    links += _mention_links(text, idx)
    return _several_named(_merge(links))


def _unit_links(unit: UnitRef, year: int | None, idx: PlaceIndex) -> list[PlaceLink]:
    code, place = idx.classify(unit.unit, unit.unit_raw)
    if code == "RELATED":
        return [
            PlaceLink(
                PLACE_UNSPECIFIED,
                PLACE_KIND_UNSPECIFIED,
                LINK_GROUP,
                code,
                unit.unit_raw,
                UNSPECIFIED,
            )
        ]
    if code:
        members = idx.tables.group_members(code, year)
        return [
            PlaceLink(m, idx.kind[m], LINK_GROUP, code, unit.unit_raw, CITY_GROUP) for m in members
        ]
    if not place:
        return []
    link = LINK_LEAD if unit.role in (ROLE_LEAD, ROLE_DERIVED_LEAD) else LINK_RESPONSIBLE
    level = DISTRICT if idx.kind[place] == "district" else ZONE
    return [PlaceLink(place, idx.kind[place], link, "", unit.unit_raw, level)]


def _mention_links(text: str, idx: PlaceIndex) -> list[PlaceLink]:
    links = []
    for m in idx.pattern.finditer(text):
        for place, precision in idx.words[m.group(0)]:
            links.append(PlaceLink(place, idx.kind[place], LINK_MENTION, "", m.group(0), precision))
    return links


def _merge(links: list[PlaceLink]) -> list[PlaceLink]:
    """One link per place, link type and group: evidence joined, the finest precision kept."""
    merged: dict[tuple[str, str, str], PlaceLink] = {}
    for link in links:
        key = (link.place, link.link, link.group)
        old = merged.get(key)
        if old is None:
            merged[key] = link
            continue
        evidence = old.evidence.split(EVIDENCE_SEPARATOR)
        if link.evidence not in evidence:
            evidence.append(link.evidence)
        merged[key] = replace(
            old,
            evidence=EVIDENCE_SEPARATOR.join(evidence),
            precision=min(old.precision, link.precision),
        )
    return list(merged.values())


def _several_named(links: list[PlaceLink]) -> list[PlaceLink]:
    """Districts/zones named together for the same link get precision 5 (several units)."""
    named: dict[str, set[str]] = {}
    for x in links:
        if x.precision in NAMED_PRECISIONS:
            named.setdefault(x.link, set()).add(x.place)
    return [
        replace(x, precision=SEVERAL)
        if x.precision in NAMED_PRECISIONS and len(named[x.link]) > 1
        else x
        for x in links
    ]


def tag_tasks(
    tasks: pd.DataFrame,
    task_units: pd.DataFrame,
    plans: pd.DataFrame,
    index: PlaceIndex | None = None,
) -> pd.DataFrame:
    """task_places.csv: one row per task, place, link and group (TASK_PLACES_COLUMNS)."""
    idx = index or default_index()
    years = {p: _year(y) for p, y in zip(plans["plan_id"], plans["year"], strict=True)}
    units: dict[str, list[UnitRef]] = {}
    for r in task_units.itertuples(index=False):
        units.setdefault(str(r.task_id), []).append(
            UnitRef(str(r.unit_raw), str(r.unit), str(r.unit_kind), str(r.role))
        )
    rows = []
    for task_id, plan_id, text in zip(
        tasks["task_id"], tasks["plan_id"], tasks["text"], strict=True
    ):
        links = tag_task(str(text), units.get(task_id, []), year=years.get(plan_id), index=idx)
        rows += [
            (task_id, x.place, x.place_kind, x.link, x.group, x.evidence, x.precision)
            for x in links
        ]
    return pd.DataFrame(rows, columns=list(TASK_PLACES_COLUMNS)).drop_duplicates(ignore_index=True)


def _year(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
