"""Callbacks: each unpacks its inputs, calls one to three pure functions and returns.

The `on_*` functions are plain and take the data explicitly, so tests call them directly;
`register_callbacks` only wires them to component ids.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Patch, dcc, html, no_update

from dashboard.data import AtlasData
from dashboard.figures import (
    agency_bar_spec,
    apply_updates,
    briefing_updates,
    map_updates,
)
from dashboard.filters import (
    MODE_LABELS,
    CountMode,
    Filters,
    city_level_summary,
    count_by_place,
    describe_filters,
    filter_tasks,
    top_agencies,
)
from dashboard.ids import Id
from dashboard.layout import ZONES_ON
from dashboard.panel import HINT, panel_csv_bytes, panel_xlsx_bytes, place_task_rows, render_panel
from dashboard.style import zh_punct  # briefing: full-width punctuation in shown text
from dashboard.urlstate import parse_query, to_query, vocabulary

#: The filter controls, in the order every callback receives their values.
FILTER_INPUTS = (
    (Id.PLANS, "value"),
    (Id.SECTORS, "value"),
    (Id.AGENCY, "value"),
    (Id.AGENCY_ROLE, "value"),
    (Id.LINKS, "value"),
    (Id.KEYWORD, "value"),
    (Id.MODE, "value"),
    (Id.ZONES, "value"),
)
FilterValues = tuple[Any, ...]
OUTSIDE_SHOWN = 8  # places outside Wuhan listed by name in the side summary


def filters_from_values(values: FilterValues, place: str | None) -> Filters:
    """Filters from the control values (None from a cleared control means "all")."""
    plans, sectors, agency, role, links, keyword, mode, zones = values
    return Filters(
        plans=tuple(plans or ()),
        sectors=tuple(sectors or ()),
        agency=agency or None,
        agency_role=role or "any",
        links=tuple(links or ()),
        keyword=(keyword or "").strip(),
        mode=CountMode(mode or CountMode.SPECIFIC),
        place=place or None,
        show_zones=ZONES_ON in (zones or ()),
    )


def values_from_filters(f: Filters) -> list[Any]:
    """Control values showing `f` (inverse of filters_from_values)."""
    zones = [ZONES_ON] if f.show_zones else []
    return [
        list(f.plans),
        list(f.sectors),
        f.agency,
        f.agency_role,
        list(f.links),
        f.keyword,
        str(f.mode),
        zones,
    ]


def on_state_change(
    data: AtlasData,
    trigger: str | None,
    search: str | None,
    values: FilterValues,
    place: str | None,
) -> list[Any]:
    """Keep URL and controls in step: a URL (load, back/forward) sets the controls, a control
    change rewrites the URL, 清除全部筛选 resets both. Returns controls…, place, search, notice."""
    keep = [no_update] * (len(FILTER_INPUTS) + 1)
    if trigger == Id.CLEAR_ALL:
        return [*values_from_filters(Filters()), None, "", ""]
    if trigger in (None, Id.URL):
        filters, notices = parse_query(search, vocabulary(data))
        notice = ("链接参数有误：" + "；".join(notices)) if notices else ""
        fixed = to_query(filters)
        return [
            *values_from_filters(filters),
            filters.place,
            fixed if fixed != (search or "") else no_update,
            notice,
        ]
    query = to_query(filters_from_values(values, place))
    return [*keep, query if query != (search or "") else no_update, no_update]


def _headline(n_tasks: int, n_places: int, off_map: int) -> list[Any]:
    return [
        html.Span([html.B(f"{n_tasks}"), " 项任务"]),
        html.Span([html.B(f"{n_places}"), " 个区/功能区"]),
        html.Span([html.B(f"{off_map}"), " 项未落到区"]),
    ]


def _summary(summary: Any, mode: CountMode) -> list[Any]:
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
    ]


def on_filters(data: AtlasData, values: FilterValues, place: str | None) -> tuple[Any, ...]:
    """New counts for the map (a Patch: geometry stays in the browser), bars, summary, captions."""
    f = filters_from_values(values, place)
    task_ids = filter_tasks(data, f)["task_id"]
    counts = count_by_place(data, task_ids, f.mode, links=f.links)
    updates = map_updates(
        counts, data.places_geojson, mode=f.mode, show_zones=f.show_zones, selected=f.place
    )
    summary = city_level_summary(data, task_ids)
    bar_ids = filter_tasks(data, replace(f, agency=None))["task_id"]
    bar = agency_bar_spec(
        top_agencies(data, bar_ids, f.agency_role), selected=f.agency, role=f.agency_role
    )
    headline = _headline(len(task_ids), int((counts["total"] > 0).sum()), summary.off_map(f.mode))
    caption = zh_punct(
        f"{describe_filters(replace(f, place=None), data)} · 计数口径：{MODE_LABELS[f.mode]}"
    )
    return apply_updates(Patch(), updates), bar, _summary(summary, f.mode), headline, caption


def clicked_place(click_data: dict[str, Any] | None) -> str | None:
    """The place name in a map click (districts and zone markers carry it as customdata[0])."""
    points = (click_data or {}).get("points") or []
    custom = points[0].get("customdata") if points else None
    return str(custom[0]) if custom else None


def on_map_click(click_data: dict[str, Any] | None, current: str | None) -> tuple[Any, None]:
    """Select the clicked place, or clear it when clicked again; reset clickData so plotly
    reports the next click on the same shape (it drops repeated clicks otherwise)."""
    name = clicked_place(click_data)
    if name is None:
        return no_update, None
    return (None if name == current else name), None


def on_bar_click(click_data: dict[str, Any] | None, current: str | None) -> tuple[Any, None]:
    """Filter by the clicked agency (the bar's y); the same bar again removes the filter."""
    points = (click_data or {}).get("points") or []
    name = points[0].get("y") if points else None
    if not name:
        return no_update, None
    return (None if name == current else str(name)), None


def on_panel(data: AtlasData, values: FilterValues, place: str | None) -> tuple[Any, ...]:
    """Title and grouped task list of the selected place; buttons enabled when it has one."""
    if not place:
        return "请选择地点", html.P(HINT, className="panel-empty"), True, True, True
    f = filters_from_values(values, place)
    rows = place_task_rows(data, filter_tasks(data, f)["task_id"], place, f.mode, f.links)
    title = f"{place}：{len(rows)} 项任务"
    return title, render_panel(rows), False, rows.empty, rows.empty


def on_download(
    data: AtlasData, trigger: str | None, values: FilterValues, place: str | None
) -> Any:
    """The panel's list as CSV or .xlsx."""
    if not place:
        return no_update
    f = filters_from_values(values, place)
    rows = place_task_rows(data, filter_tasks(data, f)["task_id"], place, f.mode, f.links)
    stem = f"任务清单_{place}"
    if trigger == Id.DOWNLOAD_XLSX:
        return dcc.send_bytes(panel_xlsx_bytes(rows, place), f"{stem}.xlsx")
    return dcc.send_bytes(panel_csv_bytes(rows), f"{stem}.csv")


def on_briefing(data: AtlasData, n_clicks: int | None) -> tuple[str, str, Patch]:
    """汇报模式: full-screen map with large type (CSS class plus bigger map fonts)."""
    on = (n_clicks or 0) % 2 == 1
    patch = apply_updates(Patch(), briefing_updates(data.places_geojson, on))
    return ("atlas briefing" if on else "atlas"), ("退出汇报模式" if on else "汇报模式"), patch


def on_export(
    data: AtlasData, fmt: str, size: str, values: FilterValues, place: str | None
) -> tuple[Any, str]:
    """Server-side image of the current map via dashboard.export (kaleido + system Chromium)."""
    try:
        from dashboard.export import ExportError, render_export
        from dashboard.export_view import assemble_export, export_filename
    except ImportError:
        return no_update, "服务器端图片导出不可用（需要安装 chromium）。"
    f = filters_from_values(values, place)
    view = assemble_export(data, f)
    try:
        content = render_export(view.figure, view.caption, fmt, size)
    except (ExportError, ValueError) as exc:
        return no_update, f"导出失败：{exc}"
    return dcc.send_bytes(content, export_filename(data, f, fmt)), ""
