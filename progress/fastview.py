"""A judged quarter as integer-coded arrays, so narrowing it to the filtered tasks is a few
numpy operations instead of frame merges and group-bys on every request.

`QuarterIndex` is built once per judged quarter (the provider memoises it per store version);
`QuarterIndex.narrow` gives the same `QuarterView` as `progress.view.narrow` for a boolean
mask over the task table's rows (tests hold the two equal on the same data).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from progress.rules import BEHIND, DONE, DONE_EARLY, NOT_REPORTED, ON_TRACK
from progress.scorecard import AHEAD, HEADLINE_ORDER, SCORE_COLUMNS, lagging
from progress.tasks import TaskTables, task_place_pairs
from progress.view import QuarterBase, QuarterView

INT_COLUMNS = ("n_tasks", "n_done", "n_behind", "n_red", "n_unreported")
#: Status → its headline group (提前完成 counts as 已完成, 超序时 as 序时推进, "" as 未报送).
GROUP_OF = {DONE_EARLY: DONE, AHEAD: ON_TRACK, "": NOT_REPORTED}


def ids_of(column: pd.Series) -> pd.Index:
    return pd.Index(column.astype(str))


@dataclass(frozen=True)
class TaskPositions:
    """Task id → row of the task table, and each place's rows (built once per data folder)."""

    index: pd.Index
    place_rows: dict[str, np.ndarray]  # place → bool per task-table row
    pairs: pd.DataFrame  # task_place_pairs (read-only): every quarter's index joins it
    place_kinds: dict[str, str]  # place → district / zone


@functools.cache
def task_positions(tables: TaskTables) -> TaskPositions:
    index = ids_of(tables.tasks["task_id"])
    pairs = task_place_pairs(tables)
    where = index.get_indexer(ids_of(pairs["task_id"]))
    places: dict[str, np.ndarray] = {}
    for place, rows in pd.Series(where).groupby(pairs["place"].to_numpy()):
        mask = np.zeros(len(index), dtype=bool)
        mask[rows[rows >= 0].to_numpy()] = True
        places[str(place)] = mask
    kinds = dict(zip(pairs["place"].astype(str).tolist(), pairs["place_kind"].astype(str).tolist(),
                     strict=True))  # fmt: skip
    return TaskPositions(index, places, pairs, kinds)


@dataclass(frozen=True)
class Coded:
    """Rows of a judged frame keyed by a name (unit or place): what a scorecard sums."""

    task_row: np.ndarray  # the task-table row of each frame row
    names: np.ndarray  # the sorted distinct keys
    code: np.ndarray  # each row's key as an index into names
    done: np.ndarray
    behind: np.ndarray
    red: np.ndarray
    unreported: np.ndarray
    percent: np.ndarray  # no return counts 0


def _coded(frame: pd.DataFrame, key: str, positions: TaskPositions) -> Coded:
    status = frame["status"].astype(str).to_numpy()
    names, code = np.unique(frame[key].astype(str).to_numpy(dtype=object), return_inverse=True)
    percent = pd.to_numeric(frame["percent"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    return Coded(
        task_row=positions.index.get_indexer(ids_of(frame["task_id"])),
        names=names,
        code=code.reshape(-1),
        done=np.isin(status, [DONE, DONE_EARLY]),
        behind=status == BEHIND,
        red=frame["light"].astype(str).to_numpy() == "red",
        unreported=status == "",
        percent=percent,
    )


def _metrics(coded: Coded, keep: np.ndarray) -> dict[str, np.ndarray]:
    """Per key (all keys, in name order): counts, 完成率 and 平均进度 of the kept rows, as
    scorecard._metrics computes them; keys with no kept row have n_tasks 0."""
    code, k = coded.code[keep], len(coded.names)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(code, weights=values[keep], minlength=k)

    n = np.bincount(code, minlength=k)
    n_safe = np.where(n > 0, n, 1)
    done = total(coded.done)
    return {
        "n_tasks": n,
        "n_done": done.astype(np.int64),
        "n_behind": total(coded.behind).astype(np.int64),
        "n_red": total(coded.red).astype(np.int64),
        "n_unreported": total(coded.unreported).astype(np.int64),
        "completion_rate": np.round(done / n_safe, 3),
        "mean_percent": np.round(total(coded.percent) / n_safe, 1),
    }


def _score(coded: Coded, keep: np.ndarray, before: Coded | None, keep_before: np.ndarray | None,
           key: str) -> pd.DataFrame:  # fmt: skip
    """As scorecard._score: metrics, change since the quarter before, rank (one frame built)."""
    cur = _metrics(coded, keep)
    present = cur["n_tasks"] > 0
    cols = {c: v[present] for c, v in cur.items()}
    names = coded.names[present]
    if before is not None and keep_before is not None and keep_before.any():
        prev = _metrics(before, keep_before)
        where = np.searchsorted(before.names, names)
        where = np.minimum(where, max(len(before.names) - 1, 0))
        found = (before.names[where] == names) if len(before.names) else np.zeros(len(names), bool)
        found &= prev["n_tasks"][where] > 0
        rate_change = np.where(
            found, cols["completion_rate"] - prev["completion_rate"][where], np.nan
        )
        cols["rate_change"] = np.round(rate_change, 3)
        behind = cols["n_behind"] - prev["n_behind"][where]
        cols["behind_change"] = behind if found.all() else np.where(found, behind, np.nan)
    else:
        cols["rate_change"] = np.full(len(names), np.nan)
        cols["behind_change"] = np.full(len(names), np.nan)
    order = np.lexsort((-cols["mean_percent"], cols["n_behind"], -cols["completion_rate"]))
    cols["rank"] = np.arange(1, len(order) + 1)
    frame = {key: names[order], **{c: cols[c][order] for c in SCORE_COLUMNS if c != "rank"}}
    frame["rank"] = cols["rank"]
    return pd.DataFrame(frame)


@dataclass(frozen=True)
class QuarterIndex:
    """One judged quarter (and the one before) ready to be narrowed by a task-row mask."""

    base: QuarterBase
    positions: TaskPositions
    status_row: np.ndarray  # task-table row of each status row
    previous_row: np.ndarray
    units: Coded
    units_before: Coded
    places: Coded  # one row per (task in force, place it is tied to)
    places_before: Coded
    place_status: np.ndarray  # the status row of each places row
    place_kinds: dict[str, str]
    groups: np.ndarray  # headline group code per status row
    lagging: pd.DataFrame  # scorecard.lagging of every task, worst first
    lagging_row: np.ndarray  # the task-table row of each lagging row
    unit_status: np.ndarray  # each units row reported something


def _place_rows(status: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    cols = ["task_id", "status", "light", "percent"]
    return status[cols].reset_index(names="_row").merge(pairs, on="task_id")


def build_index(base: QuarterBase, tables: TaskTables) -> QuarterIndex:
    """Code a judged quarter once; every later narrowing reads only these arrays."""
    positions = task_positions(tables)
    pairs = positions.pairs
    now, before = _place_rows(base.status, pairs), _place_rows(base.previous, pairs)
    behind = lagging(base.status)
    group = base.status["status"].astype(str).replace(GROUP_OF)
    slot = {g: i for i, g in enumerate(HEADLINE_ORDER)}  # anything else: one slot past the end
    group_code = group.map(slot).fillna(len(slot)).to_numpy(dtype=np.int64)
    return QuarterIndex(
        base=base,
        positions=positions,
        status_row=positions.index.get_indexer(ids_of(base.status["task_id"])),
        previous_row=positions.index.get_indexer(ids_of(base.previous["task_id"])),
        units=_coded(base.units, "unit", positions),
        units_before=_coded(base.units_before, "unit", positions),
        places=_coded(now, "place", positions),
        places_before=_coded(before, "place", positions),
        place_status=now["_row"].to_numpy(),
        place_kinds=positions.place_kinds,
        groups=group_code.reshape(-1),
        lagging=behind,
        lagging_row=positions.index.get_indexer(ids_of(behind["task_id"])),
        unit_status=base.units["reported_status"].astype(str).to_numpy() != "",
    )


def task_mask(index: QuarterIndex, rows: np.ndarray | None, place: str | None) -> np.ndarray:
    """Bool per task-table row: among `rows` (all if None) and tied to `place` (if given)."""
    n = len(index.positions.index)
    mask = np.ones(n, dtype=bool) if rows is None else rows.copy()
    if place:
        mask &= index.positions.place_rows.get(place, np.zeros(n, dtype=bool))
    return mask


def _pick(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    return frame[keep]


def narrow(index: QuarterIndex, mask: np.ndarray) -> QuarterView:
    """The QuarterView of the tasks whose task-table row is set in `mask`."""
    base = index.base
    keep_now, keep_before = mask[index.status_row], mask[index.previous_row]
    keep_units, keep_units_before = mask[index.units.task_row], mask[index.units_before.task_row]
    status = _pick(base.status, keep_now)
    counts = np.bincount(index.groups[keep_now], minlength=len(HEADLINE_ORDER) + 1).tolist()
    place_scores = _score(
        index.places, mask[index.places.task_row], index.places_before,
        mask[index.places_before.task_row], "place",
    )  # fmt: skip
    place_scores.insert(1, "place_kind", place_scores["place"].map(index.place_kinds))
    return QuarterView(
        quarter=base.quarter,
        status=status,
        previous=_pick(base.previous, keep_before),
        units=_pick(base.units, keep_units),
        headline={
            "任务": int(keep_now.sum()),
            **dict(zip(HEADLINE_ORDER, counts[:-1], strict=True)),
        },
        unit_scores=_score(index.units, keep_units, index.units_before, keep_units_before, "unit"),
        place_scores=place_scores,
        unreported=_unreported(index, keep_units),
        lagging=index.lagging[mask[index.lagging_row]],  # filtering keeps the stable order
        is_demo=base.is_demo,
    )


def _unreported(index: QuarterIndex, keep: np.ndarray) -> pd.DataFrame:
    """As scorecard.unreported_units: lead units with no return among the kept rows."""
    k, code = len(index.units.names), index.units.code[keep]
    n = np.bincount(code, minlength=k)
    reported = np.bincount(code, weights=index.unit_status[keep], minlength=k)
    silent = (n > 0) & (reported == 0)
    out = pd.DataFrame({"unit": index.units.names[silent], "n_tasks": n[silent].astype("int64")})
    return out.sort_values(["n_tasks", "unit"], ascending=[False, True])
