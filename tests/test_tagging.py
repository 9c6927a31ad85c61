"""Place tagging: unit links, groups by year, gazetteer mentions, outside places, the sample."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from assignments.corpus import CorpusTables
from assignments.model import UnitRef
from assignments.schema import TASK_PLACES_COLUMNS
from geodata.places import Group, default_tables, errors, load_tables, read_table
from geodata.tagging import PlaceIndex, PlaceLink, default_index, tag_task, tag_tasks
from tests.helpers import load_benchmark

ROOT = Path(__file__).resolve().parents[1]
CENTRAL = ["江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区"]


def unit(raw: str, role: str = "responsible", canonical: str | None = None) -> UnitRef:
    return UnitRef(raw, canonical or raw, "", role)


def mentions(text: str) -> dict[str, PlaceLink]:
    return {x.place: x for x in tag_task(text, [], year=2024) if x.link == "mention"}


# --- alias resolution -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("江夏区人民政府", "江夏区"),
        ("武汉市江夏区人民政府", "江夏区"),
        ("东湖新技术开发区管理委员会", "东湖高新区"),
        ("临空港经开区管委会", "临空港开发区"),
        ("长江新城管委会", "长江新区"),
        ("武汉经济技术开发区管委会", "武汉经开区"),
        ("东湖生态旅游风景区管委会", "东湖风景区"),
    ],
)
def test_unit_aliases_resolve_to_display_names(name: str, place: str) -> None:
    assert default_index().resolve_unit(name) == place


def test_agencies_and_other_committees_are_not_places() -> None:
    idx = default_index()
    assert idx.resolve_unit("市发改委") is None
    assert idx.resolve_unit("武汉新港管委会") is None
    assert idx.resolve_unit("中法武汉生态城管委会") is None


def test_text_aliases_光谷_车谷_map_to_their_zones() -> None:
    found = mentions("打造光谷、车谷两大市域产教联合体")
    assert {p: x.evidence for p, x in found.items()} == {"东湖高新区": "光谷", "武汉经开区": "车谷"}
    assert {x.precision for x in found.values()} == {5}  # two zones named together


def test_unit_links_keep_the_unit_as_written_and_derived_lead_counts_as_lead() -> None:
    links = tag_task(
        "建设数字技术创新中心。",
        [unit("东湖高新区管委会", "responsible"), unit("东湖高新区管委会", "derived_lead")],
        year=2024,
    )
    assert [(x.place, x.link, x.evidence, x.precision) for x in links] == [
        ("东湖高新区", "responsible", "东湖高新区管委会", 4),
        ("东湖高新区", "lead", "东湖高新区管委会", 4),
    ]


def test_a_zone_committee_in_a_units_note_stands_for_the_zone() -> None:
    links = tag_task(
        "深入落实自贸区提升战略",
        [unit("市自贸办〈东湖高新区管委会〉", "lead", "市自贸办")],
        year=2024,
    )
    assert [(x.place, x.link) for x in links] == [("东湖高新区", "lead")]


# --- groups by year ---------------------------------------------------------------------------


def test_all_follows_each_documents_definition() -> None:
    tables = default_tables()
    fyp14 = tables.group_members(
        "ALL", 2022
    )  # 〈含东湖高新区、武汉经开区、东湖风景区、长江新城管委会〉
    reports = tables.group_members("ALL", 2024)  # 〈含开发区、长江新区、风景区管委会〉
    assert len(fyp14) == 17 and "临空港开发区" not in fyp14 and "东西湖区" in fyp14
    assert len(reports) == 18 and set(reports) - set(fyp14) == {"临空港开发区"}


def test_new_district_group_expands_to_the_four_new_districts() -> None:
    links = tag_task("新改建农村公路150公里。", [unit("各新城区人民政府")], year=2024)
    assert [(x.place, x.group, x.link, x.precision) for x in links] == [
        (d, "NEW", "group", 6) for d in ("蔡甸区", "江夏区", "黄陂区", "新洲区")
    ]
    assert all(x.evidence == "各新城区人民政府" for x in links)


def test_central_group_is_the_seven_central_districts() -> None:
    links = tag_task("修缮二次供水设施", [unit("各中心城区人民政府")], year=2023)
    assert [x.place for x in links] == CENTRAL


def test_group_expansion_picks_the_row_for_the_plan_year() -> None:
    base = default_tables()
    old = Group("NEW", ("各新城区人民政府",), 2010, 2020, ("东西湖区", "汉南区", "蔡甸区"), "test")
    idx = PlaceIndex(dataclasses.replace(base, groups=(*base.groups, old)))
    members = {
        y: {x.place for x in tag_task("", [unit("各新城区人民政府")], year=y, index=idx)}
        for y in (2015, 2024, 2035)
    }
    assert members[2015] == {"东西湖区", "汉南区", "蔡甸区"}
    assert members[2024] == members[2035] == {"蔡甸区", "江夏区", "黄陂区", "新洲区"}


def test_related_districts_are_one_unexpanded_row() -> None:
    links = tag_task("轨道交通。", [unit("市城建局", "lead"), unit("相关区人民政府")], year=2022)
    assert links == [PlaceLink("未指明区", "unspecified", "group", "RELATED", "相关区人民政府", 8)]


# --- mentions, longest match, overlaps ----------------------------------------------------------


def test_two_districts_named_in_text_are_both_tagged_as_several() -> None:
    found = mentions("支持江岸、江汉、硚口、武昌、洪山建设国际消费中心城市先行示范区")
    assert set(found) == {"江岸区", "江汉区", "硚口区", "武昌区", "洪山区"}
    assert found["硚口区"].evidence == "硚口" and found["硚口区"].precision == 5


def test_a_single_district_named_keeps_district_precision() -> None:
    assert mentions("加快推进黄陂区全国“五好两宜”和美乡村试点建设")["黄陂区"].precision == 3


def test_longest_match_wins() -> None:
    assert set(mentions("升级黎黄陂路、户部巷")) == {"江岸区", "武昌区"}  # not 黄陂区
    assert mentions("支持东湖高新区建设") == {
        "东湖高新区": PlaceLink("东湖高新区", "zone", "mention", "", "东湖高新区", 4)
    }
    assert set(mentions("建成东湖绿道三期")) == {"东湖风景区"}


@pytest.mark.parametrize(
    "text",
    [
        "谋划大汉阳地区、大光谷地区消费集中度设施建设",
        "推进江汉十桥建设",
        "加快建设光谷科技创新大走廊",
        "长江大保护",
        "江夏区人民政府",
        "持续弘扬大别山精神",
    ],
)
def test_blocked_and_unit_words_give_no_mention(text: str) -> None:
    assert tag_task(text, [], year=2023) == []


def test_光谷_tags_the_zone_not_a_district() -> None:
    found = mentions("加快光谷科学岛建设")
    assert set(found) == {"东湖高新区"} and found["东湖高新区"].precision == 1


def test_a_site_in_临空港_tags_the_zone_and_its_district() -> None:
    assert set(mentions("支持临空港开发区提升网安基地综合实力")) == {"临空港开发区", "东西湖区"}


def test_an_area_spanning_units_tags_each_with_area_precision() -> None:
    found = mentions("加快巡司河、汤逊湖等河湖水环境治理")
    assert set(found) == {"武昌区", "洪山区", "江夏区", "东湖高新区"}
    assert {x.precision for x in found.values()} == {2}


def test_武汉新城_is_东湖高新区_plus_鄂州_outside() -> None:
    links = tag_task("高标准启动武汉新城建设", [], year=2023)
    assert {(x.place, x.place_kind) for x in links} == {("东湖高新区", "zone"), ("鄂州", "outside")}


# --- outside places ---------------------------------------------------------------------------


def test_outside_places_are_kept_as_outside() -> None:
    links = tag_task("扎实做好省内结对帮扶工作。(结对帮扶恩施州和宜昌市五峰县)", [], year=2024)
    assert [(x.place, x.place_kind, x.evidence, x.precision) for x in links] == [
        ("恩施州", "outside", "恩施州", 7),
        ("宜昌", "outside", "宜昌市", 7),
        ("五峰县", "outside", "五峰县", 7),
    ]


def test_花湖机场_is_鄂州_and_援疆_is_新疆() -> None:
    links = tag_task("强化天河机场、花湖机场双枢纽协同。加强援疆工作", [], year=2025)
    assert {(x.place, x.place_kind) for x in links} == {
        ("黄陂区", "district"),
        ("鄂州", "outside"),
        ("新疆", "outside"),
    }


# --- frames -----------------------------------------------------------------------------------


def test_tag_tasks_uses_plan_years_and_deduplicates() -> None:
    tasks = pd.DataFrame(
        {"task_id": ["a-1", "b-1"], "plan_id": ["a", "b"], "text": ["汉正街", "汉正街"]}
    )
    task_units = pd.DataFrame(
        {
            "task_id": ["a-1", "a-1", "b-1"],
            "unit_raw": ["各区人民政府", "各区人民政府", "各区人民政府"],
            "unit": ["各区人民政府"] * 3,
            "unit_kind": ["group"] * 3,
            "role": ["responsible", "derived_lead", "responsible"],
        }
    )
    plans = pd.DataFrame({"plan_id": ["a", "b"], "year": [2022, 2024]})
    out = tag_tasks(tasks, task_units, plans)
    assert list(out.columns) == list(TASK_PLACES_COLUMNS)
    assert out.groupby("task_id").size().to_dict() == {"a-1": 18, "b-1": 19}
    assert not out.duplicated().any()


# --- tables -----------------------------------------------------------------------------------


def test_bundled_tables_are_consistent() -> None:
    tables = load_tables()
    assert errors(tables) == []
    assert [p.name for p in tables.places if p.kind == "zone"] == [
        "东湖高新区",
        "武汉经开区",
        "临空港开发区",
        "长江新区",
        "东湖风景区",
    ]
    assert tables.place("江夏区").id == "420115"


def test_errors_name_the_table_and_the_entry() -> None:
    tables = default_tables()
    bad = dataclasses.replace(tables.gazetteer[0], units=("光谷区",))
    problems = errors(dataclasses.replace(tables, gazetteer=(bad, *tables.gazetteer[1:])))
    assert problems == [f"gazetteer.csv: {bad.name}: unknown unit 光谷区"]


def test_missing_column_is_reported_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("id,name\n420115,江夏区\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"places\.csv: missing column\(s\) kind"):
        read_table(path)


# --- the labelled sample ----------------------------------------------------------------------


def _quality_module() -> ModuleType:
    return load_benchmark("tagging_quality")


def test_sample_ids_match_the_parsed_tasks(corpus: CorpusTables) -> None:
    sample = _quality_module().read_sample()
    text = dict(zip(corpus.tasks["task_id"], corpus.tasks["text"], strict=True))
    assert len(sample) >= 120 and set(sample["plan_id"]) == {"fyp14", "fyp15", "wr2023", "wr2024"}
    drifted = [
        t
        for t, s in zip(sample["task_id"], sample["text_start"], strict=True)
        if not str(text.get(t, "")).startswith(s)
    ]
    assert drifted == []


def test_sample_precision_and_recall_meet_the_targets(corpus: CorpusTables) -> None:
    quality = _quality_module()
    places = tag_tasks(corpus.tasks, corpus.task_units, corpus.plans)
    scores = quality.evaluate(quality.read_sample(), places, corpus.plans, default_tables())
    for link in ("lead", "responsible"):
        assert (scores[link].precision, scores[link].recall) == (1.0, 1.0), link
    assert scores["mention"].precision >= 0.95
    assert scores["mention"].recall >= 0.90
    assert scores["group"].recall == 1.0


def test_every_district_zone_and_area_group_unit_in_the_corpus_is_linked(
    corpus: CorpusTables,
) -> None:
    idx = default_index()
    units = corpus.task_units.drop_duplicates(["unit", "unit_raw"])
    unlinked = {
        raw
        for name, raw, kind in zip(
            units["unit"], units["unit_raw"], units["unit_kind"], strict=True
        )
        if (
            kind in ("district", "zone")
            or raw.startswith(("各区", "各中心城区", "各新城区", "相关区"))
        )
        and idx.classify(name, raw) == ("", "")
    }
    # committees of a port authority and of a project area are not districts or zones
    assert unlinked == {"武汉新港管委会", "中法武汉生态城管委会"}


def test_related_rows_of_the_corpus_say_districts_unspecified(corpus: CorpusTables) -> None:
    places = tag_tasks(corpus.tasks, corpus.task_units, corpus.plans)
    assert (places["place"].fillna("") == "").sum() == 0  # was 12 rows with an empty place
    related = places[places["group"] == "RELATED"]
    assert len(related) == 12
    assert set(related["place"]) == {"未指明区"} and set(related["place_kind"]) == {"unspecified"}
    assert set(related["precision"]) == {8}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("统筹推进大黄鹤楼文旅板块", {"武昌区"}),
        ("统筹推进大知音文旅板块", {"汉阳区", "蔡甸区"}),
        ("持续改善大东湖等湖泊生态环境", {"东湖风景区", "武昌区", "洪山区", "青山区"}),
        ("加快建设双柳长江大桥", {"新洲区"}),
        ("办好琴台音乐节", {"汉阳区"}),
        ("建设新港空港综合保税区", {"新洲区", "长江新区", "东西湖区", "临空港开发区"}),
        ("推动东湖、新港空港、经开等综合保税区发展", {"东湖高新区", "新洲区", "长江新区"}),
    ],
)
def test_audited_place_mentions(text: str, expected: set[str]) -> None:
    found = set(mentions(text))
    assert expected <= found
    assert "黄陂区" not in found  # 新港空港综保区 is the 阳逻 and 东西湖 parks, not 天河


def test_new_port_and_airport_bonded_zone_is_the_yangluo_and_dongxihu_parks() -> None:
    found = set(mentions("推动东湖、新港空港、经开等综合保税区发展"))
    assert {"东西湖区", "临空港开发区", "武汉经开区"} <= found
