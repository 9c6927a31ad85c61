"""Typed loaders for the reviewable place tables in geodata/data/, with validation at the boundary.

The tables: places.csv (districts and zones), groups.csv (各区 / 各中心城区 / 各新城区 / 相关区 by
year), gazetteer.csv (named places → units), outside_places.csv, unlocated.csv (place words that
are recognised but deliberately not located) and precision_codes.csv.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assignments.tables import Row
from assignments.tables import read_table as _read_table

DATA_DIR = Path(__file__).parent / "data"
SEP = "|"
PLACE_KINDS = ("district", "zone")
GROUP_CODES = ("ALL", "CENTRAL", "NEW", "RELATED")
GAZETTEER_PRECISIONS = ("site", "area")

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "places.csv": ("id", "name", "kind", "code", "aliases", "overlaps", "note"),
    "groups.csv": ("group", "phrases", "year_from", "year_to", "members", "reasoning"),
    "gazetteer.csv": ("name", "aliases", "units", "precision", "seen_in", "reason"),
    "outside_places.csv": ("name", "aliases", "kind", "note"),
    "unlocated.csv": ("name", "seen_in", "reason"),
    "precision_codes.csv": ("code", "label_zh", "label_en", "applies_to", "aiddata_analogue"),
}


@dataclass(frozen=True)
class Place:
    """A district or functional zone: the units tasks are tagged to."""

    id: str
    name: str
    kind: str
    code: str
    aliases: tuple[str, ...]
    overlaps: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Group:
    """A group phrase's members for the plan years year_from..year_to (RELATED has none)."""

    code: str
    phrases: tuple[str, ...]
    year_from: int
    year_to: int
    members: tuple[str, ...]
    reasoning: str


@dataclass(frozen=True)
class GazetteerEntry:
    """A named place or project and the unit(s) it lies in (outside places allowed)."""

    name: str
    aliases: tuple[str, ...]
    units: tuple[str, ...]
    precision: str
    seen_in: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class OutsidePlace:
    """A place outside Wuhan, kept as `outside` rather than forced onto a district."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    note: str


@dataclass(frozen=True)
class Unlocated:
    """A place word recognised but not located: it blocks shorter matches inside it."""

    name: str
    seen_in: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class PlaceTables:
    """All place tables, loaded once and read-only."""

    places: tuple[Place, ...]
    groups: tuple[Group, ...]
    gazetteer: tuple[GazetteerEntry, ...]
    outside: tuple[OutsidePlace, ...]
    unlocated: tuple[Unlocated, ...]

    def place(self, name: str) -> Place:
        """The district or zone with this display name."""
        for p in self.places:
            if p.name == name:
                return p
        raise KeyError(name)

    def group_members(self, code: str, year: int | None) -> tuple[str, ...]:
        """Members of a group for a plan year; the nearest defined years if `year` is outside them.

        `year=None` takes the latest definition.
        """
        rows = [g for g in self.groups if g.code == code]
        if not rows:
            raise KeyError(code)
        if year is None:
            return max(rows, key=lambda g: g.year_to).members
        return min(rows, key=lambda g: _distance(g, year)).members


def _distance(group: Group, year: int) -> int:
    return max(group.year_from - year, 0, year - group.year_to)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in cell.split(SEP) if s.strip())


def read_table(path: Path) -> list[Row]:
    """Rows of one place table, its REQUIRED_COLUMNS checked (TableError naming row and column)."""
    return _read_table(path, REQUIRED_COLUMNS[path.name])


def load_tables(data_dir: Path = DATA_DIR) -> PlaceTables:
    """Load and validate every place table; ValueError listing every problem found."""
    rows = {name: read_table(data_dir / name) for name in REQUIRED_COLUMNS}
    tables = PlaceTables(
        places=tuple(
            Place(
                r["id"],
                r["name"],
                r["kind"],
                r["code"],
                _split(r["aliases"]),
                _split(r["overlaps"]),
                r["note"],
            )
            for r in rows["places.csv"]
        ),
        groups=tuple(
            Group(
                r["group"],
                _split(r["phrases"]),
                int(r["year_from"]),
                int(r["year_to"]),
                _split(r["members"]),
                r["reasoning"],
            )
            for r in rows["groups.csv"]
        ),
        gazetteer=tuple(
            GazetteerEntry(
                r["name"],
                _split(r["aliases"]),
                _split(r["units"]),
                r["precision"],
                _split(r["seen_in"]),
                r["reason"],
            )
            for r in rows["gazetteer.csv"]
        ),
        outside=tuple(
            OutsidePlace(r["name"], _split(r["aliases"]), r["kind"], r["note"])
            for r in rows["outside_places.csv"]
        ),
        unlocated=tuple(
            Unlocated(r["name"], _split(r["seen_in"]), r["reason"]) for r in rows["unlocated.csv"]
        ),
    )
    problems = errors(tables)
    if problems:
        raise ValueError(f"{data_dir}: " + "; ".join(problems))
    return tables


@lru_cache(maxsize=1)
def default_tables() -> PlaceTables:
    """The bundled tables (cached: they are read-only)."""
    return load_tables()


def errors(tables: PlaceTables) -> list[str]:
    """Every consistency problem in the tables, as messages naming the table and the entry."""
    names = {p.name for p in tables.places}
    outside = {o.name for o in tables.outside}
    out = [
        f"places.csv: {p.name}: kind {p.kind!r}" for p in tables.places if p.kind not in PLACE_KINDS
    ]
    out += [
        f"places.csv: {p.name}: overlaps unknown {o}"
        for p in tables.places
        for o in p.overlaps
        if o not in names
    ]
    out += [
        f"groups.csv: unknown group {g.code}" for g in tables.groups if g.code not in GROUP_CODES
    ]
    out += [
        f"groups.csv: {g.code} {g.year_from}: unknown member {m}"
        for g in tables.groups
        for m in g.members
        if m not in names
    ]
    out += [
        f"groups.csv: {g.code} {g.year_from}: year_from > year_to"
        for g in tables.groups
        if g.year_from > g.year_to
    ]
    out += [
        f"gazetteer.csv: {e.name}: unknown unit {u}"
        for e in tables.gazetteer
        for u in e.units
        if u not in names | outside
    ]
    out += [
        f"gazetteer.csv: {e.name}: precision {e.precision!r}"
        for e in tables.gazetteer
        if e.precision not in GAZETTEER_PRECISIONS
    ]
    out += [f"gazetteer.csv: {e.name}: no reason" for e in tables.gazetteer if not e.reason]
    out += [f"duplicate place word {w}" for w in _duplicates(tables)]
    return out


def place_words(tables: PlaceTables) -> list[str]:
    """Every name and alias across the tables (for duplicate checks)."""
    words = [w for p in tables.places for w in (p.name, *p.aliases)]
    words += [w for e in tables.gazetteer for w in (e.name, *e.aliases)]
    words += [w for o in tables.outside for w in (o.name, *o.aliases)]
    return words + [u.name for u in tables.unlocated]


def _duplicates(tables: PlaceTables) -> list[str]:
    seen: set[str] = set()
    dups = []
    for w in place_words(tables):
        if w in seen:
            dups.append(w)
        seen.add(w)
    return dups


@dataclass(frozen=True)
class PrecisionCode:
    """One code of the location-precision list (modelled on AidData/IATI precision codes)."""

    code: int
    label_zh: str
    label_en: str
    applies_to: str


def load_precision_codes(data_dir: Path = DATA_DIR) -> tuple[PrecisionCode, ...]:
    """The precision code list, in code order."""
    rows = read_table(data_dir / "precision_codes.csv")
    codes = tuple(
        PrecisionCode(int(r["code"]), r["label_zh"], r["label_en"], r["applies_to"]) for r in rows
    )
    return tuple(sorted(codes, key=lambda c: c.code))
