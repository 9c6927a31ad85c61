"""Distinct tasks per district/zone, per link type: the numbers the map colours."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.data import AtlasData, place_table
from dashboard.filters import effective_links
from dashboard.indexes import task_index
from dashboard.options import ALL_LINKS, SPECIFIC_LINKS, CountMode
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
    bincounts over precomputed (place, link, task) and (place, task) code arrays.

    `total` counts targets (a task stated twice counts once); `specific` counts the targets
    that reach the place by a named link (lead, responsible, mention), on the same footing,
    so 含全市性任务's share `specific / total` lies in 0–100 %. The per-link columns count
    tasks, as the hover says (牵头 + 责任 + 提及 can exceed 合计)."""
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
    specific_bits = bits & sum(1 << ALL_LINKS.index(link) for link in SPECIFIC_LINKS)
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
    keys = index.pair_place * n + targets[index.pair_id]
    out["total"] = np.bincount(np.unique(keys[pair_keep]) // n, minlength=n_places)
    named = pair_keep & (index.pair_links & specific_bits != 0)
    out["specific"] = np.bincount(np.unique(keys[named]) // n, minlength=n_places)
    return out
