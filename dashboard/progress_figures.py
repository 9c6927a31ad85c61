"""Pure builders of the 进度 view: frames in, figures / display frames / texts out.

Tested directly; dashboard/progress_view.py only wires them to components.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from dashboard.data import AtlasData, place_table
from dashboard.figures import (
    DISTRICTS,
    ZONE_MARKERS,
    apply_updates,
    build_district_map,
    map_updates,
)
from dashboard.filters import CountMode
from dashboard.style import EMPTY_TEXT
from progress.provider import ProgressSource, Snapshot
from progress.quarters import Quarter
from progress.store import as_of_date
from progress.view import QuarterView
from progress.workbook import DEMO_MARK

HISTORY_QUARTERS = 8


class Metric(StrEnum):
    RATE = "rate"
    MEAN = "mean"
    BEHIND = "behind"


METRIC_LABELS = {Metric.RATE: "完成率(%)", Metric.MEAN: "平均进度(%)", Metric.BEHIND: "滞后任务数"}
METRIC_COLUMNS = {
    Metric.RATE: "completion_rate",
    Metric.MEAN: "mean_percent",
    Metric.BEHIND: "n_behind",
}
#: Fixed classes per metric (exclusive upper bound, label), stated in words on the colour bar:
#: five short labels fit a horizontal bar at 1024 px without rotating (issue 10: the 0–100
#: scale with the count classes' six ticks crowded into its first 5 % and turned them).
PERCENT_CLASSES: tuple[tuple[float, str], ...] = (
    (20, "<20%"),
    (40, "20–39%"),
    (60, "40–59%"),
    (80, "60–79%"),
    (float("inf"), "≥80%"),
)
BEHIND_CLASSES: tuple[tuple[float, str], ...] = (
    (1, "0"),
    (3, "1–2"),
    (6, "3–5"),
    (11, "6–10"),
    (float("inf"), "≥11"),
)
METRIC_CLASSES = {
    Metric.RATE: PERCENT_CLASSES,
    Metric.MEAN: PERCENT_CLASSES,
    Metric.BEHIND: BEHIND_CLASSES,
}
PERCENT_COLOURS = ("#f3f5f8", "#c6dbef", "#9ecae1", "#4a90c8", "#08519c")
BEHIND_COLOURS = ("#f5f2f0", "#fbd0c8", "#f08a7a", "#d1422f", "#8e1b1b")
METRIC_COLOURS = {Metric.RATE: PERCENT_COLOURS, Metric.MEAN: PERCENT_COLOURS,
                  Metric.BEHIND: BEHIND_COLOURS}  # fmt: skip
#: The bar is longer than the map view's (its six count classes are shorter words).
COLOURBAR_LEN = 0.55
#: One character per light (in the CJK fonts every machine here has; emoji fonts are not).
LIGHT_DOT = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}
NOT_REPORTED = "未报送"
#: Above the map, in a top margin of its own: clear of the legend (top left), the colour bar
#: (top right) and the districts (it sat on the legend at y = 0.92 before).
DEMO_MARGIN = 30
DEMO_NOTE = {
    "text": DEMO_MARK,
    "x": 0,
    "y": 1,
    "xref": "paper",
    "yref": "paper",
    "yanchor": "bottom",
    "yshift": 4,
    "showarrow": False,
    "xanchor": "left",
    "font": {"size": 15, "color": "#b00"},
    "bordercolor": "#b00",
    "borderpad": 2,
    "bgcolor": "white",
}


def stepped_scale(colours: tuple[str, ...]) -> list[list[float | str]]:
    """A stepped colour scale for class indexes 0..n-1 on [-0.5, n-0.5]."""
    n = len(colours)
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


# --- pure builders --------------------------------------------------------------------------


def place_metric_frame(view: QuarterView, data: AtlasData, metric: Metric) -> pd.DataFrame:
    """One row per mapped place, shaped like count_by_place so the map builder can draw it."""
    places = place_table(data)[["id", "name", "kind"]]
    scores = view.place_scores.set_index("place")
    value = scores[METRIC_COLUMNS[metric]]
    if metric == Metric.RATE:
        value = value * 100
    frame = pd.DataFrame(
        {
            "place_id": places["id"].to_numpy(),
            "place": places["name"].to_numpy(),
            "place_kind": places["kind"].to_numpy(),
        }
    )
    for col, src in (
        ("lead", "n_tasks"),
        ("responsible", "n_done"),
        ("mention", "n_behind"),
        ("group", "n_unreported"),
    ):
        frame[col] = frame["place"].map(scores[src]).fillna(0).astype(int)
    frame["total"] = frame["place"].map(value.round(0)).fillna(0).astype(int)
    return frame


@functools.cache
def base_figure(data: AtlasData) -> dict[str, Any]:
    """The map with its geometry, built once per data folder; renders copy only what changes."""
    places = place_table(data)
    zero = pd.DataFrame(
        {"place_id": places["id"], "place": places["name"], "place_kind": places["kind"]}
    )
    for col in ("lead", "responsible", "mention", "group", "total"):
        zero[col] = 0
    fig: dict[str, Any] = build_district_map(
        zero, data.places_geojson, mode=CountMode.SPECIFIC
    ).to_dict()
    return fig


def _copy_along(fig: dict[str, Any], paths: list[tuple[str | int, ...]]) -> dict[str, Any]:
    """A copy of `fig` sharing everything except the containers on `paths` (the geometry stays
    shared, so a render never copies the boundaries)."""
    out = dict(fig)
    for path in paths:
        node: Any = out
        for key in path[:-1]:
            child = node[key]
            node[key] = dict(child) if isinstance(child, dict) else list(child)
            node = node[key]
    return out


def progress_map(
    view: QuarterView, data: AtlasData, metric: Metric, selected: str | None = None
) -> dict[str, Any]:
    """Districts and zones coloured by 完成率, 平均进度 or 滞后 count of the filtered tasks, in
    fixed classes (METRIC_CLASSES) named on a horizontal colour bar; `selected` outlined."""
    frame = place_metric_frame(view, data, metric)
    classes = METRIC_CLASSES[metric]
    updates = map_updates(
        frame, data.places_geojson, mode=CountMode.SPECIFIC, selected=selected, classes=classes
    )
    hover = (
        "<b>%{customdata[1]}</b><br>任务 %{customdata[2]} · 已完成 %{customdata[3]}"
        f" · 滞后 %{{customdata[4]}} · 未报送 %{{customdata[5]}}<br>{METRIC_LABELS[metric]}"
        " %{customdata[6]}<extra></extra>"
    )
    notes = dict(updates)[("layout", "annotations")]
    if len(view.status):  # zero is a value here (0% done), not "no tasks"
        notes = [n for n in notes if n.get("text") != EMPTY_TEXT]
    if view.is_demo:
        notes = [*notes, {**DEMO_NOTE}]
    updates += [
        (("data", DISTRICTS, "hovertemplate"), hover),
        (("data", ZONE_MARKERS, "hovertemplate"), hover),
        (
            ("layout", "coloraxis", "colorbar", "title"),
            {"text": METRIC_LABELS[metric], "side": "top"},
        ),
        (("layout", "coloraxis", "colorbar", "len"), COLOURBAR_LEN),
        (("layout", "coloraxis", "colorbar", "tickangle"), 0),
        (("layout", "coloraxis", "colorscale"), stepped_scale(METRIC_COLOURS[metric])),
        (("layout", "margin", "t"), DEMO_MARGIN if view.is_demo else 0),
        (("layout", "uirevision"), "progress-map"),
        (("layout", "annotations"), notes),
    ]
    fig = _copy_along(base_figure(data), [path for path, _ in updates])
    result: dict[str, Any] = apply_updates(fig, updates)
    return result


def history_table(
    source: ProgressSource, quarter: Quarter, task_ids: pd.Index, snap: Snapshot | None = None
) -> pd.DataFrame:
    """task_id × the last quarters (up to HISTORY_QUARTERS) → light, from the memoised bases."""
    snap = snap or source.snapshot()
    quarters = [q for q in source.quarters(snap) if q <= quarter][-HISTORY_QUARTERS:]
    frames = []
    for q in quarters:
        status = source.status(q, snap)
        rows = status[status["task_id"].isin(task_ids)][["task_id", "light"]]
        frames.append(rows.assign(quarter=str(q)))
    if not frames:
        return pd.DataFrame(index=pd.Index([], name="task_id"))
    both = pd.concat(frames)
    return both.pivot(index="task_id", columns="quarter", values="light").reindex(
        columns=[str(q) for q in quarters]
    )


def history_dots(history: pd.DataFrame) -> pd.Series:
    """黄→红→绿 per task from a task × quarter frame of lights (— where a quarter is missing)."""
    if not len(history.columns):
        return pd.Series("", index=history.index, dtype=object)
    labels = pd.DataFrame({c: history[c].map(LIGHT_DOT).fillna("—") for c in history.columns})
    first, rest = labels.iloc[:, 0].astype(str), labels.iloc[:, 1:].astype(str)
    return first.str.cat(rest, sep="→") if len(rest.columns) else first


def task_rows(view: QuarterView, history: pd.DataFrame, statuses: list[str]) -> pd.DataFrame:
    """The panel's task list: light, status, percent, units, history dots; filtered by status."""
    status = view.status
    label = status["status"].replace("", NOT_REPORTED)
    if statuses:
        status = status[label.isin(statuses)]
        label = label[status.index]
    dots = history_dots(history.reindex(status["task_id"]))
    out = pd.DataFrame(
        {
            "灯": status["light"].map(LIGHT_DOT).to_numpy(),
            "任务编号": status["task_id"].to_numpy(),
            "任务内容": status["text"].str.slice(0, 60).to_numpy(),
            "牵头单位": status["lead_units"].str.replace("|", "、", regex=False).to_numpy(),
            "状态": label.to_numpy(),
            "进度": status["percent"].map(lambda p: "" if pd.isna(p) else f"{p:g}%").to_numpy(),
            "序时": status["expected"].map(lambda e: f"{e:g}%").to_numpy(),
            "历史": dots.to_numpy() if len(dots) else [],
            # the status form (access.writes; refused on the server unless the role fits)
            "修改": [
                f"[修改](/tasks/{t}/status?quarter={view.quarter})" for t in status["task_id"]
            ],
        }
    )
    order = (
        out["灯"].map({LIGHT_DOT["red"]: 0, LIGHT_DOT["yellow"]: 1, LIGHT_DOT["grey"]: 2}).fillna(3)
    )
    return out.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")


def score_rows(frame: pd.DataFrame, key: str, label: str) -> pd.DataFrame:
    """A scorecard as display columns (排名, name, 完成率, 滞后, 较上季度 …)."""

    def change(v: float, pct: bool) -> str:
        return "—" if pd.isna(v) else (f"{100 * v:+.0f}" if pct else f"{v:+.0f}")

    return pd.DataFrame(
        {
            "排名": frame["rank"],
            label: frame[key],
            "任务": frame["n_tasks"],
            "完成率": (frame["completion_rate"] * 100).round(0).astype(int).astype(str) + "%",
            "平均进度": frame["mean_percent"].round(0).astype(int).astype(str) + "%",
            "滞后": frame["n_behind"],
            "完成率变化": frame["rate_change"].map(lambda v: change(v, True)),
            "滞后变化": frame["behind_change"].map(lambda v: change(v, False)),
        }
    )


def headline_text(view: QuarterView) -> str:
    h = view.headline
    parts = [f"{k} {v}" for k, v in h.items()]
    demo = f"【{DEMO_MARK}】" if view.is_demo else ""
    return f"{demo}{view.quarter.label}(截至 {view.quarter.end:%Y-%m-%d}):" + " · ".join(parts)


def as_of_text(returns: pd.DataFrame, built_at: str) -> str:
    """数据截至 …: the newest as-of date among `returns` (one quarter's) and the task table date."""
    newest = as_of_date(returns)
    reported = f"报送数据截至 {newest:%Y-%m-%d}" if newest else "本季度尚无报送"
    return f"{reported}；任务表生成于 {built_at}"


def unreported_text(view: QuarterView) -> str:
    units = view.unreported
    if not len(units):
        return "各牵头单位均已报送。"
    return f"未报送单位（{len(units)}）：" + "、".join(
        f"{u}（{n}）" for u, n in zip(units["unit"], units["n_tasks"], strict=True)
    )


# --- status lights in the map view's place panel ----------------------------------------------


@dataclass(frozen=True)
class PanelLights:
    """Each task's light in the latest quarter with returns: task id → (colour, status text),
    and the legend in words (one line per light, from progress/data/lights.csv)."""

    by_task: dict[str, tuple[str, str]]
    legend: list[str]
    keys: list[tuple[str, str]]  # (colour, label) per light, for the dots beside the heading


def panel_lights(
    source: ProgressSource | None, task_ids: Collection[str] | None = None
) -> PanelLights | None:
    """Lights for the place panel, judged by the progress rules; None without a store or returns.

    `task_ids`: only these tasks' lights (the ≤ 120 the panel draws, not all 41,700 at ×50)."""
    if source is None or not (quarters := source.quarters()):
        return None
    quarter = quarters[-1]
    status = source.status(quarter)
    if task_ids is not None:
        status = status[status["task_id"].isin(task_ids)]
    book = source.book
    palette = dict(zip(book.lights["light"], book.lights["colour"], strict=True))
    colours = [palette.get(light, book.light_colour(light)) for light in status["light"]]
    labels = status["status"].replace("", NOT_REPORTED)
    by_task = {t: (c, s) for t, c, s in zip(status["task_id"], colours, labels, strict=True)}
    _, returns = source.returns()
    demo = f"【{DEMO_MARK}】" if len(returns) and bool(returns["is_demo"].any()) else ""
    head = f"{demo}进度灯:{quarter.label}(截至 {quarter.end:%Y-%m-%d})"
    legend = [head] + [
        f"{label}:{meaning}"
        for label, meaning in zip(book.lights["label"], book.lights["meaning"], strict=True)
    ]
    keys = list(zip(book.lights["colour"], book.lights["label"], strict=True))
    return PanelLights(by_task, legend, keys)
