"""The lead units a reporter may belong to: the canonical names in the built task table.

A reporter whose unit is misspelt could write nothing and nobody would notice, so adding one
checks the name against `tasks.csv` (lead_units, joined by `|`) when a data folder is at hand.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Collection
from pathlib import Path

LEAD_SEPARATOR = "|"


def lead_units_in(data_dir: Path) -> frozenset[str] | None:
    """Every lead unit of the data folder's tasks; None when there is no task table to ask."""
    path = data_dir / "tasks.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        if rows.fieldnames is None or "lead_units" not in rows.fieldnames:
            return None
        return frozenset(
            unit.strip()
            for row in rows
            for unit in (row["lead_units"] or "").split(LEAD_SEPARATOR)
            if unit.strip()
        )


def check_lead_unit(unit: str, known: Collection[str] | None) -> None:
    """Refuse a unit that leads no task in the data, naming the closest known units."""
    if known is None or unit in known:
        return
    close = difflib.get_close_matches(unit, sorted(known), n=3, cutoff=0.5)
    hint = f" (did you mean {'、'.join(close)}?)" if close else ""
    raise ValueError(f"unit {unit!r} leads no task in the data{hint}")
