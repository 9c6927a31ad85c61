"""One export assembly: the map figure and the words printed around it, from a filter state.

The dashboard's 导出图片 button, `task-atlas export`, the per-place images, the report and the
deck all call `assemble_export`, so the same view gets the same title, caption and footer
wherever it is exported (issue 8, "two export assemblies that have drifted").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import plotly.graph_objects as go

from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.describe import describe_filters
from dashboard.export import ExportCaption
from dashboard.figures import build_district_map
from dashboard.filters import filter_tasks
from dashboard.options import MODE_LABELS
from dashboard.style import ZONE_NOTE, zh_punct
from dashboard.viewstate import Filters
from geodata.water import WATER_SOURCE

MAP_TITLE = "武汉市任务分布图"
SOURCE_SUFFIX = "任务地图 Task Atlas 整理"


@dataclass(frozen=True)
class ExportView:
    """What an export shows: the figure, its caption, and the counts behind the words."""

    figure: go.Figure
    caption: ExportCaption
    n_tasks: int  # tasks matching the filters (all places)
    n_place: int | None  # of those, linked to the selected place (None: no place selected)


def export_title(filters: Filters, n_place: int | None) -> str:
    """The view named in the title: 武汉市任务分布图（专项任务）· 江夏区 21 项."""
    title = f"{MAP_TITLE}（{MODE_LABELS[filters.mode]}）"
    if filters.place:
        title += f" · {filters.place} {n_place} 项"
    return title


def export_subtitle(data: AtlasData, filters: Filters, n_tasks: int, n_place: int | None) -> str:
    """Filters in words, then the counts, worded so the whole selection is not read as the
    place's: 筛选结果共 302 项任务，其中与江夏区相关 21 项."""
    words = describe_filters(replace(filters, place=None), data)
    counted = f"计数口径：{MODE_LABELS[filters.mode]}；筛选结果共 {n_tasks} 项任务"
    if filters.place:
        counted += f"，其中与{filters.place}相关 {n_place} 项"
    return zh_punct(f"{words}；{counted}")


def export_source(data: AtlasData, filters: Filters) -> str:
    """The documents behind the view (document numbers, else titles), without any prefix:
    the footer adds 数据来源 once."""
    plans = data.plans
    if filters.plans:
        plans = plans[plans["plan_id"].isin(filters.plans)]
    docs = [d or t for d, t in zip(plans["doc_no"], plans["title"], strict=True)]
    return f"{'、'.join(docs)}；{SOURCE_SUFFIX}；{WATER_SOURCE}"


def assemble_export(data: AtlasData, filters: Filters, *, title: str | None = None) -> ExportView:
    """The map under `filters` and its caption (title, filters, zone note, source, data date)."""
    task_ids = filter_tasks(data, filters)["task_id"]
    counts = count_by_place(data, task_ids, filters.mode, links=filters.links)
    figure = build_district_map(
        counts,
        data.places_geojson,
        mode=filters.mode,
        show_zones=filters.show_zones,
        selected=filters.place,
    )
    n_place = None
    if filters.place:
        n_place = int(counts.loc[counts["place"] == filters.place, "total"].sum())
    caption = ExportCaption(
        title=title or export_title(filters, n_place),
        filters_text=export_subtitle(data, filters, len(task_ids), n_place),
        zone_note=ZONE_NOTE if filters.show_zones else None,
        source=export_source(data, filters),
        date=data.built_at,
    )
    return ExportView(figure, caption, len(task_ids), n_place)


def export_filename(data: AtlasData, filters: Filters, fmt: str) -> str:
    """任务地图_江夏区_2025-03-01.png: the place (if any) and the data date."""
    place = f"_{filters.place}" if filters.place else ""
    return f"任务地图{place}_{data.built_at}.{fmt}"
