"""Memoised indexes over one (read-only) data object, built once and shared by all requests."""

from __future__ import annotations

import functools

import pandas as pd

from dashboard.data import AtlasData, place_table
from dashboard.options import ALL_LINKS, LEAD_ROLES, MAPPED_KINDS, SPECIFIC_LINKS, AgencyRole, Link


@functools.cache
def mapped_links(data: AtlasData) -> pd.DataFrame:
    """Links to drawable places, one row per (place, link, task), with integer codes so that
    counting per filter change is a numpy bincount rather than a pandas groupby."""
    rows = data.task_places[data.task_places["place_kind"].isin(MAPPED_KINDS)]
    rows = rows.drop_duplicates(["place", "link", "task_id"])
    names = {name: i for i, name in enumerate(place_table(data)["name"])}
    tasks = {tid: i for i, tid in enumerate(data.tasks["task_id"])}
    codes = pd.DataFrame(
        {
            "place_code": rows["place"].map(names),
            "link_code": rows["link"].map({link: i for i, link in enumerate(ALL_LINKS)}),
            "task_code": rows["task_id"].map(tasks),
        }
    )
    rows = pd.concat([rows, codes], axis=1).dropna(subset=list(codes.columns))
    return rows.astype({c: "int64" for c in codes.columns})


@functools.cache
def task_flags(data: AtlasData) -> pd.DataFrame:
    """Per task: reaches a district/zone specifically, through a group, or via 相关区."""
    mapped = mapped_links(data)
    specific = mapped.loc[mapped["link"].isin(SPECIFIC_LINKS), "task_id"]
    grouped = mapped.loc[mapped["link"] == Link.GROUP, "task_id"]
    related = data.task_places.loc[data.task_places["group"] == "RELATED", "task_id"]
    ids = data.tasks["task_id"].drop_duplicates()
    return pd.DataFrame(
        {
            "specific": ids.isin(specific).to_numpy(),
            "group": ids.isin(grouped).to_numpy(),
            "related": ids.isin(related).to_numpy(),
        },
        index=pd.Index(ids),
    )


@functools.cache
def outside_links(data: AtlasData) -> pd.DataFrame:
    """Links to places outside Wuhan, one row per (place, task)."""
    rows = data.task_places[data.task_places["place_kind"] == "outside"]
    return rows.drop_duplicates(["place", "task_id"])


@functools.cache
def agency_rows(data: AtlasData, role: AgencyRole) -> pd.DataFrame:
    """(unit, task) pairs for the agency chart: group phrases left out, lead roles if asked."""
    units = data.task_units[data.task_units["unit_kind"] != "group"]
    if role == AgencyRole.LEAD:
        units = units[units["role"].isin(LEAD_ROLES)]
    return units.drop_duplicates(["unit", "task_id"])[["unit", "task_id"]]
