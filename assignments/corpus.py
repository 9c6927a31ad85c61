"""Build the plan, task, unit and coverage tables from one or more source folders."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from assignments.document import numbering_gaps, parse_document
from assignments.merge import merge_copies
from assignments.metadata import ManifestEntry, read_manifest
from assignments.model import CoverageLine, ParsedDocument, Task
from assignments.reading import SOURCE_SUFFIXES, SourceError, absent_reason, read_source
from assignments.schema import (
    COVERAGE_COLUMNS,
    PLANS_COLUMNS,
    ROLE_DERIVED_LEAD,
    ROLE_LEAD,
    ROLE_RESPONSIBLE,
    SAME_TARGET,
    TASK_UNITS_COLUMNS,
    TASKS_COLUMNS,
    UNIT_SEPARATOR,
)
from assignments.targets import TargetTask, link_targets


@dataclass(frozen=True)
class CorpusTables:
    """The four tables of the output contract plus a per-plan report."""

    plans: pd.DataFrame
    tasks: pd.DataFrame
    task_units: pd.DataFrame
    coverage: pd.DataFrame
    report: dict[str, Any]


@dataclass
class _Plan:
    docs: list[ParsedDocument]
    entry: ManifestEntry | None


def bundled_sources() -> Path:
    """The corpus shipped with the package."""
    return Path(str(resources.files("assignments").joinpath("sources")))


def source_files(folder: Path) -> list[Path]:
    """The documents in a folder, in name order."""
    if not folder.exists():
        reason = absent_reason(folder)
        raise SourceError(
            f"{folder}: {'no such folder' if reason.startswith('no such') else reason}"
        )
    if not folder.is_dir():
        return [folder]
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)


def build_tables(source_dirs: Sequence[Path] | None = None) -> CorpusTables:
    """Parse every document of the folders (default: the bundled corpus) into tables."""
    plans: dict[str, _Plan] = {}
    read: dict[Path, Path] = {}  # each document once: a file read twice is not a second copy
    for folder in source_dirs or [bundled_sources()]:
        manifest = read_manifest(folder) if folder.is_dir() else {}
        files = source_files(folder)
        if not files:
            raise SourceError(f"{folder}: no documents (*.txt) in this folder")
        for path in files:
            first = read.setdefault(Path(os.path.realpath(path)), path)  # never raises on a loop
            if first is not path:
                raise SourceError(
                    f"{path}: the same document as {first} (a folder given twice, or a link); "
                    "it would count as a second copy of its plan"
                )
            entry = manifest.get(path.name)
            doc = parse_document(read_source(path), entry.meta if entry else None)
            plan = plans.setdefault(doc.meta.plan_id, _Plan([], entry))
            plan.docs.append(doc)
    return _tables(plans)


def _tables(plans: dict[str, _Plan]) -> CorpusTables:
    plan_rows: list[dict[str, Any]] = []
    tasks: list[Task] = []
    coverage: list[CoverageLine] = []
    report: dict[str, Any] = {}
    for plan_id, plan in plans.items():
        docs = _ordered(plan)
        merged, merge_report = _merge(docs)
        tasks.extend(merged)
        coverage.extend(line for doc in docs for line in doc.coverage)
        plan_rows.append(_plan_row(plan, docs, len(merged)))
        report[plan_id] = _plan_report(plan, docs, merged, merge_report)
    links = link_targets([TargetTask(t.task_id, t.plan_id, t.part, t.text) for t in tasks])
    return CorpusTables(
        plans=pd.DataFrame(plan_rows, columns=[*PLANS_COLUMNS, "period", "notes"]),
        tasks=pd.DataFrame([_task_row(t, links) for t in tasks], columns=list(TASKS_COLUMNS)),
        task_units=pd.DataFrame(
            [(t.task_id, u.unit_raw, u.unit, u.unit_kind, u.role) for t in tasks for u in t.units],
            columns=list(TASK_UNITS_COLUMNS),
        ),
        coverage=pd.DataFrame(
            [(c.source_file, c.line_no, c.status, c.detail) for c in coverage],
            columns=list(COVERAGE_COLUMNS),
        ),
        report=report,
    )


def _ordered(plan: _Plan) -> list[ParsedDocument]:
    """Primary copy first: the manifest's order, else the copy with the most tasks."""
    if plan.entry is not None:
        order = {name: i for i, name in enumerate(plan.entry.files)}
        return sorted(plan.docs, key=lambda d: order.get(d.source_file, len(order)))
    return sorted(plan.docs, key=lambda d: -len(d.tasks))


def _merge(docs: list[ParsedDocument]) -> tuple[tuple[Task, ...], dict[str, list[str]]]:
    tasks = docs[0].tasks
    added: list[str] = []
    differences: list[str] = []
    for doc in docs[1:]:
        result = merge_copies(tasks, doc.tasks)
        tasks, added, differences = (
            result.tasks,
            added + list(result.added),
            differences + list(result.differences),
        )
    return tasks, {"added_from_other_copies": added, "differences": differences}


def lacks_note(doc: ParsedDocument) -> str:
    """`this copy lacks paragraphs 5–6, 18–21, 38, 51`: the numbering gaps of a copy, said in
    the plan's note so that nobody reads its count as the whole plan."""
    gaps = [g.replace("-", "–") for g in numbering_gaps(doc.warnings)]
    if not gaps:
        return ""
    what = "items" if any(g.startswith("part") for g in gaps) else "paragraphs"
    return f"this copy lacks {what} {', '.join(gaps)} (numbering gaps)"


_LACKS = re.compile(r"this copy lacks (items|paragraphs) (.+?) \(numbering gaps\)")


def lacking_in_note(notes: str) -> tuple[str, list[str]] | None:
    """What `lacks_note` wrote into a plan's notes: ("paragraphs" or "items", the gaps)."""
    found = _LACKS.search(notes or "")
    return (found.group(1), found.group(2).split(", ")) if found else None


def _plan_row(plan: _Plan, docs: list[ParsedDocument], n_tasks: int) -> dict[str, Any]:
    meta = docs[0].meta
    entry = plan.entry
    notes = [n for n in (entry.notes if entry else ("metadata inferred from text",)) if n]
    notes += [note for note in (lacks_note(docs[0]),) if note]
    return {
        "plan_id": meta.plan_id,
        "title": meta.title,
        "kind": meta.kind,
        "year": meta.year,
        "doc_no": meta.doc_no,
        "issuer": meta.issuer,
        "issued_on": meta.issued_on,
        "n_tasks": n_tasks,
        "sources": UNIT_SEPARATOR.join(d.source_file for d in docs),
        "period": entry.period if entry else "",
        "notes": "; ".join(notes),
    }


def _task_row(task: Task, links: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    return {
        "task_id": task.task_id,
        "plan_id": task.plan_id,
        "part": task.part,
        "chapter": task.chapter,
        "subsection": task.subsection,
        "item_no": task.item_no,
        "text": task.text,
        "lead_units": UNIT_SEPARATOR.join(task.units_in(ROLE_LEAD, ROLE_DERIVED_LEAD)),
        "responsible_units": UNIT_SEPARATOR.join(task.units_in(ROLE_RESPONSIBLE)),
        "sector": task.sector,
        "source_file": task.source_file,
        "source_line": task.source_line,
        SAME_TARGET: UNIT_SEPARATOR.join(links.get(task.task_id, ())),
    }


def _plan_report(
    plan: _Plan, docs: list[ParsedDocument], tasks: tuple[Task, ...], merge: dict[str, list[str]]
) -> dict[str, Any]:
    unknown = sorted({u.unit_raw for t in tasks for u in t.units if u.unit_kind == "unknown"})
    unparsed = [
        {"file": c.source_file, "line": c.line_no, "detail": c.detail}
        for d in docs
        for c in d.coverage
        if c.status == "unparsed"
    ]
    meta = docs[0].meta
    return {
        "title": meta.title,
        "sources": [d.source_file for d in docs],
        "tasks": len(tasks),
        "units": sum(len(t.units) for t in tasks),
        "unparsed_lines": unparsed,
        "unknown_units": unknown,
        "warnings": [w for d in docs for w in d.warnings],
        "metadata_inferred": list(meta.inferred),
        "metadata_missing": list(meta.missing),
        "lacks": lacks_note(docs[0]),
        **merge,
    }
