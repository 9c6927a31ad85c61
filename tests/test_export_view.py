"""One export assembly: the dashboard button and `task-atlas export` print the same words."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from dashboard import callbacks, export_cli, style
from dashboard.data import load_atlas
from dashboard.downloads import DownloadStore
from dashboard.export import PAGES, ExportCaption, ExportSize, decorate_for_export
from dashboard.export_view import assemble_export
from dashboard.viewstate import Filters

FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"


def _captured(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[ExportCaption]:
    seen: list[ExportCaption] = []

    def fake_render(_fig: Any, caption: ExportCaption, _fmt: str, _size: str) -> bytes:
        seen.append(caption)
        return b"png"

    monkeypatch.setattr(module, "render_export", fake_render)
    return seen


def _footer_texts(caption: ExportCaption) -> list[str]:
    fig = decorate_for_export(assemble_export(load_atlas(FIXTURE), _filters()).figure, caption,
                              ExportSize.WIDESCREEN)  # fmt: skip
    return sorted(a.text for a in fig.layout.annotations)


def _filters() -> Filters:
    return Filters(plans=("wr2024",), sectors=("科技创新",), place="江夏区")


def test_ui_and_cli_give_the_same_title_caption_and_footer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = load_atlas(FIXTURE)
    from dashboard import export

    ui = _captured(monkeypatch, export)
    out = callbacks.on_export(data, "png", "16:9", _filters(), DownloadStore(tmp_path / "dl"))
    assert out["notice"] == "" and out["download"].startswith("/_atlas-download/")

    cli = _captured(monkeypatch, export_cli)
    parser = argparse.ArgumentParser()
    export_cli.add_export_arguments(parser)
    args = parser.parse_args(["--data", str(FIXTURE), "--plan", "wr2024", "--sector", "科技创新",
                              "--place", "江夏区", "--out", str(tmp_path / "m.png")])  # fmt: skip
    assert export_cli.run_export(args) == 0
    assert ui == cli and len(ui) == 1
    assert _footer_texts(ui[0]) == _footer_texts(cli[0])


def test_caption_words() -> None:
    data = load_atlas(FIXTURE)
    view = assemble_export(data, _filters())
    caption = view.caption
    assert caption.title == f"武汉市任务分布图（专项任务） · 江夏区 {view.n_place} 项"
    # the subtitle says how many tasks match and how many of them concern the place
    assert f"筛选结果共 {view.n_tasks} 项任务，其中与江夏区相关 {view.n_place} 项" in (
        caption.filters_text
    )
    assert "（共" not in caption.filters_text  # the old "地点:江夏区(共 302 项任务)"
    assert caption.filters_text.startswith("计划：2024年政府工作报告；领域：科技创新")
    assert caption.zone_note == style.ZONE_NOTE
    assert caption.date == data.built_at


def test_source_line_has_one_prefix() -> None:
    caption = assemble_export(load_atlas(FIXTURE), _filters()).caption
    texts = _footer_texts(caption)
    source = next(t for t in texts if "数据来源" in t)
    assert source.count("数据来源") == 1
    assert source.startswith("数据来源：武政〔2024〕1号；任务地图 Task Atlas 整理")
    assert PAGES  # the footer is the same on every page size


def test_one_zone_note() -> None:
    from dashboard import export

    assert not hasattr(export, "ZONE_NOTE")
    assert style.ZONE_NOTE == "虚线为功能区示意范围（非法定边界）"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("江夏区:21 项任务", "江夏区：21 项任务"),
        ("单位:市发改委(牵头);领域:科技", "单位：市发改委（牵头）；领域：科技"),
        ("16:9(1920×1080)", "16:9(1920×1080)"),
        ("a, b (x)", "a, b (x)"),
    ],
)
def test_zh_punct(text: str, expected: str) -> None:
    assert style.zh_punct(text) == expected
