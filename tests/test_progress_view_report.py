"""After a real import: the 进度 view's numbers, lights and history, and the 通报's text
(read back from the .docx with python-docx and from the .pdf with pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import docx
import pandas as pd
import pytest

from cli.main import main
from dashboard.data import load_atlas
from dashboard.progress_figures import (
    Metric,
    headline_text,
    history_table,
    place_metric_frame,
    progress_map,
    task_rows,
    unreported_text,
)
from dashboard.progress_view import on_render, quarters_of, tables_of
from dashboard.viewhash import parse_progress, progress_hash, progress_sync
from progress.db import open_store
from progress.provider import ProgressSource
from progress.quarters import parse_quarter
from progress.service import write_templates
from progress.tasks import read_task_tables
from progress.view import narrow
from tests.progress_fixtures import CO_LEAD_TASK, fill_workbook

Q1, Q2 = parse_quarter("2024Q1"), parse_quarter("2024Q2")


def _round(
    atlas_dir: Path,
    url: str,
    out: Path,
    quarter: str,
    values: dict[str, dict[str, dict[str, object]]],
) -> None:
    store = open_store(url)
    write_templates(read_task_tables(atlas_dir), store, parse_quarter(quarter), out)
    store.close()
    files = []
    for unit, rows in values.items():
        path = out / f"{quarter}_{unit}.xlsx"
        fill_workbook(path, rows)
        files.append(str(path))
    assert (
        main(
            [
                "progress",
                "import",
                *files,
                "--quarter",
                quarter,
                "--data",
                str(atlas_dir),
                "--db",
                url,
            ]
        )
        == 0
    )


@pytest.fixture
def two_quarters(atlas_dir: Path, tmp_path: Path) -> str:
    """Q1: 江夏区 not started (yellow); Q2: 市交通运输局 far behind (red), 市发改委 and 市科技局
    split on their shared task, 江夏区 caught up; every other unit silent."""
    url = f"sqlite:///{tmp_path / 'p.db'}"
    _round(atlas_dir, url, tmp_path / "q1", "2024Q1", {
        "江夏区人民政府": {"wr2024-2.1.5": {"完成状态": "未启动"}},
        "市交通运输局": {"wr2024-2.2.2": {"完成状态": "滞后", "完成进度(%)": 0}},
    })  # fmt: skip
    _round(atlas_dir, url, tmp_path / "q2", "2024Q2", {
        "江夏区人民政府": {"wr2024-2.1.5": {"完成状态": "序时推进", "完成进度(%)": 50, "进展情况": "已开工"}},
        "市交通运输局": {"wr2024-2.2.2": {"完成状态": "滞后", "完成进度(%)": 10, "存在问题": "征地未完成"}},
        "市发改委": {CO_LEAD_TASK: {"完成状态": "序时推进", "完成进度(%)": 50}},
        "市科技局": {CO_LEAD_TASK: {"完成状态": "超序时", "完成进度(%)": 70}},
    })  # fmt: skip
    return url


def test_view_numbers_lights_and_history(atlas_dir: Path, two_quarters: str) -> None:
    data = load_atlas(atlas_dir)
    source = ProgressSource(tables_of(data), open_store(two_quarters))
    assert source.quarters() == [Q1, Q2]
    view = narrow(source.base(Q2), source.tables)
    assert view.headline == {
        "任务": 20,
        "已完成": 0,
        "序时推进": 2,
        "滞后": 1,
        "未启动": 0,
        "暂缓": 0,
        "未报送": 17,
    }
    status = view.status.set_index("task_id")
    assert status.loc["wr2024-2.2.2", ["status", "light"]].tolist() == ["滞后", "red"]
    assert status.loc["wr2024-2.1.5", ["status", "light"]].tolist() == [
        "序时推进",
        "green",
    ]  # Q1 yellow, not red
    assert status.loc[CO_LEAD_TASK, ["status", "percent"]].tolist() == ["序时推进", 50.0]
    history = history_table(source, Q2, pd.Index(["wr2024-2.2.2", "wr2024-2.1.5"]))
    assert history.loc["wr2024-2.2.2"].tolist() == ["yellow", "red"]  # Q1 0%: 未启动, grace
    assert history.loc["wr2024-2.1.5"].tolist() == ["yellow", "green"]
    rows = task_rows(view, history, ["滞后"])
    assert rows["任务编号"].tolist() == ["wr2024-2.2.2"] and rows["历史"].tolist() == ["黄→红"]
    units = view.unit_scores.set_index("unit")
    assert units.loc["市交通运输局", ["n_tasks", "n_behind", "n_red", "n_unreported"]].tolist() == [
        2,
        1,
        1,
        1,
    ]
    assert units.loc["市科技局", "n_behind"] == 0  # judged on its own 70%, not its co-lead's
    assert "江夏区人民政府" not in unreported_text(
        view
    ) and "武昌区人民政府（1）" in unreported_text(view)
    # per place: the far-behind transport task is tied to its places
    jiangxia = view.place_scores.set_index("place").loc["江夏区"]
    assert jiangxia["n_tasks"] >= 1
    frame = place_metric_frame(view, data, Metric.BEHIND).set_index("place")
    assert frame["total"].sum() == view.place_scores["n_behind"].sum()
    fig = progress_map(view, data, Metric.BEHIND)
    assert fig["layout"]["coloraxis"]["colorbar"]["title"]["text"] == "滞后任务数"
    assert "演示数据" not in headline_text(view) and "截至 2024-06-30" in headline_text(view)


def test_callbacks_follow_the_map_filters_and_the_url_hash(
    atlas_dir: Path, two_quarters: str
) -> None:
    data = load_atlas(atlas_dir)
    source = ProgressSource(tables_of(data), open_store(two_quarters))
    head, *_ = on_render(data, source, "2024Q2", [], "rate", "")
    assert "任务 20 · 已完成 0 · 序时推进 2 · 滞后 1" in head
    head, *_ = on_render(data, source, "2024Q2", [], "rate", "?agency=市交通运输局&role=lead")
    assert "任务 2 · 已完成 0 · 序时推进 0 · 滞后 1" in head  # the map's agency filter applies
    # the hash ↔ controls sync (in the browser: assets/viewhash.js mirrors progress_sync)
    quarters = quarters_of(source)
    config = {"statuses": ["滞后", "序时推进"]}
    opened = progress_sync(
        config, "hash", "#progress?quarter=2024Q1&status=滞后&status=bogus", None, [], quarters
    )
    assert opened == {"quarter": "2024Q1", "statuses": ["滞后"], "notice": "未知状态已忽略"}
    assert "hash" not in opened  # reading the hash never rewrites it
    late = progress_sync(config, "hash", "#progress?quarter=2030Q1", "2024Q1", [], quarters)
    assert late == {"quarter": "2024Q2", "notice": "2030Q1 没有报送数据，已使用最新季度"}
    # page load on another view's hash: the options only, nothing the hidden view would draw
    other = progress_sync(config, None, "#compare?from=wr2023&to=wr2024", None, [], quarters)
    assert other == {"options": ["2024Q1", "2024Q2"]}
    # that hash arriving later (another tab opened): nothing here changes
    assert progress_sync(config, "hash", "", "2024Q2", [], quarters) == {}
    written = progress_sync(config, "status", "#progress", "2024Q2", ["滞后"], quarters)
    assert written == {"hash": "#progress?quarter=2024Q2&status=" + quote("滞后")}
    assert parse_progress(written["hash"], quarters, ["滞后"]) == ("2024Q2", ["滞后"], [])
    assert progress_hash(None, []) == "#progress"


def test_report_docx_and_pdf_text(atlas_dir: Path, two_quarters: str, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    args = ["--quarter", "2024Q2", "--data", str(atlas_dir), "--db", two_quarters]
    assert main(["progress", "report", *args, "--out", str(out)]) == 0
    doc = docx.Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2024年第二季度重点任务推进情况通报" in text and "演示数据" not in text
    assert (
        "纳入本季度调度的任务共 20 项:已完成 0 项(其中提前完成 0 项),序时推进 2 项(其中超序时 0 项),滞后 1 项"
        in text
    )
    assert (
        "【红灯】wr2024-2.2.2" in text
        and "(牵头单位:市交通运输局)完成进度 10%" in text
        and "问题:征地未完成" in text
    )
    unit_table = doc.tables[1]
    header = [c.text for c in unit_table.rows[0].cells]
    assert header[:3] == ["排名", "牵头单位", "任务"]
    assert any(
        r.cells[1].text == "市交通运输局" and r.cells[4].text == "1" for r in unit_table.rows[1:]
    )
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing (apt-get install poppler-utils)")
    pdf = tmp_path / "r.pdf"
    assert main(["progress", "report", *args, "--unit", "市交通运输局", "--out", str(pdf)]) == 0
    words = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "市交通运输局2024年第二季度重点任务推进情况通报" in words
    assert "纳入本季度调度的任务共 2 项" in words and "征地未完成" in words
    assert main(["progress", "report", *args, "--unit", "不存在的单位", "--out", str(pdf)]) == 1


def test_demo_data_is_marked_everywhere(atlas_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    base = ["--data", str(atlas_dir), "--db", url]
    assert main(["progress", "demo", "--quarters", "2024Q1..2024Q2", *base]) == 0
    assert (
        main(["progress", "export", "--quarter", "2024Q2", *base, "--out", str(tmp_path / "e.csv")])
        == 0
    )
    export = pd.read_csv(tmp_path / "e.csv", dtype=str, keep_default_na=False)
    assert set(export["note"]) == {"演示数据"}
    assert (
        main(
            ["progress", "report", "--quarter", "2024Q2", *base, "--out", str(tmp_path / "r.docx")]
        )
        == 0
    )
    doc = docx.Document(str(tmp_path / "r.docx"))
    assert (
        doc.paragraphs[0].text.endswith("(演示数据)")
        and "演示数据" in doc.sections[0].header.paragraphs[0].text
    )
    assert (
        main(["progress", "template", "--quarter", "2024Q3", *base, "--out", str(tmp_path / "t")])
        == 0
    )
    from openpyxl import load_workbook

    info = load_workbook(next((tmp_path / "t").glob("*.xlsx")))["填报说明"]
    assert any(c.value == "演示数据" for c in info["A"])
    data = load_atlas(atlas_dir)
    source = ProgressSource(tables_of(data), open_store(url))
    head, fig, *_ = on_render(data, source, "2024Q2", [], "rate", "")
    assert head.startswith("【演示数据】")
    assert any(a.get("text") == "演示数据" for a in fig["layout"]["annotations"])
