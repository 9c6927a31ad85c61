"""The task table's rows for a filter state, as positions in tasks.csv (issue 13).

A page request used to filter task_places by string `isin` on task ids and join each task's
places with a pandas groupby of Python lambdas, for every row of the filter, on every page:
at ×50 that was most of a click. Each task's places and link labels are now joined once per
link set (at most 14: the specific-link subsets, with and without group links), the filters
are the hot path's masks, the order is panel_rows' precomputed rank, and only the rows of the
asked page become a frame.
"""

from __future__ import annotations

import functools

import numpy as np

from dashboard.data import AtlasData
from dashboard.filters import combine, effective_links, row_masks
from dashboard.indexes import mapped_place_rows, task_index
from dashboard.options import ALL_LINKS, LINK_LABELS
from dashboard.panel_rows import panel_index, place_id_mask
from dashboard.viewstate import Filters

CITY_LEVEL = "全市性/未落到区"
NO_LINK = "—"


@functools.cache
def link_columns(data: AtlasData, links: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per tasks.csv row: its mapped places and link labels through `links` (distinct, in file
    order, joined by 、), or 全市性/未落到区 and — when it has none."""
    index, coded = task_index(data), mapped_place_rows(data)
    wanted = np.zeros(len(ALL_LINKS) + 1, dtype=bool)
    wanted[[ALL_LINKS.index(link) for link in links]] = True
    keep = np.flatnonzero(wanted[coded.link_code] & (coded.id_code >= 0))
    places: dict[int, dict[str, None]] = {}
    labels: dict[int, dict[str, None]] = {}
    names = coded.column("place", keep)
    link_labels = [LINK_LABELS[link] for link in ALL_LINKS]
    for code, place, link in zip(
        coded.id_code[keep].tolist(), names, coded.link_code[keep].tolist(), strict=True
    ):
        places.setdefault(code, {})[place] = None
        labels.setdefault(code, {})[link_labels[link]] = None
    by_id_places = np.full(index.n_ids, CITY_LEVEL, dtype=object)
    by_id_links = np.full(index.n_ids, NO_LINK, dtype=object)
    for code, found in places.items():
        by_id_places[code] = "、".join(found)
        by_id_links[code] = "、".join(labels[code])
    return by_id_places[index.id_of_row], by_id_links[index.id_of_row]


def table_positions(data: AtlasData, f: Filters) -> np.ndarray:
    """tasks.csv rows the table lists for `f`, in its order (plan, sector, file order); with a
    place, only tasks linked to it through the counted links."""
    index, pi = task_index(data), panel_index(data)
    rows = combine(index, row_masks(index, f))
    if f.place:
        rows &= place_id_mask(data, f)[index.id_of_row]
    found = np.flatnonzero(rows)
    return found[np.argsort(pi.rank[found], kind="stable")]


def counted_links(f: Filters) -> tuple[str, ...]:
    """The link set the table's places and link columns show for `f`."""
    return tuple(effective_links(f.links, f.mode))
