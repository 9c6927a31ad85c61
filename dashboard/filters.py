"""What the user asked to see: filter state, the filtered tasks and counts per place."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from dashboard.data import AtlasData, place_table
from dashboard.targets import target_codes


class CountMode(StrEnum):
    """Which place links count on the map."""

    SPECIFIC = "specific"  # 专项任务: lead / responsible / mention
    WITH_CITYWIDE = "citywide"  # 含全市性任务: also 各区 / 各中心城区 / 各新城区


MODE_LABELS = {CountMode.SPECIFIC: "专项任务", CountMode.WITH_CITYWIDE: "含全市性任务"}
SPECIFIC_LINKS = ("lead", "responsible", "mention")
ALL_LINKS = (*SPECIFIC_LINKS, "group")
LINK_LABELS = {"lead": "牵头", "responsible": "责任", "mention": "文中提及", "group": "群体表述"}
ROLE_LABELS = {"lead": "牵头", "any": "任一角色"}
LEAD_ROLES = ("lead", "derived_lead")
MAPPED_KINDS = ("district", "zone")
_PLAN_TITLE_TRIM = re.compile(r"^武汉市|(重点|主要)?(任务|工作)(分解|分工)(方案|表)?$")
_FIVE_YEAR = re.compile(r"第(十[一二三四五六七八九]?)个五年规划")


@dataclass(frozen=True)
class Filters:
    """The whole view state a URL or an export carries; empty tuples mean "all"."""

    plans: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    agency: str | None = None
    agency_role: str = "any"  # "lead" or "any"
    links: tuple[str, ...] = ()  # subset of SPECIFIC_LINKS; empty = all of them
    keyword: str = ""
    mode: CountMode = CountMode.SPECIFIC
    place: str | None = None
    show_zones: bool = True


def effective_links(links: Iterable[str], mode: CountMode) -> tuple[str, ...]:
    """Link types that count: the chosen specific links, plus group links in citywide mode."""
    chosen = tuple(link for link in SPECIFIC_LINKS if link in set(links)) or SPECIFIC_LINKS
    return (*chosen, "group") if mode == CountMode.WITH_CITYWIDE else chosen


def agency_task_ids(data: AtlasData, agency: str, role: str) -> pd.Series:
    """Task ids naming `agency` as lead (incl. derived lead) or in any role."""
    units = data.task_units
    mask = units["unit"] == agency
    if role == "lead":
        mask &= units["role"].isin(LEAD_ROLES)
    return units.loc[mask, "task_id"]


def filter_tasks(data: AtlasData, filters: Filters) -> pd.DataFrame:
    """Tasks matching plan, sector, agency and keyword (place and link filters apply later)."""
    tasks = data.tasks
    mask = pd.Series(True, index=tasks.index)
    if filters.plans:
        mask &= tasks["plan_id"].isin(filters.plans)
    if filters.sectors:
        mask &= tasks["sector"].isin(filters.sectors)
    if filters.keyword.strip():
        mask &= tasks["text"].str.contains(filters.keyword.strip(), regex=False)
    if filters.agency:
        mask &= tasks["task_id"].isin(agency_task_ids(data, filters.agency, filters.agency_role))
    return tasks[mask]


def place_links(
    data: AtlasData, task_ids: Iterable[str], mode: CountMode, links: Iterable[str] = ()
) -> pd.DataFrame:
    """task_places rows of mapped places that count under `mode` and `links`."""
    rows = data.task_places
    keep = rows["task_id"].isin(pd.Index(task_ids)) & rows["link"].isin(
        effective_links(links, mode)
    )
    return rows[keep & rows["place_kind"].isin(MAPPED_KINDS)]


@functools.cache
def _mapped_links(data: AtlasData) -> pd.DataFrame:
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


def count_by_place(
    data: AtlasData, task_ids: Iterable[str], mode: CountMode, *, links: Iterable[str] = ()
) -> pd.DataFrame:
    """Distinct tasks per district/zone: one column per link type and their union `total`."""
    rows = _mapped_links(data)
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
        out[name] = per_link.reshape(n_places, n_links)[:, i]
    out["total"] = np.bincount(pairs // n_tasks, minlength=n_places)
    return out


@dataclass(frozen=True)
class CitySummary:
    """Tasks the district map cannot show on its own, so they are not silently lost."""

    n_tasks: int
    n_specific: int  # on the map through lead / responsible / mention
    n_group_only: int  # reach districts only through 各区 / 各中心城区 / 各新城区
    n_no_place: int  # name no district or zone at all (city-level)
    n_related: int  # of those, 相关区 (districts left unspecified)
    outside: tuple[tuple[str, int], ...]  # places outside Wuhan → tasks

    def off_map(self, mode: CountMode) -> int:
        """Tasks not coloured on the map in `mode`."""
        extra = self.n_group_only if mode == CountMode.SPECIFIC else 0
        return self.n_no_place + extra


@functools.cache
def _task_flags(data: AtlasData) -> pd.DataFrame:
    """Per task: reaches a district/zone specifically, through a group, or via 相关区."""
    mapped = _mapped_links(data)
    specific = mapped.loc[mapped["link"].isin(SPECIFIC_LINKS), "task_id"]
    grouped = mapped.loc[mapped["link"] == "group", "task_id"]
    related = data.task_places.loc[data.task_places["group"] == "RELATED", "task_id"]
    ids = data.tasks["task_id"].drop_duplicates()
    flags = pd.DataFrame(
        {
            "specific": ids.isin(specific).to_numpy(),
            "group": ids.isin(grouped).to_numpy(),
            "related": ids.isin(related).to_numpy(),
        },
        index=pd.Index(ids),
    )
    return flags


@functools.cache
def _outside_links(data: AtlasData) -> pd.DataFrame:
    rows = data.task_places[data.task_places["place_kind"] == "outside"]
    return rows.drop_duplicates(["place", "task_id"])


def city_level_summary(data: AtlasData, task_ids: Iterable[str]) -> CitySummary:
    """Split the filtered tasks into mapped, group-only, city-level and outside Wuhan."""
    ids = pd.Index(task_ids).unique()
    flags = _task_flags(data)
    flags = flags[flags.index.isin(ids)]
    specific = flags["specific"]
    group_only = flags["group"] & ~specific
    related = flags["related"] & ~specific & ~flags["group"]
    outside = _outside_links(data)
    per_place = outside.loc[outside["task_id"].isin(ids), "place"].value_counts()
    return CitySummary(
        n_tasks=len(ids),
        n_specific=int(specific.sum()),
        n_group_only=int(group_only.sum()),
        n_no_place=len(ids) - int(specific.sum()) - int(group_only.sum()),
        n_related=int(related.sum()),
        outside=tuple((str(p), int(n)) for p, n in per_place.items()),
    )


@functools.cache
def _agency_rows(data: AtlasData, role: str) -> pd.DataFrame:
    """(unit, task) pairs for the agency chart: group phrases left out, lead roles if asked."""
    units = data.task_units[data.task_units["unit_kind"] != "group"]
    if role == "lead":
        units = units[units["role"].isin(LEAD_ROLES)]
    return units.drop_duplicates(["unit", "task_id"])[["unit", "task_id"]]


def top_agencies(data: AtlasData, task_ids: Iterable[str], role: str, n: int = 10) -> pd.DataFrame:
    """The `n` units named on most of the tasks (distinct tasks), group phrases left out."""
    rows = _agency_rows(data, "lead" if role == "lead" else "any")
    counts = rows.loc[rows["task_id"].isin(pd.Index(task_ids)), "unit"].value_counts()
    frame = counts.rename("n_tasks").rename_axis("unit").reset_index()
    return frame.sort_values(["n_tasks", "unit"], ascending=[False, True]).head(n)


def short_plan_label(title: str, year: str) -> str:
    """A caption-sized plan name.

    2024年市《政府工作报告》目标任务责任分解方案 → 2024年政府工作报告;
    …第十四个五年规划…纲要任务分工方案 → 十四五规划纲要; …第十五个五年规划的建议 → 十五五规划建议.
    """
    if "政府工作报告" in title and year:
        return f"{year}年政府工作报告"
    ordinal = _FIVE_YEAR.search(title)
    if ordinal:
        return f"{ordinal.group(1)}五规划{'建议' if '建议' in title else '纲要'}"
    return _PLAN_TITLE_TRIM.sub("", title)


@functools.cache
def plan_labels(data: AtlasData) -> dict[str, str]:
    """Short plan names for captions and the plan filter, by plan id."""
    rows = zip(data.plans["plan_id"], data.plans["title"], data.plans["year"], strict=True)
    return {pid: short_plan_label(title, str(year)) or pid for pid, title, year in rows}


def describe_filters(filters: Filters, data: AtlasData) -> str:
    """The active filters in words for captions and exports.

    e.g. 计划:2024年政府工作报告;领域:科技创新;单位:市发改委(牵头)
    """
    labels = plan_labels(data)
    parts = []
    if filters.plans:
        parts.append("计划:" + "、".join(labels.get(p, p) for p in filters.plans))
    if filters.sectors:
        parts.append("领域:" + "、".join(filters.sectors))
    if filters.agency:
        parts.append(f"单位:{filters.agency}({ROLE_LABELS.get(filters.agency_role, '任一角色')})")
    if filters.links and set(filters.links) != set(SPECIFIC_LINKS):
        parts.append("关联:" + "、".join(LINK_LABELS[x] for x in filters.links if x in LINK_LABELS))
    if filters.keyword.strip():
        parts.append(f"关键词:{filters.keyword.strip()}")
    if filters.place:
        parts.append(f"地点:{filters.place}")
    return ";".join(parts) or "全部任务"
