"""Read one CSV table of the data folder `task-atlas build` writes, checked at the boundary.

The dashboard, progress and comparison all read the same files (names and columns from
assignments/schema.py) the same way: as strings, nothing turned into NaN, required columns
checked. One reader here keeps the check and its messages in one place; each caller turns
DataTableError into its own error type so its messages and exit codes stay its own.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


class DataTableError(ValueError):
    """A data-folder table is missing, not a regular file, unreadable or lacks a column."""


def read_data_table(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """`folder/name` as strings; the message names the file and what is wrong with it."""
    path = Path(folder) / name
    if not path.exists():
        raise DataTableError(f"{path}: file missing (run `task-atlas build` first)")
    if not path.is_file():
        raise DataTableError(f"{path}: not a regular file (a folder, pipe or device)")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataTableError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataTableError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame
