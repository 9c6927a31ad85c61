"""The 进度 view's data path: a judged quarter coded once, each request only masks it.

Per quarter and store version (memoised in the ProgressSource, so a new import is seen at
once): the integer-coded quarter (progress/fastview.py), the task list's display order and,
once the grid asks for a page, its display rows with their history dots. A request filters
the task table with the map view's own masks, narrows the coded quarter and picks the display
rows it keeps: the render formats only the first few (汇报模式's list), the grid's page
request only its page (dashboard/progress_grid.py). Neither builds a frame of all tasks or
reads anything from the store but the version.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data import AtlasData
from dashboard.filters import combine, row_masks
from dashboard.indexes import task_index
from dashboard.progress_figures import (
    LIGHT_DOT,
    NOT_REPORTED,
    Metric,
    base_figure,
    history_table,
    progress_map,
    task_rows,
)
from dashboard.viewstate import Filters
from progress.fastview import (
    QuarterIndex,
    build_index,
    ids_of,
    narrow,
    task_mask,
    task_positions,
)
from progress.provider import ProgressSource, Snapshot
from progress.quarters import Quarter
from progress.tasks import TaskTables
from progress.view import QuarterView

BRIEFING = 40  # task rows a render lists for 汇报模式 (the grid beside it pages through all)


@dataclass(frozen=True)
class TaskList:
    """Every task of a quarter as the grid shows it, in display order (red first)."""

    columns: list[str]
    rows: list[dict[str, str]]
    status_row: np.ndarray  # the status-frame row of each display row
    label: np.ndarray  # the status label (未报送 for none) of each display row


@dataclass(frozen=True)
class DisplayOrder:
    """The task list's order without its rows: each display row's status-frame row (red first,
    as task_rows sorts) and status label. Cheap, so a render needs no formatted list."""

    status_row: np.ndarray
    label: np.ndarray


@dataclass(frozen=True)
class FastRender:
    view: QuarterView
    first: list[dict[str, str]]  # the first `BRIEFING` kept rows of the task list, as text
    total: int  # the rows the task list keeps for the request


def quarter_index(source: ProgressSource, quarter: Quarter, snap: Snapshot) -> QuarterIndex:
    def build() -> QuarterIndex:
        return build_index(source.base(quarter, snap), source.tables)

    index: QuarterIndex = source.memo("fast-index", quarter, snap, build)
    return index


def task_list(source: ProgressSource, quarter: Quarter, snap: Snapshot) -> TaskList:
    """The display rows of every task of `quarter` (memoised with the quarter's judgement)."""

    def build() -> TaskList:
        index = quarter_index(source, quarter, snap)
        everything = narrow(index, np.ones(len(index.positions.index), dtype=bool))
        ids = pd.Index(everything.status["task_id"])
        frame = task_rows(everything, history_table(source, quarter, ids, snap), [])
        columns = [str(c) for c in frame.columns]
        values = [frame[c].astype(str).tolist() for c in frame.columns]
        rows = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
        return TaskList(columns, rows, frame.index.to_numpy(), frame["状态"].to_numpy(dtype=object))

    result: TaskList = source.memo("task-list", quarter, snap, build)
    return result


def display_order(source: ProgressSource, quarter: Quarter, snap: Snapshot) -> DisplayOrder:
    """The task list's display order (memoised with the quarter's judgement)."""

    def build() -> DisplayOrder:
        status = quarter_index(source, quarter, snap).base.status
        light = status["light"].map(LIGHT_DOT)
        rank = light.map({LIGHT_DOT["red"]: 0, LIGHT_DOT["yellow"]: 1, LIGHT_DOT["grey"]: 2})
        order = np.argsort(rank.fillna(3).to_numpy(), kind="stable")
        label = status["status"].replace("", NOT_REPORTED).to_numpy(dtype=object)
        return DisplayOrder(order, label[order])

    result: DisplayOrder = source.memo("display-order", quarter, snap, build)
    return result


def first_rows(view: QuarterView, status: pd.DataFrame) -> list[dict[str, str]]:
    """The task list's rows for a few status rows already in display order, as task_list makes
    them (without history: 汇报模式 does not show it)."""
    no_history = pd.DataFrame(index=pd.Index([], name="task_id"))
    frame = task_rows(replace(view, status=status), no_history, [])
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]


MAX_MAPS = 256  # figures kept per worker (each shares the geometry; a few KB of its own)
_maps: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()
_maps_lock = threading.Lock()


def progress_map_of(
    view: QuarterView, data: AtlasData, metric: Metric, selected: str | None = None
) -> dict[str, Any]:
    """`progress_map`, memoised by everything it reads: the places' scores, the metric, the
    demo mark, whether any task is shown and the outlined place (a pure function of these;
    bounded)."""
    scores = view.place_scores
    key = (id(data), metric, view.is_demo, len(view.status) > 0, selected,
           tuple(map(tuple, scores.astype(str).to_numpy().tolist())))  # fmt: skip
    with _maps_lock:
        if key in _maps:
            _maps.move_to_end(key)
            return _maps[key]
    figure = progress_map(view, data, metric, selected)
    with _maps_lock:
        _maps[key] = figure
        while len(_maps) > MAX_MAPS:
            _maps.popitem(last=False)
    return figure


@functools.cache
def _row_map(data: AtlasData, tables: TaskTables) -> np.ndarray:
    """The progress task-table row of each row of the map's task table (the same ids)."""
    rows = task_positions(tables).index.get_indexer(ids_of(data.tasks["task_id"]))
    return np.asarray(rows)


def filtered_rows(data: AtlasData, tables: TaskTables, filters: Filters) -> np.ndarray:
    """Bool per progress task-table row: kept by the map view's plan/sector/agency/keyword
    filters (the map view's own integer masks, not a string isin)."""
    index = task_index(data)
    kept = combine(index, row_masks(index, filters))
    rows = _row_map(data, tables)[kept]
    mask = np.zeros(len(task_positions(tables).index), dtype=bool)
    mask[rows[rows >= 0]] = True
    return mask


def _shown(
    index: QuarterIndex, tasks: TaskList | DisplayOrder, mask: np.ndarray, statuses: list[str]
) -> np.ndarray:
    """The display rows of `tasks` whose task is set in `mask` and whose status is asked for."""
    keep = mask[index.status_row][tasks.status_row]
    if statuses:
        keep &= np.isin(tasks.label, statuses)
    return np.flatnonzero(keep)


def render(
    data: AtlasData,
    source: ProgressSource,
    snap: Snapshot,
    quarter: Quarter,
    filters: Filters,
    statuses: list[str],
) -> FastRender:
    """The narrowed view and the first rows of its task list (the grid asks for its own pages:
    dashboard/progress_grid.py), for one request."""
    index = quarter_index(source, quarter, snap)
    mask = task_mask(index, filtered_rows(data, source.tables, filters), filters.place)
    order = display_order(source, quarter, snap)
    shown = _shown(index, order, mask, statuses)
    view = narrow(index, mask)
    first = index.base.status.iloc[order.status_row[shown[:BRIEFING]]]
    return FastRender(view, first_rows(view, first), len(shown))


def shown_tasks(
    data: AtlasData,
    source: ProgressSource,
    snap: Snapshot,
    quarter: Quarter,
    filters: Filters,
    statuses: list[str],
) -> tuple[TaskList, np.ndarray]:
    """The task list and its rows kept for one request: what the grid pages through (no
    scorecards, no map: the grid's page request needs only these)."""
    index = quarter_index(source, quarter, snap)
    mask = task_mask(index, filtered_rows(data, source.tables, filters), filters.place)
    tasks = task_list(source, quarter, snap)
    return tasks, _shown(index, tasks, mask, statuses)


_SEEN: weakref.WeakKeyDictionary[AtlasData, TaskTables] = weakref.WeakKeyDictionary()


def remember(data: AtlasData, tables: TaskTables) -> None:
    """Note an app's data so `warm` prepares it."""
    _SEEN[data] = tables


def warm_data(data: AtlasData, tables: TaskTables) -> None:
    """Build what every 进度 request reads and no store holds: the map's task index, the task
    table ↔ progress rows, the places' base figure (at ×10, ~0.6 s of the first request)."""
    task_index(data)
    _row_map(data, tables)
    task_positions(tables)
    base_figure(data)


def warm() -> int:
    """`warm_data` for every app wired in this process: the server calls it before gunicorn
    forks, so no worker's first 进度 view pays for them (as the default 对比 pair)."""
    for data, tables in list(_SEEN.items()):
        warm_data(data, tables)
    return len(_SEEN)
