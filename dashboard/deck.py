"""`task-atlas deck`: an editable PowerPoint deck (python-pptx) for a briefing.

A title slide, the city map, then one slide per place (13 districts, 5 zones): its map image
beside its tasks as real text boxes, so titles and lists can be edited in PowerPoint or WPS.
Images come from the one export assembly; the deck is bounded (18 place slides, a fixed
number of tasks per slide, 16:9 PNGs).
"""

from __future__ import annotations

import argparse
import io
from typing import TYPE_CHECKING

import pandas as pd
from pptx import Presentation
from pptx.util import Inches, Length, Pt

from dashboard.data import AtlasData
from dashboard.export import render_export
from dashboard.export_cli import add_file_arguments, run_file_command
from dashboard.export_view import assemble_export
from dashboard.filters import Filters
from dashboard.place_export import all_places, place_export

if TYPE_CHECKING:  # the comparison (and scikit-learn) load only for --compare
    from dashboard.compare_state import CompareState

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9
TASKS_PER_SLIDE = 10
TASK_CHARS = 60
FONT = "Noto Sans CJK SC"


def text_box(slide: object, left: Length, top: Length, width: Length, height: Length,
              lines: list[str], size: int, bold_first: bool = False) -> None:  # fmt: skip
    box = slide.shapes.add_textbox(left, top, width, height)  # type: ignore[attr-defined]
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.name = FONT
        run.font.bold = bold_first and i == 0


def slide_title(slide: object, text: str) -> None:
    shape = slide.shapes.title  # type: ignore[attr-defined]
    shape.text = text
    for para in shape.text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(28)
            run.font.name = FONT


def task_lines(tasks: pd.DataFrame, n: int = TASKS_PER_SLIDE) -> list[str]:
    """One short line per task (item number, text cut to fit), plus how many are left out."""
    lines = []
    for row in tasks.head(n).itertuples():
        text = str(row.text)
        short = text if len(text) <= TASK_CHARS else text[: TASK_CHARS - 1] + "…"
        lines.append(f"{row.item_no!s}．{short}" if row.item_no else f"· {short}")
    if len(tasks) > n:
        lines.append(f"……另有 {len(tasks) - n} 条（完整清单见 task-atlas report）")  # rows
    return lines or ["该地点没有符合当前筛选条件的任务。"]


def build_deck(
    data: AtlasData,
    filters: Filters,
    places: list[str] | None = None,
    compare: CompareState | None = None,
) -> bytes:
    """The deck as .pptx bytes; `compare` adds the 对比 map and a change slide per place."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    city = assemble_export(data, filters)
    title_slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide_title(title_slide, city.caption.title)
    caption = city.caption
    subtitle = f"{caption.filters_text}\n数据来源：{caption.source}\n数据日期：{caption.date}"
    title_slide.placeholders[1].text = subtitle
    blank_title = deck.slide_layouts[5]  # "Title Only": an editable title placeholder
    slide = deck.slides.add_slide(blank_title)
    slide_title(slide, city.caption.title)
    png = render_export(city.figure, city.caption, "png", "16:9")
    slide.shapes.add_picture(io.BytesIO(png), Inches(0.4), Inches(1.3), height=Inches(5.9))
    names = places or [name for _, name in all_places(data)]
    for name in names:
        export = place_export(data, filters, name)
        view = export.view
        slide = deck.slides.add_slide(blank_title)
        slide_title(slide, export.heading)
        png = render_export(view.figure, view.caption, "png", "16:9")
        slide.shapes.add_picture(io.BytesIO(png), Inches(0.3), Inches(1.4), width=Inches(7.2))
        text_box(slide, Inches(7.7), Inches(1.4), Inches(5.3), Inches(5.6),
                  task_lines(export.tasks), 12)  # fmt: skip
        text_box(slide, Inches(0.3), Inches(6.9), Inches(12.7), Inches(0.4),
                  [f"{view.caption.filters_text}　数据日期：{view.caption.date}"], 9)  # fmt: skip
    if compare is not None:
        from dashboard.compare_deck import add_compare_slides

        add_compare_slides(deck, data, compare, names)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def add_deck_arguments(parser: argparse.ArgumentParser) -> None:
    add_file_arguments(parser, "FILE.pptx", "deck file")
    parser.add_argument("--compare", metavar="FROM:TO",
                        help="add the 对比 map of two plans and a change slide per place, "
                        "e.g. wr2023:wr2024")  # fmt: skip


def _deck_of(data: AtlasData, filters: Filters, compare: str | None = None) -> bytes:
    """The deck under `filters`; --place limits it to that place; --compare adds slides."""
    places = [filters.place] if filters.place else None
    state = None
    if compare is not None:
        from dashboard.compare_deck import parse_pair

        state = parse_pair(data, compare)
    return build_deck(data, filters, places, state)


def run_deck(args: argparse.Namespace) -> int:
    """`task-atlas deck [filters] [--compare A:B] --out FILE.pptx` (--place limits the deck to
    that place)."""
    return run_file_command("deck", args, ".pptx", lambda d, f: _deck_of(d, f, args.compare))
