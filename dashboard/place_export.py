"""One place's export: the map framed on the place, its count and its top tasks beside it.

Used by `task-atlas export --each-district` (18 images: 13 districts and 5 zones), the report
and the deck. Built on the one export assembly (export_view.assemble_export), so titles,
captions and footers are the same words as every other export.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.data import AtlasData, place_table
from dashboard.export_view import ExportView, assemble_export
from dashboard.figures import (
    INSET_BOX,
    INSET_DISTRICTS,
    INSET_HEADING,
    INSET_LABELS,
    INSET_MARKERS,
    INSET_WATER,
    INSET_ZONES,
)
from dashboard.filters import Filters, filter_tasks
from dashboard.map_labels import outline
from dashboard.panel import place_task_rows
from dashboard.targets import n_targets

TOP_TASKS = 8
TASK_CHARS = 34  # characters per line of a listed task on a 16:9 page
PAD = 0.35  # share of the place's extent added around it


@dataclass(frozen=True)
class PlaceExport:
    view: ExportView
    place: str
    tasks: pd.DataFrame  # the place's tasks under the filters (panel.place_task_rows)
    n_counted: int  # of those, distinct targets: the count the title and the panel give

    @property
    def heading(self) -> str:
        return place_heading(self.place, self.n_counted, len(self.tasks))


def place_tasks(data: AtlasData, filters: Filters, place: str) -> pd.DataFrame:
    task_ids = filter_tasks(data, filters)["task_id"]
    return place_task_rows(data, task_ids, place, filters.mode, filters.links)


def place_extent(places_geojson: dict[str, Any], place: str) -> dict[str, Any]:
    """Axis ranges around one place, padded, never narrower than ~0.12° (江汉区 is a sliver)."""
    feature = next(f for f in places_geojson["features"] if f["properties"]["name"] == place)
    xs, ys = outline(feature["geometry"])
    lons = [v for v in xs if v is not None]
    lats = [v for v in ys if v is not None]
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_x = max((max(lons) - min(lons)) * (0.5 + PAD), 0.08)
    half_y = max((max(lats) - min(lats)) * (0.5 + PAD), 0.06)
    return {
        "lonaxis": {"range": [cx - half_x, cx + half_x]},
        "lataxis": {"range": [cy - half_y, cy + half_y]},
    }


def task_list_text(tasks: pd.DataFrame, n: int = TOP_TASKS) -> str:
    """The first `n` tasks as short lines for the side of the map (plan order, then sector)."""
    lines = []
    for row in tasks.head(n).itertuples():
        full = str(row.text)
        text = full if len(full) <= TASK_CHARS * 2 else full[: TASK_CHARS * 2 - 1] + "…"
        wrapped = [text[i : i + TASK_CHARS] for i in range(0, len(text), TASK_CHARS)]
        no = f"{row.item_no!s}．" if row.item_no else "· "
        lines.append(f"<b>{no}</b>" + "<br>　".join(wrapped))
    if len(tasks) > n:
        lines.append(f"<i>……另有 {len(tasks) - n} 条，见完整清单</i>")  # rows, as 下列 N 条
    return "<br>".join(lines) or "该地点没有符合当前筛选条件的任务。"


def place_heading(place: str, n_targets: int, n_rows: int) -> str:
    """The list's heading, counted as the title and the dashboard's panel count: distinct
    targets. A target stated in two plans is listed twice; the heading says so."""
    if n_rows == n_targets:
        return f"{place}：{n_targets} 项任务"
    return f"{place}：{n_targets} 项任务（下列 {n_rows} 条，同一目标合计时只计一次）"


def frame_on_place(fig: go.Figure, places_geojson: dict[str, Any], place: str,
                   tasks: pd.DataFrame, n_counted: int) -> go.Figure:  # fmt: skip
    """The map zoomed on `place` in the left half, its task count (`n_counted`, distinct
    targets among `tasks`) and top tasks on the right."""
    out = go.Figure(fig)
    out.update_layout(
        geo={**place_extent(places_geojson, place), "domain": {"x": [0, 0.5], "y": [0, 1]}},
        geo2={"domain": {"x": [0.999, 1], "y": [0.999, 1]}, "showframe": False},
        meta={"framed": place},  # export.decorate_for_export then leaves the inset hidden
        coloraxis_colorbar={"x": 0.99, "xanchor": "right", "y": 0.0, "yanchor": "bottom"},
    )
    out.layout.shapes = ()
    for trace in (
        INSET_BOX,
        INSET_ZONES,
        INSET_DISTRICTS,
        *INSET_WATER,
        INSET_MARKERS,
        INSET_LABELS,
        INSET_HEADING,
    ):
        out.data[trace].visible = False
    out.add_annotation(
        text=f"<b>{place_heading(place, n_counted, len(tasks))}</b><br><br>{task_list_text(tasks)}",
        xref="paper", yref="paper", x=0.53, y=0.98, xanchor="left", yanchor="top",
        align="left", showarrow=False, font={"size": 14},
    )  # fmt: skip
    return out


def place_export(data: AtlasData, filters: Filters, place: str) -> PlaceExport:
    """The export view of one place: assembled like every export, then framed on the place."""
    chosen = replace(filters, place=place)
    view = assemble_export(data, chosen)
    tasks = place_tasks(data, chosen, place)
    counted = n_targets(data, tasks["task_id"])
    figure = frame_on_place(view.figure, data.places_geojson, place, tasks, counted)
    return PlaceExport(replace(view, figure=figure), place, tasks, counted)


def all_places(data: AtlasData) -> list[tuple[str, str]]:
    """(code, name) of the 13 districts and 5 zones, districts first."""
    places = place_table(data)
    return list(zip(places["id"], places["name"], strict=True))
