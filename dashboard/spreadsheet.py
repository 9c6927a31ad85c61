"""Spreadsheet-bound downloads that are safe to open: document text never becomes a formula.

Task texts come from documents found on the web. A cell beginning with = + - @ or a tab or
carriage return is read as a formula by Excel, LibreOffice and WPS (CSV injection, OWASP).
Every table download goes through `csv_bytes` / `xlsx_bytes`, so the rule lives here once:

- CSV cannot mark a cell as text, so such a cell gets a leading apostrophe (OWASP's advice);
- in .xlsx the cell keeps its exact text but is written as a string (openpyxl data type "s")
  with Excel's quote prefix, so it is shown, and stays on editing, as text.

The data tables themselves are never changed; only the bytes of a download are.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd
from openpyxl import Workbook

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_TITLE_BAD = re.compile(r"[\\/?*\[\]:]")  # characters Excel forbids in a sheet title


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet would evaluate (it begins with = + - @ tab or CR)."""
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def neutralise(value: Any) -> Any:
    """The value for a CSV cell: formula-like text gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def safe_sheet_title(title: str) -> str:
    """A sheet title Excel accepts: forbidden characters replaced, at most 31 characters."""
    cleaned = _SHEET_TITLE_BAD.sub("_", title).strip("'")[:SHEET_TITLE_MAX]
    return cleaned or "tasks"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV of `frame` with formula-like cells neutralised; UTF-8 with BOM so Excel reads Chinese."""
    safe = frame.rename(columns=neutralise).map(neutralise)
    return safe.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """An .xlsx workbook of `frame` on one sheet; every text cell is a string, never a formula."""
    book = Workbook()
    ws = book.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = safe_sheet_title(sheet)
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if is_formula_like(cell.value):
                cell.data_type = "s"  # openpyxl typed it "f" (formula) on assignment
                cell.quotePrefix = True  # Excel shows it as text and keeps it so on editing
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
