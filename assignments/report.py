"""Plain-text and JSON reports for the command line: build summaries and single-document checks."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from assignments.corpus import CorpusTables
from assignments.document import is_loud, parse_document
from assignments.lines import classify
from assignments.model import ParsedDocument
from assignments.reading import SourceText, read_source
from assignments.text import normalise

MAX_LISTED = 8


def build_summary(tables: CorpusTables, task_places: pd.DataFrame | None, out: Path) -> str:
    """One block per plan: tasks, units, unparsed lines, unknown units, warnings."""
    lines = [f"wrote {out}/"]
    for plan_id, rep in tables.report.items():
        lines.append(
            f"  {plan_id}: {rep['tasks']} tasks, {rep['units']} unit mentions, "
            f"{len(rep['unparsed_lines'])} unparsed lines, "
            f"{len(rep['unknown_units'])} unknown units  ({' + '.join(rep['sources'])})"
        )
        for u in rep["unparsed_lines"][:MAX_LISTED]:
            lines.append(f"    unparsed {u['file']}:{u['line']}: {u['detail']}")
        for name in rep["unknown_units"][:MAX_LISTED]:
            lines.append(f"    unknown unit: {name}")
        lines.extend(f"    !! {w}" for w in rep["warnings"] if is_loud(w))
        quiet = [w for w in rep["warnings"] if not is_loud(w)]
        lines.extend(f"    warning: {w}" for w in quiet[:MAX_LISTED])
        if rep.get("added_from_other_copies"):
            lines.append(
                f"    added from other copies: {', '.join(rep['added_from_other_copies'])}"
            )
        for d in rep.get("differences", [])[:MAX_LISTED]:
            lines.append(f"    copies differ: {d}")
        if rep.get("lacks"):
            lines.append(f"    note: {rep['lacks']}")
        if rep["metadata_missing"]:
            lines.append(
                f"    metadata not found in the text: {', '.join(rep['metadata_missing'])}"
            )
    if task_places is not None:
        placed = task_places["task_id"].nunique()
        lines.append(f"  place tags: {len(task_places)} rows on {placed} tasks")
    return "\n".join(lines)


def parse_report(path: Path, *, as_json: bool = False) -> tuple[str, bool]:
    """What one document parses into, for a user checking a new document before adding it.

    The flag is False when the document would lose items in a build (see `parse_problems`).
    """
    source = read_source(path)
    doc = parse_document(source)
    problems = parse_problems(doc, source)
    if as_json:
        report = {**_as_dict(doc), "ok": not problems, "problems": problems}
        return json.dumps(report, ensure_ascii=False, indent=2), not problems
    verdict = [f"  FAILED: {p}" for p in problems] or ["  ok"]
    return "\n".join([_as_text(doc), *verdict]), not problems


def parse_problems(doc: ParsedDocument, source: SourceText) -> list[str]:
    """Why this document is not ready for a build: no tasks, or numbered lines left unparsed
    (each is an item the task table would lack)."""
    problems = [] if doc.tasks else ["no tasks found"]
    numbered = [
        c.line_no
        for c in doc.coverage
        if c.status == "unparsed" and classify(normalise(source.lines[c.line_no - 1])).number
    ]
    if numbered:
        listed = ", ".join(map(str, numbered[:MAX_LISTED]))
        problems.append(f"{len(numbered)} numbered line(s) not parsed as items (line {listed})")
    return problems


def _as_dict(doc: ParsedDocument) -> dict[str, object]:
    return {
        "source_file": doc.source_file,
        "meta": asdict(doc.meta),
        "tasks": [asdict(t) for t in doc.tasks],
        "coverage": Counter(c.status for c in doc.coverage),
        "unparsed": [asdict(c) for c in doc.coverage if c.status == "unparsed"],
        "warnings": list(doc.warnings),
    }


def _as_text(doc: ParsedDocument) -> str:
    m = doc.meta
    out = [
        f"{doc.source_file}",
        f"  plan_id:   {m.plan_id}",
        f"  title:     {m.title or '—'}",
        f"  kind:      {m.kind or '—'}",
        f"  year:      {m.year or '—'}",
        f"  doc_no:    {m.doc_no or '—'}",
        f"  issuer:    {m.issuer or '—'}",
        f"  issued_on: {m.issued_on or '—'}",
    ]
    if m.missing:
        out.append(f"  not found in the text: {', '.join(m.missing)} (add them to manifest.toml)")
    out.append(f"  tasks: {len(doc.tasks)}")
    for part, n in Counter(t.part or "(no part heading)" for t in doc.tasks).items():
        out.append(f"    {part}: {n}")
    counts = Counter(c.status for c in doc.coverage)
    out.append("  lines: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for c in [c for c in doc.coverage if c.status == "unparsed"][:MAX_LISTED]:
        out.append(f"    unparsed line {c.line_no}: {c.detail}")
    unknown = sorted({u.unit_raw for t in doc.tasks for u in t.units if u.unit_kind == "unknown"})
    for name in unknown[:MAX_LISTED]:
        out.append(f"    unknown unit: {name}")
    out.extend(f"  !! {w}" for w in doc.warnings if is_loud(w))
    out.extend(f"  warning: {w}" for w in doc.warnings if not is_loud(w))
    out.append("  first tasks:")
    for t in doc.tasks[:3]:
        out.append(
            f"    {t.task_id} {t.text[:40]}… 牵头:{'、'.join(t.units_in('lead', 'derived_lead'))}"
        )
    return "\n".join(out)
