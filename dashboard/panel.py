"""The tasks of one selected place: rows for the side panel and its CSV/Excel download."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby
from typing import Any

import pandas as pd

from assignments.schema import EVIDENCE_SEPARATOR, SAME_TARGET, UNIT_SEPARATOR
from dashboard.data import AtlasData
from dashboard.describe import plan_labels
from dashboard.filters import place_links
from dashboard.options import CountMode
from dashboard.panel_rows import PanelList, link_details
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
    """Per task: link labels, evidence and mention words (panel_rows.link_details), for every
    task of the place (the downloads carry all of them)."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for task_id, link, evidence in zip(
        rows["task_id"], rows["link"], rows["evidence"], strict=True
    ):
        links, cells = found.setdefault(task_id, ([], []))
        links.append(link)
        cells.append(evidence)
    joined = [link_details(links, cells) for links, cells in found.values()]
    index = pd.Index(list(found), dtype=str)  # typed even when empty, for the join on task_id
    return pd.DataFrame(joined, index=index, columns=["links", "evidence", "words"])


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


def element(tag: str, children: Any = None, **props: Any) -> dict[str, Any]:
    """An html.<tag> as the JSON Dash sends for it, built without the component class.

    The panel draws up to ~900 elements; building Dash components and serialising them cost
    most of a click (issue 13), while the browser receives exactly this dict either way.
    Children are text or other elements: React renders text as text, never as HTML."""
    return {
        "props": {"children": children, **props},
        "type": tag,
        "namespace": "dash_html_components",
    }


def _task_item(row: dict[Any, Any], light: tuple[str, str] | None = None) -> dict[str, Any]:
    words = [w for w in row["words"].split(EVIDENCE_SEPARATOR) if w]
    text = [element("Mark", p) if hit else p for p, hit in highlight_segments(row["text"], words)]
    units = f"牵头：{row['lead_units'] or '—'}"
    if row["responsible_units"]:
        units += f"；责任：{row['responsible_units']}"
    return element(
        "Li",
        [
            element("Span", row["item_no"] or "·", className="item-no", title=row["task_id"]),
            *_light(light),
            element("Span", text, className="task-text"),
            element("Div", units, className="task-units"),
            element("Div", f"{row['links']} · 依据：{row['evidence']}", className="task-evidence"),
            *_same_target(row),
        ],
        className="task-item",
        **{"data-task-id": row["task_id"]},
    )


def _light(light: tuple[str, str] | None) -> list[dict[str, Any]]:
    """A coloured dot and the status in words (the colour is never the only signal)."""
    if light is None:
        return []
    colour, text = light
    dot = element("Span", className="light-dot", style={"backgroundColor": colour})
    return [element("Span", [dot, text], className="task-light")]


def _same_target(row: dict[Any, Any]) -> list[dict[str, Any]]:
    """The other statement(s) of the same target (重点工作 ↔ 民生实事), counted once."""
    others = [t for t in str(row.get("same_target") or "").split("|") if t]
    if not others:
        return []
    note = f"同一目标:{'、'.join(others)}(合计时只计一次)"
    return [element("Div", note, className="task-same-target")]


def panel_list(rows: pd.DataFrame, limit: int = MAX_SHOWN) -> PanelList:
    """A PanelList from place_task_rows' frame (the same list panel_rows.place_panel cuts)."""
    totals = rows.groupby(["plan", "sector"], sort=False).size()
    return PanelList(
        n_rows=len(rows),
        n_targets=rows["task_id"].nunique(),
        totals={(str(k[0]), str(k[1])): int(n) for k, n in zip(totals.index, totals, strict=True)},
        records=[{str(k): v for k, v in r.items()} for r in rows.head(limit).to_dict("records")],
    )


def render_panel(
    rows: PanelList | pd.DataFrame, limit: int = MAX_SHOWN, lights: Any = None
) -> list[Any]:
    """Tasks grouped by plan, then sector (records arrive sorted so); the first `limit` are
    drawn, the rest are in the downloads. `lights` (progress_figures.PanelLights, or None) adds
    each task's status light and a legend in words. Elements are plain dicts (see `element`)."""
    panel = panel_list(rows, limit) if isinstance(rows, pd.DataFrame) else rows
    if not panel.n_rows:
        return [element("Div", "该地点没有符合当前筛选条件的任务。", className="panel-empty")]
    shown = lights.by_task if lights is not None else {}
    blocks: list[Any] = []
    for plan, by_plan in groupby(panel.records[:limit], key=lambda r: r["plan"]):
        sectors = [
            element(
                "Div",
                [
                    element("H5", f"{sector}({panel.totals[(plan, sector)]})"),
                    element("Ul", [_task_item(r, shown.get(r["task_id"])) for r in items]),
                ],
                className="sector-group",
            )
            for sector, items in groupby(by_plan, key=lambda r: r["sector"])
        ]
        head = element("H4", f"{plan}({panel.plan_total(plan)})")
        blocks.append(element("Div", [head, *sectors], className="plan-group"))
    if lights is not None:
        legend = [element("Li", line) for line in lights.legend[1:]]
        head = element("Summary", [lights.legend[0], *(_light(key)[0] for key in lights.keys)])
        blocks.insert(
            0, element("Details", [head, element("Ul", legend)], className="light-legend")
        )
    if panel.n_rows > limit:
        more = f"仅显示前 {limit} 项，共 {panel.n_rows} 项；完整清单请下载 CSV 或 Excel。"
        blocks.append(element("P", more, className="panel-empty"))
    return blocks


def panel_csv_bytes(rows: pd.DataFrame) -> bytes:
    """The panel rows as CSV with Chinese headers (formula-safe, UTF-8 with BOM for Excel)."""
    return csv_bytes(rows[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS))


def panel_xlsx_bytes(rows: pd.DataFrame, sheet: str) -> bytes:
    """The panel rows as an .xlsx workbook (formula-safe: document text is never a formula)."""
    return xlsx_bytes(rows[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS), sheet)
