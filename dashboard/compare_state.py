"""The 对比 view's state: two plans, a place, a task; kept in the URL hash; comparisons memoised.

The hash (`#compare?from=wr2023&to=wr2024&place=洪山区&task=wr2024-2.1.1`) leaves the query
string to the main view's filters, so neither view overwrites the other's state.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

import pandas as pd

from comparison.compare import compare_tasks
from comparison.model import settings_for
from comparison.overrides import Override, load_overrides
from dashboard.data import AtlasData, place_table

HASH_PREFIX = "#compare?"
HASH_KEYS = ("from", "to", "place", "task")
ANNUAL_KIND = "年度政府工作报告任务分解"


@dataclass(frozen=True)
class CompareState:
    """What the 对比 view shows."""

    from_plan: str
    to_plan: str
    place: str | None = None
    task: str | None = None


def plans_in_order(data: AtlasData) -> list[str]:
    """Plan ids by year (then id): the order of a lineage."""
    plans = data.plans.assign(_y=pd.to_numeric(data.plans["year"], errors="coerce").fillna(0))
    return plans.sort_values(["_y", "plan_id"], kind="stable")["plan_id"].tolist()


def default_state(data: AtlasData) -> CompareState:
    """The two latest yearly plans (or the two latest plans of any kind)."""
    order = plans_in_order(data)
    kinds = dict(zip(data.plans["plan_id"], data.plans["kind"], strict=True))
    annual = [p for p in order if kinds[p] == ANNUAL_KIND]
    pick = annual[-2:] if len(annual) >= 2 else order[-2:]
    if len(pick) < 2:
        pick = [*pick, *pick][:2]
    return CompareState(pick[0], pick[1])


def parse_hash(fragment: str | None, data: AtlasData) -> tuple[CompareState, tuple[str, ...]]:
    """The state a URL hash names; unknown values fall back to the default, with notices."""
    state = default_state(data)
    if not fragment or not fragment.startswith(HASH_PREFIX):
        return state, ()
    query = parse_qs(fragment[len(HASH_PREFIX) :], keep_blank_values=False)
    notices: list[str] = []
    plans = set(data.plans["plan_id"])
    values: dict[str, str | None] = {k: (query.get(k) or [""])[-1] or None for k in HASH_KEYS}
    for key, label in (("from", "对比起点"), ("to", "对比终点")):
        if values[key] is not None and values[key] not in plans:
            notices.append(f"未知{label}计划“{values[key]}”，已使用默认值")
            values[key] = None
    state = replace(
        state,
        from_plan=values["from"] or state.from_plan,
        to_plan=values["to"] or state.to_plan,
    )
    if values["place"] is not None and values["place"] not in set(place_table(data)["name"]):
        notices.append(f"未知地点“{values['place']}”，已忽略")
        values["place"] = None
    known_tasks = set(data.tasks["task_id"])
    if values["task"] is not None and values["task"] not in known_tasks:
        notices.append(f"未知任务“{values['task']}”，已忽略")
        values["task"] = None
    return replace(state, place=values["place"], task=values["task"]), tuple(notices)


def to_hash(state: CompareState) -> str:
    """The URL hash for `state`."""
    pairs = [("from", state.from_plan), ("to", state.to_plan)]
    pairs += [(k, v) for k, v in (("place", state.place), ("task", state.task)) if v]
    return HASH_PREFIX + urlencode(pairs)


@functools.lru_cache(maxsize=32)
def comparison_table(data: AtlasData, from_plan: str, to_plan: str) -> pd.DataFrame:
    """The comparison of two plans, computed on first use and kept (read-only) per plan pair."""
    kinds = dict(zip(data.plans["plan_id"], data.plans["kind"], strict=True))
    tasks = data.tasks
    return compare_tasks(
        tasks[tasks["plan_id"] == from_plan].reset_index(drop=True),
        tasks[tasks["plan_id"] == to_plan].reset_index(drop=True),
        overrides=_overrides(),
        settings=settings_for(kinds[from_plan], kinds[to_plan]),
    )


@functools.cache
def _overrides() -> tuple[Override, ...]:
    return load_overrides()
