"""Callbacks called as plain functions, asserting on named outputs: URL sync, map clicks,
patches, panel, downloads, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dash import Patch, no_update

from dashboard import callbacks as cb
from dashboard.data import AtlasData
from dashboard.downloads import DownloadStore
from dashboard.fieldkinds import BadInput, vocabulary
from dashboard.ids import Id
from dashboard.options import AgencyRole, CountMode
from dashboard.urlstate import sync_url
from dashboard.viewstate import FIELDS, Filters, controls_from_state, state_from_controls


def test_controls_and_state_are_inverse(atlas_data: AtlasData) -> None:
    f = Filters(
        plans=("wr2024",),
        sectors=("科技创新",),
        agency="市发改委",
        agency_role=AgencyRole.LEAD,
        links=("lead",),
        keyword="光谷",
        mode=CountMode.WITH_CITYWIDE,
        place="江夏区",
        show_zones=False,
    )
    vocab = vocabulary(atlas_data)
    assert state_from_controls(controls_from_state(f), vocab) == f
    cleared = dict.fromkeys(FIELDS)
    assert state_from_controls(cleared, vocab) == Filters(show_zones=False)
    assert state_from_controls({**cleared, "place": ""}, vocab).place is None  # the Store's ""


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("mode", "bogus"),
        ("keyword", 123),
        ("keyword", "光" * 51),
        ("plans", "wr2024"),  # not a list
        ("plans", ["wr2024"] * 10_000),
        ("plans", ["nope"]),
        ("agency", ["市发改委"]),
        ("place", "a/b"),
        ("show_zones", "show"),
        ("show_zones", ["on", "off"]),
        ("agency_role", 7),
    ],
)
def test_malformed_control_values_are_refused(atlas_data: AtlasData, name: str, value: Any) -> None:
    controls = {**controls_from_state(Filters()), name: value}
    with pytest.raises(BadInput):
        state_from_controls(controls, vocabulary(atlas_data))


def test_url_load_sets_controls_and_reports_bad_params(atlas_data: AtlasData) -> None:
    vocab = vocabulary(atlas_data)
    out = sync_url(
        "?plan=wr2024&place=江夏区&mode=bad", Filters(), vocab, from_url=True, clear=False
    )
    assert out["controls"]["plans"] == ["wr2024"]
    assert out["controls"]["mode"] == "specific"
    assert out["controls"]["place"] == "江夏区"
    assert out["search"].startswith("?plan=wr2024&place=")  # the bad part dropped from the URL
    assert "计数口径" in out["notice"]


def test_control_change_rewrites_url_only(atlas_data: AtlasData) -> None:
    state = Filters(sectors=("科技创新",), place="江夏区")
    vocab = vocabulary(atlas_data)
    out = sync_url("", state, vocab, from_url=False, clear=False)
    assert all(v is no_update for v in out["controls"].values())
    assert set(out["controls"]) == set(FIELDS)
    assert (
        out["search"]
        == "?sector=%E7%A7%91%E6%8A%80%E5%88%9B%E6%96%B0&place=%E6%B1%9F%E5%A4%8F%E5%8C%BA"
    )
    assert out["notice"] is no_update
    same = sync_url(out["search"], state, vocab, from_url=False, clear=False)
    assert same["search"] is no_update


def test_clear_all_resets_everything(atlas_data: AtlasData) -> None:
    state = Filters(plans=("wr2024",), place="江夏区")
    out = sync_url("?plan=wr2024", state, vocabulary(atlas_data), from_url=False, clear=True)
    assert out["controls"] == controls_from_state(Filters())
    assert out["controls"]["place"] is None
    assert (out["search"], out["notice"]) == ("", "")


def test_map_click_toggles_and_resets_click_data(atlas_data: AtlasData) -> None:
    click = {"points": [{"location": "420115", "customdata": ["江夏区", "江夏区", 1, 0, 0, 0, 1]}]}
    assert cb.on_map_click(atlas_data, click, None) == {"place": "江夏区", "click": None}
    assert cb.on_map_click(atlas_data, click, "江夏区") == {"place": None, "click": None}
    assert cb.on_map_click(atlas_data, click, "洪山区")["place"] == "江夏区"
    assert cb.on_map_click(atlas_data, None, "江夏区") == {"place": no_update, "click": None}


@pytest.mark.parametrize(
    "click", ["x", 123, {"points": "x"}, {"points": [1]}, {"points": [{"customdata": ["北京/x"]}]}]
)
def test_malformed_map_clicks_change_nothing(atlas_data: AtlasData, click: Any) -> None:
    assert cb.on_map_click(atlas_data, click, None) == {"place": no_update, "click": None}


def test_bar_click_filters_by_agency(atlas_data: AtlasData) -> None:
    click = {"points": [{"y": "市发改委", "customdata": "市发改委"}]}
    assert cb.on_bar_click(atlas_data, click, None) == {"agency": "市发改委", "click": None}
    assert cb.on_bar_click(atlas_data, click, "市发改委") == {"agency": None, "click": None}
    assert cb.on_bar_click(atlas_data, {"points": [{"y": 5}]}, None)["agency"] is no_update


def test_filter_change_sends_a_small_patch(atlas_data: AtlasData) -> None:
    out = cb.on_filters(atlas_data, Filters(plans=("wr2024",)))
    assert set(out) == {"map", "bar", "summary", "headline", "caption"}
    assert isinstance(out["map"], Patch)
    payload = json.dumps(out["map"].to_plotly_json(), ensure_ascii=False)
    assert "coordinates" not in payload and len(payload.encode()) < 10_000
    n_wr2024 = int((atlas_data.tasks["plan_id"] == "wr2024").sum()) - 1  # one same_target pair
    assert str(n_wr2024) in str(out["headline"][0])
    assert out["caption"].startswith("计划：2024年政府工作报告")
    assert "恩施州" in str(out["summary"]) or "无" in str(out["summary"])
    assert out["bar"]["data"][0]["type"] == "bar"


def test_panel_for_selected_place(atlas_data: AtlasData) -> None:
    out = cb.on_panel(atlas_data, Filters(place="江夏区"))
    tp = atlas_data.task_places
    n = tp.loc[(tp["place"] == "江夏区") & (tp["link"] != "group"), "task_id"].nunique()
    assert out["title"] == f"江夏区：{n} 项任务"
    assert (out["clear_disabled"], out["csv_disabled"], out["xlsx_disabled"]) == (
        False,
        False,
        False,
    )
    assert cb.on_panel(atlas_data, Filters())["title"] == "请选择地点"


def test_downloads(atlas_data: AtlasData) -> None:
    csv = cb.on_download(atlas_data, Id.DOWNLOAD_CSV, Filters(place="江夏区"))
    assert csv["filename"] == "任务清单_江夏区.csv" and csv["base64"]
    xlsx = cb.on_download(atlas_data, Id.DOWNLOAD_XLSX, Filters(place="江夏区"))
    assert xlsx["filename"].endswith(".xlsx")
    assert cb.on_download(atlas_data, Id.DOWNLOAD_CSV, Filters()) is no_update


def test_export_calls_render_export_with_caption(
    atlas_data: AtlasData, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    export = pytest.importorskip("dashboard.export")
    seen: dict[str, Any] = {}

    def fake_render(fig: Any, caption: Any, fmt: str, size: str) -> bytes:
        seen.update(fig=fig, caption=caption, fmt=fmt, size=size)
        return b"\x89PNG fake"

    monkeypatch.setattr(export, "render_export", fake_render)
    store = DownloadStore(tmp_path / "dl")
    out = cb.on_export(atlas_data, "png", "a4", Filters(plans=("wr2024",), place="江夏区"), store)
    assert out["notice"] == "" and out["download"].startswith("/_atlas-download/")
    content, name, _ = store.get(out["download"].rsplit("/", 1)[1]) or (b"", "", "")
    assert content == b"\x89PNG fake" and name.endswith(".png")
    assert seen["size"] == "a4" and seen["fmt"] == "png"
    assert "计划：2024年政府工作报告" in seen["caption"].filters_text
    assert "示意范围" in seen["caption"].zone_note
    assert "2024" in seen["caption"].source


def test_export_unavailable_gives_a_notice(
    atlas_data: AtlasData, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = pytest.importorskip("dashboard.export")

    def no_chromium(*_: Any) -> bytes:
        raise export.ExportUnavailable("Chromium not found: apt-get install chromium")

    monkeypatch.setattr(export, "render_export", no_chromium)
    out = cb.on_export(atlas_data, "png", "16:9", Filters())
    assert out["download"] is no_update
    assert "apt-get install chromium" in out["notice"] and out["notice"].startswith("导出失败：")


def test_briefing_toggles_class_and_map_fonts(atlas_data: AtlasData) -> None:
    out = cb.on_briefing(atlas_data, 1)
    assert (out["root_class"], out["label"]) == ("atlas briefing", "退出汇报模式")
    assert "20" in json.dumps(out["map"].to_plotly_json())
    off = cb.on_briefing(atlas_data, 2)
    assert (off["root_class"], off["label"]) == ("atlas", "汇报模式")


@pytest.mark.parametrize(
    ("fmt", "size"), [("gif", "16:9"), ("png", "A5"), (None, "16:9"), ("png", ["A4"]), (1, 2)]
)
def test_every_export_button_refuses_what_the_export_does_not_offer(fmt: Any, size: Any) -> None:
    from dashboard.export import ExportFormat, ExportSize, checked_export

    with pytest.raises(BadInput):
        checked_export(fmt, size)
    assert checked_export("pdf", "a4") == (ExportFormat.PDF, ExportSize.A4)
