"""Callbacks called as plain functions: URL sync, map clicks, patches, panel, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dash import Patch, no_update

from dashboard import callbacks as cb
from dashboard.data import AtlasData, load_atlas
from dashboard.filters import CountMode, Filters
from dashboard.ids import Id

FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"
DEFAULTS = tuple(cb.values_from_filters(Filters()))


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return load_atlas(FIXTURE)


def _values(**changes: Any) -> tuple[Any, ...]:
    return tuple(cb.values_from_filters(Filters(**changes)))


def test_values_and_filters_are_inverse() -> None:
    f = Filters(
        plans=("wr2024",),
        sectors=("科技创新",),
        agency="市发改委",
        agency_role="lead",
        links=("lead",),
        keyword="光谷",
        mode=CountMode.WITH_CITYWIDE,
        show_zones=False,
    )
    assert cb.filters_from_values(tuple(cb.values_from_filters(f)), None) == f
    cleared = (None, None, None, None, None, None, None, None)
    assert cb.filters_from_values(cleared, None) == Filters(show_zones=False)


def test_url_load_sets_controls_and_reports_bad_params(data: AtlasData) -> None:
    out = cb.on_state_change(data, None, "?plan=wr2024&place=江夏区&mode=bad", DEFAULTS, None)
    assert out[0] == ["wr2024"]
    assert out[6] == "specific"
    assert out[8] == "江夏区"
    assert out[9].startswith("?plan=wr2024&place=")  # the bad part dropped from the URL
    assert "计数口径" in out[10]


def test_control_change_rewrites_url_only(data: AtlasData) -> None:
    out = cb.on_state_change(data, Id.SECTORS, "", _values(sectors=("科技创新",)), "江夏区")
    assert all(v is no_update for v in out[:9])
    assert (
        out[9] == "?sector=%E7%A7%91%E6%8A%80%E5%88%9B%E6%96%B0&place=%E6%B1%9F%E5%A4%8F%E5%8C%BA"
    )
    same = cb.on_state_change(data, Id.SECTORS, out[9], _values(sectors=("科技创新",)), "江夏区")
    assert same[9] is no_update


def test_clear_all_resets_everything(data: AtlasData) -> None:
    out = cb.on_state_change(
        data, Id.CLEAR_ALL, "?plan=wr2024", _values(plans=("wr2024",)), "江夏区"
    )
    assert tuple(out[:8]) == DEFAULTS
    assert out[8:] == [None, "", ""]


def test_map_click_toggles_and_resets_click_data() -> None:
    click = {"points": [{"location": "420115", "customdata": ["江夏区", "江夏区", 1, 0, 0, 0, 1]}]}
    assert cb.on_map_click(click, None) == ("江夏区", None)
    assert cb.on_map_click(click, "江夏区") == (None, None)  # the same place again clears it
    assert cb.on_map_click(click, "洪山区") == ("江夏区", None)
    assert cb.on_map_click(None, "江夏区") == (no_update, None)


def test_bar_click_filters_by_agency() -> None:
    click = {"points": [{"y": "市发改委", "customdata": "市发改委"}]}
    assert cb.on_bar_click(click, None) == ("市发改委", None)
    assert cb.on_bar_click(click, "市发改委") == (None, None)


def test_filter_change_sends_a_small_patch(data: AtlasData) -> None:
    values = _values(plans=("wr2024",))
    patch, bar, summary, headline, caption = cb.on_filters(data, values, None)
    assert isinstance(patch, Patch)
    payload = json.dumps(patch.to_plotly_json(), ensure_ascii=False)
    assert "coordinates" not in payload and len(payload.encode()) < 10_000
    n_wr2024 = int((data.tasks["plan_id"] == "wr2024").sum())
    assert str(n_wr2024) in str(headline[0])
    assert caption.startswith("计划：2024年政府工作报告")
    assert "恩施州" in str(summary) or "无" in str(summary)
    assert bar["data"][0]["type"] == "bar"


def test_panel_for_selected_place(data: AtlasData) -> None:
    title, _, clear_disabled, csv_disabled, _ = cb.on_panel(data, DEFAULTS, "江夏区")
    tp = data.task_places
    n = tp.loc[(tp["place"] == "江夏区") & (tp["link"] != "group"), "task_id"].nunique()
    assert title == f"江夏区：{n} 项任务"
    assert (clear_disabled, csv_disabled) == (False, False)
    assert cb.on_panel(data, DEFAULTS, None)[0] == "请选择地点"


def test_downloads(data: AtlasData) -> None:
    csv = cb.on_download(data, Id.DOWNLOAD_CSV, DEFAULTS, "江夏区")
    assert csv["filename"] == "任务清单_江夏区.csv" and csv["base64"]
    xlsx = cb.on_download(data, Id.DOWNLOAD_XLSX, DEFAULTS, "江夏区")
    assert xlsx["filename"].endswith(".xlsx")
    assert cb.on_download(data, Id.DOWNLOAD_CSV, DEFAULTS, None) is no_update


def test_export_calls_render_export_with_caption(
    data: AtlasData, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = pytest.importorskip("dashboard.export")
    seen: dict[str, Any] = {}

    def fake_render(fig: Any, caption: Any, fmt: str, size: str) -> bytes:
        seen.update(fig=fig, caption=caption, fmt=fmt, size=size)
        return b"\x89PNG fake"

    monkeypatch.setattr(export, "render_export", fake_render)
    download, notice = cb.on_export(data, "png", "a4", _values(plans=("wr2024",)), "江夏区")
    assert notice == "" and download["filename"].endswith(".png")
    assert seen["size"] == "a4" and seen["fmt"] == "png"
    assert "计划：2024年政府工作报告" in seen["caption"].filters_text
    assert "示意范围" in seen["caption"].zone_note
    assert "2024" in seen["caption"].source


def test_export_unavailable_gives_a_notice(
    data: AtlasData, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = pytest.importorskip("dashboard.export")

    def no_chromium(*_: Any) -> bytes:
        raise export.ExportUnavailable("Chromium not found: apt-get install chromium")

    monkeypatch.setattr(export, "render_export", no_chromium)
    download, notice = cb.on_export(data, "png", "16:9", DEFAULTS, None)
    assert download is no_update
    assert "apt-get install chromium" in notice and notice.startswith("导出失败：")


def test_briefing_toggles_class_and_map_fonts(data: AtlasData) -> None:
    cls, label, patch = cb.on_briefing(data, 1)
    assert (cls, label) == ("atlas briefing", "退出汇报模式")
    assert "20" in json.dumps(patch.to_plotly_json())
    assert cb.on_briefing(data, 2)[:2] == ("atlas", "汇报模式")
