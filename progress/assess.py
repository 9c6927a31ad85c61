"""Returns + tasks in force → each task's status and light for a quarter (pure frames).

A task led by several units gets one return from each. Its own status is judged on the
least advanced of them (lowest percentage; 暂缓 only when every reporting unit says 暂缓),
its texts are kept per unit (【单位】…), and a lead unit that sent nothing is listed in
`units_missing` even when a co-lead reported. Each unit is also judged on its own return
(`assess_units`) so that scorecards do not blame one lead for another.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pandas as pd

from progress.quarters import Quarter
from progress.rules import PAUSED, RuleBook, assess_frame, expected_percent
from progress.tasks import split_units

#: Columns of `assess_tasks`.
STATUS_COLUMNS = (
    "task_id",
    "plan_id",
    "text",
    "lead_units",
    "deadline",
    "expected",
    "reported_status",
    "percent",
    "status",
    "light",
    "rule",
    "progress_text",
    "problems",
    "next_steps",
    "evidence",
    "reported_by",
    "units_missing",
    "updated_at",
    "is_demo",
)
TEXT_FIELDS = ("progress_text", "problems", "next_steps", "evidence")


def _combine(mine: pd.DataFrame) -> pd.DataFrame:
    """Per task: the least advanced of its units' returns, texts kept per unit.

    Most tasks have one lead unit: their return is taken as it is (vectorised); only tasks
    with several returns are combined row by row.
    """
    several_rows = mine["task_id"].duplicated(keep=False).to_numpy()
    single = mine[~several_rows].set_index("task_id")
    out = single[["status", "percent", *TEXT_FIELDS, "created_at", "is_demo"]].rename(
        columns={"status": "reported_status", "created_at": "updated_at"}
    )
    out["reported_by"] = single["unit"]
    groups: dict[str, list[dict[Any, Any]]] = defaultdict(list)
    for record in _records(mine[several_rows]):
        groups[str(record["task_id"])].append(record)
    several = {}
    for task_id, group in groups.items():
        active = [r for r in group if r["status"] != PAUSED] or group
        worst = min(active, key=lambda r: -1.0 if pd.isna(r["percent"]) else r["percent"])
        entry: dict[str, Any] = {"reported_status": worst["status"], "percent": worst["percent"]}
        for field in TEXT_FIELDS:
            entry[field] = ";".join(f"【{r['unit']}】{r[field]}" for r in group if r[field])
        entry["reported_by"] = "、".join(r["unit"] for r in group)
        entry["updated_at"] = max(r["created_at"] for r in group)
        entry["is_demo"] = any(r["is_demo"] for r in group)
        several[task_id] = entry
    if several:
        out = pd.concat([out, pd.DataFrame.from_dict(several, orient="index")])
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, read column by column (DataFrame.to_dict walks string arrays slowly)."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def _expected(quarter: Quarter, deadlines: pd.Series) -> list[float]:
    """序时进度 per row, computed once per distinct deadline (there are a handful)."""
    values = deadlines.tolist()
    known = {d: expected_percent(quarter, d) for d in set(values)}
    return [known[d] for d in values]


def _fact_frame(frame: pd.DataFrame, quarter: Quarter, previous: dict[str, str]) -> pd.DataFrame:
    """The rule's inputs for every row of a status frame."""
    status = frame["reported_status"].fillna("").astype(str)
    reported = status != ""
    percent = pd.to_numeric(frame["percent"], errors="coerce").astype(float)
    return pd.DataFrame(
        {
            "reported": reported.to_numpy(),
            "status": status.to_numpy(),
            "percent": percent.where(reported, 0.0).fillna(0.0).to_numpy(),
            "expected": frame["expected"].astype(float).to_numpy(),
            "as_of": pd.Timestamp(quarter.end),
            "deadline": pd.to_datetime(frame["deadline"]).to_numpy(),
            "previous_light": [previous.get(str(k), "") for k in frame["_key"].tolist()],
        },
        index=frame.index,
    )


def _judge(frame: pd.DataFrame, quarter: Quarter, book: RuleBook, previous: dict[str, str]) -> None:
    rules = assess_frame(_fact_frame(frame, quarter, previous), book)
    frame["status"] = [r.status for r in rules]
    frame["light"] = [r.light for r in rules]
    frame["rule"] = [r.order for r in rules]


def assess_tasks(
    in_force: pd.DataFrame,
    returns: pd.DataFrame,
    quarter: Quarter,
    book: RuleBook,
    previous_lights: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per task in force: combined return, status, light and the rule that gave it.

    `returns` are the current returns (any quarters; only this quarter's are used);
    `previous_lights` maps task id → last quarter's light (for 红转黄).
    """
    mine = returns[returns["quarter"] == str(quarter)]
    mine = mine[mine["task_id"].isin(in_force["task_id"])]
    frame = in_force[["task_id", "plan_id", "text", "lead_units", "deadline"]].copy()
    frame["expected"] = _expected(quarter, frame["deadline"])
    if len(mine):
        frame = frame.join(_combine(mine), on="task_id")
    for col in STATUS_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    for field in (*TEXT_FIELDS, "reported_status", "reported_by"):
        frame[field] = frame[field].fillna("")
    frame["is_demo"] = frame["is_demo"].fillna(False).astype(bool)
    reporters: dict[str, set[str]] = defaultdict(set)
    for task_id, unit in zip(mine["task_id"].tolist(), mine["unit"].tolist(), strict=True):
        reporters[str(task_id)].add(str(unit))
    split = {cell: split_units(cell) for cell in set(frame["lead_units"].tolist())}
    nobody: set[str] = set()
    frame["units_missing"] = [
        "、".join(u for u in split[leads] if u not in reporters.get(tid, nobody))
        for tid, leads in zip(frame["task_id"].tolist(), frame["lead_units"].tolist(), strict=True)
    ]
    frame["_key"] = frame["task_id"]
    _judge(frame, quarter, book, previous_lights or {})
    return frame[list(STATUS_COLUMNS)].reset_index(drop=True)


def assess_units(
    in_force: pd.DataFrame,
    leads: pd.DataFrame,
    returns: pd.DataFrame,
    quarter: Quarter,
    book: RuleBook,
) -> pd.DataFrame:
    """One row per (task, lead unit) in force: that unit's own return judged on its own."""
    pairs = leads.merge(in_force[["task_id", "deadline"]], on="task_id")
    mine = returns.loc[returns["quarter"] == str(quarter), ["task_id", "unit", "status", "percent"]]
    frame = pairs.merge(mine, on=["task_id", "unit"], how="left")
    frame = frame.rename(columns={"status": "reported_status"})
    frame["reported_status"] = frame["reported_status"].fillna("")
    frame["expected"] = _expected(quarter, frame["deadline"])
    frame["_key"] = frame["task_id"] + "\t" + frame["unit"]
    _judge(frame, quarter, book, {})
    return frame.drop(columns="_key")


def lights_by_task(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["task_id"].tolist(), frame["light"].tolist(), strict=True))


def as_of(quarter: Quarter) -> date:
    return quarter.end
