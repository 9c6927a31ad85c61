"""The parsed shapes: plans, tasks, units and the account of every source line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitRef:
    """A unit named for a task: as written, canonical, its kind and its role."""

    unit_raw: str
    unit: str
    unit_kind: str
    role: str


@dataclass(frozen=True)
class Task:
    """One numbered (or unnumbered) item of a plan, with where it came from."""

    task_id: str
    plan_id: str
    part: str
    chapter: str
    subsection: str
    item_no: str
    text: str
    units: tuple[UnitRef, ...]
    source_file: str
    source_line: int
    sector: str = ""

    def units_in(self, *roles: str) -> list[str]:
        """Canonical names with one of `roles`, in order, without repeats."""
        seen: dict[str, None] = {}
        for u in self.units:
            if u.role in roles:
                seen.setdefault(u.unit)
        return list(seen)


@dataclass(frozen=True)
class CoverageLine:
    """What became of one non-empty source line."""

    source_file: str
    line_no: int
    status: str  # task | heading | metadata | noise | unparsed
    detail: str


@dataclass(frozen=True)
class PlanMeta:
    """Plan metadata from the manifest, or inferred from the document's own text."""

    plan_id: str
    title: str = ""
    kind: str = ""
    year: int | None = None
    doc_no: str = ""
    issuer: str = ""
    issued_on: str = ""
    notes: str = ""
    inferred: tuple[str, ...] = ()  # fields taken from the text, not the manifest
    missing: tuple[str, ...] = ()  # fields that could not be inferred


@dataclass(frozen=True)
class ParsedDocument:
    """One source file parsed: its tasks, line coverage and anything worth reporting."""

    source_file: str
    meta: PlanMeta
    tasks: tuple[Task, ...]
    coverage: tuple[CoverageLine, ...]
    warnings: tuple[str, ...] = field(default=())
    title_lines: tuple[str, ...] = field(default=())
