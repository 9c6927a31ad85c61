"""Callbacks: each unpacks its inputs, calls one to three pure functions and returns.

The `on_*` functions are plain and take the data and the view state (`Filters`) explicitly,
so tests call them directly. They return dicts keyed like the callbacks' named outputs
(map_view.py wires them with Dash's flexible callback signatures); nothing is positional.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from dash import Patch, dcc, html, no_update

from dashboard.agency_bar import agency_bar_spec
from dashboard.agency_ranking import top_agencies_by_mask
from dashboard.city_summary import CitySummary, summary_by_mask
from dashboard.counting import count_by_mask
from dashboard.data import AtlasData
from dashboard.describe import copy_gap_notes, describe_filters
from dashboard.downloads import DownloadStore
from dashboard.fieldkinds import vocabulary
from dashboard.figures import apply_updates, briefing_updates, map_updates, with_selection
from dashboard.filters import combine, filter_tasks, ids_of_rows, row_masks
from dashboard.ids import Id
from dashboard.indexes import task_index
from dashboard.options import MODE_LABELS, CountMode
from dashboard.panel import (
    HINT,
    MAX_SHOWN,
    panel_csv_bytes,
    panel_xlsx_bytes,
    place_task_rows,
    render_panel,
)
from dashboard.panel_rows import place_panel
from dashboard.style import (
    zh_punct,  # full-width punctuation in shown text
)
from dashboard.targets import n_targets_of_mask
from dashboard.viewstate import Filters

OUTSIDE_SHOWN = 8  # places outside Wuhan listed by name in the side summary
Named = dict[str, Any]


def _headline(n_tasks: int, n_places: int, off_map: int) -> list[Any]:
    return [
        html.Span([html.B(f"{n_tasks}"), " 项任务"]),
        html.Span([html.B(f"{n_places}"), " 个区/功能区"]),
        html.Span([html.B(f"{off_map}"), " 项未落到区"]),
    ]


def _summary(summary: CitySummary, mode: CountMode, gaps: Sequence[str] = ()) -> list[Any]:
    shown = "、".join(f"{p} {n}" for p, n in summary.outside[:OUTSIDE_SHOWN]) or "无"
    rest = len(summary.outside) - OUTSIDE_SHOWN
    outside = f"{shown} 等 {len(summary.outside)} 处" if rest > 0 else shown
    group = (
        f"；经“各区/各中心城区/各新城区”关联 {summary.n_group_only} 项"
        if mode == CountMode.SPECIFIC
        else ""
    )
    return [
        html.B("未在地图上着色的任务："),
        f"全市性或未指明区的任务 {summary.n_no_place} 项"
        f"（其中“相关区” {summary.n_related} 项）{group}。",
        html.B("武汉市外地点："),
        f"{outside}。",
        *([html.B("副本不全："), "；".join(gaps) + "。"] if gaps else []),
    ]


@dataclass(frozen=True)
class ViewNumbers:
    """Everything the map view shows for one view state, before it becomes figures and text.

    Frames are shared by the memo in map_view.py: read them, never modify them.
    """

    counts: pd.DataFrame  # count_by_place
    summary: CitySummary
    agencies: pd.DataFrame  # top_agencies, counted without the agency filter
    n_tasks: int  # tasks.csv rows selected
    n_targets: int  # of those, distinct targets (a target stated twice counts once)
    updates: list[Any]  # figures.map_updates with nothing selected (figures.with_selection)


def view_numbers(data: AtlasData, f: Filters) -> ViewNumbers:
    """The view's numbers for `f`: its filters are computed once as masks; the agency chart
    drops the agency mask instead of filtering a second time. Pure, so it can be memoised on
    the (hashable) view state."""
    index = task_index(data)
    masks = row_masks(index, f)
    rows = combine(index, masks)
    ids = ids_of_rows(index, rows)
    if "agency" in masks:
        bar_ids = ids_of_rows(
            index, combine(index, {k: m for k, m in masks.items() if k != "agency"})
        )
    else:
        bar_ids = ids
    counts = count_by_mask(data, ids, f.mode, links=f.links)
    return ViewNumbers(
        counts=counts,
        summary=summary_by_mask(data, ids),
        agencies=top_agencies_by_mask(data, bar_ids, f.agency_role),
        n_tasks=int(rows.sum()),
        n_targets=n_targets_of_mask(data, ids),
        updates=map_updates(counts, data.places_geojson, mode=f.mode, show_zones=f.show_zones),
    )


def on_filters(
    data: AtlasData, f: Filters, numbers: Callable[[Filters], ViewNumbers] | None = None
) -> Named:
    """New counts for the map (a Patch: geometry stays in the browser), bars, summary, captions.

    `numbers` is view_numbers for `data`, memoised per app (map_view.py); the default
    computes them afresh."""
    unplaced = replace(f, place=None)  # the numbers do not depend on the selected place
    got = numbers(unplaced) if numbers is not None else view_numbers(data, unplaced)
    updates = with_selection(got.updates, f.place)
    bar = agency_bar_spec(got.agencies, selected=f.agency, role=f.agency_role)
    n_places = int((got.counts["total"] > 0).sum())
    caption = zh_punct(
        f"{describe_filters(replace(f, place=None), data)} · 计数口径：{MODE_LABELS[f.mode]}"
    )
    return {
        "map": apply_updates(Patch(), updates),
        "bar": bar,
        "summary": _summary(got.summary, f.mode, copy_gap_notes(data, f.plans)),
        "headline": _headline(got.n_targets, n_places, got.summary.off_map(f.mode)),
        "caption": caption,
    }


#: What the panel shows with nothing selected: a constant, sent only when a selection ends.
NO_SELECTION: Named = {
    "title": "请选择地点",
    "panel": html.P(HINT, className="panel-empty"),
    "clear_disabled": True,
    "csv_disabled": True,
    "xlsx_disabled": True,
}


def on_view(
    data: AtlasData,
    f: Filters,
    place_changed: bool,
    numbers: Callable[[Filters], ViewNumbers] | None = None,
    lights: Callable[[list[str]], Any] | None = None,
) -> Named:
    """One answer per interaction: the view for the controls' state (on_filters), and the
    panel only when a place is selected or the selection has just ended (its empty content
    is the constant NO_SELECTION).

    The URL is kept in step with the controls in the browser (assets/urlsync.js, mirroring
    urlstate.sync_url): were this answer to set the controls, Dash would hold every callback
    that reads them, the task table's page request among them, until it came back."""
    view = on_filters(data, f, numbers)
    if f.place:
        panel = on_panel(data, f, lights)
    elif place_changed:
        panel = NO_SELECTION
    else:
        panel = {name: no_update for name in NO_SELECTION}
    return {**view, **panel}


def clicked_place(click_data: Any) -> str | None:
    """The place name in a map click (districts and zone markers carry it as customdata[0])."""
    points = click_data.get("points") if isinstance(click_data, dict) else None
    first = points[0] if isinstance(points, list) and points else None
    custom = first.get("customdata") if isinstance(first, dict) else None
    return str(custom[0]) if isinstance(custom, list) and custom else None


def on_map_click(data: AtlasData, click_data: Any, current: str | None) -> Named:
    """Select the clicked place, or clear it when clicked again; reset clickData so plotly
    reports the next click on the same shape (it drops repeated clicks otherwise)."""
    name = clicked_place(click_data)
    if name is None or name not in vocabulary(data).places:
        return {"place": no_update, "click": None}
    return {"place": None if name == current else name, "click": None}


def on_bar_click(data: AtlasData, click_data: Any, current: str | None) -> Named:
    """Filter by the clicked agency (the bar's y); the same bar again removes the filter."""
    points = click_data.get("points") if isinstance(click_data, dict) else None
    first = points[0] if isinstance(points, list) and points else None
    name = first.get("y") if isinstance(first, dict) else None
    if not isinstance(name, str) or name not in vocabulary(data).agencies:
        return {"agency": no_update, "click": None}
    return {"agency": None if name == current else name, "click": None}


def on_panel(
    data: AtlasData, f: Filters, lights: Callable[[list[str]], Any] | None = None
) -> Named:
    """Title and grouped task list of the selected place; buttons enabled when it has one.
    `lights(task_ids)` (progress_figures.panel_lights) adds the drawn tasks' status lights."""
    if not f.place:
        return dict(NO_SELECTION)
    panel = place_panel(data, f, MAX_SHOWN)
    shown = lights([r["task_id"] for r in panel.records]) if lights is not None else None
    return {
        "title": f"{f.place}：{panel.n_targets} 项任务",
        "panel": render_panel(panel, lights=shown),
        "clear_disabled": False,
        "csv_disabled": not panel.n_rows,
        "xlsx_disabled": not panel.n_rows,
    }


def on_download(data: AtlasData, trigger: str | None, f: Filters) -> Any:
    """The panel's list as CSV or .xlsx (formula-safe, see dashboard/spreadsheet.py)."""
    if not f.place:
        return no_update
    rows = place_task_rows(data, filter_tasks(data, f)["task_id"], f.place, f.mode, f.links)
    stem = f"任务清单_{f.place}"
    if trigger == Id.DOWNLOAD_XLSX:
        return dcc.send_bytes(panel_xlsx_bytes(rows, f.place), f"{stem}.xlsx")
    return dcc.send_bytes(panel_csv_bytes(rows), f"{stem}.csv")


def on_briefing(data: AtlasData, n_clicks: int | None) -> Named:
    """汇报模式: full-screen map with large type (CSS class plus bigger map fonts)."""
    on = (n_clicks or 0) % 2 == 1
    return {
        "root_class": "atlas briefing" if on else "atlas",
        "label": "退出汇报模式" if on else "汇报模式",
        "map": apply_updates(Patch(), briefing_updates(data.places_geojson, on)),
    }


def on_export(
    data: AtlasData, fmt: str, size: str, f: Filters, store: DownloadStore | None = None
) -> Named:
    """Server-side image of the current map via dashboard.export (kaleido + system Chromium),
    kept for the plain download route: the answer is the file's URL, never base64 JSON."""
    try:
        from dashboard.export import ExportError, render_export
        from dashboard.export_view import assemble_export, export_filename
    except ImportError:
        return {"download": no_update, "notice": "服务器端图片导出不可用（需要安装 chromium）。"}
    view = assemble_export(data, f)
    try:
        content = render_export(view.figure, view.caption, fmt, size)
    except (ExportError, ValueError) as exc:
        return {"download": no_update, "notice": f"导出失败：{exc}"}
    url = (store or DownloadStore()).put(content, export_filename(data, f, fmt))
    return {"download": url, "notice": ""}
