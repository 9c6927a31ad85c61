"""Reviewer decisions on pairs: confirmed pairs are linked, rejected pairs never are.

The table lives outside the build output (default: comparison/data/overrides.csv in the
repository, or a file given with --overrides), so a rebuild of the data folder keeps it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from comparison.model import Relation

OVERRIDES_CSV = Path(__file__).parent / "data" / "overrides.csv"
OVERRIDE_COLUMNS = ("from_task_id", "to_task_id", "decision", "relation", "reason")


class Decision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


@dataclass(frozen=True)
class Override:
    """One reviewed pair."""

    from_task_id: str
    to_task_id: str
    decision: Decision
    relation: Relation | None  # for a confirmed pair: 延续 or 调整 (empty: decided by wording)
    reason: str


def _parse_row(path: Path, line: int, row: dict[str, str]) -> Override:
    where = f"{path}: line {line}"
    values = {k: (row.get(k) or "").strip() for k in OVERRIDE_COLUMNS}
    if not values["from_task_id"] or not values["to_task_id"]:
        raise ValueError(f"{where}: from_task_id and to_task_id are both needed")
    if values["decision"] not in set(Decision):
        raise ValueError(f"{where}: decision must be confirm or reject, not {values['decision']!r}")
    relation = values["relation"]
    if relation and relation not in (Relation.CONTINUED, Relation.ADJUSTED):
        raise ValueError(f"{where}: relation must be 延续, 调整 or empty, not {relation!r}")
    if not values["reason"]:
        raise ValueError(f"{where}: a reason is needed (who decided, and why)")
    return Override(
        values["from_task_id"],
        values["to_task_id"],
        Decision(values["decision"]),
        Relation(relation) if relation else None,
        values["reason"],
    )


def load_overrides(path: Path = OVERRIDES_CSV) -> tuple[Override, ...]:
    """Read and check the overrides table; errors name the file and the line."""
    if not path.is_file():
        raise ValueError(f"{path}: overrides file not found")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in OVERRIDE_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
            return tuple(_parse_row(path, n + 2, row) for n, row in enumerate(reader))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a UTF-8 CSV file") from None
