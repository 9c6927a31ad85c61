"""The store as the dashboard sees it: returns re-read only when the store changed, quarter
judgements memoised per store version. Read-only; one per app."""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
from sqlalchemy import func, select

from progress.db import Store
from progress.models import ChangeLog
from progress.quarters import Quarter, parse_quarter
from progress.store import RETURN_COLUMNS, current_returns
from progress.tasks import TaskTables
from progress.view import QuarterBase, quarter_base

MAX_CACHED_QUARTERS = 16


class ProgressSource:
    """Current returns and judged quarters for one data folder and one (optional) store."""

    def __init__(self, tables: TaskTables, store: Store | None) -> None:
        self.tables = tables
        self.store = store
        self._lock = threading.Lock()
        self._version: int | None = -1
        self._returns = pd.DataFrame(columns=list(RETURN_COLUMNS))
        self._bases: OrderedDict[tuple[int | None, Quarter], QuarterBase] = OrderedDict()

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

    def base(self, quarter: Quarter) -> QuarterBase:
        version, frame = self.returns()
        key = (version, quarter)
        with self._lock:
            if key in self._bases:
                self._bases.move_to_end(key)
                return self._bases[key]
        built = quarter_base(self.tables, frame, quarter)
        with self._lock:
            self._bases[key] = built
            while len(self._bases) > MAX_CACHED_QUARTERS:
                self._bases.popitem(last=False)
        return built
