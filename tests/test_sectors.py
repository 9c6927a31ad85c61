"""Sector mapping: headings first (most specific), keywords for mixed headings and no headings."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from assignments.sectors import (
    FALLBACK_SECTOR,
    SECTORS,
    assign_sector,
    heading_rule,
    heading_rules,
    keyword_scores,
    keyword_weights,
    sector_reason,
)

SOURCES = Path(__file__).resolve().parent.parent / "assignments" / "sources"


def sector(text: str, part: str = "", chapter: str = "", subsection: str = "") -> str:
    return assign_sector(part=part, chapter=chapter, subsection=subsection, text=text)


def test_sector_list() -> None:
    assert 12 <= len(SECTORS) <= 20
    assert len(set(SECTORS)) == len(SECTORS)
    assert {"科技创新", "先进制造", "乡村振兴", "政府自身建设", FALLBACK_SECTOR} <= set(SECTORS)


def test_subsection_beats_chapter() -> None:
    chapter = "(二)着力发展产业,不断壮大实体经济"
    assert (
        sector("推进数据中心建设。", "二、重点工作", chapter, "——增强数字经济驱动力") == "数字经济"
    )
    assert (
        sector("推进数据中心建设。", "二、重点工作", chapter, "——增强现代服务业竞争力")
        == "现代服务业"
    )


def test_non_mixed_chapter_beats_keywords() -> None:
    chapter = "(六)着力推动绿色转型,加快建设世界滨水生态名城"
    assert sector("建设轨道交通和高铁。", "二、重点工作", chapter) == "生态环境与绿色低碳"


def test_part_decides_when_chapter_is_unknown() -> None:
    part = "三、从严从实加强政府自身建设"
    assert sector("建设轨道交通。", part, "(九)一个新的章节") == "政府自身建设"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("现代金融。", "现代服务业"),
        ("汽车制造和服务。", "先进制造"),
        ("文化旅游。", "文化旅游"),
        ("人工智能。", "数字经济"),
    ],
)
def test_mixed_chapter_lets_the_text_decide(text: str, expected: str) -> None:
    chapter = "(三)推进“965”产业迭代发展(专栏5)"
    assert sector(text, "三、重大工程分工", chapter) == expected


def test_mixed_heading_without_keywords_gives_its_own_sector() -> None:
    choice = sector_reason(
        part="四、民生实事", chapter="(二)关爱少年儿童", subsection="", text="建设社区托管室200个。"
    )
    assert (choice.sector, choice.basis) == ("就业社保", "heading")
    assert "mixed chapter" in choice.evidence


def test_mixed_subsection_uses_keywords_not_the_chapter() -> None:
    chapter = "(十)奋力推动平安武汉建设,加快探索超大城市现代化治理新路子"
    sub = "——深入推进流域综合治理"
    assert sector("推进杜家台蓄滞洪区主体工程建设。", "", chapter, sub) == "交通与基础设施"
    assert sector("推进斧头湖等重点流域联防联治。", "", chapter, sub) == "生态环境与绿色低碳"


def test_headings_are_matched_after_width_and_space_folding() -> None:
    assert sector("加强党的建设。", "", "（一） 坚持以政治建设立根铸魂") == "政府自身建设"
    assert heading_rule("chapter", "(一)  坚持以政治建设立根铸魂") is not None
    assert heading_rule("subsection", "(一)坚持以政治建设立根铸魂") is None  # wrong level


def test_no_heading_uses_keywords_with_lead_sentence_bonus() -> None:
    assert sector("16.大力提振消费。加强教育,办好教育。") == "消费与投资"
    assert sector("加强教育,办好教育。大力提振消费。") == "教育"


def test_longer_keywords_use_up_shorter_ones() -> None:
    assert sector("加快农业转移人口市民化。") == "城市建设与更新"
    scores = keyword_scores("加快农业转移人口市民化。")
    assert "乡村振兴" not in scores


def test_ties_are_broken_by_table_order() -> None:
    scores = keyword_scores("教育、医疗")
    assert scores["教育"] == scores["卫生健康与体育"]
    assert SECTORS.index("教育") < SECTORS.index("卫生健康与体育")
    assert sector("教育、医疗") == "教育"


def test_fallback_when_nothing_matches() -> None:
    choice = sector_reason(part="", chapter="", subsection="", text="坚定信心,勇毅前行。")
    assert (choice.sector, choice.basis) == (FALLBACK_SECTOR, "fallback")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "h.csv",
            "pattern,level,sector,mixed,reason\n甲,chapter,火星,no,x\n",
            "h.csv row 2: unknown sector",
        ),
        (
            "h.csv",
            "pattern,level,sector,mixed,reason\n甲,section,教育,no,x\n",
            "h.csv row 2: bad level",
        ),
        (
            "h.csv",
            "pattern,level,sector,mixed,reason\n甲,chapter,教育,maybe,x\n",
            "h.csv row 2: bad level",
        ),
        (
            "h.csv",
            "pattern,level,sector\n甲,chapter,教育\n",
            "h.csv: missing column(s) mixed, reason",
        ),
    ],
)
def test_bad_heading_table_is_named(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        heading_rules(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "keyword,sector,weight\n消费,消费与投资,0\n",
            "k.csv row 2: weight must be a positive integer",
        ),
        ("keyword,sector,weight\n消费,购物,2\n", "k.csv row 2: unknown sector '购物'"),
        ("keyword,sector,weight\n消费,消费与投资,2,9\n", "k.csv row 2: wrong number of fields"),
    ],
)
def test_bad_keyword_table_is_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "k.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        keyword_weights(path)


# --- the bundled corpus --------------------------------------------------------------------

_NUM = "一二三四五六七八九十"
_LEVEL_OF = (
    ("part", re.compile(rf"^[{_NUM}]+、")),
    ("chapter", re.compile(rf"^\([{_NUM}]+\)")),
    ("subsection", re.compile(r"^——")),
)


def corpus_headings() -> set[tuple[str, str]]:
    """(level, heading) of every short heading line (notice paragraphs and items end in 。)."""
    found = set()
    for path in SOURCES.glob("*.txt"):
        for line in path.read_text("utf-8").splitlines():
            line = re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))
            if not line or "。" in line or "单位:" in line or len(line) > 60:
                continue
            found |= {(level, line) for level, rx in _LEVEL_OF if rx.match(line)}
    return found


def test_every_corpus_heading_maps_to_exactly_one_rule() -> None:
    headings = corpus_headings()
    assert len(headings) > 150
    problems = []
    for level, heading in sorted(headings):
        matches = [r.pattern for r in heading_rules() if r.level == level and r.pattern in heading]
        if len(matches) != 1:
            problems.append((level, heading, matches))
    assert problems == [], f"unmapped or ambiguous headings: {problems}"


def test_every_heading_rule_is_used_by_the_corpus() -> None:
    headings = corpus_headings()
    unused = [r.pattern for r in heading_rules() if not any(r.pattern in h for _, h in headings)]
    assert unused == []


def proposal_paragraphs() -> dict[int, str]:
    """The numbered paragraphs of the 十五五 proposal (it has no section headings)."""
    path = SOURCES / "15th-five-year-plan-proposal_spam-header.txt"
    out = {}
    for line in path.read_text("utf-8").splitlines():
        m = re.match(r"^(\d+)\.(.*)", line.strip())
        if m:
            out[int(m.group(1))] = m.group(2)
    return out


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (4, "综合发展"),
        (8, "先进制造"),
        (10, "数字经济"),
        (12, "科技创新"),
        (16, "消费与投资"),
        (22, "改革与营商环境"),
        (25, "对外开放与枢纽"),
        (29, "城市建设与更新"),
        (33, "交通与基础设施"),
        (35, "乡村振兴"),
        (37, "区域协调"),
        (44, "文化旅游"),
        (45, "就业社保"),
        (47, "教育"),
        (49, "卫生健康与体育"),
        (53, "生态环境与绿色低碳"),
        (55, "安全与治理"),
    ],
)
def test_proposal_paragraphs_by_keywords(number: int, expected: str) -> None:
    paragraphs = proposal_paragraphs()
    assert sector(paragraphs[number]) == expected


# --- topics: one target, one sector (issue 7) ---------------------------------------------------

SAME_TARGET_PAIRS = [
    ("wr2023-2.5.100", "wr2023-4.20.67", "交通与基础设施"),  # 老旧燃气管网
    ("wr2024-2.5.119", "wr2024-4.19.50", "交通与基础设施"),
    ("wr2023-2.5.85", "wr2023-4.1.3", "就业社保"),  # 居家适老化
    ("wr2024-2.9.194", "wr2024-4.3.9", "就业社保"),
    ("wr2023-2.6.142", "wr2023-4.10.33", "交通与基础设施"),  # 充电桩
    ("wr2024-2.7.167", "wr2024-4.8.25", "交通与基础设施"),
    ("wr2023-2.10.232", "wr2024-2.10.222", "安全与治理"),  # 储备粮库
    ("wr2023-2.10.238", "wr2024-2.9.213", "文化旅游"),  # 文明城市
    ("wr2023-2.9.203", "wr2023-4.7.19", "城市建设与更新"),  # 保障性租赁住房
    ("wr2024-2.9.192", "wr2024-4.6.17", "城市建设与更新"),
]
MISFITS = [
    ("wr2023-2.7.159", "交通与基础设施"),  # 大桥、过江通道、高速 (was 对外开放与枢纽)
    ("wr2023-2.10.233", "交通与基础设施"),  # 城市电网 (was 安全与治理)
    ("wr2023-4.19.63", "现代服务业"),  # 冷链 (was 安全与治理)
    ("wr2024-2.7.152", "交通与基础设施"),  # 泵站 (was 生态环境与绿色低碳)
    ("wr2023-2.9.197", "卫生健康与体育"),  # 医保 (was 就业社保)
    ("wr2024-2.6.133", "先进制造"),  # 工业上楼 (was 区域协调)
]


@pytest.fixture(scope="module")
def corpus_sectors() -> dict[str, str]:
    from assignments.corpus import build_tables

    tasks = build_tables().tasks
    return dict(zip(tasks["task_id"], tasks["sector"], strict=True))


@pytest.mark.parametrize(("a", "b", "expected"), SAME_TARGET_PAIRS)
def test_a_target_repeated_under_two_headings_gets_one_sector(
    corpus_sectors: dict[str, str], a: str, b: str, expected: str
) -> None:
    assert (corpus_sectors[a], corpus_sectors[b]) == (expected, expected)


@pytest.mark.parametrize(("task_id", "expected"), MISFITS)
def test_misfits_get_the_sector_of_their_topic(
    corpus_sectors: dict[str, str], task_id: str, expected: str
) -> None:
    assert corpus_sectors[task_id] == expected


def test_topic_is_read_from_the_first_sentence_only() -> None:
    # 医疗保险 deep inside a social-security paragraph does not make it a health task
    text = "完善多层次社会保障体系。落实基本养老保险全国统筹制度,完善基本医疗保险。"
    assert sector_reason(part="", chapter="", subsection="", text=text).basis != "topic"
    reason = sector_reason(part="", chapter="", subsection="", text="改造老旧燃气管网400公里。")
    assert (reason.sector, reason.basis) == ("交通与基础设施", "topic")


def test_every_topic_rule_has_a_reason_and_a_known_sector() -> None:
    from assignments.sectors import SECTORS, topic_rules

    assert all(sector in SECTORS and len(reason) > 30 for _, sector, reason in topic_rules())
