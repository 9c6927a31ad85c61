"""Parse one source document into tasks and an account of every non-empty line."""

from __future__ import annotations

from collections import Counter
from functools import cache
from itertools import pairwise

from assignments.agencies import expand_shared_suffix, resolve_unit
from assignments.context import framing
from assignments.lines import has_unit_annotation
from assignments.locate import Layout, is_numbered_line, locate
from assignments.metadata import infer_meta
from assignments.model import CoverageLine, ParsedDocument, PlanMeta, Task, UnitRef
from assignments.outline import Outline, RawItem, walk_body
from assignments.reading import SourceError, SourceText
from assignments.schema import ROLE_DERIVED_LEAD, ROLE_LEAD, ROLE_RESPONSIBLE
from assignments.sectors import assign_sector
from assignments.text import normalise
from assignments.units import split_annotation
from assignments.wrapper import match_wrapper

#: A document counts as annotated (units named per item) from this many unit annotations.
MIN_ANNOTATIONS = 3
#: Up to this many item numbers missing from a plan is a quiet warning; more is loud.
MAX_QUIET_GAPS = 3
MAX_LISTED_LINES = 12


def parse_document(source: SourceText, meta: PlanMeta | None = None) -> ParsedDocument:
    """Parse a decoded document; `meta` from the manifest, else inferred from the text."""
    lines = [normalise(line) for line in source.lines]
    layout = locate(lines)
    if layout is None:
        raise SourceError(
            f"{source.path}: no numbered items or headings found: not a plan document"
        )
    title_lines = [lines[i] for i in layout.title]
    if meta is None:
        meta = infer_meta(lines, title_lines, source.name)
    annotated = sum(has_unit_annotation(line) for line in lines) >= MIN_ANNOTATIONS
    outline = walk_body(
        lines,
        layout.body_start,
        layout.body_end,
        annotated=annotated,
        first_inferred=layout.first_item_inferred,
    )
    if not outline.items:
        raise SourceError(f"{source.path}: no numbered items found: not a plan document")
    tasks = _tasks(outline.items, meta.plan_id, source.name)
    tasks = _set_aside_context(outline, tasks, annotated=annotated)
    coverage = _coverage(lines, layout, outline, source.name)
    warnings = list(source.warnings) + _numbering_warnings(outline.items, coverage, source.name)
    warnings += [f"{source.name}:{i + 1}: {detail}" for i, detail in outline.repairs]
    return ParsedDocument(source.name, meta, tasks, coverage, tuple(warnings), tuple(title_lines))


def _tasks(items: list[RawItem], plan_id: str, file_name: str) -> tuple[Task, ...]:
    tasks: list[Task] = []
    unnumbered: Counter[tuple[int, int]] = Counter()
    seen: Counter[str] = Counter()
    for item in items:
        if item.number:
            key = item.number
        else:
            unnumbered[(item.p, item.c)] += 1
            key = f"u{unnumbered[(item.p, item.c)]}"
        task_id = f"{plan_id}-{item.p}.{item.c}.{key}"
        seen[task_id] += 1
        if seen[task_id] > 1:
            task_id = f"{task_id}-{seen[task_id]}"
        tasks.append(_task(item, task_id, plan_id, file_name))
    return tuple(tasks)


def _set_aside_context(
    outline: Outline, tasks: tuple[Task, ...], *, annotated: bool
) -> tuple[Task, ...]:
    """Framing paragraphs (review, situation, guiding thought, closing) leave the tasks and
    become `context` lines. Only in documents that name no units: an item with its units is a
    task whatever its wording. Task ids are given first, so the others keep theirs."""
    if annotated:
        return tasks
    kept = []
    for item, task in zip(outline.items, tasks, strict=True):
        found = framing(item.text)
        if found is None:
            kept.append(task)
            continue
        for i in item.lines:
            outline.statuses[i] = ("context", f"{found.role}: {found.reason}")
    return tuple(kept)


def _task(item: RawItem, task_id: str, plan_id: str, file_name: str) -> Task:
    ann = split_annotation(item.text)
    units = resolve_units(ann.units)
    text = ann.text
    sector = assign_sector(
        part=item.part, chapter=item.chapter, subsection=item.subsection, text=text
    )
    return Task(
        task_id=task_id,
        plan_id=plan_id,
        part=item.part,
        chapter=item.chapter,
        subsection=item.subsection,
        item_no=item.label,
        text=text,
        units=units,
        source_file=file_name,
        source_line=item.lines[0] + 1,
        sector=sector,
    )


@cache  # pure; a plan repeats the same unit lists, and fuzzing re-parses the same items
def resolve_units(written: tuple[tuple[str, str], ...]) -> tuple[UnitRef, ...]:
    """Canonical units by role; with no lead named, the responsible units also lead (derived)."""
    refs: list[UnitRef] = []
    for role in (ROLE_LEAD, ROLE_RESPONSIBLE):
        raws = [raw for raw, r in written if r == role]
        for raw, name in zip(raws, expand_shared_suffix(raws), strict=True):
            agency = resolve_unit(name)  # 武昌 in 武昌、洪山区人民政府 → 武昌区人民政府
            refs.append(UnitRef(raw, agency.canonical, agency.kind, role))
    if refs and not any(r.role == ROLE_LEAD for r in refs):
        refs += [UnitRef(r.unit_raw, r.unit, r.unit_kind, ROLE_DERIVED_LEAD) for r in refs]
    return tuple(refs)


def _coverage(
    lines: list[str], layout: Layout, outline: Outline, file_name: str
) -> tuple[CoverageLine, ...]:
    out = []
    for i, line in enumerate(lines):
        if not line:
            continue
        status, detail = _line_status(i, line, layout, outline)
        out.append(CoverageLine(file_name, i + 1, status, detail))
    return tuple(out)


def _line_status(i: int, line: str, layout: Layout, outline: Outline) -> tuple[str, str]:
    if layout.body_start <= i < layout.body_end:
        return outline.statuses[i]
    wrapper = match_wrapper(line)
    if wrapper is not None:
        return wrapper.status, wrapper.reason
    if is_numbered_line(line):  # never filed away as noise: reported for a person to place
        where = "before" if i < layout.body_start else "after"
        return "unparsed", f"numbered line {where} the plan text, outside its item sequence"
    if i in layout.title:
        return "heading", "plan title"
    if i >= layout.body_end:
        return layout.tail_status, "after the plan text"
    if layout.notice_start is not None and i >= layout.notice_start:
        return "metadata", "notice and preamble before the plan"
    if layout.notice_start is not None:
        return "noise", "page or forum text before the official document"
    return "unparsed", "before the plan body; not recognised"


def _numbering_warnings(
    items: list[RawItem], coverage: tuple[CoverageLine, ...], file_name: str
) -> list[str]:
    """Gaps in item numbering within a part (a lost item), and numbered lines not placed.

    More than MAX_QUIET_GAPS numbers missing, or any numbered line left unplaced, is a loud
    warning first in the list, so a build summary cannot bury a plan that lost its items.
    """
    jumps, missing = [], []
    by_part: dict[int, list[int]] = {}
    for item in items:
        if item.number:
            by_part.setdefault(item.p, []).append(int(item.number))
    for p, numbers in by_part.items():
        for a, b in pairwise(numbers):
            if b > a + 1:
                gap = f"{a + 1}" if b == a + 2 else f"{a + 1}-{b - 1}"
                where = f"part {p}" if p else "items"
                missing.append((b - a - 1, f"{where} {gap}"))
                jumps.append(f"{file_name}: {where}: numbers jump {a}→{b} (missing {gap})")
    loud = []
    n_missing = sum(n for n, _ in missing)
    if n_missing > MAX_QUIET_GAPS:
        gaps = ", ".join(name for _, name in missing)
        loud.append(
            f"ITEMS MISSING: {file_name}: {n_missing} item numbers missing from the sequence "
            f"({gaps}); check the source for lost items"
        )
    unplaced = [c.line_no for c in coverage if c.status == "unparsed" and _is_numbered_detail(c)]
    if unplaced:
        listed = ", ".join(str(n) for n in unplaced[:MAX_LISTED_LINES])
        more = " …" if len(unplaced) > MAX_LISTED_LINES else ""
        loud.append(
            f"NUMBERED LINES NOT PLACED: {file_name}: {len(unplaced)} numbered lines are outside "
            f"the plan's outline (lines {listed}{more}); they are in coverage.csv as unparsed"
        )
    return loud + jumps


LOUD_WARNINGS = ("ITEMS MISSING", "NUMBERED LINES NOT PLACED")


def is_loud(warning: str) -> bool:
    """A warning that a summary must put first and mark: the plan may have lost items."""
    return warning.startswith(LOUD_WARNINGS)


def numbering_gaps(warnings: tuple[str, ...] | list[str]) -> list[str]:
    """The gaps named in numbering warnings (`part 2 151-237`), for a plan's note."""
    return [w.split("(missing ", 1)[1].rstrip(")") for w in warnings if "numbers jump" in w]


def _is_numbered_detail(line: CoverageLine) -> bool:
    return line.detail.startswith(("numbered line", "bare item number", "a task line"))
