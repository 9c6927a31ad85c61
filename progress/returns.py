"""Reading a filled return workbook: every problem found, as file, row, column and reason.

Validation is a query (`read_return` gives the rows and the problems); the caller imports a
file only when it has no problem at all.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from progress import workbook as wbk
from progress.cells import restore
from progress.quarters import Quarter, parse_quarter
from progress.rules import DONE, NOT_STARTED, PAUSED, RuleBook
from progress.store import ReturnRow

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 2000


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # spreadsheet row number (1 = header); None for the whole file
    column: str  # header title, or "" for the whole file / row
    reason: str

    def __str__(self) -> str:
        row = f"第{self.row}行" if self.row else "-"
        return f"{self.file}: {row}: {self.column or '-'}: {self.reason}"


@dataclass
class ReadResult:
    """What a workbook holds: its unit, quarter, rows and every problem found."""

    path: Path
    digest: str = ""
    unit: str = ""
    quarter: str = ""
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    n_blank: int = 0  # task rows the unit left empty (not reported)

    def problem(self, row: int | None, column: str, reason: str) -> None:
        self.problems.append(Problem(self.path.name, row, column, reason))


def _text(value: object) -> str:
    return "" if value is None else restore(str(value).strip())


def _open(result: ReadResult) -> tuple[Worksheet, Worksheet | None] | None:
    path = result.path
    if not path.is_file():
        result.problem(None, "", "文件不存在 / file not found")
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        result.problem(None, "", f"文件超过 {MAX_FILE_BYTES // 2**20} MB")
        return None
    data = path.read_bytes()
    result.digest = hashlib.sha256(data).hexdigest()
    try:
        wb = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        result.problem(None, "", "不是 Excel 工作簿(.xlsx) / not an .xlsx workbook")
        return None
    ws = wb[wbk.DATA_SHEET] if wbk.DATA_SHEET in wb.sheetnames else wb.worksheets[0]
    info = wb[wbk.INFO_SHEET] if wbk.INFO_SHEET in wb.sheetnames else None
    return ws, info


def _header(ws: Worksheet, result: ReadResult) -> dict[str, int] | None:
    titles = [_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
    where = {t: i for i, t in enumerate(titles) if t}
    missing = [t for t in wbk.REQUIRED_HEADERS if t not in where]
    for title in missing:
        result.problem(1, title, "缺少此列(列被删除或表头被改名) / column missing or renamed")
    return None if missing else where


def _meta(
    ws: Worksheet, info: Worksheet | None, cols: dict[str, int], q: Quarter, r: ReadResult
) -> None:
    """The file's quarter and unit: the 填报说明 sheet, else the 季度/填报单位 columns."""
    quarters: set[str] = set()
    units: set[str] = set()
    if info is not None:
        quarters.add(_text(info[wbk.INFO_QUARTER_CELL].value))
        units.add(_text(info[wbk.INFO_UNIT_CELL].value))
    for row in ws.iter_rows(min_row=2, values_only=True):
        if wbk.QUARTER in cols and cols[wbk.QUARTER] < len(row):
            quarters.add(_text(row[cols[wbk.QUARTER]]))
        if wbk.UNIT in cols and cols[wbk.UNIT] < len(row):
            units.add(_text(row[cols[wbk.UNIT]]))
    quarters.discard("")
    units.discard("")
    for text in sorted(quarters):
        try:
            other = parse_quarter(text)
        except ValueError:
            r.problem(None, wbk.QUARTER, f"季度 {text!r} 无法识别")
            continue
        if other != q:
            r.problem(
                None, wbk.QUARTER, f"这是 {other} 的报表,不是 {q} 的 / file of another quarter"
            )
    if len(units) != 1:
        why = "未写明填报单位" if not units else "填报单位不一致:" + "、".join(sorted(units))
        r.problem(None, wbk.UNIT, why)
    else:
        r.unit = units.pop()
    r.quarter = str(q)


def _percent(value: object) -> float | str | None:
    """A number, None when blank, or the reason it is not a percentage."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "不是数字"
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().rstrip("%％"))
        except ValueError:
            return f"{value!r} 不是数字"
    if not 0 <= number <= 100:
        return f"{number:g} 不在 0–100 之间 / out of range"
    return number


def _row(
    values: tuple[object, ...],
    n: int,
    cols: dict[str, int],
    leads: pd.Series,
    book: RuleBook,
    r: ReadResult,
) -> ReturnRow | None:
    def get(title: str) -> object:
        i = cols.get(title)
        return values[i] if i is not None and i < len(values) else None

    task_id = _text(get(wbk.TASK_ID))
    filled = {t: get(t) for t in wbk.EDITABLE}
    if not task_id:
        if any(_text(v) for v in filled.values()):
            r.problem(n, wbk.TASK_ID, "任务编号为空")
        return None
    if task_id not in leads.index:
        r.problem(n, wbk.TASK_ID, f"未知任务编号 {task_id}(或本季度不在实施期) / unknown task id")
        return None
    if r.unit and r.unit not in leads[task_id]:
        r.problem(n, wbk.TASK_ID, f"{task_id} 不由 {r.unit} 牵头 / task not led by this unit")
        return None
    status = _text(filled[wbk.STATUS])
    percent = _percent(filled[wbk.PERCENT])
    texts = {t: _text(filled[t]) for t in wbk.EDITABLE if t not in (wbk.STATUS, wbk.PERCENT)}
    if not status and percent is None and not any(texts.values()):
        r.n_blank += 1
        return None
    ok = True
    if isinstance(percent, str):
        r.problem(n, wbk.PERCENT, percent)
        ok = False
    if status not in book.reportable:
        shown = f"“{status}”" if status else "空"
        r.problem(n, wbk.STATUS, f"完成状态{shown}无效,应为:" + "、".join(book.reportable))
        ok = False
    for title, text in texts.items():
        if len(text) > MAX_TEXT:
            r.problem(n, title, f"超过 {MAX_TEXT} 字")
            ok = False
    if not ok or isinstance(percent, str):
        return None
    if status == DONE and percent not in (None, 100.0):
        r.problem(n, wbk.PERCENT, f"已完成的任务进度应为 100,填的是 {percent:g}")
        return None
    if status == NOT_STARTED and percent not in (None, 0.0):
        r.problem(n, wbk.PERCENT, f"未启动的任务进度应为 0,填的是 {percent:g}")
        return None
    if percent is None and status not in (DONE, NOT_STARTED, PAUSED):
        r.problem(n, wbk.PERCENT, f"完成状态为{status}时须填完成进度")
        return None
    if percent is None:
        percent = {DONE: 100.0, NOT_STARTED: 0.0}.get(status)
    return ReturnRow(
        task_id=task_id,
        unit=r.unit,
        status=status,
        percent=percent,
        **{wbk.FIELD_OF[t]: v for t, v in texts.items()},
    )


def read_return(path: Path, quarter: Quarter, leads: pd.Series, book: RuleBook) -> ReadResult:
    """Read and check one workbook; `leads` maps task id (in force) → set of its lead units."""
    result = ReadResult(path=Path(path))
    opened = _open(result)
    if opened is None:
        return result
    ws, info = opened
    cols = _header(ws, result)
    if cols is None:
        return result
    _meta(ws, info, cols, quarter, result)
    if result.unit and not any(result.unit in units for units in leads):
        result.problem(None, wbk.UNIT, f"{result.unit} 本季度没有牵头任务 / unknown unit")
    if result.problems:
        return result
    seen: dict[str, int] = {}
    for n, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if n > MAX_ROWS + 1:
            result.problem(n, "", f"超过 {MAX_ROWS} 行")
            break
        row = _row(values, n, cols, leads, book, result)
        if row is None:
            continue
        if row.task_id in seen:
            result.problem(n, wbk.TASK_ID, f"{row.task_id} 与第{seen[row.task_id]}行重复")
            continue
        seen[row.task_id] = n
        result.rows.append(row)
    for n, values in enumerate(ws.iter_rows(min_row=2), start=2):
        for cell in values:
            if cell.data_type == "f":
                title = next((t for t, i in cols.items() if i == cell.column - 1), "")
                result.problem(n, title, "单元格是公式,请填写数值或文字 / formula not accepted")
    return result
