"""Named entities a task mentions: the words that say which line of work it is.

Projects, platforms and places come from the reviewed tables (geodata's gazetteer, the districts
and zones, the agencies) and from the two plans themselves (quoted and 《》 names, names ending in
基地/中心/工程/实验室 …, and one-phrase tasks such as 氢能 or 智能建造 in the 十四五 专栏 lists).
Figures with units (100条, 5.1万套) count too, for less: many unrelated tasks share a round figure.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import sparse

from assignments.agencies import AGENCIES_CSV
from comparison.text import identical_key
from geodata.places import default_tables


class EntityKind(StrEnum):
    """Where an entity word comes from; decides its weight."""

    NAME = "name"  # gazetteer entry, quoted name, programme name, one-phrase task
    PLACE = "place"  # a district or zone: shared by many unrelated tasks
    AGENCY = "agency"
    FIGURE = "figure"  # a number with its unit


#: Weight of one shared entity of each kind before its rarity (idf) is applied.
KIND_WEIGHTS: dict[EntityKind, float] = {
    EntityKind.NAME: 1.0,
    EntityKind.PLACE: 0.2,  # alone below candidates.MIN_SHARED: one shared district is no lead
    EntityKind.AGENCY: 0.3,
    EntityKind.FIGURE: 0.2,  # alone below MIN_SHARED: many unrelated tasks say 100个
}

#: Endings of programme, project and platform names (基地, 实验室, 先导区 …).
NAME_SUFFIXES = (
    "基地|中心|工程|实验室|科学城|新城|产业园|园区|示范区|试验区|先导区|集聚区|试点|计划|行动|"
    "大走廊|走廊|枢纽|博物馆|文化公园|公园|平台|设施|之都|名城|城市|大学|医院|机场|高铁|大桥|"
    "通道|水厂|泵站|绿道|商圈|街区|产业集群"
)
#: Verbs before a programme name: the name starts after the last one (建设国家会展中心城市).
VERBS = (
    "加快|推进|推动|建设|打造|实施|建成|创建|争创|抓好|支持|开展|完善|深化|启动|筹建|新建|"
    "提升|培育|布局|依托|聚焦|围绕|加强|强化|做强|建好|用好|争取|谋划|优化|新增|新开工|突破|"
    "搭建|认定|组建|引进|举办|办好|融入|对接|落实|巩固|发挥|参与|服务|健全|补齐|构建|开工|完成"
)
#: Qualifiers and joining words cut off the front of a name (高标准, 一批, 和, 8家 …).
LEADING = (
    r"以上|高标准|高水平|积极|大力|全力|着力|持续|深入|扎实|全面|不断|基本|努力|力争|一批|一流|"
    r"[和及与的等在以为把]|[\d.]+[万亿]?[个家条项座所处]?"
)
_SEGMENT = re.compile(r"[,，。、;；:：()（）\[\]【】!！?？\s]+")
_AFTER_VERB = re.compile(rf"^.*(?:{VERBS})")
_LEADING = re.compile(rf"^(?:{LEADING})+")
_QUOTED = re.compile(r"[“\"《「]([^”\"》」]{2,20})[”\"》」]")
_FIGURE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(万|亿)?"
    r"(平方公里|平方米|公里|个|家|条|座|所|场次|场|处|台|套|户|人次|人|辆|亩|张|项|吨|%|米)"
)
_DIGIT = re.compile(r"\d")
MIN_NAME, MAX_NAME, MAX_TITLE = 4, 16, 12


@dataclass(frozen=True)
class Lexicon:
    """Entity words (as written) → (canonical name, kind)."""

    words: dict[str, tuple[str, EntityKind]]

    @functools.cached_property
    def lengths_by_first(self) -> dict[str, tuple[int, ...]]:
        """First character → lengths of the words starting with it (longest first)."""
        out: dict[str, set[int]] = {}
        for word in self.words:
            out.setdefault(word[0], set()).add(len(word))
        return {c: tuple(sorted(n, reverse=True)) for c, n in out.items()}


@functools.cache
def table_lexicon() -> Lexicon:
    """Entity words from the reviewed tables: gazetteer, districts and zones, agencies."""
    tables = default_tables()
    words: dict[str, tuple[str, EntityKind]] = {}
    for place in tables.places:
        for w in (place.name, *place.aliases):
            if len(w) >= 2:
                words[w] = (place.name, EntityKind.PLACE)
    for entry in tables.gazetteer:
        for w in (entry.name, *entry.aliases):
            if len(w) >= 2:
                words[w] = (entry.name, EntityKind.NAME)
    with AGENCIES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] in {"municipal", "soe", "central_provincial", "people_org"}:
                words.setdefault(row["alias"], (row["canonical"], EntityKind.AGENCY))
    return Lexicon(words)


def names_in_text(text: str, generic: Iterable[str]) -> set[str]:
    """Quoted names, programme names and a one-phrase task's own text found in `text`."""
    generic_set = set(generic)
    quoted = {m.group(1).strip() for m in _QUOTED.finditer(text)}
    found = set(quoted)
    for segment in _SEGMENT.split(text):
        for end in _suffix_ends(segment):
            name = _LEADING.sub("", _AFTER_VERB.sub("", segment[:end]))
            if _specific(name):
                found.add(name)
    title = identical_key(text)
    if 2 <= len(title) <= MAX_TITLE and not _DIGIT.search(title):
        found.add(title)
    cleaned = {n.strip('“”"《》「」') for n in found}
    return {
        n
        for n in cleaned
        if n not in generic_set
        and (MIN_NAME <= len(n) <= MAX_NAME or (n and (n == title or n in quoted)))
    }


#: Words that do not make a name specific: 示范城市, 国家基地, 重点实验室 say nothing alone.
_VAGUE = (
    "武汉 湖北 示范 国家 全国 重点 特色 创新 国际 区域 综合 公共 产业 服务 数字 智慧 "
    "一批 新型 现代 城市 市级 省级 国家级 世界级 标杆 品牌 专业 重大 大型 基础 中心"
)
VAGUE_HEADS = frozenset(_VAGUE.split(" "))


def _specific(name: str) -> bool:
    """A name whose words before its ending are more than a vague qualifier."""
    head = re.sub(rf"(?:{NAME_SUFFIXES})$", "", name)
    return len(head) >= 2 and head not in VAGUE_HEADS


def _suffix_ends(segment: str) -> list[int]:
    return [m.end() for m in re.finditer(NAME_SUFFIXES, segment)]


def plan_lexicon(texts: Sequence[str], generic: tuple[str, ...]) -> Lexicon:
    """The table lexicon plus the names the compared plans themselves use."""
    words = dict(table_lexicon().words)
    for text in texts:
        for name in names_in_text(text, generic):
            words.setdefault(name, (name, EntityKind.NAME))
    return Lexicon(words)


def entities_of(text: str, lexicon: Lexicon) -> dict[str, EntityKind]:
    """Canonical entity → kind for every lexicon word and figure in `text`."""
    found: dict[str, EntityKind] = {}
    words, lengths = lexicon.words, lexicon.lengths_by_first
    for start, char in enumerate(text):
        for size in lengths.get(char, ()):
            hit = words.get(text[start : start + size])
            if hit is not None:
                found.setdefault(hit[0], hit[1])
    for m in _FIGURE.finditer(text):
        found.setdefault(f"{m.group(1)}{m.group(2) or ''}{m.group(3)}", EntityKind.FIGURE)
    return found


@dataclass(frozen=True)
class EntityMatrix:
    """Tasks × entities with each entity's weight (kind × rarity), for sparse overlap products."""

    matrix: sparse.csr_matrix  # binary incidence, rows = tasks
    weights: np.ndarray  # one weight per entity column
    names: tuple[str, ...]  # entity per column


def entity_matrix(found: Sequence[dict[str, EntityKind]]) -> EntityMatrix:
    """Incidence matrix over all tasks of both plans; rare entities weigh more."""
    index: dict[str, int] = {}
    kinds: list[EntityKind] = []
    rows: list[int] = []
    cols: list[int] = []
    for row, ents in enumerate(found):
        for name, kind in ents.items():
            if name not in index:
                index[name] = len(index)
                kinds.append(kind)
            rows.append(row)
            cols.append(index[name])
    shape = (len(found), len(index))
    incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    df = np.asarray(incidence.sum(axis=0)).ravel()
    total = max(len(found), 2)
    # one task on each side naming it is the case of interest, so df 2 is still "rare"
    rarity = np.log((total + 1) / np.maximum(df, 1)) / math.log(total + 1)
    weights = np.array([KIND_WEIGHTS[k] for k in kinds]) * np.clip(rarity, 0.05, 1.0)
    return EntityMatrix(incidence, weights, tuple(index))
