"""Distinct tasks per district/zone, per link type: the numbers the map colours."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.data import AtlasData, place_table
from dashboard.filters import effective_links
from dashboard.indexes import mapped_links
from dashboard.options import ALL_LINKS, CountMode
from dashboard.targets import target_codes


def count_by_place(
    data: AtlasData, task_ids: Iterable[str], mode: CountMode, *, links: Iterable[str] = ()
) -> pd.DataFrame:
    """Distinct tasks per district/zone: one column per link type and their union `total`."""
    rows = mapped_links(data)
    wanted = [ALL_LINKS.index(link) for link in effective_links(links, mode)]
    keep = rows["task_id"].isin(pd.Index(task_ids)) & rows["link_code"].isin(wanted)
    place = rows["place_code"].to_numpy()[keep.to_numpy()]
    link = rows["link_code"].to_numpy()[keep.to_numpy()]
    task = target_codes(data)[rows["task_code"].to_numpy()[keep.to_numpy()]]  # a target once
    places = place_table(data)
    n_places, n_links, n_tasks = len(places), len(ALL_LINKS), max(len(data.tasks), 1)
    per_link = np.bincount(place * n_links + link, minlength=n_places * n_links)
    pairs = np.unique(place * n_tasks + task)  # a target with two links counts once in total
    out = pd.DataFrame(
        {
            "place_id": places["id"].to_numpy(),
            "place": places["name"].to_numpy(),
            "place_kind": places["kind"].to_numpy(),
        }
    )
    for i, name in enumerate(ALL_LINKS):
        out[str(name)] = per_link.reshape(n_places, n_links)[:, i]
    out["total"] = np.bincount(pairs // n_tasks, minlength=n_places)
    return out
