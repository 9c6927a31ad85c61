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
from progress.rules import PAUSED, Facts, RuleBook, assess, expected_percent
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
    """Per task: the least advanced of its units' returns, texts kept per unit."""
    rows: dict[str, list[dict[Any, Any]]] = defaultdict(list)
    for record in mine.to_dict("records"):
        rows[str(record["task_id"])].append(record)
    out = {}
    for task_id, group in rows.items():
        active = [r for r in group if r["status"] != PAUSED] or group
        worst = min(active, key=lambda r: -1.0 if pd.isna(r["percent"]) else r["percent"])
        entry: dict[str, Any] = {"reported_status": worst["status"], "percent": worst["percent"]}
        for field in TEXT_FIELDS:
            if len(group) == 1:
                entry[field] = group[0][field] or ""
            else:
                entry[field] = ";".join(f"【{r['unit']}】{r[field]}" for r in group if r[field])
        entry["reported_by"] = "、".join(r["unit"] for r in group)
        entry["updated_at"] = max(r["created_at"] for r in group)
        entry["is_demo"] = any(r["is_demo"] for r in group)
        out[task_id] = entry
    return pd.DataFrame.from_dict(out, orient="index")


def _facts(row: dict[Any, Any], quarter: Quarter, previous_light: str) -> Facts:
    reported = isinstance(row.get("reported_status"), str) and bool(row["reported_status"])
    percent = row.get("percent")
    return Facts(
        reported=reported,
        status=str(row.get("reported_status") or ""),
        percent=float(percent) if reported and pd.notna(percent) else 0.0,
        expected=float(row["expected"]),
        as_of=quarter.end,
        deadline=row["deadline"],
        previous_light=previous_light,
    )


def _judge(frame: pd.DataFrame, quarter: Quarter, book: RuleBook, previous: dict[str, str]) -> None:
    cols = ["_key", "reported_status", "percent", "expected", "deadline"]
    rules = [
        assess(_facts(row, quarter, previous.get(str(row["_key"]), "")), book)
        for row in frame[cols].to_dict("records")
    ]
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
    frame["expected"] = [expected_percent(quarter, d) for d in frame["deadline"]]
    if len(mine):
        frame = frame.join(_combine(mine), on="task_id")
    for col in STATUS_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    for field in (*TEXT_FIELDS, "reported_status", "reported_by"):
        frame[field] = frame[field].fillna("")
    frame["is_demo"] = frame["is_demo"].fillna(False).astype(bool)
    reporters = mine.groupby("task_id")["unit"].agg(set).to_dict()
    frame["units_missing"] = [
        "、".join(u for u in split_units(leads) if u not in reporters.get(tid, set()))
        for tid, leads in zip(frame["task_id"], frame["lead_units"], strict=True)
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
    frame["expected"] = [expected_percent(quarter, d) for d in frame["deadline"]]
    frame["_key"] = frame["task_id"] + "\t" + frame["unit"]
    _judge(frame, quarter, book, {})
    return frame.drop(columns="_key")


def lights_by_task(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["task_id"], frame["light"], strict=True))


def as_of(quarter: Quarter) -> date:
    return quarter.end
