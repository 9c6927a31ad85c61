"""Filters and counts on a tiny inline atlas (expected values written out by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.agency_ranking import top_agencies
from dashboard.city_summary import city_level_summary
from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.describe import describe_filters, plan_labels, short_plan_label
from dashboard.filters import filter_tasks
from dashboard.options import AgencyRole, CountMode
from dashboard.viewstate import Filters


def _feature(pid: str, name: str, kind: str) -> dict[str, object]:
    props = {
        "id": pid,
        "name": name,
        "kind": kind,
        "approximate": kind == "zone",
        "label_lon": 114.0,
        "label_lat": 30.5,
        "note": "",
    }
    ring = [[114.0, 30.0], [114.1, 30.0], [114.1, 30.1], [114.0, 30.0]]
    return {
        "type": "Feature",
        "id": pid,
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def tiny_atlas() -> AtlasData:
    """Four tasks: t1 led by 江夏区 and mentioning 光谷; t2 各区 group; t3 nothing; t4 outside."""
    tasks = pd.DataFrame(
        {
            "task_id": ["t1", "t2", "t3", "t4"],
            "plan_id": ["wr2024", "wr2024", "fyp14", "fyp14"],
            "sector": ["科技创新", "城市建设与更新", "科技创新", "乡村振兴"],
            "text": ["建设光谷南片区", "各区推进更新", "全市科技成果转化", "结对帮扶恩施州"],
            "item_no": ["1", "2", "1", "2"],
            "lead_units": ["江夏区人民政府", "市住房城更局", "市科技局", "市乡村振兴局"],
            "responsible_units": ["市科技局", "各区人民政府", "", ""],
        }
    )
    units = pd.DataFrame(
        [
            ("t1", "江夏区人民政府", "district", "lead"),
            ("t1", "市科技局", "municipal", "responsible"),
            ("t2", "市住房城更局", "municipal", "lead"),
            ("t2", "各区人民政府", "group", "responsible"),
            ("t3", "市科技局", "municipal", "derived_lead"),
            ("t4", "市乡村振兴局", "municipal", "lead"),
        ],
        columns=["task_id", "unit", "unit_kind", "role"],
    )
    places = pd.DataFrame(
        [
            ("t1", "江夏区", "district", "lead", "", "江夏区人民政府"),
            ("t1", "东湖高新区", "zone", "mention", "", "光谷"),
            ("t2", "江夏区", "district", "group", "ALL", "各区人民政府"),
            ("t2", "江岸区", "district", "group", "ALL", "各区人民政府"),
            ("t2", "东湖高新区", "zone", "group", "ALL", "各区人民政府"),
            ("t4", "恩施州", "outside", "mention", "", "恩施州"),
        ],
        columns=["task_id", "place", "place_kind", "link", "group", "evidence"],
    )
    plans = pd.DataFrame(
        {
            "year": ["2024", "2022"],
            "kind": ["年度政府工作报告任务分解", "五年规划纲要任务分工"],
            "plan_id": ["wr2024", "fyp14"],
            "title": ["武汉市2024年政府工作报告任务分解", "十四五规划纲要任务分工"],
        }
    )
    features = [
        _feature("420102", "江岸区", "district"),
        _feature("420115", "江夏区", "district"),
        _feature("Z-DHGX", "东湖高新区", "zone"),
    ]
    geo = {"type": "FeatureCollection", "features": features}
    return AtlasData(plans, tasks, units, places, geo, "2026-01-01")


def _totals(counts: pd.DataFrame) -> dict[str, int]:
    return dict(zip(counts["place"], counts["total"], strict=True))


def test_specific_mode_counts_lead_and_mention_only() -> None:
    data = tiny_atlas()
    counts = count_by_place(data, data.tasks["task_id"], CountMode.SPECIFIC)
    assert _totals(counts) == {"江岸区": 0, "江夏区": 1, "东湖高新区": 1}
    row = counts.set_index("place").loc["东湖高新区"]
    assert (row["lead"], row["mention"], row["group"]) == (0, 1, 0)


def test_citywide_mode_adds_group_links() -> None:
    data = tiny_atlas()
    counts = count_by_place(data, data.tasks["task_id"], CountMode.WITH_CITYWIDE)
    assert _totals(counts) == {"江岸区": 1, "江夏区": 2, "东湖高新区": 2}


def test_link_filter_restricts_counted_links() -> None:
    data = tiny_atlas()
    counts = count_by_place(data, data.tasks["task_id"], CountMode.SPECIFIC, links=("mention",))
    assert _totals(counts) == {"江岸区": 0, "江夏区": 0, "东湖高新区": 1}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["t1", "t2", "t3", "t4"]),
        (Filters(plans=("fyp14",)), ["t3", "t4"]),
        (Filters(sectors=("科技创新",)), ["t1", "t3"]),
        (Filters(plans=("wr2024",), sectors=("科技创新",)), ["t1"]),
        (Filters(agency="市科技局"), ["t1", "t3"]),
        (Filters(agency="市科技局", agency_role=AgencyRole.LEAD), ["t3"]),  # derived lead counts
        (Filters(keyword=" 光谷 "), ["t1"]),
        (Filters(keyword="没有这个词"), []),
    ],
)
def test_filter_tasks(filters: Filters, expected: list[str]) -> None:
    assert filter_tasks(tiny_atlas(), filters)["task_id"].tolist() == expected


def test_city_level_summary_splits_unmapped_tasks() -> None:
    summary = city_level_summary(tiny_atlas(), ["t1", "t2", "t3", "t4"])
    assert (summary.n_specific, summary.n_group_only, summary.n_no_place) == (1, 1, 2)
    assert summary.outside == (("恩施州", 1),)
    assert summary.off_map(CountMode.SPECIFIC) == 3
    assert summary.off_map(CountMode.WITH_CITYWIDE) == 2


def test_top_agencies_skips_group_phrases_and_respects_role() -> None:
    data = tiny_atlas()
    anyrole = top_agencies(data, data.tasks["task_id"], AgencyRole.ANY)
    assert "各区人民政府" not in set(anyrole["unit"])
    assert anyrole.iloc[0].to_dict() == {"unit": "市科技局", "n_tasks": 2}
    lead = top_agencies(data, data.tasks["task_id"], AgencyRole.LEAD)
    assert dict(zip(lead["unit"], lead["n_tasks"], strict=True))["市科技局"] == 1


def test_describe_filters_in_words() -> None:
    data = tiny_atlas()
    f = Filters(
        plans=("wr2024",), sectors=("科技创新",), agency="市发改委", agency_role=AgencyRole.LEAD
    )
    assert (
        describe_filters(f, data) == "计划:2024年政府工作报告;领域:科技创新;单位:市发改委(仅牵头)"
    )
    assert describe_filters(Filters(), data) == "全部任务"
    assert (
        describe_filters(Filters(keyword="光谷", place="江夏区"), data) == "关键词:光谷;地点:江夏区"
    )


def test_fixture_counts_match_an_independent_pandas_count(atlas_data: AtlasData) -> None:
    data = atlas_data
    ids = filter_tasks(data, Filters(plans=("wr2024",)))["task_id"]
    tp = data.task_places
    rows = tp[tp["task_id"].isin(ids) & tp["link"].isin(["lead", "responsible", "mention"])]
    expected = rows[rows["place_kind"] == "district"].groupby("place")["task_id"].nunique()
    counts = count_by_place(data, ids, CountMode.SPECIFIC)
    got = counts[counts["place_kind"] == "district"].set_index("place")["total"]
    assert got.sum() > 0
    assert got.to_dict() == expected.reindex(got.index, fill_value=0).to_dict()


WORK_REPORT, OUTLINE, PROPOSAL = "年度政府工作报告任务分解", "五年规划纲要任务分工", "五年规划建议"


@pytest.mark.parametrize(
    ("title", "kind", "year", "label"),
    [
        ("2024年市《政府工作报告》目标任务责任分解方案", WORK_REPORT, "2024", "2024年政府工作报告"),
        ("武汉市2023年政府工作报告任务分解", WORK_REPORT, "2023", "2023年政府工作报告"),
        (
            "武汉市国民经济和社会发展第十四个五年规划和2035年远景目标纲要任务分工方案",
            OUTLINE,
            "2022",
            "十四五规划纲要",
        ),
        (
            "中共武汉市委关于制定武汉市国民经济和社会发展第十五个五年规划的建议",
            PROPOSAL,
            "2025",
            "十五五规划建议",
        ),
        ("武汉市优化营商环境重点任务分工方案", "", "2024", "优化营商环境"),
    ],
)
def test_short_plan_label(title: str, kind: str, year: str, label: str) -> None:
    assert short_plan_label(title, kind, year) == label


def test_plan_labels_use_the_parsed_kind_and_year(atlas_data: AtlasData) -> None:
    assert plan_labels(atlas_data) == {
        "wr2024": "2024年政府工作报告",
        "wr2023": "2023年政府工作报告",
        "fyp14": "十四五规划纲要",
    }
