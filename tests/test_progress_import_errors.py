"""Each bad return file is rejected whole, with file, row, column and reason; the others import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main
from progress.db import Store
from progress.quarters import parse_quarter
from progress.service import write_templates
from progress.store import change_log, current_returns
from progress.tasks import read_task_tables
from tests.progress_fixtures import fill_workbook

UNIT = "市发改委"
OWN_TASK, OTHER_TASK = "fyp14-2.1.3", "wr2024-2.1.1"  # the second is led by 东湖高新区管委会


def _edit(path: Path, change: Callable[..., None]) -> None:
    wb = load_workbook(path)
    change(wb["任务进度"])
    wb.save(path)


def _rename_status(ws: object) -> None:
    ws["F1"] = "状态"  # type: ignore[index]


def _drop_problems_column(ws: object) -> None:
    ws.delete_cols(9)  # type: ignore[attr-defined]


def _unknown_task(ws: object) -> None:
    ws["A2"] = "wr2024-9.9.99"  # type: ignore[index]


def _other_units_task(ws: object) -> None:
    ws["A2"] = OTHER_TASK  # type: ignore[index]


def _formula(ws: object) -> None:
    ws["G2"] = "=40+10"  # type: ignore[index]


# case → (edit of the data sheet, values filled, expected (row, column, words in reason))
CASES: dict[
    str, tuple[Callable[..., None] | None, dict[str, object], tuple[int | None, str, str]]
] = {
    "unknown task id": (_unknown_task, {}, (2, "任务编号", "未知任务编号 wr2024-9.9.99")),
    "task of another unit": (_other_units_task, {}, (2, "任务编号", "不由 市发改委 牵头")),
    "invalid status": (None, {"完成状态": "进行中"}, (2, "完成状态", "完成状态“进行中”无效")),
    "percent over 100": (None, {"完成进度(%)": 150}, (2, "完成进度(%)", "150 不在 0–100 之间")),
    "percent not a number": (None, {"完成进度(%)": "一半"}, (2, "完成进度(%)", "'一半' 不是数字")),
    "done but not 100": (
        None,
        {"完成状态": "已完成", "完成进度(%)": 60},
        (2, "完成进度(%)", "已完成的任务进度应为 100"),
    ),
    "renamed column": (_rename_status, {}, (1, "完成状态", "缺少此列")),
    "missing column": (_drop_problems_column, {}, (1, "存在问题", "缺少此列")),
    "formula": (_formula, {}, (2, "完成进度(%)", "单元格是公式")),
}


@pytest.fixture
def templates(atlas_dir: Path, sqlite_store: Store, tmp_path: Path) -> Path:
    out = tmp_path / "t"
    write_templates(read_task_tables(atlas_dir), sqlite_store, parse_quarter("2024Q2"), out)
    return out


def _import(atlas_dir: Path, store: Store, *files: Path, quarter: str = "2024Q2") -> int:
    args = ["--quarter", quarter, "--data", str(atlas_dir), "--db", store.url]
    return main(["progress", "import", *map(str, files), *args])


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_rejected_whole_and_the_good_one_imports(
    case: str,
    atlas_dir: Path,
    sqlite_store: Store,
    templates: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    edit, values, (row, column, words) = CASES[case]
    bad = templates / f"2024Q2_{UNIT}.xlsx"
    # the second task of the file is filled correctly: it must not be imported either
    fill_workbook(
        bad, {t: {"完成状态": "序时推进", "完成进度(%)": 50} for t in (OWN_TASK, "wr2024-2.2.4")}
    )
    if values:
        _edit(
            bad,
            lambda ws: [
                ws.cell(2, [c.value for c in ws[1]].index(k) + 1, v) for k, v in values.items()
            ],
        )
    if edit:
        _edit(bad, edit)
    good = templates / "2024Q2_市交通运输局.xlsx"
    fill_workbook(good, {"wr2024-2.2.2": {"完成状态": "序时推进", "完成进度(%)": 50}})

    assert _import(atlas_dir, sqlite_store, bad, good) == 1
    err = capsys.readouterr().err
    where = f"第{row}行" if row else "-"
    assert f"rejected {bad.name}: {where}: {column}: " in err and words in err, err
    stored = current_returns(sqlite_store)
    assert set(stored["unit"]) == {"市交通运输局"}  # nothing at all from the bad file
    assert len(change_log(sqlite_store)) == 1


def test_a_file_of_another_quarter_is_rejected(
    atlas_dir: Path, sqlite_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q1"
    write_templates(read_task_tables(atlas_dir), sqlite_store, parse_quarter("2024Q1"), out)
    path = out / f"2024Q1_{UNIT}.xlsx"
    fill_workbook(path, {OWN_TASK: {"完成状态": "序时推进", "完成进度(%)": 25}})
    assert _import(atlas_dir, sqlite_store, path) == 1
    assert "这是 2024Q1 的报表,不是 2024Q2 的" in capsys.readouterr().err
    assert current_returns(sqlite_store).empty


@pytest.mark.parametrize("content", [b"task_id,status\nx,y\n", b"", b"PK\x03\x04 not really a zip"])
def test_not_a_workbook_is_rejected(
    atlas_dir: Path,
    sqlite_store: Store,
    tmp_path: Path,
    content: bytes,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes(content)
    assert _import(atlas_dir, sqlite_store, path) == 1
    assert "return.xlsx: -: -: 不是 Excel 工作簿(.xlsx)" in capsys.readouterr().err


def test_a_missing_file_is_rejected(
    atlas_dir: Path, sqlite_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(atlas_dir, sqlite_store, tmp_path / "nope.xlsx") == 1
    assert "nope.xlsx: -: -: 文件不存在" in capsys.readouterr().err


def test_every_problem_of_a_file_is_listed(
    atlas_dir: Path, sqlite_store: Store, templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = templates / f"2024Q2_{UNIT}.xlsx"
    fill_workbook(
        path,
        {
            OWN_TASK: {"完成状态": "进行中", "完成进度(%)": 101},
            "wr2024-2.2.4": {"完成状态": "滞后", "完成进度(%)": -3},
        },
    )
    assert _import(atlas_dir, sqlite_store, path) == 1
    err = capsys.readouterr().err
    assert err.count("rejected ") == 3  # bad status and percent on row 2, bad percent on row 3


def test_blank_rows_are_not_returns(atlas_dir: Path, sqlite_store: Store, templates: Path) -> None:
    path = templates / f"2024Q2_{UNIT}.xlsx"
    fill_workbook(path, {OWN_TASK: {"完成状态": "未启动"}})
    assert _import(atlas_dir, sqlite_store, path) == 0
    stored = current_returns(sqlite_store)
    assert stored[["task_id", "status", "percent"]].values.tolist() == [[OWN_TASK, "未启动", 0.0]]
