"""`task-atlas export` on the small fixture data folder: errors, atomic writes, real images."""

from __future__ import annotations

import argparse
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dashboard import export_cli
from dashboard.export import ExportError
from dashboard.export_cli import add_export_arguments, run_export
from tests.helpers import FIXTURE

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "exports"
DISTRICT_CODES = {"420102", "420103", "420104", "420105", "420106", "420107", "420111",
                  "420112", "420113", "420114", "420115", "420116", "420117"}  # fmt: skip


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="task-atlas export")
    add_export_arguments(parser)
    return parser.parse_args(["--data", str(FIXTURE), *argv])


def svg_text(path: Path) -> str:
    return "".join(ET.fromstring(path.read_bytes()).itertext())


@pytest.mark.parametrize(
    ("argv", "out_name", "message"),
    [
        (["--plan", "wr2099"], "m.png", "unknown plan wr2099; known: fyp14, wr2023, wr2024"),
        (["--sector", "航天"], "m.png", "unknown sector 航天"),
        (["--place", "朝阳区"], "m.png", "unknown place 朝阳区"),
        (["--agency", "市不存在局"], "m.png", "unknown agency 市不存在局"),
        (["--format", "svg"], "m.png", "--format svg does not match --out"),
        ([], "m.jpg", "m.jpg: cannot write .jpg files; use .png, .svg, .pdf"),
        (["--format", "png"], "m.jpeg", "cannot write .jpeg files"),
    ],
)
def test_unknown_values_exit_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    out_name: str,
    message: str,
) -> None:
    assert run_export(parse(*argv, "--out", str(tmp_path / out_name))) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_missing_data_folder_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("--out", str(tmp_path / "m.png"))
    args.data = tmp_path / "nowhere"
    assert run_export(args) == 1
    assert "data folder not found" in capsys.readouterr().err


def test_comma_lists_and_place_codes_become_filters() -> None:
    args = parse(
        "--plan", "wr2024,wr2023", "--sector", "科技创新", "--place", "420115", "--out", "x"
    )
    data = export_cli.load_atlas(FIXTURE)
    filters = export_cli.filters_from_args(args, data)
    assert filters.plans == ("wr2024", "wr2023")
    assert filters.sectors == ("科技创新",)
    assert filters.place == "江夏区"


def test_format_follows_out_suffix() -> None:
    assert export_cli.export_format(parse("--out", "deck/map.PDF")) == "pdf"
    assert export_cli.export_format(parse("--out", "map")) == "png"
    assert export_cli.export_format(parse("--format", "svg", "--out", "map")) == "svg"
    with pytest.raises(export_cli.UsageError, match=r"cannot write \.img files"):
        export_cli.export_format(parse("--format", "svg", "--out", "map.img"))


def test_caption_names_filters_place_count_and_source() -> None:
    data = export_cli.load_atlas(FIXTURE)
    args = parse("--plan", "wr2024", "--place", "江夏区", "--out", "x")
    _fig, caption = export_cli.map_and_caption(data, export_cli.filters_from_args(args, data), None)
    assert caption.title.startswith("武汉市任务分布图（专项任务） · 江夏区 ")
    assert "计划：2024年政府工作报告" in caption.filters_text
    assert "武政〔2024〕1号" in caption.source and "武政〔2023〕1号" not in caption.source
    assert caption.zone_note
    hidden = parse("--no-zones", "--out", "x")
    assert (
        export_cli.map_and_caption(data, export_cli.filters_from_args(hidden, data), "T")[
            1
        ].zone_note
        is None
    )


def test_failed_render_leaves_no_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object) -> bytes:
        raise ExportError("导出失败 / export failed: browser crashed")

    monkeypatch.setattr(export_cli, "render_export", broken)
    out = tmp_path / "map.png"
    out.write_bytes(b"previous deck image")
    assert run_export(parse("--out", str(out))) == 1
    assert "browser crashed" in capsys.readouterr().err
    assert out.read_bytes() == b"previous deck image"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    out = tmp_path / "deck" / "map.svg"
    export_cli.write_atomic(out, b"<svg/>")
    export_cli.write_atomic(out, b"<svg>2</svg>")
    assert out.read_bytes() == b"<svg>2</svg>"
    assert [p.name for p in out.parent.iterdir()] == ["map.svg"]
    assert out.stat().st_mode & 0o777 == 0o644


@pytest.mark.export
def test_export_place_as_svg_and_a4_png(tmp_path: Path) -> None:
    svg = tmp_path / "jiangxia.svg"
    assert run_export(parse("--plan", "wr2023", "--place", "江夏区", "--out", str(svg))) == 0
    text = svg_text(svg)
    assert "江夏区" in text and "2023年政府工作报告" in text
    assert "功能区" in text and "示意" in text
    png = tmp_path / "city.png"
    assert run_export(parse("--size", "a4", "--out", str(png))) == 0
    data = png.read_bytes()
    assert struct.unpack(">II", data[16:24]) == (3508, 2480)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "fixture_city_a4.png").write_bytes(data)


@pytest.mark.export
def test_each_district_writes_one_image_per_district_and_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "deck"
    assert run_export(parse("--format", "svg", "--each-district", str(folder))) == 0
    files = sorted(folder.iterdir())
    codes = {f.name.split("_")[0] for f in files}
    assert codes >= DISTRICT_CODES and len(codes) == 18  # 13 districts and 5 zones
    for file in files:
        place = file.stem.split("_", 1)[1]
        assert f"· {place} " in svg_text(file)
    assert "18/18" in capsys.readouterr().err  # the tqdm progress bar
