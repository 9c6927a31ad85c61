"""The recall work on 十四五 → yearly: anchors, sector terms, the yearly task's clear best."""

from __future__ import annotations

import numpy as np
import pandas as pd

from comparison.assign import assign, narrow_best
from comparison.candidates import anchor_vectors
from comparison.compare import compare_tasks
from comparison.evidence import common_term
from comparison.model import (
    BASELINE,
    PROFILES,
    MatchSettings,
    baseline_settings_for,
    profile_for,
    settings_for,
)

DIVISION, ANNUAL, PROPOSAL = "五年规划纲要任务分工", "年度政府工作报告任务分解", "五年规划建议"


def plan(plan_id: str, *rows: tuple[str, str]) -> pd.DataFrame:
    """Tasks (text, sector) of one plan."""
    return pd.DataFrame(
        [
            {"task_id": f"{plan_id}-{n}", "plan_id": plan_id, "text": t, "sector": s}
            for n, (t, s) in enumerate(rows, start=1)
        ]
    )


def links(table: pd.DataFrame) -> set[tuple[str, str]]:
    both = table[(table["from_task_id"] != "") & (table["to_task_id"] != "")]
    return set(zip(both["from_task_id"], both["to_task_id"], strict=True))


DIVISION_TASKS = plan(
    "f",
    ("汽车制造和服务。", "先进制造"),
    ("提高公共文化服务水平。创新实施文化惠民工程。加强优秀历史文化保护与传承。", "文化旅游"),
    ("提升污水治理能力,构建截污控源的水环境治理体系。", "生态环境与绿色低碳"),
    ("加快建设国际消费中心城市。培育壮大新型消费。", "消费与投资"),
)
YEARLY_TASKS = plan(
    "w",
    ("推动东风岚图、吉利路特斯等加速释放产能,新能源汽车产量突破50万辆。", "先进制造"),
    ("举办公园文化季活动600场以上。", "文化旅游"),
    ("加快巡司河、汤逊湖等河湖水环境治理,新增污水处理能力11万吨/日。", "生态环境与绿色低碳"),
    ("开展职工心理关爱活动1500场次以上。", "就业社保"),
)


def test_yearly_task_finds_its_five_year_line_in_other_words() -> None:
    """新能源汽车产量 carries out 汽车制造和服务: main's matcher left the yearly task 新增."""
    pair = ("f-1", "w-1")
    current = compare_tasks(DIVISION_TASKS, YEARLY_TASKS, settings=settings_for(DIVISION, ANNUAL))
    baseline = compare_tasks(
        DIVISION_TASKS, YEARLY_TASKS, settings=baseline_settings_for(DIVISION, ANNUAL)
    )
    assert pair in links(current)
    assert pair not in links(baseline)
    row = current[(current["from_task_id"] == "f-1") & (current["to_task_id"] == "w-1")]
    assert "汽车" in row["evidence"].iloc[0]  # the evidence names the shared term
    # a yearly task of a sector no 十四五 line shares stays 新增
    assert ("", "w-4") in set(zip(current["from_task_id"], current["to_task_id"], strict=True))


def test_anchor_is_a_rare_shared_run_not_a_common_one() -> None:
    """会展中心 (two tasks) anchors; 服务 in many tasks and verbs (加快, 建设) do not."""
    from_texts = ["国家级会展中心 服务", "服务 消费", "服务 养老"]
    to_texts = ["国家会展中心城市 服务", "服务 物流", "服务 教育"]
    weighted, has, _, _ = anchor_vectors(from_texts, to_texts, size=3, max_df=2)
    shared = (weighted @ has.T).toarray()
    assert shared[0, 0] > 0  # 会展中 / 展中心
    assert shared[1, 1] == 0 and shared[2, 2] == 0  # only 服务 in common: in six tasks
    verbs = anchor_vectors(["加快建设 甲"], ["加快建设 乙"], size=2, max_df=2)
    assert (verbs[0] @ verbs[1].T).toarray()[0, 0] == 0


def test_narrow_best_asks_the_yearly_side() -> None:
    """A 十四五 line's own best is one of its many yearly tasks; the yearly task's best is what counts."""
    settings = MatchSettings(
        max_successors=12, max_predecessors=2, narrow_margin=1.15, narrow_floor=0.16
    )
    rows = np.array([0, 1, 0])  # 十四五 lines
    cols = np.array([0, 0, 1])  # yearly tasks
    score = np.array([0.20, 0.10, 0.25])
    # yearly task 0: best 0.20 beats its runner-up 0.10 by 2×; yearly task 1 has one candidate
    assert narrow_best(rows, cols, score, settings).tolist() == [True, False, True]
    # line 0 carries out both yearly tasks, although neither pair reaches the threshold 0.28
    assert sorted(assign(2, 2, rows, cols, score, settings)) == [(0, 0), (0, 1)]
    assert narrow_best(rows, cols, score, BASELINE).tolist() == [False, False, False]


def test_common_term_skips_verbs_and_keeps_pieces_apart() -> None:
    assert common_term("工业上楼", "工业 增加值") == "工业"
    assert common_term("甲乙", "乙 丙") == ""  # one character is no term
    assert common_term("ab cd", "b c") == ""  # a run never spans two pieces


def test_profiles_per_pair_of_plan_kinds() -> None:
    assert profile_for(ANNUAL, ANNUAL) == "same"
    assert profile_for(DIVISION, ANNUAL) == profile_for(ANNUAL, DIVISION) == "annual"
    assert profile_for(DIVISION, PROPOSAL) == "wide"
    annual = settings_for(DIVISION, ANNUAL)
    assert annual.max_successors == 12 and annual.max_predecessors == 2
    assert annual.narrow_margin == PROFILES["annual"]["narrow_margin"]
    # the baseline is main's matcher: every feature of the recall work off
    for kinds in ((ANNUAL, ANNUAL), (DIVISION, ANNUAL), (DIVISION, PROPOSAL)):
        base = baseline_settings_for(*kinds)
        assert base.weight_anchor == base.weight_sector_term == base.narrow_margin == 0
        assert base.top_k_anchor == base.top_k_sector == 0 and not base.many_to_many


def test_units_of_masked_figures_are_no_anchor() -> None:
    """百亿元级 and 万亿元 left 亿元 in common: a money unit is not a line of work."""
    from comparison.candidates import anchor_text
    from comparison.text import generic_phrases, matching_text

    text = anchor_text(
        matching_text("储备87个百亿元级项目,交易额2.5万亿元,绿道105公里。", generic_phrases())
    )
    assert "亿元" not in text and "公里" not in text
    assert "绿道" in text and "项目" in text
