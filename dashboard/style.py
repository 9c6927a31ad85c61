"""Colours, fonts and fixed texts shared by the map, the agency chart and exports."""

from __future__ import annotations

import re
from typing import Any

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
COLORSCALE = [
    [0.0, "#eef2f7"],
    [0.25, "#b9d2ea"],
    [0.5, "#6ea3d3"],
    [0.75, "#2f6fb0"],
    [1.0, "#0b3d7a"],
]
ZONE_COLOR = "#c0392b"
#: Water: a paler, greener blue than the count classes, edged so lakes read on the dark classes.
WATER_COLOR = "#d6f0fa"
WATER_EDGE = "#3f9fd0"
SELECTED_COLOR = "#e67e22"
EMPTY_TEXT = "没有符合条件的任务"
#: The one note on approximate zone footprints: on the map, in every export and the 说明 panel.
ZONE_NOTE = "虚线为功能区示意范围（非法定边界）"

_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_PAIRED = re.compile(rf"(?P<before>[{_CJK}]?)\((?P<inner>[^()]*)\)")
_SINGLE = re.compile(rf"(?<=[{_CJK}])\s*([:;,])\s*|\s*([:;,])\s*(?=[{_CJK}])")
_FULL = {":": "：", ";": "；", ",": "，", "(": "（", ")": "）"}


def zh_punct(text: str) -> str:
    """Full-width punctuation in Chinese text (江夏区:21 项 → 江夏区：21 项), leaving ASCII
    contexts such as 16:9, 1,000 or (1920×1080) after a digit alone.

    Texts are assembled from parts that are also used in ASCII contexts (URLs, CSV headers), so
    the Chinese form is applied where the text is shown.
    """

    def pair(m: re.Match[str]) -> str:
        if m["before"] or re.search(f"[{_CJK}]", m["inner"]):
            return f"{m['before']}（{m['inner']}）"
        return m.group(0)

    text = _PAIRED.sub(pair, text)
    return _SINGLE.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)


def empty_note(**style: Any) -> dict[str, Any]:
    """The explicit empty state, centred on a figure, instead of a blank plot."""
    return {
        "text": EMPTY_TEXT,
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        **style,
    }


#: Fixed colour classes per count mode, so two exports of the same mode can be compared
#: (a continuous scale re-stretched to each filter's maximum made one task look "dark").
#: Specific mode: tasks per place. Citywide mode: the share (%) of a place's tasks that reach it
#: other than through 各区/各中心城区/各新城区 — the city-wide baseline every district shares.
COUNT_CLASSES: tuple[tuple[float, str], ...] = (
    (1, "0"),
    (5, "1–4"),
    (10, "5–9"),
    (20, "10–19"),
    (40, "20–39"),
    (float("inf"), "≥40"),
)
SHARE_CLASSES: tuple[tuple[float, str], ...] = (
    (1e-9, "0"),
    (2, "<2%"),
    (5, "2–5%"),
    (10, "5–10%"),
    (25, "10–25%"),
    (float("inf"), "≥25%"),
)
CLASS_COLORS = ("#f3f5f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def class_index(value: float, classes: tuple[tuple[float, str], ...]) -> int:
    """Which class a value falls in (upper bounds are exclusive)."""
    return next(i for i, (upper, _) in enumerate(classes) if value < upper)


def classed_colorscale(n: int) -> list[list[float | str]]:
    """A stepped colour scale for class indexes 0..n-1 on [-0.5, n-0.5]."""
    scale: list[list[float | str]] = []
    for i, colour in enumerate(CLASS_COLORS[:n]):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale
