"""The return workbook: its columns, how a template is written, how a filled one is read.

One workbook per lead unit per quarter. Sheet 任务进度 has the header in row 1 (the eleven
columns the office's form uses, then 填报单位 and 季度); sheet 填报说明 says which quarter and
unit the file is for and how to fill it. Key columns are protected; 完成状态 is a dropdown;
完成进度(%) accepts 0–100.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from progress.cells import neutralise
from progress.quarters import Quarter
from progress.rules import RuleBook, describe_rules
from progress.tasks import deadline_text, split_units

DATA_SHEET = "任务进度"
INFO_SHEET = "填报说明"
TASK_ID = "任务编号"
TEXT = "任务内容"
LEADS = "牵头单位"
RESPONSIBLE = "责任单位"
DEADLINE = "完成时限"
STATUS = "完成状态"
PERCENT = "完成进度(%)"
PROGRESS = "进展情况"
PROBLEMS = "存在问题"
NEXT_STEPS = "下步措施"
EVIDENCE = "佐证材料"
UNIT = "填报单位"
QUARTER = "季度"
#: The header row, in order; the first eleven are the office's form and must all be present.
REQUIRED_HEADERS = (
    TASK_ID, TEXT, LEADS, RESPONSIBLE, DEADLINE, STATUS, PERCENT,
    PROGRESS, PROBLEMS, NEXT_STEPS, EVIDENCE,
)  # fmt: skip
HEADERS = (*REQUIRED_HEADERS, UNIT, QUARTER)
EDITABLE = (STATUS, PERCENT, PROGRESS, PROBLEMS, NEXT_STEPS, EVIDENCE)
#: Return field of each editable column.
FIELD_OF = {
    STATUS: "status",
    PERCENT: "percent",
    PROGRESS: "progress_text",
    PROBLEMS: "problems",
    NEXT_STEPS: "next_steps",
    EVIDENCE: "evidence",
}
WIDTHS = {TASK_ID: 16, TEXT: 60, LEADS: 18, RESPONSIBLE: 24, DEADLINE: 16, STATUS: 12}
INFO_QUARTER_CELL = "B1"
INFO_UNIT_CELL = "B2"
DEMO_MARK = "演示数据"
_EDIT_FILL = PatternFill("solid", fgColor="FFF8E1")
_HEAD_FILL = PatternFill("solid", fgColor="E0E0E0")


def file_name(unit: str, quarter: Quarter) -> str:
    """2024Q2_市发改委.xlsx; characters a file system refuses become _."""
    safe = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in unit).strip(". ")
    return f"{quarter}_{safe or 'unit'}.xlsx"


def _task_rows(tasks: pd.DataFrame, previous: pd.DataFrame, unit: str) -> list[list[object]]:
    """Rows of the data sheet; editable cells pre-filled from the unit's last return."""
    last = previous[previous["unit"] == unit].set_index("task_id") if len(previous) else None
    rows = []
    for task in tasks.to_dict("records"):
        tid = str(task["task_id"])
        before = last.loc[tid] if last is not None and tid in last.index else None
        filled = (
            [before[FIELD_OF[c]] for c in EDITABLE] if before is not None else [""] * len(EDITABLE)
        )
        rows.append(
            [
                tid,
                task["text"],
                "、".join(split_units(task["lead_units"])),
                "、".join(split_units(task["responsible_units"])),
                deadline_text(task["deadline"], bool(task["deadline_stated"])),
                *filled,
            ]
        )
    return rows


def _write_data_sheet(ws: Worksheet, rows: list[list[object]], unit: str, q: Quarter) -> None:
    ws.append(list(HEADERS))
    for row in rows:
        ws.append([neutralise(v) for v in [*row, unit, str(q)]])
    for col, title in enumerate(HEADERS, start=1):
        head = ws.cell(row=1, column=col)
        head.font, head.fill = Font(bold=True), _HEAD_FILL
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS.get(title, 22)
        if title in EDITABLE:
            for r in range(2, len(rows) + 2):
                cell = ws.cell(row=r, column=col)
                cell.protection, cell.fill = Protection(locked=False), _EDIT_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    ws.protection.sheet = True  # key columns locked; no password, it guards against slips
    ws.protection.formatColumns = False  # the unit may widen columns


def _add_validation(ws: Worksheet, n_rows: int, statuses: Sequence[str]) -> None:
    last = max(n_rows + 1, 2)
    status_col = get_column_letter(HEADERS.index(STATUS) + 1)
    percent_col = get_column_letter(HEADERS.index(PERCENT) + 1)
    pick = DataValidation(type="list", formula1=f'"{",".join(statuses)}"', allow_blank=True)
    pick.error, pick.errorTitle = "请从下拉列表中选择完成状态", "完成状态"
    pick.showErrorMessage = True
    number = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    number.error, number.errorTitle = "完成进度填 0 到 100 之间的数", "完成进度(%)"
    number.showErrorMessage = True
    pick.add(f"{status_col}2:{status_col}{last}")
    number.add(f"{percent_col}2:{percent_col}{last}")
    ws.add_data_validation(pick)
    ws.add_data_validation(number)


def instructions(unit: str, q: Quarter, book: RuleBook, demo: bool) -> list[list[str]]:
    due = q.next().start.replace(day=20)
    lines = [
        [QUARTER, str(q)],
        [UNIT, unit],
        ["截止时间", f"请于 {due:%Y年%m月%d日} 前报市政府督查室(每季度首月 20 日前)"],
        [
            "填写范围",
            f"只填“{DATA_SHEET}”表中浅黄色的列:" + "、".join(EDITABLE) + ";其余列已锁定。",
        ],
        ["完成状态", "从下拉列表选择:" + "、".join(book.reportable) + "。"],
        ["完成进度(%)", "填 0–100 的数;已完成填 100,未启动填 0;跨年度任务填完成全年目标的进度。"],
        ["预填内容", "表中已预填本单位上季度报送的内容,请逐项更新后报送。"],
        [
            "多个牵头单位",
            "一项任务有多个牵头单位的,每个单位各报一份;汇总时按进度最慢的一份评定,各单位的进展情况分别保留。",
        ],
        ["不要改动", "请勿增删列、修改表头、任务编号或季度;否则整份报表退回重报。"],
        ["评定规则", ""],
        *[["", line] for line in describe_rules(book)],
    ]
    if demo:
        lines.append([DEMO_MARK, "本文件为演示数据,不是真实报送。"])
    return lines


def write_template(
    path: Path,
    unit: str,
    quarter: Quarter,
    tasks: pd.DataFrame,
    previous: pd.DataFrame,
    book: RuleBook,
    *,
    demo: bool = False,
) -> None:
    """Write one unit's return workbook for `quarter`: its tasks, pre-filled from `previous`."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = DATA_SHEET
    rows = _task_rows(tasks, previous, unit)
    _write_data_sheet(ws, rows, unit, quarter)
    _add_validation(ws, len(rows), book.reportable)
    info = wb.create_sheet(INFO_SHEET)
    for line in instructions(unit, quarter, book, demo):
        info.append([neutralise(v) for v in line])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 16, 100
    info.protection.sheet = True
    wb.properties.title = f"{unit} {quarter.label} 任务进展情况报表"
    wb.properties.subject = str(quarter)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
