"""Callbacks: each unpacks its inputs, calls one to three pure functions and returns.

The `on_*` functions are plain and take the data and the view state (`Filters`) explicitly,
so tests call them directly. They return dicts keyed like the callbacks' named outputs
(map_view.py wires them with Dash's flexible callback signatures); nothing is positional.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Patch, dcc, html, no_update

from dashboard.agency_bar import agency_bar_spec
from dashboard.agency_ranking import top_agencies
from dashboard.city_summary import CitySummary, city_level_summary
from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.describe import describe_filters
from dashboard.fieldkinds import vocabulary
from dashboard.figures import apply_updates, briefing_updates, build_district_map, map_updates
from dashboard.filters import filter_tasks
from dashboard.ids import Id
from dashboard.options import MODE_LABELS, CountMode
from dashboard.panel import HINT, panel_csv_bytes, panel_xlsx_bytes, place_task_rows, render_panel
from dashboard.style import ZONE_NOTE
from dashboard.targets import n_targets
from dashboard.urlstate import parse_query, to_query
from dashboard.viewstate import Filters, controls_from_state

OUTSIDE_SHOWN = 8  # places outside Wuhan listed by name in the side summary
Named = dict[str, Any]


def on_state_change(
    data: AtlasData, trigger: str | None, search: str | None, state: Filters
) -> Named:
    """Keep URL and controls in step: a URL (load, back/forward) sets the controls, a control
    change rewrites the URL, 清除全部筛选 resets both."""
    keep = {name: no_update for name in controls_from_state(state)}
    if trigger == Id.CLEAR_ALL:
        return {"controls": controls_from_state(Filters()), "search": "", "notice": ""}
    if trigger in (None, Id.URL):
        parsed, notices = parse_query(search, vocabulary(data))
        fixed = to_query(parsed)
        return {
            "controls": controls_from_state(parsed),
            "search": fixed if fixed != (search or "") else no_update,
            "notice": ("链接参数有误:" + ";".join(notices)) if notices else "",
        }
    query = to_query(state)
    return {
        "controls": keep,
        "search": query if query != (search or "") else no_update,
        "notice": no_update,
    }


def _headline(n_tasks: int, n_places: int, off_map: int) -> list[Any]:
    return [
        html.Span([html.B(f"{n_tasks}"), " 项任务"]),
        html.Span([html.B(f"{n_places}"), " 个区/功能区"]),
        html.Span([html.B(f"{off_map}"), " 项未落到区"]),
    ]


def _summary(summary: CitySummary, mode: CountMode) -> list[Any]:
    shown = "、".join(f"{p} {n}" for p, n in summary.outside[:OUTSIDE_SHOWN]) or "无"
    rest = len(summary.outside) - OUTSIDE_SHOWN
    outside = f"{shown} 等 {len(summary.outside)} 处" if rest > 0 else shown
    group = (
        f";经“各区/各中心城区/各新城区”关联 {summary.n_group_only} 项"
        if mode == CountMode.SPECIFIC
        else ""
    )
    return [
        html.B("未在地图上着色的任务:"),
        f"全市性或未指明区的任务 {summary.n_no_place} 项"
        f"(其中“相关区” {summary.n_related} 项){group}。",
        html.B("武汉市外地点:"),
        f"{outside}。",
    ]


def on_filters(data: AtlasData, f: Filters) -> Named:
    """New counts for the map (a Patch: geometry stays in the browser), bars, summary, captions."""
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
    n_places = int((counts["total"] > 0).sum())
    n_shown = n_targets(data, task_ids)  # a target stated twice (same_target) counts once
    caption = f"{describe_filters(replace(f, place=None), data)} · 计数口径:{MODE_LABELS[f.mode]}"
    return {
        "map": apply_updates(Patch(), updates),
        "bar": bar,
        "summary": _summary(summary, f.mode),
        "headline": _headline(n_shown, n_places, summary.off_map(f.mode)),
        "caption": caption,
    }


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


def on_panel(data: AtlasData, f: Filters, lights: Any = None) -> Named:
    """Title and grouped task list of the selected place; buttons enabled when it has one.
    `lights` (progress_figures.PanelLights) adds each task's status light."""
    if not f.place:
        return {
            "title": "请选择地点",
            "panel": html.P(HINT, className="panel-empty"),
            "clear_disabled": True,
            "csv_disabled": True,
            "xlsx_disabled": True,
        }
    rows = place_task_rows(data, filter_tasks(data, f)["task_id"], f.place, f.mode, f.links)
    return {
        "title": f"{f.place}:{n_targets(data, rows['task_id'])} 项任务",
        "panel": render_panel(rows, lights=lights),
        "clear_disabled": False,
        "csv_disabled": rows.empty,
        "xlsx_disabled": rows.empty,
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


def export_source(data: AtlasData, f: Filters) -> str:
    """The documents behind the figure, for the export's source line."""
    plans = data.plans if not f.plans else data.plans[data.plans["plan_id"].isin(f.plans)]
    docs = [d or t for d, t in zip(plans["doc_no"], plans["title"], strict=True)]
    return "数据来源:" + "、".join(docs) + "(任务地图整理)"


def on_export(data: AtlasData, fmt: str, size: str, f: Filters) -> Named:
    """Server-side image of the current map via dashboard.export (kaleido + system Chromium)."""
    try:
        from dashboard.export import ExportCaption, ExportError, render_export
    except ImportError:
        return {
            "download": no_update,
            "notice": "服务器端图片导出不可用;可用地图右上角的相机按钮下载 PNG。",
        }
    counts = count_by_place(data, filter_tasks(data, f)["task_id"], f.mode, links=f.links)
    fig = build_district_map(
        counts, data.places_geojson, mode=f.mode, show_zones=f.show_zones, selected=f.place
    )
    caption = ExportCaption(
        title="武汉市任务地图",
        filters_text=f"{describe_filters(f, data)};计数口径:{MODE_LABELS[f.mode]}",
        zone_note=ZONE_NOTE if f.show_zones else None,
        source=export_source(data, f),
        date=data.built_at,
    )
    try:
        content = render_export(fig, caption, fmt, size)
    except (ExportError, ValueError) as exc:
        notice = f"导出失败:{exc}(地图右上角的相机按钮仍可在浏览器中下载 PNG)"
        return {"download": no_update, "notice": notice}
    return {"download": dcc.send_bytes(content, f"任务地图_{data.built_at}.{fmt}"), "notice": ""}
