"""The map view's layout (filters left, map middle, the selected place's tasks right) and the page.

`build_page` is the shell every view shares (URL, header, notices) around the views' layouts;
with more than one view they sit in tabs (see dashboard/app.py for the view convention).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

import plotly.graph_objects as go
from dash import dcc, html

from dashboard.data import AtlasData
from dashboard.describe import plan_labels
from dashboard.export import ExportFormat, ExportSize
from dashboard.ids import Id
from dashboard.map_config import MAP_CONFIG  # offline, zh-CN toolbar, no cloud
from dashboard.options import (
    LINK_LABELS,
    MODE_LABELS,
    ROLE_LABELS,
    SPECIFIC_LINKS,
    AgencyRole,
    CountMode,
)
from dashboard.panel import HINT
from dashboard.viewstate import MAX_KEYWORD, ZONES_ON

K = TypeVar("K", bound=str)
EXPORT_FORMATS = {
    ExportFormat.PNG: "PNG 图片",
    ExportFormat.SVG: "SVG 矢量图",
    ExportFormat.PDF: "PDF",
}
EXPORT_SIZES = {
    ExportSize.WIDESCREEN: "16:9（1920×1080）",
    ExportSize.A4: "A4 横向（300 dpi）",
    ExportSize.A3: "A3 横向（300 dpi）",
}
#: The dropdowns' own words, in Chinese (Dash's defaults are English).
DROPDOWN_LABELS = {
    "select_all": "全选",
    "deselect_all": "全不选",
    "selected_count": "已选 {num_selected} 项",
    "search": "搜索",
    "clear_search": "清除搜索",
    "clear_selection": "清除",
    "no_options_found": "没有匹配的选项",
}


def _options(labels: Mapping[K, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": str(value)} for value, label in labels.items()]


def agency_options(data: AtlasData) -> list[dict[str, str]]:
    """Canonical units, most often named first, with their task counts in the label."""
    units = data.task_units[data.task_units["unit_kind"] != "group"]
    counts = units.drop_duplicates(["unit", "task_id"]).groupby("unit").size()
    ordered = counts.sort_values(ascending=False, kind="stable")
    return [{"label": f"{u}({n})", "value": str(u)} for u, n in ordered.items()]


def _dropdown(**props: Any) -> dcc.Dropdown:
    return dcc.Dropdown(labels=cast(Any, DROPDOWN_LABELS), **props)


def _field(label: str, control: Any) -> html.Div:
    return html.Div([html.Label(label, className="field-label"), control], className="field")


def _filter_bar(data: AtlasData) -> html.Div:
    sectors = data.tasks["sector"].value_counts().index.tolist()
    return html.Div(
        [
            _field(
                "计划",
                _dropdown(
                    id=Id.PLANS,
                    options=_options(plan_labels(data)),
                    multi=True,
                    placeholder="全部计划",
                ),
            ),
            _field(
                "领域",
                _dropdown(id=Id.SECTORS, options=sectors, multi=True, placeholder="全部领域"),
            ),
            _field(
                "单位",
                _dropdown(
                    id=Id.AGENCY,
                    options=agency_options(data),
                    searchable=True,
                    placeholder="搜索单位…",
                ),
            ),
            dcc.RadioItems(
                id=Id.AGENCY_ROLE,
                options=_options(ROLE_LABELS),
                value=AgencyRole.ANY,
                inline=True,
            ),
            _field(
                "关联方式",
                dcc.Checklist(
                    id=Id.LINKS,
                    options=_options({k: LINK_LABELS[k] for k in SPECIFIC_LINKS}),
                    value=[],
                    inline=True,
                ),
            ),
            _field(
                "关键词",
                dcc.Input(
                    id=Id.KEYWORD,
                    type="text",
                    value="",
                    debounce=0.4,
                    maxLength=MAX_KEYWORD,
                    placeholder="任务内容包含…",
                ),
            ),
            _field(
                "计数口径",
                dcc.RadioItems(
                    id=Id.MODE,
                    options=_options(MODE_LABELS),
                    value=CountMode.SPECIFIC,
                ),
            ),
            dcc.Checklist(
                id=Id.ZONES,
                options=[{"label": "显示功能区（示意范围）", "value": ZONES_ON}],
                value=[ZONES_ON],
            ),
            html.Button("清除全部筛选", id=Id.CLEAR_ALL, className="secondary"),
        ],
        className="filters",
    )


def export_choices(format_id: str, size_id: str, button_id: str) -> list[Any]:
    """Format, size and the 导出图片 button, the same in every view's export bar (each view
    adds its link to the file and its notice)."""
    return [
        _dropdown(
            id=format_id, options=_options(EXPORT_FORMATS), value=ExportFormat.PNG, clearable=False
        ),
        _dropdown(
            id=size_id, options=_options(EXPORT_SIZES), value=ExportSize.WIDESCREEN, clearable=False
        ),
        html.Button("导出图片", id=button_id),
    ]


def _export_bar() -> html.Div:
    return html.Div(
        [
            *export_choices(Id.EXPORT_FORMAT, Id.EXPORT_SIZE, Id.EXPORT_BUTTON),
            html.A(id=Id.EXPORT_DOWNLOAD, href="", className="export-link"),
            html.Div(id=Id.EXPORT_NOTICE, className="notice"),
        ],
        className="export-bar",
    )


def _panel() -> html.Aside:
    return html.Aside(
        [
            html.H3("请选择地点", id=Id.PANEL_TITLE),
            html.Div(
                [
                    html.Button(
                        "清除选择", id=Id.CLEAR_SELECTION, className="secondary", disabled=True
                    ),
                    html.Button("下载 CSV", id=Id.DOWNLOAD_CSV, disabled=True),
                    html.Button("下载 Excel", id=Id.DOWNLOAD_XLSX, disabled=True),
                    dcc.Download(id=Id.DOWNLOAD),
                ],
                className="panel-actions",
            ),
            html.Div(html.P(HINT, className="panel-empty"), id=Id.PANEL, className="panel-body"),
        ],
        className="panel",
    )


def map_view(data: AtlasData, figure: go.Figure) -> html.Main:
    """The map view; `figure` carries the boundary geometry once, later updates are patches."""
    return html.Main(
        [
            html.Nav(
                [
                    _filter_bar(data),
                    dcc.Graph(id=Id.AGENCY_BAR, config={"displayModeBar": False}),
                ],
                className="sidebar",
            ),
            html.Section(
                [
                    html.Div(id=Id.CAPTION, className="caption"),
                    dcc.Graph(
                        id=Id.MAP,
                        figure=figure,
                        config=cast(Any, MAP_CONFIG),
                        className="map",
                        clear_on_unhover=True,
                    ),
                    html.Div(id=Id.SUMMARY, className="summary"),
                    _export_bar(),
                ],
                className="map-column",
            ),
            _panel(),
        ],
        className="content",
    )


def _views(views: list[tuple[str, str, Any]], tab_memory: dict[str, Any]) -> Any:
    """One view is the page body; several sit in tabs, the first one open until the URL hash
    names another (dashboard/viewtabs.py)."""
    if len(views) == 1:
        return views[0][2]
    tabs = [dcc.Tab(label=title, value=value, children=body) for value, title, body in views]
    return html.Div(
        [
            dcc.Store(id=Id.TAB_MEMORY, data=tab_memory),
            dcc.Tabs(tabs, id=Id.VIEW_TABS, value=views[0][0], className="view-tabs"),
        ]
    )


def build_page(
    views: list[tuple[str, str, Any]], tab_memory: dict[str, Any] | None = None
) -> html.Div:
    """The page shell shared by every view: URL, selected place, header, notices, the views
    (each as tab value, title, body; `tab_memory` is viewtabs.initial_memory)."""
    return html.Div(
        [
            dcc.Location(id=Id.URL, refresh=False),
            # "" not None: a Store mounted with None reports a data change, which would look like a
            # click and overwrite the URL before it is read.
            dcc.Store(id=Id.SELECTED_PLACE, data=""),
            html.Header(
                [
                    html.H1("武汉市任务地图"),
                    html.Div(id=Id.HEADLINE, className="headline"),
                    html.Button("汇报模式", id=Id.BRIEFING, className="secondary"),
                    html.Iframe(src="/account-badge", id=Id.ACCOUNT_BADGE, title="登录状态"),
                ],
                className="top",
            ),
            html.Div(id=Id.URL_NOTICE, className="notice"),
            _views(views, tab_memory or {}),
        ],
        id=Id.ROOT,
        className="atlas",
    )
