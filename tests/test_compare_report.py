"""The comparison carried by the report (docx, pdf) and the deck, opened back with python-docx,
pdftotext and python-pptx; every number is checked against `task-atlas compare`'s CSV."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from pptx import Presentation

from cli.main import main
from dashboard.style import zh_punct

needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="system Chromium not installed"
)
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "compare"
LINKS = ("lead", "responsible", "mention")
ORDER = ("新增", "延续", "调整", "取消")
PLACE = "江夏区"


def _csv(data_dir: Path, tmp: Path) -> pd.DataFrame:
    out = tmp / "cmp.csv"
    args = ["compare", "--from", "wr2023", "--to", "wr2024", "--data", str(data_dir)]
    assert main([*args, "--out", str(out)]) == 0
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def _about(table: pd.DataFrame) -> pd.Series:
    return table["to_task_id"].where(table["to_task_id"] != "", table["from_task_id"])


def _here(data_dir: Path, place: str) -> set[str]:
    places = pd.read_csv(data_dir / "task_places.csv", dtype=str, keep_default_na=False)
    return set(places[(places["place"] == place) & places["link"].isin(LINKS)]["task_id"])


def _counts(table: pd.DataFrame) -> dict[str, int]:
    out = {}
    for relation in ORDER:
        rows = table[table["relation"] == relation]
        out[relation] = rows["from_task_id" if relation == "取消" else "to_task_id"].nunique()
    return out


@pytest.fixture(scope="module")
def expected(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    table = _csv(built, tmp_path_factory.mktemp("csv"))
    mine = table[_about(table).isin(_here(built, PLACE))]
    return {"city": _counts(table), "place": _counts(mine), "rows": mine}


def _compare(built: Path, out: Path, *extra: str) -> int:
    return main(["compare", "--from", "wr2023", "--to", "wr2024", "--data", str(built),
                 *extra, "--out", str(out)])  # fmt: skip


@pytest.mark.export
@needs_chromium
def test_docx_report_carries_counts_map_places_and_the_place_tasks(
    built: Path, expected: dict[str, object]
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / "compare_report_江夏区.docx"
    assert _compare(built, out, "--place", PLACE) == 0
    document = Document(str(out))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    headline, places, *per_relation = tables
    city = expected["city"]
    assert dict((r, int(n)) for r, n in headline[1:]) == city
    assert len(document.inline_shapes) == 1  # the change map
    row = next(r for r in places if r[0] == PLACE)
    here = expected["place"]
    assert row == [PLACE, *(str(here[r]) for r in ORDER), f"{here['新增'] - here['取消']:+d}"]
    assert len(places) == 1 + 18
    rows: pd.DataFrame = expected["rows"]  # type: ignore[assignment]
    texts = "\n".join(p.text for p in document.paragraphs)
    assert f"新增 {city['新增']} 项、延续 {city['延续']} 项" in texts
    listed = iter(per_relation)
    for relation in ORDER:
        mine = rows[rows["relation"] == relation].drop_duplicates(["from_task_id", "to_task_id"])
        assert f"{relation}（{len(mine)} 项）" in texts
        if mine.empty:
            continue
        grid = next(listed)
        assert grid[0] == ["原任务", "新任务", "依据"] and len(grid) == 1 + len(mine)
        ids = {(r[0].split(" ")[0], r[1].split(" ")[0]) for r in grid[1:]}
        want = {(f or "—", t or "—") for f, t in zip(mine["from_task_id"], mine["to_task_id"],
                                                     strict=True)}  # fmt: skip
        assert ids == want
        assert {r[2] for r in grid[1:]} == {zh_punct(e) for e in mine["evidence"]}


@pytest.mark.export
@needs_chromium
def test_pdf_report_has_searchable_chinese_with_the_csv_counts(
    built: Path, expected: dict[str, object]
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / "compare_report_江夏区.pdf"
    assert _compare(built, out, "--place", PLACE) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    flat = text.replace("\n", "")
    city = expected["city"]
    assert "计划对比报告：2023年政府工作报告 → 2024年政府工作报告 · 江夏区" in flat
    assert "、".join(f"{r} {city[r]} 项" for r in ORDER) in flat  # type: ignore[index]
    assert "⻩" not in text and "黄陂区" in text  # ideographs, not radicals
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "计划对比报告" in info
    rows: pd.DataFrame = expected["rows"]  # type: ignore[assignment]
    for task in rows.loc[rows["relation"] == "新增", "to_task_id"]:
        assert task in flat


def test_csv_output_is_unchanged_and_place_needs_a_report(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from comparison.command import compare_plans

    out = tmp_path / "c.csv"
    assert _compare(built, out) == 0
    assert out.read_text(encoding="utf-8") == compare_plans(built, "wr2023", "wr2024").to_csv(
        index=False
    )
    capsys.readouterr()
    assert _compare(built, tmp_path / "d.csv", "--place", PLACE) == 2
    assert "--place needs --out FILE.docx or FILE.pdf" in capsys.readouterr().err
    assert not (tmp_path / "d.csv").exists()


def test_report_of_an_unknown_place_is_one_line(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _compare(built, tmp_path / "r.docx", "--place", "火星") == 2
    err = capsys.readouterr().err.strip()
    assert "unknown place 火星" in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.export
@needs_chromium
def test_deck_adds_the_comparison_map_and_change_slides(
    built: Path, expected: dict[str, object]
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / "compare_deck_江夏区.pptx"
    argv = ["deck", "--data", str(built), "--place", PLACE, "--compare", "wr2023:wr2024"]
    assert main([*argv, "--out", str(out)]) == 0
    slides = list(Presentation(str(out)).slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles[-2] == "计划对比图：2023年政府工作报告 → 2024年政府工作报告"
    assert any(sh.shape_type == 13 for sh in slides[-2].shapes)  # the map picture
    here = expected["place"]
    assert titles[-1] == f"{PLACE}：" + "、".join(f"{r} {here[r]} 项" for r in ORDER)  # type: ignore[index]
    body = "\n".join(sh.text_frame.text for sh in slides[-1].shapes if sh.has_text_frame)
    rows: pd.DataFrame = expected["rows"]  # type: ignore[assignment]
    first_new = rows.loc[rows["relation"] == "新增", "to_task_id"].iloc[0]
    assert f"新增（{here['新增']} 项）" in body and first_new in body  # type: ignore[index]


def test_deck_compare_needs_two_known_plans(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for value, message in (("wr2023", "expected FROM:TO"), ("wr2023:x9", "unknown plan x9"),
                           ("wr2024:wr2024", "two different plans")):  # fmt: skip
        argv = ["deck", "--data", str(built), "--compare", value, "--out", str(tmp_path / "d.pptx")]
        assert main(argv) == 2
        assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
