"""The selected place's task list for the side panel, cut from indexes built once per data folder.

A click must not cost a pandas pass over every link of the place: at ×50 a large district has
thousands of tasks, while the panel draws 120 (panel.MAX_SHOWN). So the place's link rows are
found by a precomputed position list, the filters by the hot path's masks, the order by a
precomputed rank, the group sizes by a bincount; only the tasks drawn get their link labels,
evidence and mention words, in plain Python (issue 13). `panel.place_task_rows` is the same
list in full, as a frame, for the downloads and exports.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from assignments.schema import EVIDENCE_SEPARATOR, SAME_TARGET, UNIT_SEPARATOR
from dashboard.data import AtlasData
from dashboard.describe import plan_labels
from dashboard.filters import combine, effective_links, ids_of_rows, row_masks
from dashboard.indexes import mapped_place_rows, task_index
from dashboard.options import ALL_LINKS, LINK_LABELS, Link
from dashboard.targets import n_targets_of_mask
from dashboard.viewstate import Filters

#: The task fields a drawn panel row carries (besides its links, evidence and words).
TASK_FIELDS = ("task_id", "item_no", "text", "lead_units", "responsible_units", SAME_TARGET)


@dataclass(frozen=True, eq=False)
class PanelIndex:
    """Per data folder: where each place's link rows are and the panel's order of tasks."""

    place_positions: dict[str, np.ndarray]  # place name → positions in mapped_place_rows
    rank: np.ndarray  # tasks.csv row → position in panel order (plan order, sector, file order)
    group: np.ndarray  # tasks.csv row → code of its (plan label, sector)
    groups: list[tuple[str, str]]  # code → (plan label, sector)


@dataclass(frozen=True)
class PanelList:
    """What the panel shows for one place: the first rows drawn, the sizes of all groups."""

    n_rows: int  # tasks.csv rows linked to the place under the filters
    n_targets: int  # of those, distinct targets (a target stated twice counts once)
    totals: dict[tuple[str, str], int]  # (plan label, sector) → rows, for every group
    records: list[dict[str, Any]]  # the first `limit` rows in panel order

    def plan_total(self, plan: str) -> int:
        return sum(n for (p, _), n in self.totals.items() if p == plan)


@functools.cache
def panel_index(data: AtlasData) -> PanelIndex:
    """The PanelIndex of `data` (memoised per data object, read-only)."""
    coded = mapped_place_rows(data)
    places = coded.column("place", np.arange(len(coded.at)))
    order = np.argsort(places, kind="stable")
    names, starts = np.unique(places[order], return_index=True)
    positions = dict(zip(names, np.split(order, starts[1:]), strict=True)) if len(names) else {}
    tasks = data.tasks
    plan_order = {p: i for i, p in enumerate(data.plans["plan_id"])}
    plan_rank = tasks["plan_id"].map(plan_order).fillna(len(plan_order)).to_numpy()
    sectors = tasks["sector"].to_numpy(dtype=object)
    # sort_values(["_plan", "sector"], kind="stable") as place_task_rows does
    rank = np.empty(len(tasks), dtype=np.int64)
    rank[np.lexsort((np.arange(len(tasks)), sectors.astype(str), plan_rank))] = np.arange(
        len(tasks)
    )
    labels = tasks["plan_id"].map(plan_labels(data)).fillna(tasks["plan_id"])
    pairs = list(zip(labels, sectors, strict=True))
    codes: dict[tuple[str, str], int] = {}
    group = np.fromiter((codes.setdefault(p, len(codes)) for p in pairs), np.int64, len(pairs))
    return PanelIndex(
        place_positions={str(k): v for k, v in positions.items()},
        rank=rank,
        group=group,
        groups=list(codes),
    )


def link_details(links: Any, evidence: Any) -> dict[str, str]:
    """One task's link labels and evidence (distinct, joined by 、 for reading) and its matched
    mention words (joined by the evidence separator: a word may itself contain 、).

    One evidence cell may hold several words (武昌区|珞珈实验室): each is its own word, so each
    is highlighted."""
    labels: dict[str, None] = {}
    found: dict[str, None] = {}
    words: dict[str, None] = {}
    for link, cell in zip(links, evidence, strict=True):
        labels[LINK_LABELS.get(link, link)] = None
        for word in filter(None, str(cell).split(EVIDENCE_SEPARATOR)):
            found[word] = None
            if link == Link.MENTION:
                words[word] = None
    return {
        "links": "、".join(labels),
        "evidence": "、".join(found),
        "words": EVIDENCE_SEPARATOR.join(words),
    }


def place_positions(data: AtlasData, f: Filters) -> np.ndarray:
    """Positions in mapped_place_rows of `f.place`'s links of the kinds `f` counts."""
    coded = mapped_place_rows(data)
    wanted = np.zeros(len(ALL_LINKS) + 1, dtype=bool)  # last slot: code -1, another link type
    wanted[[ALL_LINKS.index(link) for link in effective_links(f.links, f.mode)]] = True
    at = panel_index(data).place_positions.get(str(f.place), np.zeros(0, dtype=np.int64))
    return at[wanted[coded.link_code[at]] & (coded.id_code[at] >= 0)]


def place_id_mask(data: AtlasData, f: Filters) -> np.ndarray:
    """Bool per id code: the task reaches `f.place` through a link `f` counts."""
    mask = np.zeros(task_index(data).n_ids, dtype=bool)
    mask[mapped_place_rows(data).id_code[place_positions(data, f)]] = True
    return mask


def place_panel(data: AtlasData, f: Filters, limit: int) -> PanelList:
    """The panel list of `f.place` under the filters of `f` (its place must be set)."""
    index, coded, pi = task_index(data), mapped_place_rows(data), panel_index(data)
    chosen = ids_of_rows(index, combine(index, row_masks(index, f)))
    at = place_positions(data, f)
    at = at[chosen[coded.id_code[at]]]
    of_place = np.zeros(index.n_ids, dtype=bool)
    of_place[coded.id_code[at]] = True
    rows = np.flatnonzero(of_place[index.id_of_row])
    rows = rows[np.argsort(pi.rank[rows], kind="stable")]
    sizes = np.bincount(pi.group[rows], minlength=len(pi.groups))
    totals = {pi.groups[g]: int(sizes[g]) for g in dict.fromkeys(pi.group[rows].tolist())}
    return PanelList(
        n_rows=len(rows),
        n_targets=n_targets_of_mask(data, of_place),
        totals=totals,
        records=_records(data, rows[:limit], at),
    )


def _records(data: AtlasData, rows: np.ndarray, at: np.ndarray) -> list[dict[str, Any]]:
    """The drawn rows: task fields, plan label and sector, and the details of their links."""
    index, coded, pi = task_index(data), mapped_place_rows(data), panel_index(data)
    ids = index.id_of_row[rows]
    drawn = np.zeros(index.n_ids + 1, dtype=bool)
    drawn[ids] = True
    mine = at[drawn[coded.id_code[at]]]
    evidence = coded.source["evidence"].iloc[coded.at[mine]].tolist()
    by_id: dict[int, tuple[list[str], list[str]]] = {}
    for code, link, cell in zip(
        coded.id_code[mine].tolist(), coded.link_code[mine].tolist(), evidence, strict=True
    ):
        links, cells = by_id.setdefault(code, ([], []))
        links.append(ALL_LINKS[link])
        cells.append(cell)
    tasks = data.tasks.iloc[rows]
    columns = {name: tasks[name].tolist() for name in TASK_FIELDS if name in tasks}
    records = []
    for i, (row, code) in enumerate(zip(rows.tolist(), ids.tolist(), strict=True)):
        record = {name: values[i] for name, values in columns.items()}
        for name in ("lead_units", "responsible_units"):
            record[name] = str(record[name]).replace(UNIT_SEPARATOR, "、")
        plan, sector = pi.groups[int(pi.group[row])]
        details = link_details(*by_id.get(code, ([], [])))
        records.append({**record, "plan": plan, "sector": sector, **details})
    return records
