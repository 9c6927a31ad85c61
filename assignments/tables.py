"""One reader for the reviewable CSV tables (sectors, agencies, wrapper patterns, places, zones).

Each table is edited by people who know Wuhan, not Python: every mistake is a TableError that
names the table, the column and the row (the row a spreadsheet shows, which is the line a text
editor shows unless a quoted cell spans lines), never a KeyError from deep inside a loader.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class TableError(ValueError):
    """A reviewable table that cannot be used; the message names the table, row and column."""


@dataclass(frozen=True)
class Row:
    """One row of a table: its cells (stripped), and where it is, for messages."""

    table: str
    line: int
    cells: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def error(self, message: str) -> TableError:
        """A TableError naming this row: `sectors.csv row 7: unknown sector '购物'`."""
        return TableError(f"{self.table} row {self.line}: {message}")


def read_table(path: Path, required: Sequence[str], *, not_empty: Sequence[str] = ()) -> list[Row]:
    """The rows of a UTF-8 CSV table whose header has every `required` column.

    Rows with more fields than the header (an unquoted comma) or fewer, and empty cells in a
    `not_empty` column, are TableErrors naming the row and the column. Extra columns are kept.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TableError(f"{path}: no such table") from None
    except UnicodeDecodeError as exc:
        row = text_line(path.read_bytes(), exc.start)
        raise TableError(f"{path.name} row {row}: not UTF-8 (save the table as UTF-8)") from None
    return list(_rows(path.name, text, required, not_empty))


def text_line(raw: bytes, offset: int) -> int:
    """The 1-based line of a byte offset."""
    return raw[:offset].count(b"\n") + 1


def _rows(name: str, text: str, required: Sequence[str], not_empty: Sequence[str]) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise TableError(
            f"{name}: missing column(s) {', '.join(missing)} "
            f"(row 1 is the header: {', '.join(header) or 'empty'})"
        )
    line = reader.line_num + 1
    for fields in reader:
        if fields:  # blank lines are not rows
            yield _row(name, line, header, fields, not_empty)
        line = reader.line_num + 1


def _row(
    name: str, line: int, header: list[str], fields: list[str], not_empty: Sequence[str]
) -> Row:
    row = Row(name, line, dict(zip(header, (f.strip() for f in fields), strict=False)))
    if len(fields) != len(header):
        raise row.error(
            f"wrong number of fields ({len(fields)} for {len(header)} columns"
            + ("; an unquoted comma?)" if len(fields) > len(header) else ")")
        )
    empty = [c for c in not_empty if not row[c]]
    if empty:
        raise row.error(f"empty {', '.join(empty)}")
    return row
