"""The deck's comparison slides (`task-atlas deck --compare A:B`): the 对比 map, then one slide
per place with its 新增 / 延续 / 调整 / 取消 counts and tasks as editable text.

The map and the counts come from the one 对比 export assembly, so the slides say what the tab,
its image export and the comparison report say.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from pptx.util import Inches

from comparison.views import place_rows
from dashboard.compare_export import (
    CompareExport,
    assemble_compare_export,
    counts_text,
    place_counts,
)
from dashboard.compare_render import PANEL_ORDER
from dashboard.compare_state import CompareState
from dashboard.data import AtlasData
from dashboard.deck import TASK_CHARS, slide_title, text_box
from dashboard.export import render_export
from dashboard.export_cli import UsageError, check_known
from dashboard.options import SPECIFIC_LINKS

TASKS_PER_RELATION = 3  # lines per relation on a place's slide (the report lists them all)


def parse_pair(data: AtlasData, value: str) -> CompareState:
    """`wr2023:wr2024` → the comparison of those two known, different plans."""
    parts = [p.strip() for p in value.replace("：", ":").split(":")]
    if len(parts) != 2 or not all(parts):
        raise UsageError(f"--compare {value}: expected FROM:TO, e.g. wr2023:wr2024")
    check_known("plan", parts, data.plans["plan_id"])
    if parts[0] == parts[1]:
        raise UsageError(f"--compare {value}: name two different plans")
    return CompareState(parts[0], parts[1])


def _short(text: str) -> str:
    return text if len(text) <= TASK_CHARS else text[: TASK_CHARS - 1] + "…"


def change_lines(rows: pd.DataFrame, n: int = TASKS_PER_RELATION) -> list[str]:
    """Per relation: its count, then up to `n` tasks (the task it is about, cut to fit)."""
    lines = []
    for relation in PANEL_ORDER:
        mine = rows[rows["relation"] == relation.value]
        mine = mine.drop_duplicates(["from_task_id", "to_task_id"])
        lines.append(f"{relation.value}（{len(mine)} 项）")
        for r in mine.head(n).to_dict("records"):
            dropped = relation.value == "取消"
            task, text = (
                (r["from_task_id"], r["from_text"]) if dropped else (r["to_task_id"], r["to_text"])
            )
            lines.append(f"　{task}　{_short(str(text))}")
        if len(mine) > n:
            lines.append(
                f"　……另有 {len(mine) - n} 项（完整清单见 task-atlas compare --out 报告.docx）"
            )
    return lines


def _map_slide(deck: Any, view: CompareExport) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide_title(slide, view.caption.title)
    png = render_export(view.figure, view.caption, "png", "16:9")
    slide.shapes.add_picture(io.BytesIO(png), Inches(0.4), Inches(1.3), height=Inches(5.9))


def add_compare_slides(deck: Any, data: AtlasData, state: CompareState, places: list[str]) -> None:
    """The 对比 map slide, then a change slide for each of `places`."""
    view = assemble_compare_export(data, state)
    _map_slide(deck, view)
    for place in places:
        counts = place_counts(view.changes, place)
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide_title(slide, f"{place}：{counts_text(counts)}")
        rows = place_rows(view.table, data.tasks, data.task_places, place, SPECIFIC_LINKS)
        text_box(slide, Inches(0.5), Inches(1.4), Inches(12.3), Inches(5.4),
                 change_lines(rows), 12)  # fmt: skip
        text_box(slide, Inches(0.5), Inches(6.9), Inches(12.3), Inches(0.4),
                 [f"{view.caption.title}　数据日期：{view.caption.date}"], 9)  # fmt: skip
