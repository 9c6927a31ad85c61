"""Colours, fonts and fixed texts shared by the map, the agency chart and exports."""

from __future__ import annotations

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
SELECTED_COLOR = "#e67e22"
EMPTY_TEXT = "没有符合条件的任务"
ZONE_NOTE = "虚线为功能区示意范围(非法定边界)"


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
