"""The returns round trip end to end: template → filled with openpyxl → import → export → report."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main
from progress.db import Store
from progress.quarters import parse_quarter
from progress.service import write_templates
from progress.store import current_returns, return_history
from progress.tasks import read_task_tables
from progress.workbook import REQUIRED_HEADERS
from tests.progress_fixtures import CO_LEAD_TASK, CO_LEAD_UNIT, DEADLINE_TASK, fill_workbook

Q2 = parse_quarter("2024Q2")


def _cli(*args: str) -> int:
    return main(["progress", *args])


def _export(
    atlas_dir: Path, url: str, out: Path, quarter: str = "2024Q2"
) -> dict[str, dict[str, str]]:
    code = _cli(
        "export", "--quarter", quarter, "--data", str(atlas_dir), "--db", url, "--out", str(out)
    )
    assert code == 0
    with out.open(encoding="utf-8-sig") as fh:
        return {row["task_id"]: row for row in csv.DictReader(fh)}


def test_template_has_the_form_columns_dropdown_protection_and_instructions(
    atlas_dir: Path, store: Store, tmp_path: Path
) -> None:
    written = write_templates(read_task_tables(atlas_dir), store, Q2, tmp_path / "t")
    by_unit = {unit: (path, n) for unit, path, n in written}
    assert len(written) == 17  # the distinct lead units of the 20 tasks in force (2024 + 十四五)
    path, n = by_unit["市发改委"]
    assert n == 2 and path.name == "2024Q2_市发改委.xlsx"
    wb = load_workbook(path)
    ws = wb["任务进度"]
    headers = [c.value for c in ws[1]]
    assert tuple(headers[:11]) == REQUIRED_HEADERS
    assert {ws.cell(r, 1).value for r in (2, 3)} == {"fyp14-2.1.3", CO_LEAD_TASK}
    assert ws.protection.sheet is True
    assert ws["A2"].protection.locked is True and ws["F2"].protection.locked is False
    kinds = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert "序时推进" in kinds["list"].formula1 and "提前完成" not in kinds["list"].formula1
    assert (kinds["decimal"].formula1, kinds["decimal"].formula2) == ("0", "100")
    info = wb["填报说明"]
    assert (info["B1"].value, info["B2"].value) == ("2024Q2", "市发改委")
    assert any("序时进度" in str(c.value) for c in info["B"])
    # a task with two lead units appears in both units' workbooks
    other = load_workbook(by_unit[CO_LEAD_UNIT][0])["任务进度"]
    assert CO_LEAD_TASK in [c.value for c in other["A"]]
    # the stated 完成时限 is parsed from the task text
    farm = load_workbook(by_unit["市农业农村局"][0])["任务进度"]
    assert farm["E2"].value == "2024年06月30日"


def test_round_trip_template_fill_import_export(
    atlas_dir: Path, store_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "templates"
    assert (
        _cli(
            "template",
            "--quarter",
            "2024Q2",
            "--data",
            str(atlas_dir),
            "--db",
            store_url,
            "--out",
            str(out),
        )
        == 0
    )
    fdc = out / "2024Q2_市发改委.xlsx"
    fill_workbook(
        fdc,
        {
            "fyp14-2.1.3": {"完成状态": "序时推进", "完成进度(%)": 50, "进展情况": "-已开工,+1项"},
            CO_LEAD_TASK: {"完成状态": "超序时", "完成进度(%)": 80, "进展情况": "发改委部分完成"},
        },
    )
    tech = out / f"2024Q2_{CO_LEAD_UNIT}.xlsx"
    fill_workbook(
        tech, {CO_LEAD_TASK: {"完成状态": "滞后", "完成进度(%)": 20, "存在问题": "资金未到位"}}
    )
    farm = out / "2024Q2_市农业农村局.xlsx"
    fill_workbook(farm, {DEADLINE_TASK: {"完成状态": "已完成", "完成进度(%)": 100}})
    args = ["--quarter", "2024Q2", "--data", str(atlas_dir), "--db", store_url]
    assert _cli("import", str(fdc), str(tech), str(farm), *args, "--by", "督查室张三") == 0

    rows = _export(atlas_dir, store_url, tmp_path / "q2.csv")
    assert len(rows) == 20
    assert list(rows["fyp14-2.1.3"])[:10] == [
        "task_id", "quarter", "status", "percent", "light", "progress_text",
        "problems", "next_steps", "reported_by", "updated_at",
    ]  # fmt: skip
    fdc_row = rows["fyp14-2.1.3"]
    assert (fdc_row["status"], fdc_row["percent"], fdc_row["light"]) == ("序时推进", "50", "green")
    # formula-leading text is stored as typed and written back neutralised, never live
    assert fdc_row["progress_text"] == "'-已开工,+1项"
    co = rows[CO_LEAD_TASK]  # two leads: judged on the slower one, both texts kept
    assert (co["status"], co["percent"], co["light"]) == ("滞后", "20", "red")
    assert co["reported_by"] == "市发改委、市科技局" and "【市科技局】资金未到位" in co["problems"]
    done = rows[DEADLINE_TASK]
    assert (done["status"], done["light"]) == ("已完成", "green")  # due 2024-06-30 = quarter end
    silent = rows["wr2024-2.1.1"]
    assert (silent["status"], silent["light"], silent["reported_by"]) == ("", "grey", "")

    # next quarter's template is pre-filled with this quarter's return
    out3 = tmp_path / "q3"
    assert (
        _cli(
            "template",
            "--quarter",
            "2024Q3",
            "--data",
            str(atlas_dir),
            "--db",
            store_url,
            "--out",
            str(out3),
        )
        == 0
    )
    ws = load_workbook(out3 / "2024Q3_市发改委.xlsx")["任务进度"]
    prefilled = {r[0].value: (r[5].value, r[6].value, r[7].value) for r in ws.iter_rows(min_row=2)}
    assert prefilled["fyp14-2.1.3"] == ("序时推进", 50, "'-已开工,+1项")
    assert ws["H2"].data_type != "f" and ws["H3"].data_type != "f"


def test_same_file_twice_changes_nothing_and_a_later_return_supersedes(
    atlas_dir: Path, store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "t"
    write_templates(read_task_tables(atlas_dir), store, Q2, out)
    path = out / "2024Q2_市交通运输局.xlsx"
    fill_workbook(path, {"wr2024-2.2.2": {"完成状态": "序时推进", "完成进度(%)": 50}})
    args = ["--quarter", "2024Q2", "--data", str(atlas_dir), "--db", store.url]
    assert _cli("import", str(path), *args) == 0
    before = current_returns(store)
    assert _cli("import", str(path), *args) == 0
    assert current_returns(store).equals(before)
    fill_workbook(path, {"wr2024-2.2.2": {"完成状态": "滞后", "完成进度(%)": 30}})
    assert _cli("import", str(path), *args, "--by", "李四") == 0
    now = current_returns(store)
    assert now.loc[now["task_id"] == "wr2024-2.2.2", "percent"].tolist() == [30.0]
    history = return_history(store, "wr2024-2.2.2")
    assert history["percent"].tolist() == [50.0, 30.0]
    assert history["entered_by"].tolist()[-1] == "李四"


@pytest.mark.parametrize("quarter", ["2024Q5", "24Q1", ""])
def test_a_bad_quarter_is_a_usage_error(atlas_dir: Path, tmp_path: Path, quarter: str) -> None:
    with pytest.raises(SystemExit) as exc:
        _cli(
            "export",
            "--quarter",
            quarter,
            "--data",
            str(atlas_dir),
            "--out",
            str(tmp_path / "x.csv"),
        )
    assert exc.value.code == 2
