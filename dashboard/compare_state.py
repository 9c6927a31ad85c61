"""The 对比 view's state: two plans, a place, a task; kept in the URL hash; comparisons memoised.

The hash (`#compare?from=wr2023&to=wr2024&place=洪山区&task=wr2024-2.1.1`) leaves the query
string to the main view's filters, so neither view overwrites the other's state; the browser
reads and writes it (dashboard/viewhash.py).
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from comparison.compare import compare_tasks
from comparison.model import settings_for
from comparison.overrides import OVERRIDES_CSV, load_overrides
from dashboard.data import AtlasData, place_table
from dashboard.viewhash import compare_hash, parse_compare, quoted

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


def hash_config(data: AtlasData) -> dict[str, Any]:
    """What the browser checks a #compare hash against (assets/viewhash.js): the plans and
    places the page offers and the default pair. Task ids are many; the server checks them."""
    default = default_state(data)
    return {
        "plans": plans_in_order(data),
        "places": place_table(data)["name"].tolist(),
        "default": {"from_plan": default.from_plan, "to_plan": default.to_plan},
    }


def parse_hash(fragment: str | None, data: AtlasData) -> tuple[CompareState, tuple[str, ...]]:
    """The state a URL hash names; unknown values fall back to the default, with notices
    (dashboard/viewhash.py's rule, plus the task check the browser leaves to the server)."""
    values, notices = parse_compare(fragment, hash_config(data))
    state = CompareState(**values)
    if state.task is not None and not known_task(data, state.task):
        notices.append(unknown_task_notice(state.task))
        state = replace(state, task=None)
    return state, tuple(notices)


def known_task(data: AtlasData, task: str) -> bool:
    return task in _task_ids(data)


@functools.cache
def _task_ids(data: AtlasData) -> frozenset[str]:
    return frozenset(data.tasks["task_id"])


def unknown_task_notice(task: str) -> str:
    return f"未知任务{quoted(task)}，已忽略"


def to_hash(state: CompareState) -> str:
    """The URL hash for `state`."""
    return compare_hash(asdict(state))


#: Comparisons kept per worker (each is a few hundred rows; the matcher takes ~1 s a pair).
MAX_COMPARISONS = 16
_SEEN: weakref.WeakSet[AtlasData] = weakref.WeakSet()  # apps wired in this process, to warm


@functools.cache
def tasks_fingerprint(data: AtlasData) -> str:
    """A digest of the task table the matcher reads: stands for the data folder's build (two
    builds with the same tasks share their comparisons; any other change is a new key)."""
    values = pd.util.hash_pandas_object(data.tasks, index=False).to_numpy()
    return hashlib.sha256(values.tobytes()).hexdigest()


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"  # load_overrides then says what is wrong, in one line


#: Display parts kept per comparison (the map and panel of each clicked place, the summary).
MAX_PARTS = 64
Key = tuple[str, str, str, str]


class Comparison:
    """One computed comparison and the display parts derived from it (pure functions of the
    table, so they are memoised with it and dropped with it)."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self._lock = threading.Lock()
        self._parts: OrderedDict[Hashable, Any] = OrderedDict()

    def part(self, name: Hashable, build: Callable[[pd.DataFrame], Any]) -> Any:
        """`build(table)` once per `name` (read-only: callers never mutate what it returns)."""
        with self._lock:
            if name in self._parts:
                self._parts.move_to_end(name)
                return self._parts[name]
        built = build(self.table)
        with self._lock:
            self._parts[name] = built
            while len(self._parts) > MAX_PARTS:
                self._parts.popitem(last=False)
        return built


class ComparisonCache:
    """Comparisons keyed by (task-table digest, from, to, overrides file digest), bounded.

    The overrides file is read and hashed on every call (a few KB), so a reviewer's edit is
    used by the next request of every worker; a rebuild of the data is a new key too. One
    pair is computed once even when requests for it arrive together (a lock per key).
    """

    def __init__(self, size: int = MAX_COMPARISONS) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Key, Comparison] = OrderedDict()
        self._computing: dict[Key, threading.Lock] = {}
        self.computed = 0  # how many times the matcher ran (the tests and benchmarks read it)

    def get(
        self, data: AtlasData, from_plan: str, to_plan: str, overrides: Path = OVERRIDES_CSV
    ) -> Comparison:
        key = (tasks_fingerprint(data), from_plan, to_plan, _digest(overrides))
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            pending = self._computing.setdefault(key, threading.Lock())
        with pending:
            with self._lock:
                if key in self._entries:  # computed by the request this one waited for
                    return self._entries[key]
            table, digest = _compute(data, from_plan, to_plan, overrides)
            entry = Comparison(table)
            with self._lock:
                self.computed += 1
                self._computing.pop(key, None)  # later callers find the entry
                if digest == key[3]:  # the file did not change while it was read
                    self._entries[key] = entry
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
            return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _compute(
    data: AtlasData, from_plan: str, to_plan: str, overrides: Path
) -> tuple[pd.DataFrame, str]:
    """The matcher on two plans, and the digest of the overrides it used (read after them)."""
    kinds = dict(zip(data.plans["plan_id"], data.plans["kind"], strict=True))
    tasks = data.tasks
    decisions = load_overrides(overrides)
    table = compare_tasks(
        tasks[tasks["plan_id"] == from_plan].reset_index(drop=True),
        tasks[tasks["plan_id"] == to_plan].reset_index(drop=True),
        overrides=decisions,
        settings=settings_for(kinds[from_plan], kinds[to_plan]),
    )
    return table, _digest(overrides)


COMPARISONS = ComparisonCache()
#: The reviewers' decisions the view uses (read at each call, so a test or a deployment can
#: point it elsewhere).
OVERRIDES_PATH = OVERRIDES_CSV


def comparison_table(data: AtlasData, from_plan: str, to_plan: str) -> pd.DataFrame:
    """The comparison of two plans with the current overrides (read-only; memoised per worker
    in COMPARISONS, never served after the tasks or the overrides changed)."""
    return comparison(data, from_plan, to_plan).table


def comparison(data: AtlasData, from_plan: str, to_plan: str) -> Comparison:
    """The memoised comparison with its display parts (see ComparisonCache)."""
    _SEEN.add(data)
    return COMPARISONS.get(data, from_plan, to_plan, OVERRIDES_PATH)


def warm() -> int:
    """Compare the default pair of every app wired in this process (the server calls this
    before gunicorn forks, so the first 对比 view of every worker is served from memory)."""
    for data in list(_SEEN):
        state = default_state(data)
        comparison_table(data, state.from_plan, state.to_plan)
    return len(_SEEN)


def remember(data: AtlasData) -> None:
    """Note an app's data so `warm` compares its default pair."""
    _SEEN.add(data)
