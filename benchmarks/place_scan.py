"""Scan the whole corpus for named sites and projects; report how many are located.

A candidate is a run of Chinese characters that ends in a site or project word (水厂, 大桥, 港,
基地, 园, 城, 中心, 综保区, 走廊, 片区, 碧道 …), cut on its left at punctuation and at the verbs and
function words that open a phrase (建设, 推进, 打造, 和, 等 …). Each candidate must be *accounted
for* in a reviewable table: located in geodata/data/gazetteer.csv (or a district/zone or an
outside place), listed in unlocated.csv with why, or listed in scan_generic.csv as a common noun
that names no one place (消防站, 产业园), with why. tests/test_place_scan.py holds the corpus to it.

    .venv/bin/python benchmarks/place_scan.py            # figures
    .venv/bin/python benchmarks/place_scan.py --missing  # candidates in no table
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assignments.corpus import build_tables  # noqa: E402
from geodata.places import DATA_DIR, PlaceTables, default_tables  # noqa: E402

#: Words that end a site or project name, longest first when matched.
SITE_WORDS = (
    "综合保税区",
    "综保区",
    "水厂",
    "大桥",
    "长江大桥",
    "过江通道",
    "隧道",
    "港区",
    "港",
    "基地",
    "园区",
    "产业园",
    "公园",
    "园",
    "新城",
    "城",
    "中心",
    "走廊",
    "片区",
    "碧道",
    "机场",
    "枢纽",
    "实验室",
    "码头",
    "街区",
    "商圈",
    "示范区",
    "高速",
    "岛",
    "湖",
    "山",
    "楼",
    "台",
)
#: Where a name starts: after punctuation, digits, or one of these words (longest first).
OPENERS = (
    "加快建设",
    "高标准建设",
    "高质量建设",
    "建设",
    "推进",
    "推动",
    "加快",
    "打造",
    "实施",
    "完成",
    "开展",
    "支持",
    "新建",
    "改造",
    "提升",
    "建成",
    "启动",
    "争创",
    "创建",
    "办好",
    "依托",
    "围绕",
    "聚焦",
    "做强",
    "做优",
    "做大",
    "培育",
    "发展",
    "深化",
    "统筹",
    "优化",
    "强化",
    "完善",
    "谋划",
    "以",
    "和",
    "及",
    "与",
    "等",
    "的",
    "在",
    "为",
    "至",
    "到",
    "向",
    "将",
    "对",
    "个",
    "座",
    "处",
    "所",
    "条",
    "项",
    "把",
    "从",
    "由",
    "并",
    "或",
    "全市",
    "我市",
)
_PUNCT = "[^\u4e00-\u9fff]"
_SUFFIX = re.compile("|".join(sorted(map(re.escape, SITE_WORDS), key=len, reverse=True)))
#: Words that may follow a name (so the name ends there): verbs, particles, measure words.
FOLLOWERS = (*OPENERS, "为", "建设", "项目", "集装箱", "运营", "等", "提质", "做强", "高效")
MAX_NAME = 12
MEASURE_WORDS = "家个座处所条项批"
GENERIC_CSV = DATA_DIR / "scan_generic.csv"
MIN_NAME = 3  # a bare site word (港, 城) with one character before it is too short to be a name


@dataclass(frozen=True)
class Tally:
    """Candidates found and how each is accounted for."""

    found: dict[str, list[str]]  # name → task ids
    located: set[str]  # in gazetteer.csv, places.csv or outside_places.csv
    unlocated: set[str]  # in unlocated.csv
    generic: set[str]  # matched by a pattern of scan_generic.csv

    @property
    def missing(self) -> list[str]:
        known = self.located | self.unlocated | self.generic
        return sorted(n for n in self.found if n not in known)


def _trim(prefix: str) -> str:
    """The name part of the run before a site word: cut after the last opener word."""
    cut = 0
    for word in sorted(OPENERS, key=len, reverse=True):
        at = prefix.rfind(word)
        if at >= 0:
            cut = max(cut, at + len(word))
    return prefix[cut:]


def candidates(text: str) -> list[str]:
    """Named-site candidates in one text (see the module docstring): a site word that ends a
    name (punctuation or a following verb or particle after it), with the characters before it
    back to the last opener word."""
    out = []
    for chunk in re.split(_PUNCT, text):
        for m in _SUFFIX.finditer(chunk):
            rest = chunk[m.end() :]
            if rest and not rest.startswith(FOLLOWERS):
                continue  # 东湖 in 东湖科学城: the name goes on
            start = max(0, m.start() - MAX_NAME)
            if start == 0 and chunk[:1] in MEASURE_WORDS:
                start = 1  # 2家全国重点实验室: the measure word after a number
            name = _trim(chunk[start : m.start()]) + m.group(0)
            if len(name) >= MIN_NAME:
                out.append(name)
    return out


def scan(texts: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Candidate → the ids of the texts it was found in, over (id, text) pairs."""
    found: dict[str, list[str]] = {}
    for task_id, text in texts:
        for name in dict.fromkeys(candidates(text)):
            found.setdefault(name, []).append(task_id)
    return found


def read_generic(path: Path = GENERIC_CSV) -> dict[re.Pattern[str], str]:
    """scan_generic.csv: patterns of candidates that name no one place (a kind of facility, a
    title, a cut phrase), each with the reason."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["pattern", "reason"]:
            raise ValueError(f"{path.name}: columns must be pattern, reason")
        rows = {}
        for n, row in enumerate(reader, start=2):
            if not row["pattern"] or not row["reason"]:
                raise ValueError(f"{path.name} line {n}: empty pattern or reason")
            rows[re.compile(row["pattern"])] = row["reason"]
        return rows


def tally(
    found: dict[str, list[str]], tables: PlaceTables, generic: Iterable[re.Pattern[str]]
) -> Tally:
    """Which candidates are located, deliberately unlocated or generic. A name counts as located
    when it holds a located name, since the tagger then tags it (天河机场航空物流园区 holds
    天河机场, 网安基地软件园 holds 网安基地); likewise for unlocated names."""
    located_words = {w for e in tables.gazetteer for w in (e.name, *e.aliases)}
    located_words |= {w for p in tables.places for w in (p.name, *p.aliases)}
    located_words |= {w for o in tables.outside for w in (o.name, *o.aliases)}
    unlocated_words = {u.name for u in tables.unlocated}
    patterns = list(generic)

    def hits(name: str, words: set[str]) -> bool:
        return name in words or any(len(w) >= 2 and w in name for w in words)

    located = {n for n in found if hits(n, located_words)}
    unlocated = {n for n in found if n not in located and hits(n, unlocated_words)}
    rest = set(found) - located - unlocated
    generic_found = {n for n in rest if any(p.search(n) for p in patterns)}
    return Tally(found, located, unlocated, generic_found)


def corpus_texts() -> list[tuple[str, str]]:
    """Every task text of the bundled corpus."""
    tasks = build_tables().tasks
    return list(zip(tasks["task_id"].astype(str), tasks["text"].astype(str), strict=True))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="list candidates in no table")
    args = parser.parse_args(argv)
    result = tally(scan(corpus_texts()), default_tables(), read_generic())
    print(f"named-site candidates found:     {len(result.found)}")
    print(f"  located (gazetteer/places):    {len(result.located)}")
    print(f"  unlocated, with why:           {len(result.unlocated)}")
    print(f"  generic nouns, with why:       {len(result.generic)}")
    print(f"  in no table:                   {len(result.missing)}")
    if args.missing:
        for name in result.missing:
            print(f"    {name}  ({', '.join(result.found[name][:3])})")


if __name__ == "__main__":
    main()
