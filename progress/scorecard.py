"""Headline numbers and scorecards per lead unit and per place (pure frames in, frames out).

完成率 is the share of tasks 已完成 or 提前完成; 平均进度 the mean reported percentage (a task
with no return counts 0). Rank: 完成率 high to low, then fewer 滞后, then 平均进度.
"""

from __future__ import annotations

import pandas as pd

from progress.rules import BEHIND, DONE, DONE_EARLY, NOT_REPORTED, NOT_STARTED, ON_TRACK, PAUSED

AHEAD = "超序时"
#: Headline order as the 通报 lists it.
HEADLINE_ORDER = (DONE, ON_TRACK, BEHIND, NOT_STARTED, PAUSED, NOT_REPORTED)
SCORE_COLUMNS = (
    "n_tasks",
    "n_done",
    "n_behind",
    "n_red",
    "n_unreported",
    "completion_rate",
    "mean_percent",
    "rate_change",
    "behind_change",
    "rank",
)


def headline(status: pd.DataFrame) -> dict[str, int]:
    """任务 total and per status group: 已完成 (incl. 提前完成), 序时推进 (incl. 超序时), …"""
    s = status["status"].replace({DONE_EARLY: DONE, AHEAD: ON_TRACK}).replace("", NOT_REPORTED)
    counts = s.value_counts()
    return {"任务": len(status), **{k: int(counts.get(k, 0)) for k in HEADLINE_ORDER}}


def _metrics(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    done = frame["status"].isin([DONE, DONE_EARLY])
    percent = pd.to_numeric(frame["percent"], errors="coerce").fillna(0.0)
    grouped = frame.assign(
        _done=done,
        _behind=frame["status"] == BEHIND,
        _red=frame["light"] == "red",
        _unreported=frame["status"] == "",
        _percent=percent,
    ).groupby(key, sort=True)
    out = pd.DataFrame(
        {
            "n_tasks": grouped.size(),
            "n_done": grouped["_done"].sum(),
            "n_behind": grouped["_behind"].sum(),
            "n_red": grouped["_red"].sum(),
            "n_unreported": grouped["_unreported"].sum(),
            "completion_rate": grouped["_done"].mean().round(3),
            "mean_percent": grouped["_percent"].mean().round(1),
        }
    )
    return out.astype(
        {c: "int64" for c in ("n_tasks", "n_done", "n_behind", "n_red", "n_unreported")}
    )


def _score(now: pd.DataFrame, before: pd.DataFrame | None, key: str) -> pd.DataFrame:
    cur = _metrics(now, key)
    if before is not None and len(before):
        prev = _metrics(before, key).reindex(cur.index)
        cur["rate_change"] = (cur["completion_rate"] - prev["completion_rate"]).round(3)
        cur["behind_change"] = cur["n_behind"] - prev["n_behind"]
    else:
        cur["rate_change"] = float("nan")
        cur["behind_change"] = float("nan")
    order = cur.sort_values(
        ["completion_rate", "n_behind", "mean_percent"],
        ascending=[False, True, False],
        kind="stable",
    )
    cur["rank"] = pd.Series(range(1, len(order) + 1), index=order.index)
    return cur.loc[order.index].reset_index()


def unit_scorecard(units_now: pd.DataFrame, units_before: pd.DataFrame | None) -> pd.DataFrame:
    """Per lead unit, each judged on its own returns (frames of `assess_units`)."""
    return _score(units_now, units_before, "unit")


def place_scorecard(
    status_now: pd.DataFrame, status_before: pd.DataFrame | None, pairs: pd.DataFrame
) -> pd.DataFrame:
    """Per district/zone over the tasks tied to it (frames of `assess_tasks`, task_place_pairs)."""
    cols = ["task_id", "status", "light", "percent"]
    now = status_now[cols].merge(pairs, on="task_id")
    before = status_before[cols].merge(pairs, on="task_id") if status_before is not None else None
    kinds = pairs.drop_duplicates("place").set_index("place")["place_kind"]
    out = _score(now, before, "place")
    out.insert(1, "place_kind", out["place"].map(kinds))
    return out


def unreported_units(units_now: pd.DataFrame) -> pd.DataFrame:
    """Lead units that sent no return at all this quarter, with how many tasks they lead."""
    reported = (units_now["reported_status"] != "").groupby(units_now["unit"]).sum()
    per_unit = pd.DataFrame({"n_tasks": units_now.groupby("unit").size(), "n_reported": reported})
    silent = per_unit[per_unit["n_reported"] == 0]
    return silent.reset_index()[["unit", "n_tasks"]].sort_values(
        ["n_tasks", "unit"], ascending=[False, True]
    )


def lagging(status: pd.DataFrame) -> pd.DataFrame:
    """Tasks judged 滞后 or 未启动 with a red light, worst first (the 通报 names them)."""
    rows = status[
        (status["status"] == BEHIND)
        | ((status["status"] == NOT_STARTED) & (status["light"] == "red"))
    ]
    gap = rows["expected"] - pd.to_numeric(rows["percent"], errors="coerce").fillna(0.0)
    red_first = (rows["light"] != "red").astype(int)
    return (
        rows.assign(gap=gap.round(1), _o=red_first)
        .sort_values(["_o", "gap"], ascending=[True, False], kind="stable")
        .drop(columns="_o")
    )
