"""Image export: presets, decoration, and real renders through kaleido and the system Chromium."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard import export
from dashboard.export import (
    PAGES,
    ExportCaption,
    Exporter,
    ExportFormat,
    ExportSize,
    ExportUnavailable,
    decorate_for_export,
    parse_format,
    parse_size,
    png_scale,
    render_export,
    render_options,
)
from dashboard.style import ZONE_NOTE

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "exports"
TITLE = "武汉市任务分布图(专项任务)"
CAPTION = ExportCaption(
    title=TITLE,
    filters_text="计划:2024年政府工作报告;领域:科技创新、先进制造;单位:市发改委(牵头)",
    zone_note=ZONE_NOTE,
    source="武政〔2024〕1号;任务地图 Task Atlas 整理",
    date="2025-03-01",
)
SQUARES = {
    "420115": ("江夏区", (114.2, 30.2)),
    "420111": ("洪山区", (114.2, 30.5)),
    "420116": ("黄陂区", (114.5, 30.5)),
}


def _square(lon: float, lat: float) -> dict[str, object]:
    ring = [[lon, lat], [lon + 0.3, lat], [lon + 0.3, lat + 0.3], [lon, lat + 0.3], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def sample_map() -> go.Figure:
    """A tiny Chinese-labelled choropleth on a tile-free map, like the dashboard's."""
    features = [
        {"type": "Feature", "id": code, "properties": {"name": name}, "geometry": _square(*corner)}
        for code, (name, corner) in SQUARES.items()
    ]
    fig = go.Figure(
        go.Choroplethmap(
            geojson={"type": "FeatureCollection", "features": features},
            locations=list(SQUARES),
            z=[3, 7, 12],
            text=[name for name, _ in SQUARES.values()],
            colorscale="Blues",
            colorbar={"title": {"text": "任务数"}},
        )
    )
    fig.update_layout(map={"style": "white-bg", "center": {"lat": 30.5, "lon": 114.5}, "zoom": 8.5})
    fig.add_annotation(text=ZONE_NOTE, x=0, y=0, xref="paper", yref="paper")
    return fig


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG signature and IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def save_artifact(name: str, data: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(data)
    if path.suffix == ".pdf" and shutil.which("pdftoppm"):
        preview = path.with_name(f"{path.stem}_pdf_preview")
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", path, preview], check=True)
    return path


# --- pure parts -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(ExportSize))
def test_png_scale_lands_on_exact_pixels(size: ExportSize) -> None:
    page = PAGES[size]
    scale = png_scale(page)
    assert int(page.layout_width * scale) == page.png_width
    assert int(page.layout_height * scale) == page.png_height
    # rounding instead of truncating would give the same size too
    assert round(page.layout_width * scale) == page.png_width


def test_presets_are_the_requested_sizes_and_bounded() -> None:
    assert (PAGES[ExportSize.WIDESCREEN].png_width, PAGES[ExportSize.WIDESCREEN].png_height) == (
        1920,
        1080,
    )
    assert (PAGES[ExportSize.A4].png_width, PAGES[ExportSize.A4].png_height) == (3508, 2480)
    assert (PAGES[ExportSize.A3].png_width, PAGES[ExportSize.A3].png_height) == (4961, 3508)
    assert max(p.png_width * p.png_height for p in PAGES.values()) == 4961 * 3508


def test_paper_layouts_are_true_paper_size_at_96_css_px_per_inch() -> None:
    for size, (mm_w, mm_h) in {ExportSize.A4: (297, 210), ExportSize.A3: (420, 297)}.items():
        page = PAGES[size]
        assert abs(page.layout_width - mm_w / 25.4 * 96) < 1.5
        assert abs(page.layout_height - mm_h / 25.4 * 96) < 1.5


@pytest.mark.parametrize("bad", ["gif", "jpeg", "", "png;rm"])
def test_unknown_format_names_the_allowed_ones(bad: str) -> None:
    with pytest.raises(ValueError, match="allowed: png, svg, pdf"):
        parse_format(bad)


@pytest.mark.parametrize("bad", ["50000x50000", "a5", "1920x1080", "16x9"])
def test_unknown_size_names_the_allowed_ones(bad: str) -> None:
    with pytest.raises(ValueError, match="allowed: 16:9, a4, a3"):
        parse_size(bad)


def test_names_are_case_insensitive() -> None:
    assert parse_format(" PDF ") is ExportFormat.PDF
    assert parse_size("A4") is ExportSize.A4


def test_validation_comes_before_any_browser() -> None:
    exporter = Exporter(browser_path="/nonexistent/chromium")
    with pytest.raises(ValueError, match="unknown export size"):
        exporter.render(sample_map(), CAPTION, "png", "50000x50000")


def test_render_options_scale_png_only() -> None:
    png = render_options(ExportFormat.PNG, ExportSize.A4)
    pdf = render_options(ExportFormat.PDF, ExportSize.A4)
    assert (png["width"], png["height"]) == (pdf["width"], pdf["height"]) == (1123, 794)
    assert png["scale"] > 3 and pdf["scale"] == 1.0


def _annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_decorate_adds_caption_without_touching_the_input() -> None:
    fig = sample_map()
    before = fig.to_dict()
    out = decorate_for_export(fig, CAPTION, ExportSize.A4)
    assert fig.to_dict() == before
    assert TITLE in out.layout.title.text
    assert "科技创新" in out.layout.title.subtitle.text
    footer = " ".join(_annotation_texts(out))
    assert "武政〔2024〕1号" in footer and "2025-03-01" in footer
    assert "Noto Sans CJK SC" in out.layout.font.family
    assert (out.layout.width, out.layout.height) == (1123, 794)


def test_zone_note_printed_once_and_only_when_zones_shown() -> None:
    texts = _annotation_texts(decorate_for_export(sample_map(), CAPTION, ExportSize.WIDESCREEN))
    assert texts.count(ZONE_NOTE) == 1
    no_zones = ExportCaption(**{**CAPTION.__dict__, "zone_note": None})
    plain = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    texts = _annotation_texts(decorate_for_export(plain, no_zones, ExportSize.WIDESCREEN))
    assert not any("示意" in t for t in texts)


def test_long_filter_text_wraps_within_three_lines() -> None:
    long = ExportCaption(**{**CAPTION.__dict__, "filters_text": "领域:科技创新、" * 80})
    out = decorate_for_export(sample_map(), long, ExportSize.WIDESCREEN)
    lines = out.layout.title.subtitle.text.split("<br>")
    assert len(lines) == 3
    assert lines[-1].endswith("…")


def test_colorbar_is_sized_for_print() -> None:
    out = decorate_for_export(sample_map(), CAPTION, ExportSize.A3)
    assert out.data[0].colorbar.tickfont.size == PAGES[ExportSize.A3].base_font


def test_render_page_loads_nothing_from_the_network() -> None:
    from kaleido import PageGenerator

    page = PageGenerator(mathjax=export.KALEIDO_OPTIONS["mathjax"]).generate_index()
    assert "http://" not in page and "https://" not in page
    assert "plotly/package_data/plotly.min.js" in page
    assert any("host-resolver-rules" in flag for flag in export.OFFLINE_CHROMIUM_FLAGS)


def test_missing_browser_gives_install_hint() -> None:
    with pytest.raises(ExportUnavailable) as info:
        Exporter(browser_path="/nonexistent/chromium").render(sample_map(), CAPTION, "png", "a4")
    message = str(info.value)
    assert "apt-get install chromium fonts-noto-cjk" in message
    assert "未找到 Chromium" in message and "\n" not in message


def test_bogus_browser_path_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.delenv("TASK_ATLAS_CHROMIUM", raising=False)
    with pytest.raises(ExportUnavailable, match="nonexistent"):
        render_export(sample_map(), CAPTION, "svg", "16:9")


def test_never_picks_a_downloaded_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in export.BROWSER_ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    path = export.find_chromium()
    assert path in export.SYSTEM_CHROMIUM_PATHS or path == shutil.which("chromium")
    assert "choreographer" not in path and "kaleido" not in path


@pytest.mark.export
def test_cjk_font_is_installed() -> None:
    if not shutil.which("fc-match"):
        pytest.skip("fontconfig tools missing")
    found = subprocess.run(["fc-match", "Noto Sans CJK SC"], capture_output=True, text=True)
    assert "NotoSansCJK" in found.stdout, "apt-get install fonts-noto-cjk"


# --- real renders -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exporter() -> Iterator[Exporter]:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("system Chromium not installed (apt-get install chromium)")
    warm = Exporter()
    yield warm
    warm.close()


@pytest.mark.export
@pytest.mark.parametrize(
    ("size", "expected"),
    [("16:9", (1920, 1080)), ("a4", (3508, 2480)), ("a3", (4961, 3508))],
)
def test_png_has_requested_size_and_content(
    exporter: Exporter, size: str, expected: tuple[int, int]
) -> None:
    data = exporter.render(sample_map(), CAPTION, "png", size)
    save_artifact(f"sample_{size.replace(':', 'x')}.png", data)
    assert png_size(data) == expected
    image = pytest.importorskip("PIL.Image").open(io.BytesIO(data)).convert("RGB")
    small = image.resize((480, int(480 * expected[1] / expected[0])))
    colours = small.getcolors(maxcolors=1 << 20) or []
    non_white = sum(n for n, rgb in colours if min(rgb) < 240)
    assert len(colours) > 50
    assert non_white > 0.05 * small.width * small.height


@pytest.mark.export
def test_svg_carries_chinese_title_and_zone_note(exporter: Exporter) -> None:
    data = exporter.render(sample_map(), CAPTION, "svg", "16:9")
    save_artifact("sample_16x9.svg", data)
    root = ET.fromstring(data)
    text = "".join(root.itertext())
    assert TITLE in text
    assert ZONE_NOTE in text
    assert (root.get("width"), root.get("height")) == ("1280", "720")
    assert "Noto Sans CJK SC" in data.decode()


@pytest.mark.export
def test_pdf_is_a4_with_chinese_title(exporter: Exporter) -> None:
    data = exporter.render(sample_map(), CAPTION, "pdf", "a4")
    path = save_artifact("sample_a4.pdf", data)
    assert data.startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext missing: apt-get install poppler-utils")
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert "841.9" in info and "595.9" in info  # A4 landscape in points
    raw = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True)
    text = raw.stdout  # exact: no NFKC, a search for 黄 or 日 must find them as typed
    assert TITLE in text
    assert ZONE_NOTE in text
    assert "2024年政府工作报告" in text
    assert "Title:           " + TITLE in info or _pdf_title(path) == TITLE


def _pdf_title(path: Path) -> str:
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return next(
        line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Title")
    )


@pytest.mark.export
def test_pdf_text_has_ideographs_not_radicals(exporter: Exporter) -> None:
    """黄, 高, 日 come out of pdftotext as typed, not as the Kangxi/supplement radicals
    ⻩ ⾼ ⽇ that share their glyphs; the document title is ours, not "Kaleido-fier"."""
    title = "黄陂区高新技术日报 · 武汉市任务分布图"
    caption = ExportCaption(
        title, "领域：科技创新；工业", ZONE_NOTE, "武政〔2024〕1号", "2025-03-01"
    )
    data = exporter.render(sample_map(), caption, "pdf", "16:9")
    path = save_artifact("radicals_16x9.pdf", data)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext missing: apt-get install poppler-utils")
    text = subprocess.run(
        ["pdftotext", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert title in text
    assert "领域：科技创新；工业" in text
    radicals = [c for c in text if 0x2E80 <= ord(c) < 0x2FE0]
    assert radicals == []
    assert _pdf_title(path) == title


def test_fix_cmap_maps_radicals_in_bfchar_and_bfrange() -> None:
    from dashboard.pdf_text import fix_cmap

    cmap = (
        b"begincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        b"2 beginbfchar\n<03> <2EE9>\n<57> <6C49>\nendbfchar\n"
        b"1 beginbfrange\n<10> <11> <2FBC>\nendbfrange\nendcmap"
    )
    fixed = fix_cmap(cmap, {0x2EE9: 0x9EC4, 0x2FBC: 0x9AD8, 0x2FBD: 0x9AE6})
    assert b"<03> <9EC4>" in fixed and b"<57> <6C49>" in fixed
    assert b"<10> <9AD8>" in fixed and b"<11> <9AE6>" in fixed
    assert b"2EE9" not in fixed and b"bfrange" not in fixed
    assert b"<00> <FF>" in fixed


@pytest.mark.export
def test_concurrent_exports_queue_and_all_succeed(
    exporter: Exporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    active, peak, guard = [0], [0], threading.Lock()
    original = export._KaleidoSession.render

    def counting(self: export._KaleidoSession, fig: dict, opts: dict) -> bytes:
        with guard:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            return original(self, fig, opts)
        finally:
            with guard:
                active[0] -= 1

    monkeypatch.setattr(export._KaleidoSession, "render", counting)
    results: list[bytes | BaseException] = []

    def work() -> None:
        try:
            results.append(exporter.render(sample_map(), CAPTION, "png", "16:9"))
        except BaseException as exc:  # collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(results) == 4
    assert all(isinstance(r, bytes) and png_size(r) == (1920, 1080) for r in results), results
    assert peak[0] == 1
