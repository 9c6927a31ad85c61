"""The matcher on tiny inline plans: entities over generic words, relations, targets, caps."""

from __future__ import annotations

import pandas as pd
import pytest

from comparison.compare import compare_tasks
from comparison.entities import EntityKind, entities_of, names_in_text, plan_lexicon
from comparison.model import COMPARE_COLUMNS, MAX_LINKS, Relation, settings_for
from comparison.targets import target_groups
from comparison.text import generic_phrases, matching_text


def plan(plan_id: str, *texts: str, sector: str = "") -> pd.DataFrame:
    rows = [
        {"task_id": f"{plan_id}-2.1.{n}", "plan_id": plan_id, "text": t, "sector": sector}
        for n, t in enumerate(texts, start=1)
    ]
    return pd.DataFrame(rows)


def links(table: pd.DataFrame) -> set[tuple[str, str]]:
    both = table[(table["from_task_id"] != "") & (table["to_task_id"] != "")]
    return set(zip(both["from_task_id"], both["to_task_id"], strict=True))


def test_shared_generic_phrase_is_not_a_line_of_work() -> None:
    old = plan("a", "开展招商引资大比拼,招商引资产业项目到位资金5000亿元以上。")
    new = plan("b", "搭建对欧交流平台,加强海外招商引资。")
    table = compare_tasks(old, new)
    assert links(table) == set()
    assert set(table["relation"]) == {Relation.DROPPED, Relation.NEW}


def test_shared_named_project_is_a_line_of_work() -> None:
    old = plan("a", "高标准规划建设光谷科学岛,推进重大科技基础设施建设。", "办好武汉马拉松。")
    new = plan("b", "办好长江文化艺术节。", "加快光谷科学岛建设。")
    table = compare_tasks(old, new)
    assert links(table) == {("a-2.1.1", "b-2.1.2")}
    row = table[table["to_task_id"] == "b-2.1.2"].iloc[0]
    assert "光谷科学岛" in row["evidence"]  # evidence names the project, not only a score
    assert row["relation"] == Relation.ADJUSTED


def test_figures_updated_is_continued_and_unmatched_rows_have_one_side() -> None:
    old = plan("a", "新增停车泊位12万个。", "在公共场所配置自动体外除颤仪(AED)800台。")
    new = plan("b", "新增停车泊位15万个。", "筹建武汉网络安全大学。")
    table = compare_tasks(old, new)
    assert list(table.columns) == list(COMPARE_COLUMNS)
    by_relation = {r: table[table["relation"] == r] for r in Relation}
    assert links(by_relation[Relation.CONTINUED]) == {("a-2.1.1", "b-2.1.1")}
    assert by_relation[Relation.DROPPED][["from_task_id", "to_task_id"]].values.tolist() == [
        ["a-2.1.2", ""]
    ]
    assert by_relation[Relation.NEW][["from_task_id", "to_task_id"]].values.tolist() == [
        ["", "b-2.1.2"]
    ]
    assert (table.loc[table["to_task_id"] == "", "score"] == 0).all()


def test_identical_text_in_two_headings_is_one_target() -> None:
    new = plan("b", "建成“村增万树”示范村、标准村120个。", "办好长江文化艺术节。")
    new = pd.concat([new, plan("c", "建成“村增万树”示范村、标准村120个。").assign(plan_id="b")])
    assert target_groups(new) == [["b-2.1.1", "c-2.1.1"], ["b-2.1.2"]]
    old = plan("a", "持续改善农村人居环境,推进“村增万树”工程。")
    assert links(compare_tasks(old, new)) == {("a-2.1.1", "b-2.1.1"), ("a-2.1.1", "c-2.1.1")}


def test_same_target_column_of_the_build_wins_over_text() -> None:
    tasks = plan("b", "新建排水管网100公里。", "新建排水管网100公里,疏捞维护排水管网5000公里。")
    assert len(target_groups(tasks)) == 2
    marked = tasks.assign(same_target=["b-2.1.2", "b-2.1.1"])  # both copies carry the link
    assert target_groups(marked) == [["b-2.1.1", "b-2.1.2"]]
    one_way = tasks.assign(same_target=["", "b-2.1.1"])
    assert target_groups(one_way) == [["b-2.1.1", "b-2.1.2"]]


def test_at_most_two_links_per_task_between_annual_plans() -> None:
    old = plan("a", "加快建设区域金融中心,新增金融机构5家。")
    new = plan(
        "b",
        "加快建设区域金融中心,新增上市企业10家。",
        "区域金融中心建设:引进总部型金融企业。",
        "区域金融中心:新增私募基金管理机构30家。",
    )
    table = compare_tasks(old, new, settings=settings_for("年度", "年度"))
    assert len(links(table)) <= MAX_LINKS
    assert len(links(table)) >= 1


def test_names_come_from_quotes_and_programme_endings() -> None:
    generic = generic_phrases()
    names = names_in_text("高标准建设国家人工智能创新应用先导区,打造“世界存储之都”。", generic)
    assert {"国家人工智能创新应用先导区", "世界存储之都"} <= names
    assert "示范城市" not in names_in_text("创建全国无障碍建设示范城市。", generic)


def test_entities_weigh_figures_and_places_and_gazetteer_names() -> None:
    lexicon = plan_lexicon(["加快光谷科学岛建设。"], generic_phrases())
    found = entities_of("推进洪山区光谷科学岛建设,新建绿道105公里。", lexicon)
    assert found["光谷科学岛"] is EntityKind.NAME
    assert found["洪山区"] is EntityKind.PLACE
    assert found["105公里"] is EntityKind.FIGURE


def test_matching_text_drops_generic_phrases_and_figures() -> None:
    text = matching_text("开展招商引资大比拼,到位资金5000亿元以上。", generic_phrases())
    assert "招商引资" not in text and "5000" not in text and "大比拼" in text


@pytest.mark.parametrize("kinds", [("五年规划纲要任务分工", "年度政府工作报告任务分解")])
def test_broader_plan_may_have_many_successors(kinds: tuple[str, str]) -> None:
    settings = settings_for(*kinds)
    assert settings.max_successors > MAX_LINKS and settings.max_predecessors == MAX_LINKS


def test_comparison_stays_below_dashboard_and_cli() -> None:
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "comparison"
    imported = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
    assert not imported & {"dash", "plotly", "dashboard", "cli"}
