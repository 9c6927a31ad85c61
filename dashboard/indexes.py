"""Memoised indexes over one (read-only) data object, built once and shared by all requests."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.data import AtlasData, place_table
from dashboard.options import ALL_LINKS, LEAD_ROLES, MAPPED_KINDS, SPECIFIC_LINKS, AgencyRole, Link


@functools.cache
def mapped_links(data: AtlasData) -> pd.DataFrame:
    """Links to drawable places, one row per (place, link, task), with integer codes so that
    counting per filter change is a numpy bincount rather than a pandas groupby."""
    places = data.task_places
    rows = places.loc[places["place_kind"].isin(MAPPED_KINDS), ["place", "link", "task_id"]]
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


@dataclass(frozen=True, eq=False)
class TaskIndex:
    """The hot path's integer codes and boolean masks, built once per data object.

    Tasks are numbered by distinct task id (`id_of_row` maps each tasks.csv row to its id code).
    Every per-request question is then numpy over small integer arrays: a filter value is a
    precomputed boolean mask, a filter state is their AND, and counting is a bincount; no
    pandas string `isin` on task ids (at ×50 that was over half of a map update).
    """

    ids: pd.Index  # distinct task ids, position = id code
    id_of_row: np.ndarray  # tasks.csv row → id code
    plan_rows: dict[str, np.ndarray]  # plan id → bool over rows
    sector_rows: dict[str, np.ndarray]  # sector → bool over rows
    text: np.ndarray  # task text per row (object array, for the keyword filter)
    agency_ids: dict[tuple[str, AgencyRole], np.ndarray]  # (unit, role) → id codes
    # mapped links, one row per (place, task): place code, id code, bit set of link codes
    pair_place: np.ndarray
    pair_id: np.ndarray
    pair_links: np.ndarray
    # mapped links, one row per (place, link, task): for the per-link columns
    link_place: np.ndarray
    link_code: np.ndarray
    link_id: np.ndarray
    specific: np.ndarray  # bool per id: reaches a district/zone by lead/responsible/mention
    group: np.ndarray  # bool per id: reaches one through 各区 / 各中心城区 / 各新城区
    related: np.ndarray  # bool per id: names 相关区
    outside_names: np.ndarray  # outside-Wuhan place names, position = code
    outside_place: np.ndarray  # one row per (place, task): place code
    outside_id: np.ndarray  # … and id code
    unit_names: dict[AgencyRole, np.ndarray]  # agency chart units, sorted by name
    unit_code: dict[AgencyRole, np.ndarray]  # one row per (unit, task): unit code
    unit_id: dict[AgencyRole, np.ndarray]  # … and id code

    @property
    def n_ids(self) -> int:
        """How many distinct task ids there are."""
        return len(self.ids)

    def id_mask(self, task_ids: Iterable[str]) -> np.ndarray:
        """Bool per id code: the id is among `task_ids` (unknown ids are ignored)."""
        codes = self.ids.get_indexer(pd.Index(task_ids).unique())
        mask = np.zeros(self.n_ids, dtype=bool)
        mask[codes[codes >= 0]] = True
        return mask


def _value_masks(column: pd.Series) -> dict[str, np.ndarray]:
    codes, values = pd.factorize(column)
    return {str(v): codes == i for i, v in enumerate(values)}


def _id_codes(ids: pd.Index, task_ids: pd.Series) -> np.ndarray:
    return np.asarray(ids.get_indexer(pd.Index(task_ids)), dtype=np.int64)


@functools.cache
def task_index(data: AtlasData) -> TaskIndex:
    """The TaskIndex of `data` (memoised per data object, like the indexes above)."""
    tasks = data.tasks
    ids = pd.Index(tasks["task_id"].drop_duplicates())
    mapped = mapped_links(data)
    mapped = mapped[mapped["task_id"].isin(ids)]
    m_id = _id_codes(ids, mapped["task_id"])
    m_place = mapped["place_code"].to_numpy(dtype=np.int64)
    m_link = mapped["link_code"].to_numpy(dtype=np.int64)
    keys, pair_of_link = np.unique(m_place * len(ids) + m_id, return_inverse=True)
    pair_bits = np.zeros(len(keys), dtype=np.int64)
    np.bitwise_or.at(pair_bits, pair_of_link, np.left_shift(1, m_link))
    flags = task_flags(data).reindex(ids).fillna(False).astype(bool)
    outside = outside_links(data)
    outside = outside[outside["task_id"].isin(ids)]
    out_codes, out_names = pd.factorize(outside["place"])
    units = data.task_units
    agency_ids: dict[tuple[str, AgencyRole], np.ndarray] = {}
    for role in AgencyRole:
        chosen = units if role == AgencyRole.ANY else units[units["role"].isin(LEAD_ROLES)]
        chosen = chosen[chosen["task_id"].isin(ids)]
        codes = _id_codes(ids, chosen["task_id"])
        for unit, of_unit in pd.Series(codes).groupby(chosen["unit"].to_numpy()):
            agency_ids[(str(unit), role)] = np.unique(of_unit.to_numpy())
    unit_names: dict[AgencyRole, np.ndarray] = {}
    unit_code: dict[AgencyRole, np.ndarray] = {}
    unit_id: dict[AgencyRole, np.ndarray] = {}
    for role in AgencyRole:
        pairs_of_role = agency_rows(data, role)
        rows = pairs_of_role[pairs_of_role["task_id"].isin(ids)]
        names = np.sort(rows["unit"].unique().astype(str))
        unit_names[role] = names
        unit_code[role] = np.searchsorted(names, rows["unit"].to_numpy(dtype=str))
        unit_id[role] = _id_codes(ids, rows["task_id"])
    return TaskIndex(
        ids=ids,
        id_of_row=_id_codes(ids, tasks["task_id"]),
        plan_rows=_value_masks(tasks["plan_id"]),
        sector_rows=_value_masks(tasks["sector"]),
        text=tasks["text"].to_numpy(dtype=object),
        agency_ids=agency_ids,
        pair_place=keys // max(len(ids), 1),
        pair_id=keys % max(len(ids), 1),
        pair_links=pair_bits,
        link_place=m_place,
        link_code=m_link,
        link_id=m_id,
        specific=flags["specific"].to_numpy(),
        group=flags["group"].to_numpy(),
        related=flags["related"].to_numpy(),
        outside_names=np.asarray(out_names, dtype=object),
        outside_place=np.asarray(out_codes, dtype=np.int64),
        outside_id=_id_codes(ids, outside["task_id"]),
        unit_names=unit_names,
        unit_code=unit_code,
        unit_id=unit_id,
    )


@dataclass(frozen=True, eq=False)
class PlaceRows:
    """task_places rows of mapped places (in file order), by position, with the id code and
    link of each: positions rather than a copied frame (a copy was ~300k rows at ×50)."""

    source: pd.DataFrame  # data.task_places itself
    at: np.ndarray  # positions in `source` of the mapped rows
    id_code: np.ndarray  # TaskIndex id code per mapped row (-1: a task not in tasks.csv)
    link_code: np.ndarray  # position in ALL_LINKS per mapped row (-1: another link type)

    def column(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Column `name` of mapped rows `rows` (positions among the mapped rows)."""
        return self.source[name].iloc[self.at[rows]].to_numpy(dtype=object)

    def frame(self, rows: np.ndarray) -> pd.DataFrame:
        """The task_places rows of mapped rows `rows`."""
        return self.source.iloc[self.at[rows]]


@functools.cache
def mapped_place_rows(data: AtlasData) -> PlaceRows:
    """The rows panel lists are cut from, coded once so a click needs no string `isin`."""
    places = data.task_places
    at = np.flatnonzero(places["place_kind"].isin(MAPPED_KINDS).to_numpy())
    rows = places.iloc[at]
    links = {str(link): i for i, link in enumerate(ALL_LINKS)}
    return PlaceRows(
        source=places,
        at=at,
        id_code=_id_codes(task_index(data).ids, rows["task_id"]),
        link_code=rows["link"].map(links).fillna(-1).to_numpy(dtype=np.int64),
    )
