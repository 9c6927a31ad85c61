"""Every reviewable table is well-formed CSV: same number of fields on every row, no blanks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TABLES = sorted([*REPO.glob("assignments/data/*.csv"), *REPO.glob("geodata/data/*.csv")])


def test_tables_found() -> None:
    assert len(TABLES) >= 12


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_table_is_rectangular(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert all(h.strip() for h in header), f"{path.name}: empty column name"
    bad = [i + 1 for i, row in enumerate(rows) if row and len(row) != len(header)]
    assert bad == [], f"{path.name}: lines with the wrong number of fields: {bad[:10]}"
