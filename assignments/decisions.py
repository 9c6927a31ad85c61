"""Which copy's wording to keep where two copies of a plan differ: a reviewable table.

`data/copy_decisions.csv` records, per task, what the primary copy and the other copy read,
which one is kept and why. A decision whose readings are no longer in the texts is an error
(the table went stale), so a reviewer always sees the wording the choice was about.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from assignments.model import Task

_TABLE = "copy_decisions.csv"
_COLUMNS = ("task_id", "primary_reads", "copy_reads", "keep", "reason")
_KEEP = ("primary", "copy")


@dataclass(frozen=True)
class CopyDecision:
    """The reading kept for one task where its copies differ, with the reason."""

    task_id: str
    primary_reads: str
    copy_reads: str
    keep: str  # primary | copy
    reason: str


@cache
def copy_decisions() -> dict[str, CopyDecision]:
    """Load and check `data/copy_decisions.csv`, keyed by task id."""
    text = resources.files("assignments").joinpath("data", _TABLE).read_text("utf-8")
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ValueError(f"{_TABLE}: columns must be {', '.join(_COLUMNS)}")
    out = {}
    for n, row in enumerate(reader, start=2):
        if row["keep"] not in _KEEP or not all(row.get(c) for c in _COLUMNS):
            raise ValueError(f"{_TABLE} line {n}: keep must be primary or copy, no empty cell")
        out[row["task_id"]] = CopyDecision(**{c: row[c] for c in _COLUMNS})
    return out


def decide(primary: Task, copy: Task) -> tuple[Task, str]:
    """The primary task with the decided wording, and a report line ("" when undecided)."""
    decision = copy_decisions().get(primary.task_id)
    if decision is None:
        return primary, ""
    if decision.primary_reads not in primary.text or decision.copy_reads not in copy.text:
        raise ValueError(
            f"{_TABLE}: {primary.task_id}: the texts no longer read «{decision.primary_reads}» / "
            f"«{decision.copy_reads}»: review the decision"
        )
    keep_copy = decision.keep == "copy"
    kept = copy.text if keep_copy else primary.text
    reading = decision.copy_reads if keep_copy else decision.primary_reads
    line = (
        f"{primary.task_id}: kept the {decision.keep}'s «{reading}» ({_TABLE}: {decision.reason})"
    )
    return replace(primary, text=kept), line
