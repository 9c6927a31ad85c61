"""Exports for decks: per-place images (18), the place report PDF and the editable deck.

Real renders through kaleido and the system Chromium; the PDF is read back with pdftotext,
the deck with python-pptx. Files are kept under test-artifacts/briefing/ to look at.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import AtlasData, load_atlas
from dashboard.place_export import (
    TOP_TASKS,
    all_places,
    place_export,
    place_extent,
    place_tasks,
    task_list_text,
)
from dashboard.viewstate import Filters

FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "briefing"
needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="system Chromium not installed"
)


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return load_atlas(FIXTURE)


def _expected_tasks(place: str) -> pd.DataFrame:
    tasks = pd.read_csv(FIXTURE / "tasks.csv", dtype=str, keep_default_na=False)
    links = pd.read_csv(FIXTURE / "task_places.csv", dtype=str, keep_default_na=False)
    ids = links.loc[
        (links["place"] == place) & links["link"].isin(["lead", "responsible", "mention"]),
        "task_id",
    ]
    return tasks[tasks["task_id"].isin(ids)]


def test_eighteen_places_districts_and_zones(data: AtlasData) -> None:
    places = all_places(data)
    assert len(places) == 18
    assert {"江汉区", "东湖高新区", "长江新区"} <= {name for _, name in places}


def test_place_frame_is_never_a_sliver(data: AtlasData) -> None:
    extent = place_extent(data.places_geojson, "江汉区")
    assert extent["lonaxis"]["range"][1] - extent["lonaxis"]["range"][0] >= 0.159
    assert extent["lataxis"]["range"][1] - extent["lataxis"]["range"][0] >= 0.119


def test_task_list_beside_the_map(data: AtlasData) -> None:
    tasks = place_tasks(data, Filters(), "江夏区")
    assert set(tasks["task_id"]) == set(_expected_tasks("江夏区")["task_id"])
    text = task_list_text(tasks)
    assert str(tasks.iloc[0]["text"])[:10] in text.replace("<br>　", "")


@pytest.mark.export
@needs_chromium
def test_each_district_writes_18_framed_images(tmp_path: Path) -> None:
    from dashboard.export_cli import add_export_arguments, run_export

    parser = argparse.ArgumentParser()
    add_export_arguments(parser)
    args = parser.parse_args(["--data", str(FIXTURE), "--each-district", str(tmp_path)])
    assert run_export(args) == 0
    files = sorted(tmp_path.glob("*.png"))
    assert len(files) == 18
    assert any("东湖高新区" in f.name for f in files)
    head = files[0].read_bytes()[:24]
    assert struct.unpack(">II", head[16:24]) == (1920, 1080)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for f in files[:2] + files[-2:]:
        shutil.copy(f, ARTIFACTS / f.name)


@pytest.mark.export
@needs_chromium
def test_report_pdf_lists_every_task_with_searchable_text(data: AtlasData) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext missing: apt-get install poppler-utils")
    from dashboard.report import build_report

    pdf = build_report(data, Filters(), "江夏区")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "report_江夏区.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = text.replace("\n", "")
    expected = _expected_tasks("江夏区")
    assert "武汉市任务分布图（专项任务） · 江夏区" in text  # exact, no radicals
    for task in expected["text"]:
        assert task[:12] in flat, task
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert "Title:           武汉市任务分布图（专项任务） · 江夏区" in info


@pytest.mark.export
@needs_chromium
def test_deck_is_editable_with_a_slide_per_place(data: AtlasData) -> None:
    import io

    from pptx import Presentation

    from dashboard.deck import build_deck

    content = build_deck(data, Filters(), ["江夏区", "东湖高新区"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "deck.pptx").write_bytes(content)
    deck = Presentation(io.BytesIO(content))
    slides = list(deck.slides)
    assert len(slides) == 4  # title, city map, two places
    assert slides[0].shapes.title.text.startswith("武汉市任务分布图")
    place = slides[2]
    n = len(_expected_tasks("江夏区"))
    assert place.shapes.title.text == f"江夏区：{n} 项任务"
    boxes = [
        s.text_frame.text for s in place.shapes if s.has_text_frame and s != place.shapes.title
    ]
    first = _expected_tasks("江夏区")["text"].iloc[0][:10]
    assert any(first in b for b in boxes)
    assert any(s.shape_type == 13 for s in place.shapes)  # the map picture
    assert len(content) < 8_000_000


def test_a_place_page_counts_its_tasks_as_the_title_and_the_panel_do(
    corpus_data: AtlasData,
) -> None:
    """The place page's list said 黄陂区：31 项任务 under a title saying 黄陂区 29 项: the list
    counted rows, and a target stated in two plans is two rows. Every count of a place is of
    distinct targets now; the list says when it shows more rows than that."""
    from dashboard.panel_rows import place_panel

    differing = []
    for _, name in all_places(corpus_data):
        export = place_export(corpus_data, Filters(), name)
        shown = [a.text for a in export.view.figure.layout.annotations if "项任务" in a.text]
        panel = place_panel(corpus_data, Filters(place=name), 10)
        assert export.view.n_place == panel.n_targets == export.n_counted, name
        assert shown == [f"<b>{export.heading}</b><br><br>{task_list_text(export.tasks)}"]
        assert export.heading.startswith(f"{name}：{panel.n_targets} 项任务"), name
        if len(export.tasks) != panel.n_targets:
            differing.append(name)
            assert f"下列 {len(export.tasks)} 条" in export.heading
            if len(export.tasks) > TOP_TASKS:  # the rest is counted in rows too, not 项
                assert f"另有 {len(export.tasks) - TOP_TASKS} 条" in shown[0], name
    assert "黄陂区" in differing  # the case seen: 31 rows, 29 targets
