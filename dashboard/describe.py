"""The view state in words: short plan names and the caption of the active filters."""

from __future__ import annotations

import functools
import re

from assignments.corpus import lacking_in_note
from assignments.metadata import PLAN_KINDS, five_year_period
from dashboard.data import AtlasData
from dashboard.options import LINK_LABELS, ROLE_LABELS, SPECIFIC_LINKS, Link
from dashboard.viewstate import Filters

_TITLE_TRIM = re.compile(r"^武汉市|(重点|主要)?(任务|工作)(分解|分工)(方案|表)?$")
WORK_REPORT, FIVE_YEAR_OUTLINE, FIVE_YEAR_PROPOSAL = PLAN_KINDS


def short_plan_label(title: str, kind: str, year: str) -> str:
    """A caption-sized plan name from the kind and year metadata.py parsed.

    年度政府工作报告任务分解 of 2024 → 2024年政府工作报告;
    五年规划纲要任务分工 titled …第十四个五年规划… → 十四五规划纲要; 五年规划建议 → 十五五规划建议;
    anything else: the title without 武汉市 and …任务分解方案.
    """
    if kind == WORK_REPORT and year:
        return f"{year}年政府工作报告"
    period = five_year_period(title)
    if kind in (FIVE_YEAR_OUTLINE, FIVE_YEAR_PROPOSAL) and period:
        return f"{period}五规划{'建议' if kind == FIVE_YEAR_PROPOSAL else '纲要'}"
    return _TITLE_TRIM.sub("", title)


@functools.cache
def plan_labels(data: AtlasData) -> dict[str, str]:
    """Short plan names for captions and the plan filter, by plan id."""
    plans = data.plans
    rows = zip(plans["plan_id"], plans["title"], plans["kind"], plans["year"], strict=True)
    return {pid: short_plan_label(t, k, str(y)) or pid for pid, t, k, y in rows}


def describe_filters(filters: Filters, data: AtlasData) -> str:
    """The active filters in words for captions and exports.

    e.g. 计划:2024年政府工作报告;领域:科技创新;单位:市发改委(仅牵头)
    """
    labels = plan_labels(data)
    parts = []
    if filters.plans:
        parts.append("计划:" + "、".join(labels.get(p, p) for p in filters.plans))
    if filters.sectors:
        parts.append("领域:" + "、".join(filters.sectors))
    if filters.agency:
        parts.append(f"单位:{filters.agency}({ROLE_LABELS[filters.agency_role]})")
    if filters.links and set(filters.links) != set(SPECIFIC_LINKS):
        parts.append("关联:" + "、".join(LINK_LABELS[Link(x)] for x in filters.links))
    if filters.keyword.strip():
        parts.append(f"关键词:{filters.keyword.strip()}")
    if filters.place:
        parts.append(f"地点:{filters.place}")
    return ";".join(parts) or "全部任务"


def copy_gap_notes(data: AtlasData, plans: tuple[str, ...]) -> list[str]:
    """Plans (those selected, or all) whose copy lacks numbered paragraphs, said in Chinese so
    nobody reads the copy's count as the whole plan (e.g. the 十五五 proposal's copy)."""
    labels = plan_labels(data)
    notes = data.plans.get("notes")
    if notes is None:
        return []
    out = []
    for plan_id, note in zip(data.plans["plan_id"], notes.fillna(""), strict=True):
        lacking = lacking_in_note(str(note))
        if lacking and (not plans or plan_id in plans):
            unit = "段" if lacking[0] == "paragraphs" else "项"
            gaps = "、".join(g.replace("part ", "第").replace("-", "–") for g in lacking[1])
            out.append(f"{labels.get(plan_id, plan_id)}：所收副本缺第 {gaps} {unit}，未计入任务")
    return out
