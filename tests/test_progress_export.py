"""The 进度 view's export (issue 10): one assembly for the 导出图片 button, `task-atlas export
--view progress` and the 通报's status map; its colour bar and 演示数据 mark.

Images are rendered for real (kaleido + the system Chromium) and opened back: PNG size with
Pillow, PDF text with pdftotext.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from cli.main import main
from dashboard import downloads
from dashboard.data import AtlasData, load_atlas
from dashboard.downloads import DownloadStore
from dashboard.fieldkinds import BadInput
from dashboard.progress_export import ProgressState, progress_export, rule_words
from dashboard.progress_export_ui import export_request, on_export
from dashboard.progress_figures import DEMO_NOTE, METRIC_CLASSES, Metric, progress_map
from dashboard.progress_view import default_source
from dashboard.viewstate import Filters
from progress.db import open_store
from progress.demo import fill_demo
from progress.quarters import parse_quarter, parse_quarter_range
from progress.service import write_templates
from progress.tasks import read_task_tables
from progress.view import narrow
from tests.progress_fixtures import ATLAS_FIXTURE, fill_workbook

Q2 = parse_quarter("2024Q2")
needs_chromium = pytest.mark.skipif(
    not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()),
    reason="no system Chromium (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    store = open_store(url)
    fill_demo(read_task_tables(ATLAS_FIXTURE), store, parse_quarter_range("2024Q1..2024Q2"))
    store.close()
    return url


@pytest.fixture(scope="module")
def real_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with one real return for 2024Q2 (template → filled → imported)."""
    folder = tmp_path_factory.mktemp("real")
    url = f"sqlite:///{folder / 'real.db'}"
    store = open_store(url)
    write_templates(read_task_tables(ATLAS_FIXTURE), store, Q2, folder)
    store.close()
    path = folder / "2024Q2_市交通运输局.xlsx"
    fill_workbook(path, {"wr2024-2.2.2": {"完成状态": "滞后", "完成进度(%)": 10}})
    args = ["progress", "import", str(path), "--quarter", "2024Q2"]
    assert main([*args, "--data", str(ATLAS_FIXTURE), "--db", url]) == 0
    return url


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return load_atlas(ATLAS_FIXTURE)


# --- the map's colour bar and the demo mark (defects seen at 1366×768) -------------------------


@pytest.mark.parametrize("metric", list(Metric))
def test_colour_bar_ticks_are_few_words_spread_over_the_bar(
    data: AtlasData, demo_url: str, metric: Metric
) -> None:
    """Before: the count classes' six ticks (0–5) sat in the first 5 % of a 0–100 bar, crowded
    and turned by plotly; now a few class words span the whole bar, never turned."""
    source = default_source(data, demo_url)
    fig = progress_map(narrow(source.base(Q2), source.tables), data, metric)
    axis = fig["layout"]["coloraxis"]
    bar = axis["colorbar"]
    ticks = bar["tickvals"]
    assert (max(ticks) - min(ticks)) / (axis["cmax"] - axis["cmin"]) >= 0.75
    assert bar["ticktext"] == [label for _, label in METRIC_CLASSES[metric]]
    assert len(bar["ticktext"]) <= 5 and bar["tickangle"] == 0
    assert bar["orientation"] == "h"
    z = fig["data"][1]["z"]  # the districts: class indexes on the bar
    assert set(z) <= set(ticks)
    if metric == Metric.MEAN:  # the demo's mean progress spreads over several classes
        assert len(set(z)) > 1


def test_demo_mark_sits_above_the_map_clear_of_the_legend(data: AtlasData, demo_url: str) -> None:
    """Before: at y = 0.92 inside the map, on the legend (top left). Now in a top margin."""
    source = default_source(data, demo_url)
    fig = progress_map(narrow(source.base(Q2), source.tables), data, Metric.MEAN)
    note = next(a for a in fig["layout"]["annotations"] if a["text"] == DEMO_NOTE["text"])
    assert note["yref"] == "paper" and note["y"] >= 1 and note["yanchor"] == "bottom"
    assert fig["layout"]["margin"]["t"] >= 24  # the strip the mark sits in
    legend = fig["layout"]["legend"]
    assert legend["y"] <= 1  # the legend stays inside the plot, under the strip


# --- the one assembly ------------------------------------------------------------------------


def test_assembly_says_quarter_filters_as_of_rule_and_demo(data: AtlasData, demo_url: str) -> None:
    source = default_source(data, demo_url)
    state = ProgressState(Q2, Metric.RATE, ("滞后",))
    view = progress_export(data, source, Filters(plans=("wr2024",), place="江夏区"), state)
    caption = view.caption
    assert caption.title.startswith("【演示数据】") and "2024年第二季度" in caption.title
    assert "完成率" in caption.title and "江夏区" in caption.title
    assert "计划：2024年" in caption.filters_text and "地点：江夏区" in caption.filters_text
    assert "任务状态：滞后（共" in caption.filters_text
    assert "报送数据截至 2024-06-30" in caption.filters_text
    assert caption.notes == (rule_words(),) and "红灯：" in rule_words()
    assert "序时进度" in rule_words()
    marks = [a.text for a in view.figure.layout.annotations if "演示数据" in (a.text or "")]
    assert marks == []  # on a page the mark is in the title, not over the subtitle


def test_a_title_of_ones_own_keeps_the_demo_mark(data: AtlasData, demo_url: str) -> None:
    source = default_source(data, demo_url)
    view = progress_export(data, source, Filters(), ProgressState(Q2), title="二季度进度")
    assert view.caption.title == "【演示数据】二季度进度"


def test_assembly_of_real_returns_has_no_demo_mark(data: AtlasData, real_url: str) -> None:
    source = default_source(data, real_url)
    view = progress_export(data, source, Filters(), ProgressState(Q2))
    words = " ".join([view.caption.title, view.caption.filters_text, *view.caption.notes])
    assert "演示数据" not in words and "2024年第二季度" in view.caption.title


# --- the command line ------------------------------------------------------------------------


def _export(tmp_path: Path, url: str, out: str, *extra: str) -> int:
    args = ["export", "--view", "progress", "--data", str(ATLAS_FIXTURE), "--db", url]
    return main([*args, *extra, "--out", str(tmp_path / out)])


@needs_chromium
def test_cli_writes_a_real_png_and_pdf(tmp_path: Path, demo_url: str, real_url: str) -> None:
    assert _export(tmp_path, demo_url, "demo.png", "--quarter", "2024Q2") == 0
    with Image.open(tmp_path / "demo.png") as image:
        assert image.size == (1920, 1080)
    assert _export(tmp_path, demo_url, "demo.pdf", "--quarter", "2024Q2", "--size", "a4") == 0
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "demo.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "【演示数据】武汉市任务进度图 · 2024年第二季度（平均进度）" in text
    assert "报送数据截至 2024-06-30" in text and "评灯规则" in text
    assert _export(tmp_path, real_url, "real.pdf", "--quarter", "2024Q2", "--metric", "behind") == 0
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "real.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "武汉市任务进度图 · 2024年第二季度（滞后任务数）" in text and "演示数据" not in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--quarter", "2024Q9"], "not a quarter"),
        (["--quarter", "2025Q1"], "no returns for 2025Q1"),
        ([], "needs --quarter"),
        (["--quarter", "2024Q2", "--status", "完成"], "unknown status 完成"),
        (["--quarter", "2024Q2", "--plan", "nope"], "unknown plan nope"),
        (["--quarter", "2024Q2", "--place", "火星"], "unknown place 火星"),
        (["--quarter", "2024Q2", "--format", "svg"], "does not match"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, demo_url: str, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert _export(tmp_path, demo_url, "x.png", *args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and err.startswith("task-atlas export:")
    assert not (tmp_path / "x.png").exists()


def test_cli_no_store_is_a_usage_error_and_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.db"
    assert _export(tmp_path, str(missing), "x.png", "--quarter", "2024Q2") == 2
    assert "no progress store" in capsys.readouterr().err and not missing.exists()


def test_map_view_refuses_progress_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["export", "--data", str(ATLAS_FIXTURE), "--quarter", "2024Q2"]
    assert main([*args, "--out", str(tmp_path / "m.png")]) == 2
    assert "only with --view progress" in capsys.readouterr().err


# --- the 导出图片 button -------------------------------------------------------------------------


def test_button_refuses_malformed_values(data: AtlasData) -> None:
    for quarter, statuses, metric in (
        (None, [], "mean"),
        ("2024Q2", ["完成"], "mean"),
        ("2024Q2", "滞后", "mean"),
        ("2024Q2", [], "pie"),
    ):
        with pytest.raises(BadInput):
            export_request(data, quarter, statuses, metric, "")


@needs_chromium
def test_button_stores_the_image_for_the_download_route(
    data: AtlasData, demo_url: str, tmp_path: Path
) -> None:
    """The callback answers with a URL (never the bytes); the route serves the real image."""
    source = default_source(data, demo_url)
    files = DownloadStore(tmp_path / "downloads")
    filters, state = export_request(data, "2024Q2", ["滞后"], "behind", "?plan=wr2024")
    out = on_export(data, source, files, "png", "16:9", filters, state)
    url = out["download"]
    assert isinstance(url, str) and url.startswith("/_atlas-download/") and len(url) < 80
    assert out["notice"] == f"已导出：任务进度_2024Q2_{data.built_at}.png"
    server = Flask(__name__)
    downloads.install(server, files)  # the route create_app installs, over this test's folder
    response = server.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.size == (1920, 1080)


def test_the_report_map_is_the_same_assembly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo_url: str
) -> None:
    """The 通报's status map is the 进度 export (滞后 per place), not a caption of its own."""
    import docx

    import dashboard.export as export
    import dashboard.progress_export as assembly

    seen: list[tuple[ProgressState, str]] = []
    real = assembly.assemble_progress_export

    def spy(*args: object, **kwargs: object) -> object:
        view = real(*args, **kwargs)  # type: ignore[arg-type]
        seen.append((args[3], view.caption.title))  # type: ignore[arg-type]
        return view

    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "white").save(buffer, "PNG")
    monkeypatch.setattr(assembly, "assemble_progress_export", spy)
    monkeypatch.setattr(export, "render_export", lambda *a, **k: buffer.getvalue())
    out = tmp_path / "通报.docx"
    args = ["progress", "report", "--quarter", "2024Q2", "--place", "江夏区"]
    assert main([*args, "--data", str(ATLAS_FIXTURE), "--db", demo_url, "--out", str(out)]) == 0
    [(state, title)] = seen
    assert state.metric == Metric.BEHIND and state.quarter == Q2
    assert title == "【演示数据】武汉市任务进度图 · 2024年第二季度（滞后任务数） · 江夏区"
    assert len(docx.Document(str(out)).inline_shapes) == 1
