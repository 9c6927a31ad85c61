"""The store as the dashboard sees it: each quarter's returns read once per store version,
quarter judgements memoised per version of the quarters they depend on. Read-only; one per app.

Freshness: every request asks the store for its newest change-log id (one indexed query).
When it moved, the per-quarter newest ids say which quarters a write touched, and only those
quarters' returns are read again. Every memoised result is keyed by the versions of the
quarters it was built from, so a new import is seen by the next request of every worker and
nothing built from older returns can be served again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from progress.assess import assess_tasks, assess_units, lights_by_task
from progress.db import Store
from progress.quarters import Quarter, parse_quarter
from progress.rules import load_rules
from progress.service import in_force, leads_in_force
from progress.store import RETURN_COLUMNS, current_returns, quarter_versions, store_version
from progress.tasks import TaskTables
from progress.view import QuarterBase

MAX_CACHED = 64  # memoised results: statuses, unit judgements, fast indexes of ~15 quarters
EMPTY_RETURNS = pd.DataFrame(columns=list(RETURN_COLUMNS))


@dataclass(frozen=True)
class Snapshot:
    """The store at one version: current returns per quarter (never mutated once built)."""

    version: int | None
    quarter_versions: dict[str, int] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def quarters(self) -> list[Quarter]:
        """Quarters with returns, oldest first."""
        return sorted(parse_quarter(q) for q, f in self.frames.items() if len(f))

    def returns_of(self, quarter: Quarter) -> pd.DataFrame:
        return self.frames.get(str(quarter), EMPTY_RETURNS)

    def chain_key(self, quarter: Quarter) -> tuple[tuple[str, int], ...]:
        """The versions a judgement of `quarter` depends on: its own returns and, through
        红转黄, every earlier quarter's."""
        return tuple(
            (q, v) for q, v in sorted(self.quarter_versions.items()) if parse_quarter(q) <= quarter
        )


class ProgressSource:
    """Current returns and judged quarters for one data folder and one (optional) store."""

    def __init__(self, tables: TaskTables, store: Store | None) -> None:
        self.tables = tables
        self.store = store
        self._lock = threading.Lock()
        self._snapshot = Snapshot(None)
        self._synced = store is None
        self._all: tuple[int | None, pd.DataFrame] | None = None
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.book = load_rules()

    def snapshot(self) -> Snapshot:
        """The store as it is now: one version query; changed quarters re-read."""
        if self.store is None:
            return self._snapshot
        version = store_version(self.store)
        with self._lock:
            if self._synced and version == self._snapshot.version:
                return self._snapshot
            self._snapshot = self._reload(version)
            self._synced = True
            return self._snapshot

    def _reload(self, version: int | None) -> Snapshot:
        assert self.store is not None
        old = self._snapshot
        versions = quarter_versions(self.store)
        changed = [q for q, v in versions.items() if old.quarter_versions.get(q) != v]
        frames = {q: f for q, f in old.frames.items() if q in versions and q not in changed}
        if changed:
            fresh = current_returns(self.store, [parse_quarter(q) for q in changed])
            for q in changed:
                frames[q] = fresh[fresh["quarter"] == q].reset_index(drop=True)
        return Snapshot(version, versions, frames)

    def returns(self) -> tuple[int | None, pd.DataFrame]:
        """(store version, every current return), for callers that want them all."""
        snap = self.snapshot()
        with self._lock:
            if self._all is None or self._all[0] != snap.version or not self._synced:
                parts = [snap.frames[str(q)] for q in snap.quarters]
                frame = pd.concat(parts, ignore_index=True) if parts else EMPTY_RETURNS
                self._all = (snap.version, frame.sort_values("id", ignore_index=True))
            return self._all

    def quarters(self, snap: Snapshot | None = None) -> list[Quarter]:
        """Quarters with returns, oldest first."""
        return (snap or self.snapshot()).quarters

    def memo(self, kind: str, quarter: Quarter, snap: Snapshot, build: Callable[[], Any]) -> Any:
        """`build()` once per (kind, quarter, versions it depends on); bounded, least recent out.

        `kind` names what is built; callers outside this module (the dashboard's display
        rows) key theirs here too, so they are dropped with the judgements they came from.
        """
        key = (kind, str(quarter), snap.chain_key(quarter))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        built = build()
        with self._lock:
            self._cache[key] = built
            while len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)
        return built

    def status(self, quarter: Quarter, snap: Snapshot | None = None) -> pd.DataFrame:
        """Every task of `quarter` judged, with 红转黄 from the quarter before (memoised)."""
        snap = snap or self.snapshot()
        quarters = snap.quarters

        def build() -> pd.DataFrame:
            before = quarter.previous()
            lights = (
                {}
                if not quarters or before < quarters[0]
                else lights_by_task(self.status(before, snap))
            )
            frame = snap.returns_of(quarter)
            return assess_tasks(in_force(self.tables, quarter), frame, quarter, self.book, lights)

        result: pd.DataFrame = self.memo("status", quarter, snap, build)
        return result

    def units(self, quarter: Quarter, snap: Snapshot | None = None) -> pd.DataFrame:
        snap = snap or self.snapshot()

        def build() -> pd.DataFrame:
            leads = leads_in_force(self.tables, quarter)
            frame = snap.returns_of(quarter)
            return assess_units(in_force(self.tables, quarter), leads, frame, quarter, self.book)

        result: pd.DataFrame = self.memo("units", quarter, snap, build)
        return result

    def is_demo(self, snap: Snapshot | None = None) -> bool:
        snap = snap or self.snapshot()
        return any(bool(f["is_demo"].any()) for f in snap.frames.values() if len(f))

    def base(self, quarter: Quarter, snap: Snapshot | None = None) -> QuarterBase:
        """This quarter and the one before, every task and unit judged."""
        snap = snap or self.snapshot()
        before = quarter.previous()
        return QuarterBase(
            quarter, self.status(quarter, snap), self.status(before, snap),
            self.units(quarter, snap), self.units(before, snap), self.is_demo(snap),
        )  # fmt: skip
