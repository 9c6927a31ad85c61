"""The selected place's task list: grouping rows, highlighting, CSV and Excel downloads."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.data import AtlasData, load_atlas
from dashboard.filters import CountMode
from dashboard.panel import (
    EXPORT_COLUMNS,
    highlight_segments,
    panel_csv_bytes,
    panel_xlsx_bytes,
    place_task_rows,
    render_panel,
)

FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return load_atlas(FIXTURE)


def _expected_ids(data: AtlasData, place: str, links: list[str]) -> set[str]:
    tp = data.task_places
    return set(tp.loc[(tp["place"] == place) & tp["link"].isin(links), "task_id"])


def test_rows_are_the_places_tasks_with_links_and_evidence(data: AtlasData) -> None:
    rows = place_task_rows(data, data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    assert set(rows["task_id"]) == _expected_ids(data, "江夏区", ["lead", "responsible", "mention"])
    tangxun = rows[rows["text"].str.contains("汤逊湖")].iloc[0]
    assert tangxun["links"] == "责任、文中提及"
    assert tangxun["evidence"] == "江夏区人民政府、汤逊湖"
    assert tangxun["words"] == "汤逊湖"
    assert "|" not in "".join(rows["responsible_units"])


def test_citywide_mode_adds_group_tasks(data: AtlasData) -> None:
    rows = place_task_rows(data, data.tasks["task_id"], "江夏区", CountMode.WITH_CITYWIDE)
    assert set(rows["task_id"]) == _expected_ids(
        data, "江夏区", ["lead", "responsible", "mention", "group"]
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


def test_render_groups_by_plan_then_sector(data: AtlasData) -> None:
    rows = place_task_rows(data, data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    blocks = render_panel(rows)
    assert len(blocks) == rows["plan"].nunique()
    assert "没有符合" in str(render_panel(rows.iloc[0:0]))


def test_downloads_round_trip(data: AtlasData) -> None:
    rows = place_task_rows(data, data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    csv = panel_csv_bytes(rows)
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(EXPORT_COLUMNS.values())
    assert back["任务编号"].tolist() == rows["task_id"].tolist()
    book = openpyxl.load_workbook(io.BytesIO(panel_xlsx_bytes(rows, "江夏区")))
    sheet = book["江夏区"]
    assert [c.value for c in sheet[1]] == list(EXPORT_COLUMNS.values())
    assert sheet.max_row == len(rows) + 1


def test_place_without_matching_tasks_gives_empty_rows(data: AtlasData) -> None:
    rows = place_task_rows(data, ["no-such-task"], "江夏区", CountMode.SPECIFIC)
    assert rows.empty and list(rows.columns)[:3] == ["plan", "sector", "task_id"]
    assert "没有符合" in str(render_panel(rows))


def test_long_lists_are_capped_with_a_note(data: AtlasData) -> None:
    rows = place_task_rows(data, data.tasks["task_id"], "江夏区", CountMode.WITH_CITYWIDE)
    blocks = render_panel(rows, limit=2)
    assert str(blocks).count("task-item") == 2
    assert f"共 {len(rows)} 项" in str(blocks[-1])
