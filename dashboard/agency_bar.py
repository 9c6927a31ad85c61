"""The top-agency bar chart (click a bar to filter by that unit)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.options import AgencyRole
from dashboard.style import FONT_FAMILY, SELECTED_COLOR, empty_note


def agency_bar_spec(
    top: pd.DataFrame, *, selected: str | None = None, role: AgencyRole = AgencyRole.ANY
) -> dict[str, Any]:
    """The agency chart as a plain figure dict (callbacks send it without plotly's validation)."""
    title = "牵头单位" if role == AgencyRole.LEAD else "涉及单位"
    units = top["unit"].tolist()
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": top["n_tasks"].tolist(),
        "y": units,
        "customdata": units,
        "marker": {"color": [SELECTED_COLOR if u == selected else "#2f6fb0" for u in units]},
        "hovertemplate": "%{y}: %{x} 项<extra></extra>",
    }
    empty = [empty_note()] if top.empty else []
    layout = {
        "title": {"text": f"{title}（前{len(top)}名，点击筛选）", "font": {"size": 14}},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"title": {"text": "任务数"}},
        "margin": {"l": 8, "r": 8, "t": 36, "b": 36},
        "font": {"family": FONT_FAMILY, "size": 12},
        "height": 320,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "annotations": empty,
    }
    return {"data": [bar], "layout": layout}


def build_agency_bar(
    top: pd.DataFrame, *, selected: str | None = None, role: AgencyRole = AgencyRole.ANY
) -> go.Figure:
    """Horizontal bars of the units on most tasks; a click on a bar filters by that unit."""
    return go.Figure(agency_bar_spec(top, selected=selected, role=role))
