"""The tasks of one selected place: rows for the side panel and its CSV/Excel download."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby
from typing import Any

import pandas as pd
from dash import html

from assignments.schema import EVIDENCE_SEPARATOR, SAME_TARGET, UNIT_SEPARATOR
from dashboard.data import AtlasData
from dashboard.describe import plan_labels
from dashboard.filters import place_links
from dashboard.options import LINK_LABELS, CountMode, Link
from dashboard.spreadsheet import csv_bytes, xlsx_bytes

#: Download columns: internal name → Chinese header.
EXPORT_COLUMNS = {
    "plan": "计划",
    "sector": "领域",
    "task_id": "任务编号",
    "item_no": "序号",
    "text": "任务内容",
    "lead_units": "牵头单位",
    "responsible_units": "责任单位",
    "links": "关联方式",
    "evidence": "依据",
}
MAX_SHOWN = 120  # tasks drawn in the panel; the downloads carry all of them
HINT = "点击地图上的区或功能区（菱形标记），查看它的任务。"


def _link_details(rows: pd.DataFrame) -> pd.DataFrame:
    """Per task: link labels and evidence (distinct, joined by 、 for reading) and the matched
    mention words (joined by the evidence separator: a word may itself contain 、).

    One evidence cell may hold several words (武昌区|珞珈实验室): each is its own word, so each
    is highlighted. Plain Python: one place has at most a few hundred rows, where a pandas
    groupby costs more.
    """
    found: dict[str, dict[str, dict[str, None]]] = {}
    for task_id, link, evidence in zip(
        rows["task_id"], rows["link"], rows["evidence"], strict=True
    ):
        entry = found.setdefault(task_id, {"links": {}, "evidence": {}, "words": {}})
        entry["links"][LINK_LABELS.get(link, link)] = None
        for word in filter(None, evidence.split(EVIDENCE_SEPARATOR)):
            entry["evidence"][word] = None
            if link == Link.MENTION:
                entry["words"][word] = None
    joined = {
        tid: {k: (EVIDENCE_SEPARATOR if k == "words" else "、").join(v) for k, v in e.items()}
        for tid, e in found.items()
    }
    index = pd.Index(list(joined), dtype=str)  # typed even when empty, for the join on task_id
    return pd.DataFrame(list(joined.values()), index=index, columns=["links", "evidence", "words"])


def place_task_rows(
    data: AtlasData, task_ids: Iterable[str], place: str, mode: CountMode, links: Iterable[str] = ()
) -> pd.DataFrame:
    """One row per task linked to `place`, with its link types, evidence and mention words."""
    rows = place_links(data, task_ids, mode, links)
    details = _link_details(rows[rows["place"] == place])
    out = data.tasks[data.tasks["task_id"].isin(details.index)].join(details, on="task_id")
    out["plan"] = out["plan_id"].map(plan_labels(data)).fillna(out["plan_id"])
    for col in ("lead_units", "responsible_units"):
        out[col] = out[col].str.replace(UNIT_SEPARATOR, "、", regex=False)
    plan_order = {p: i for i, p in enumerate(data.plans["plan_id"])}
    out["_plan"] = out["plan_id"].map(plan_order)
    out = out.sort_values(["_plan", "sector"], kind="stable").drop(columns="_plan")
    return out[[*EXPORT_COLUMNS, "words", SAME_TARGET]].reset_index(drop=True)


def highlight_segments(text: str, words: Iterable[str]) -> list[tuple[str, bool]]:
    """Split `text` into (piece, is_match) around the matched place words, longest first."""
    found = sorted({w for w in words if w and w in text}, key=len, reverse=True)
    if not found:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(w) for w in found))
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            pieces.append((text[pos : match.start()], False))
        pieces.append((match.group(), True))
        pos = match.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


def _task_item(row: dict[Any, Any], light: tuple[str, str] | None = None) -> html.Li:
    words = [w for w in row["words"].split(EVIDENCE_SEPARATOR) if w]
    text = [html.Mark(p) if hit else p for p, hit in highlight_segments(row["text"], words)]
    units = f"牵头：{row['lead_units'] or '—'}"
    if row["responsible_units"]:
        units += f"；责任：{row['responsible_units']}"
    return html.Li(
        [
            html.Span(row["item_no"] or "·", className="item-no", title=row["task_id"]),
            *_light(light),
            html.Span(text, className="task-text"),
            html.Div(units, className="task-units"),
            html.Div(f"{row['links']} · 依据：{row['evidence']}", className="task-evidence"),
            *_same_target(row),
        ],
        className="task-item",
        **{"data-task-id": row["task_id"]},
    )


def _light(light: tuple[str, str] | None) -> list[html.Span]:
    """A coloured dot and the status in words (the colour is never the only signal)."""
    if light is None:
        return []
    colour, text = light
    dot = html.Span(className="light-dot", style={"backgroundColor": colour})
    return [html.Span([dot, text], className="task-light")]


def _same_target(row: dict[Any, Any]) -> list[html.Div]:
    """The other statement(s) of the same target (重点工作 ↔ 民生实事), counted once."""
    others = [t for t in str(row.get("same_target") or "").split("|") if t]
    if not others:
        return []
    note = f"同一目标:{'、'.join(others)}(合计时只计一次)"
    return [html.Div(note, className="task-same-target")]


def render_panel(rows: pd.DataFrame, limit: int = MAX_SHOWN, lights: Any = None) -> list[Any]:
    """Tasks grouped by plan, then sector (rows arrive sorted so); the first `limit` are drawn,
    the rest are in the downloads. `lights` (progress_figures.PanelLights, or None) adds each
    task's status light and a legend in words."""
    if rows.empty:
        return [html.Div("该地点没有符合当前筛选条件的任务。", className="panel-empty")]
    shown = lights.by_task if lights is not None else {}
    records = rows.head(limit).to_dict("records")
    totals = rows.groupby(["plan", "sector"], sort=False).size()
    blocks: list[Any] = []
    for plan, by_plan in groupby(records, key=lambda r: r["plan"]):
        sectors = [
            html.Div(
                [
                    html.H5(f"{sector}({totals[(plan, sector)]})"),
                    html.Ul([_task_item(r, shown.get(r["task_id"])) for r in items]),
                ],
                className="sector-group",
            )
            for sector, items in groupby(by_plan, key=lambda r: r["sector"])
        ]
        n_plan = int(totals[plan].sum())
        blocks.append(html.Div([html.H4(f"{plan}({n_plan})"), *sectors], className="plan-group"))
    if lights is not None:
        legend = [html.Li(line) for line in lights.legend[1:]]
        head = html.Summary([lights.legend[0], *(_light(key)[0] for key in lights.keys)])
        blocks.insert(0, html.Details([head, html.Ul(legend)], className="light-legend"))
    if len(rows) > limit:
        more = f"仅显示前 {limit} 项，共 {len(rows)} 项；完整清单请下载 CSV 或 Excel。"
        blocks.append(html.P(more, className="panel-empty"))
    return blocks


def panel_csv_bytes(rows: pd.DataFrame) -> bytes:
    """The panel rows as CSV with Chinese headers (formula-safe, UTF-8 with BOM for Excel)."""
    return csv_bytes(rows[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS))


def panel_xlsx_bytes(rows: pd.DataFrame, sheet: str) -> bytes:
    """The panel rows as an .xlsx workbook (formula-safe: document text is never a formula)."""
    return xlsx_bytes(rows[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS), sheet)
