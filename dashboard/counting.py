"""Distinct tasks per district/zone, per link type: the numbers the map colours."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.data import AtlasData, place_table
from dashboard.filters import effective_links
from dashboard.indexes import task_index
from dashboard.options import ALL_LINKS, CountMode
from dashboard.targets import target_id_codes


def count_by_place(
    data: AtlasData, task_ids: Iterable[str], mode: CountMode, *, links: Iterable[str] = ()
) -> pd.DataFrame:
    """Distinct tasks per district/zone: one column per link type and their union `total`."""
    return count_by_mask(data, task_index(data).id_mask(task_ids), mode, links=links)


def count_by_mask(
    data: AtlasData, ids: np.ndarray, mode: CountMode, *, links: Iterable[str] = ()
) -> pd.DataFrame:
    """count_by_place for the tasks selected by `ids` (bool per id code of indexes.TaskIndex):
    two bincounts over precomputed (place, link, task) and (place, task) code arrays."""
    index = task_index(data)
    targets = target_id_codes(data)
    wanted = np.zeros(len(ALL_LINKS), dtype=bool)
    wanted[[ALL_LINKS.index(link) for link in effective_links(links, mode)]] = True
    bits = int(np.sum(np.left_shift(1, np.flatnonzero(wanted))))
    places = place_table(data)
    n_places, n_links = len(places), len(ALL_LINKS)
    keep = ids[index.link_id] & wanted[index.link_code]
    per_link = np.bincount(
        index.link_place[keep] * n_links + index.link_code[keep], minlength=n_places * n_links
    ).reshape(n_places, n_links)
    pair_keep = ids[index.pair_id] & (index.pair_links & bits != 0)
    out = pd.DataFrame(
        {
            "place_id": places["id"].to_numpy(),
            "place": places["name"].to_numpy(),
            "place_kind": places["kind"].to_numpy(),
        }
    )
    for i, name in enumerate(ALL_LINKS):
        out[str(name)] = per_link[:, i]
    # a target stated twice (same_target) counts once in a place's total
    n = max(index.n_ids, 1)
    pairs = np.unique(index.pair_place[pair_keep] * n + targets[index.pair_id[pair_keep]])
    out["total"] = np.bincount(pairs // n, minlength=n_places)
    return out
