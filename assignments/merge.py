"""Merge a second copy of the same plan into the primary one, reporting what differs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from assignments.decisions import decide
from assignments.model import Task

#: Texts this similar (0-1) with the same item number are the same item.
SAME_ITEM = 0.5


@dataclass(frozen=True)
class MergeResult:
    """Tasks of the merged plan, plus the items added from the copy and the differences found."""

    tasks: tuple[Task, ...]
    added: tuple[str, ...]
    differences: tuple[str, ...]
    matched: tuple[tuple[str, str], ...]  # (task_id in the copy, task_id in the primary)


def merge_copies(primary: tuple[Task, ...], copy: tuple[Task, ...]) -> MergeResult:
    """Items of `copy` matching a primary item (same number, similar text) are dropped as
    duplicates (their differences reported); the others are added in the primary's context."""
    tasks = list(primary)
    added, diffs, matched = [], [], []
    context: Task | None = None
    for item in copy:
        twin = _twin(item, tasks)
        if twin is not None:
            matched.append((item.task_id, twin.task_id))
            diffs.extend(_differences(twin, item))
            decided, line = decide(twin, item)
            if line:
                tasks[tasks.index(twin)] = decided
                diffs.append(f"decided: {line}")
            context = decided
            continue
        placed = _place(item, context, tasks)
        tasks.append(placed)
        added.append(placed.task_id)
        context = placed
    return MergeResult(tuple(tasks), tuple(added), tuple(diffs), tuple(matched))


def _twin(item: Task, tasks: list[Task]) -> Task | None:
    candidates = [t for t in tasks if t.item_no and t.item_no == item.item_no]
    if not candidates:
        return None
    best = max(candidates, key=lambda t: _similarity(t.text, item.text))
    return best if _similarity(best.text, item.text) >= SAME_ITEM else None


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _differences(primary: Task, copy: Task) -> list[str]:
    out = []
    where = f"{primary.task_id} ({primary.source_file}:{primary.source_line} vs "
    where += f"{copy.source_file}:{copy.source_line})"
    if primary.text != copy.text:
        out.append(f"{where}: text differs: «{primary.text}» vs «{copy.text}»")
    for role in ("lead", "responsible"):
        a, b = primary.units_in(role), copy.units_in(role)
        if a != b:
            out.append(f"{where}: {role} units differ: {'、'.join(a)} vs {'、'.join(b)}")
    return out


def _place(item: Task, context: Task | None, tasks: list[Task]) -> Task:
    """Put an item found only in the copy under the primary's matching headings."""
    chapter_home = next((t for t in tasks if item.chapter and t.chapter == item.chapter), None)
    home = chapter_home or context
    if home is None:
        return item
    subsection = item.subsection or home.subsection
    prefix = home.task_id.rsplit(".", 1)[0]
    return replace(
        item,
        task_id=f"{prefix}.{item.item_no or item.task_id.rsplit('.', 1)[1]}",
        part=home.part,
        chapter=home.chapter,
        subsection=subsection,
    )
