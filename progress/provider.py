"""The store as the dashboard sees it: returns re-read only when the store changed, quarter
judgements memoised per store version. Read-only; one per app."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from progress.assess import assess_tasks, assess_units, lights_by_task
from progress.db import Store
from progress.models import ChangeLog
from progress.quarters import Quarter, parse_quarter
from progress.rules import load_rules
from progress.service import in_force, leads_in_force
from progress.store import RETURN_COLUMNS, current_returns
from progress.tasks import TaskTables
from progress.view import QuarterBase

MAX_CACHED = 64  # judged frames kept: statuses and unit judgements of ~30 quarters


class ProgressSource:
    """Current returns and judged quarters for one data folder and one (optional) store."""

    def __init__(self, tables: TaskTables, store: Store | None) -> None:
        self.tables = tables
        self.store = store
        self._lock = threading.Lock()
        self._version: int | None = -1
        self._returns = pd.DataFrame(columns=list(RETURN_COLUMNS))
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.book = load_rules()

    def _current_version(self) -> int | None:
        if self.store is None:
            return None
        with self.store.sessions() as session:
            return session.scalar(select(func.max(ChangeLog.id)))

    def returns(self) -> tuple[int | None, pd.DataFrame]:
        """(store version, current returns), re-read when the change log moved on."""
        version = self._current_version()
        with self._lock:
            if version != self._version:
                frame = current_returns(self.store) if self.store is not None else self._returns
                self._version, self._returns = version, frame
            return self._version, self._returns

    def quarters(self) -> list[Quarter]:
        """Quarters with returns, oldest first."""
        _, frame = self.returns()
        return sorted({parse_quarter(q) for q in frame["quarter"].unique()})

    def _memo(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
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

    def status(self, quarter: Quarter) -> pd.DataFrame:
        """Every task of `quarter` judged, with 红转黄 from the quarter before (memoised)."""
        version, frame = self.returns()
        quarters = self.quarters()

        def build() -> pd.DataFrame:
            before = quarter.previous()
            lights = (
                {} if not quarters or before < quarters[0] else lights_by_task(self.status(before))
            )
            return assess_tasks(in_force(self.tables, quarter), frame, quarter, self.book, lights)

        result: pd.DataFrame = self._memo(("status", version, quarter), build)
        return result

    def units(self, quarter: Quarter) -> pd.DataFrame:
        version, frame = self.returns()

        def build() -> pd.DataFrame:
            leads = leads_in_force(self.tables, quarter)
            return assess_units(in_force(self.tables, quarter), leads, frame, quarter, self.book)

        result: pd.DataFrame = self._memo(("units", version, quarter), build)
        return result

    def base(self, quarter: Quarter) -> QuarterBase:
        """This quarter and the one before, every task and unit judged."""
        _, frame = self.returns()
        before = quarter.previous()
        is_demo = bool(frame["is_demo"].any()) if len(frame) else False
        return QuarterBase(
            quarter, self.status(quarter), self.status(before), self.units(quarter),
            self.units(before), is_demo,
        )  # fmt: skip
