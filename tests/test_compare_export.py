"""The 对比 map's image export: one assembly for the tab's button and `task-atlas export --view
compare`, files through the export queue and the plain download route, real renders opened
back (PNG size, SVG and PDF text)."""

from __future__ import annotations

import argparse
import struct
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pandas as pd
import pytest
from flask import Flask

from cli.main import main
from dashboard import compare_view as cv
from dashboard import downloads
from dashboard.compare_export import assemble_compare_export, counts_text
from dashboard.compare_state import CompareState
from dashboard.data import AtlasData
from dashboard.downloads import DownloadStore
from dashboard.export import ExportCaption
from dashboard.export_cli import add_export_arguments, run_export

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "exports"
needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="system Chromium not installed"
)
STATE = CompareState("wr2023", "wr2024", "江夏区")
LINKS = ("lead", "responsible", "mention")


def _args(data_dir: Path, *argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="task-atlas export")
    add_export_arguments(parser)
    return parser.parse_args(["--data", str(data_dir), *argv])


def expected_counts(data_dir: Path, tmp: Path, place: str | None) -> dict[str, int]:
    """Tasks per relation from `task-atlas compare`'s CSV (and task_places.csv for a place),
    counted by pandas, not by the view's code."""
    out = tmp / "cmp.csv"
    args = ["compare", "--from", "wr2023", "--to", "wr2024", "--data", str(data_dir)]
    assert main([*args, "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    if place:
        places = pd.read_csv(data_dir / "task_places.csv", dtype=str, keep_default_na=False)
        here = places[(places["place"] == place) & places["link"].isin(LINKS)]["task_id"]
        about = table["to_task_id"].where(table["to_task_id"] != "", table["from_task_id"])
        table = table[about.isin(set(here))]
    counts = {}
    for relation in ("新增", "延续", "调整", "取消"):
        rows = table[table["relation"] == relation]
        side = "from_task_id" if relation == "取消" else "to_task_id"
        counts[relation] = rows[side].nunique()
    return counts


def test_caption_names_the_plans_says_the_colour_and_counts_from_the_csv(
    built: Path, corpus_data: AtlasData, tmp_path: Path
) -> None:
    view = assemble_compare_export(corpus_data, STATE)
    caption = view.caption
    assert caption.title == "计划对比图：2023年政府工作报告 → 2024年政府工作报告 · 江夏区"
    assert "新增 − 取消" in caption.filters_text and "蓝色新增多于取消" in caption.filters_text
    assert "没有新增和取消的地点只标名称" in caption.filters_text
    city = counts_text(expected_counts(built, tmp_path, None))
    here = counts_text(expected_counts(built, tmp_path, "江夏区"))
    assert f"全市{city}" in caption.filters_text
    assert f"其中与江夏区相关：{here}" in caption.filters_text
    assert caption.source.startswith("武政办〔2023〕1号、武政〔2024〕1号；")
    assert caption.date == corpus_data.built_at


def _captured(monkeypatch: pytest.MonkeyPatch) -> list[tuple[ExportCaption, str]]:
    """Replace the renderer with one that records what it was asked to draw."""
    from dashboard import export

    seen: list[tuple[ExportCaption, str]] = []

    def fake_render(fig: Any, caption: ExportCaption, fmt: str, size: str) -> bytes:
        seen.append((caption, fig.to_json()))
        return b"\x89PNG fake"

    monkeypatch.setattr(export, "render_export", fake_render)
    return seen


def test_button_and_cli_export_the_same_view(
    monkeypatch: pytest.MonkeyPatch, built: Path, corpus_data: AtlasData, tmp_path: Path
) -> None:
    seen = _captured(monkeypatch)
    store = DownloadStore(tmp_path / "dl")
    out = cv.on_export(corpus_data, "png", "16:9", asdict(STATE), store)
    args = _args(built, "--view", "compare", "--from", "wr2023", "--to", "wr2024",
                 "--place", "江夏区", "--out", str(tmp_path / "c.png"))  # fmt: skip
    assert run_export(args) == 0
    assert len(seen) == 2 and seen[0] == seen[1]  # same caption, same figure
    assert out["notice"] == "" and out["download"].startswith(downloads.ROUTE)
    assert out["name"] == f"下载 任务对比_wr2023_wr2024_江夏区_{corpus_data.built_at}.png"


def test_button_file_comes_from_the_download_route_not_callback_json(
    monkeypatch: pytest.MonkeyPatch, corpus_data: AtlasData, tmp_path: Path
) -> None:
    _captured(monkeypatch)
    store = DownloadStore(tmp_path / "dl")
    out = cv.on_export(corpus_data, "png", "16:9", asdict(STATE), store)
    assert len(out["download"]) < 80  # a URL, not the file
    server = Flask("t")
    downloads.install(server, store)
    got = server.test_client().get(out["download"])
    assert got.status_code == 200 and got.data == b"\x89PNG fake"
    disposition = unquote(got.headers["Content-Disposition"])
    assert "UTF-8''任务对比_wr2023_wr2024_江夏区_" in disposition


def test_button_goes_through_the_export_queue(corpus_data: AtlasData, tmp_path: Path) -> None:
    """A second export from the same client while one runs is told 导出繁忙 at once."""
    from dashboard.export_queue import BUSY, ExportQueue

    queue = ExportQueue(1, tmp_path / "locks")
    inner: dict[str, Any] = {}

    def job() -> dict[str, Any]:
        inner.update(queue.run("1.2.3.4", lambda: {"download": "x", "notice": ""}))
        return {"download": "y", "notice": ""}

    assert queue.run("1.2.3.4", job)["download"] == "y"
    assert inner["notice"] == BUSY


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--view", "compare", "--to", "wr2024"], "--view compare needs --from PLAN and --to"),
        (["--view", "compare", "--from", "wr2024", "--to", "wr2024"], "name two different"),
        (["--view", "compare", "--from", "x1", "--to", "wr2024"], "unknown plan x1"),
        (["--view", "compare", "--from", "wr2023", "--to", "wr2024", "--plan", "wr2024"],
         "--plan: not for --view compare"),
        (["--view", "compare", "--from", "wr2023", "--to", "wr2024", "--place", "火星"],
         "unknown place 火星"),
        (["--from", "wr2023", "--to", "wr2024"], "--from and --to belong to --view compare"),
    ],
)  # fmt: skip
def test_bad_compare_exports_exit_2_with_one_line(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run_export(_args(built, *argv, "--out", str(tmp_path / "c.png"))) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.export
@needs_chromium
def test_cli_writes_real_png_svg_and_pdf(built: Path, corpus_data: AtlasData) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = ["--view", "compare", "--from", "wr2023", "--to", "wr2024", "--place", "江夏区"]
    png, svg, pdf = (ARTIFACTS / f"compare_江夏区.{s}" for s in ("png", "svg", "pdf"))
    assert run_export(_args(built, *base, "--out", str(png))) == 0
    assert struct.unpack(">II", png.read_bytes()[16:24]) == (1920, 1080)
    assert run_export(_args(built, *base, "--size", "a3", "--out", str(svg))) == 0
    text = "".join(ET.fromstring(svg.read_bytes()).itertext())
    view = assemble_compare_export(corpus_data, STATE)
    assert view.caption.title in text and "中心城区放大" in text
    row = view.changes.set_index("place").loc["江夏区"]
    assert f"+{row['新增']} −{row['取消']}" in text
    # a place with neither additions nor drops is named without a "+0 −0" (it had one before)
    by_place = view.changes.set_index("place")
    quiet = by_place[(by_place["新增"] == 0) & (by_place["取消"] == 0)].index
    assert len(quiet) > 0 and "+0 −0" not in text
    assert all(name.removesuffix("区") in text for name in quiet)
    assert run_export(_args(built, *base, "--size", "a4", "--out", str(pdf))) == 0
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert view.caption.title in words.replace("\n", "")
