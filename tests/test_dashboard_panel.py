"""The selected place's task list: grouping rows, highlighting, CSV and Excel downloads."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pandas as pd

from assignments.schema import EVIDENCE_SEPARATOR
from dashboard.data import AtlasData
from dashboard.options import CountMode
from dashboard.panel import (
    EXPORT_COLUMNS,
    highlight_segments,
    panel_csv_bytes,
    panel_xlsx_bytes,
    place_task_rows,
    render_panel,
)
from dashboard.spreadsheet import FORMULA_LEADS, safe_sheet_title


def _expected_ids(atlas_data: AtlasData, place: str, links: list[str]) -> set[str]:
    tp = atlas_data.task_places
    return set(tp.loc[(tp["place"] == place) & tp["link"].isin(links), "task_id"])


def test_rows_are_the_places_tasks_with_links_and_evidence(atlas_data: AtlasData) -> None:
    rows = place_task_rows(atlas_data, atlas_data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    assert set(rows["task_id"]) == _expected_ids(
        atlas_data, "江夏区", ["lead", "responsible", "mention"]
    )
    tangxun = rows[rows["text"].str.contains("汤逊湖")].iloc[0]
    assert tangxun["links"] == "责任、文中提及"
    assert tangxun["evidence"] == "江夏区人民政府、汤逊湖"
    assert tangxun["words"] == "汤逊湖"
    assert "|" not in "".join(rows["responsible_units"])


def test_citywide_mode_adds_group_tasks(atlas_data: AtlasData) -> None:
    rows = place_task_rows(
        atlas_data, atlas_data.tasks["task_id"], "江夏区", CountMode.WITH_CITYWIDE
    )
    assert set(rows["task_id"]) == _expected_ids(
        atlas_data, "江夏区", ["lead", "responsible", "mention", "group"]
    )


def test_highlight_segments_longest_word_first() -> None:
    pieces = highlight_segments("建设光谷科学岛和光谷南", ["光谷", "光谷科学岛"])
    assert pieces == [
        ("建设", False),
        ("光谷科学岛", True),
        ("和", False),
        ("光谷", True),
        ("南", False),
    ]
    assert highlight_segments("无关文本", ["光谷"]) == [("无关文本", False)]


def test_render_groups_by_plan_then_sector(atlas_data: AtlasData) -> None:
    rows = place_task_rows(atlas_data, atlas_data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    blocks = render_panel(rows)
    assert len(blocks) == rows["plan"].nunique()
    assert "没有符合" in str(render_panel(rows.iloc[0:0]))


def test_downloads_round_trip(atlas_data: AtlasData) -> None:
    rows = place_task_rows(atlas_data, atlas_data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    csv = panel_csv_bytes(rows)
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(EXPORT_COLUMNS.values())
    assert back["任务编号"].tolist() == rows["task_id"].tolist()
    book = openpyxl.load_workbook(io.BytesIO(panel_xlsx_bytes(rows, "江夏区")))
    sheet = book["江夏区"]
    assert [c.value for c in sheet[1]] == list(EXPORT_COLUMNS.values())
    assert sheet.max_row == len(rows) + 1


def test_place_without_matching_tasks_gives_empty_rows(atlas_data: AtlasData) -> None:
    rows = place_task_rows(atlas_data, ["no-such-task"], "江夏区", CountMode.SPECIFIC)
    assert rows.empty and list(rows.columns)[:3] == ["plan", "sector", "task_id"]
    assert "没有符合" in str(render_panel(rows))


def test_long_lists_are_capped_with_a_note(atlas_data: AtlasData) -> None:
    rows = place_task_rows(
        atlas_data, atlas_data.tasks["task_id"], "江夏区", CountMode.WITH_CITYWIDE
    )
    blocks = render_panel(rows, limit=2)
    assert str(blocks).count("task-item") == 2
    assert f"共 {len(rows)} 项" in str(blocks[-1])


def _marked(component: Any) -> set[str]:
    """Texts of every Mark in a rendered tree (panel.element dicts)."""
    if isinstance(component, list):
        return set().union(*(_marked(c) for c in component)) if component else set()
    if not isinstance(component, dict):
        return set()
    if component["type"] == "Mark":
        return {str(component["props"]["children"])}
    return _marked(component["props"].get("children") or [])


def test_every_mention_word_is_highlighted_on_the_real_corpus(corpus_data: AtlasData) -> None:
    """An evidence cell names several words (武昌区|珞珈实验室); each one is marked.

    On the bundled corpus 40 mention rows carry more than one word; before the split none of
    their words was highlighted (fyp14-2.1.1 under 武昌区 showed neither 武昌区 nor 珞珈实验室).
    """
    tp = corpus_data.task_places
    multi = tp[(tp["link"] == "mention") & tp["evidence"].str.contains(EVIDENCE_SEPARATOR)]
    assert len(multi) >= 40
    multi = multi[multi["place_kind"].isin(["district", "zone"])]  # the panel lists these
    texts = dict(zip(corpus_data.tasks["task_id"], corpus_data.tasks["text"], strict=True))
    ids = corpus_data.tasks["task_id"]
    missed = []
    for place, group in multi.groupby("place"):
        rows = place_task_rows(corpus_data, ids, str(place), CountMode.SPECIFIC)
        marked = {
            r["task_id"]: {
                p
                for p, hit in highlight_segments(r["text"], r["words"].split(EVIDENCE_SEPARATOR))
                if hit
            }
            for r in rows.to_dict("records")
        }
        for task_id, evidence in zip(group["task_id"], group["evidence"], strict=True):
            for word in evidence.split(EVIDENCE_SEPARATOR):
                if word in texts[task_id] and not any(word in m for m in marked[task_id]):
                    missed.append((task_id, word))
    assert missed == []
    wuchang = place_task_rows(corpus_data, ids, "武昌区", CountMode.SPECIFIC)
    row = wuchang[wuchang["task_id"] == "fyp14-2.1.1"].iloc[0]
    assert {"武昌区", "珞珈实验室"} <= set(row["words"].split(EVIDENCE_SEPARATOR))
    assert {"武昌区", "珞珈实验室"} <= _marked(
        render_panel(wuchang[wuchang["task_id"] == row["task_id"]])
    )


FORMULAS = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _hostile_rows(atlas_data: AtlasData) -> pd.DataFrame:
    rows = place_task_rows(atlas_data, atlas_data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    rows = rows.head(len(FORMULAS)).copy()
    rows["text"] = FORMULAS[: len(rows)]
    rows["lead_units"] = "=1+2"
    return rows


def test_xlsx_download_has_no_formula_cells(atlas_data: AtlasData) -> None:
    rows = _hostile_rows(atlas_data)
    book = openpyxl.load_workbook(io.BytesIO(panel_xlsx_bytes(rows, "江夏区")))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if c.column == 5][1:]  # 任务内容, exact text kept as text
    assert texts == FORMULAS[: len(rows)]
    assert all(c.quotePrefix for c in cells if c.column == 5 and c.row > 1)
    assert rows["text"].tolist() == FORMULAS[: len(rows)]  # the rows themselves are unchanged


def test_csv_download_neutralises_formula_leading_cells(atlas_data: AtlasData) -> None:
    rows = _hostile_rows(atlas_data)
    back = pd.read_csv(
        io.BytesIO(panel_csv_bytes(rows)), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert back["任务内容"].tolist() == ["'" + f for f in FORMULAS[: len(rows)]]
    assert set(back["牵头单位"]) == {"'=1+2"}
    assert not any(str(v).startswith(FORMULA_LEADS) for v in back.to_numpy().ravel())


def test_sheet_title_with_forbidden_characters(atlas_data: AtlasData) -> None:
    rows = _hostile_rows(atlas_data)
    book = openpyxl.load_workbook(io.BytesIO(panel_xlsx_bytes(rows, "a/b:c*?[d]" + "区" * 40)))
    assert book.sheetnames == [safe_sheet_title("a/b:c*?[d]" + "区" * 40)]
    assert len(book.sheetnames[0]) == 31 and "/" not in book.sheetnames[0]
