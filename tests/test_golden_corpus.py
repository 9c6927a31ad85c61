"""Golden tests on the bundled corpus: hand counts (docs/golden-counts.md), not the parser's.

The expected figures and spot checks were read off the documents independently of
`assignments/`; a disagreement here is either a parser bug or a counting rule to reconcile.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.helpers import corpus_tables

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "assignments" / "sources"
GOLDEN_CSV = Path(__file__).parent / "data" / "golden_counts.csv"

PDF_2023 = "2023-work-report-tasks_pdf-extract.txt"
FYP14 = "14th-five-year-plan-task-division.txt"
FYP15 = "15th-five-year-plan-proposal_spam-header.txt"

#: A line that is plainly an item: a leading number (or `(一)`), text, then a unit annotation.
ITEM_LINE = re.compile(
    r"^\s*(?:\d+\s*[.、．]|[(（][一二三四五六七八九十]+[)）])\s*\S.*"
    r"[(（\[〈](?:牵头单位|责任单位|配合单位|参与单位)\s*[:：]"
)
TASK_ID = re.compile(r"^(fyp14|fyp15|wr2023|wr2024)-\d+\.\d+\.(?:\d+|u\d+)$")


def tables() -> Any:
    """The corpus parsed once per session (the build is pure; the result is only read)."""
    return corpus_tables()


def _tasks() -> pd.DataFrame:
    return tables().tasks


def _task_units() -> pd.DataFrame:
    return tables().task_units


def _coverage() -> pd.DataFrame:
    cov: pd.DataFrame = tables().coverage
    return cov.assign(file=cov["source_file"].map(lambda s: Path(str(s)).name))


def _golden() -> list[tuple[str, str, int]]:
    with GOLDEN_CSV.open(encoding="utf-8", newline="") as fh:
        return [(r["plan_id"], r["part"], int(r["n_tasks"])) for r in csv.DictReader(fh)]


def _lines(name: str) -> list[str]:
    return (SOURCES / name).read_text(encoding="utf-8").split("\n")


def _nonblank(name: str) -> Iterator[tuple[int, str]]:
    return ((i, s) for i, s in enumerate(_lines(name), 1) if s.strip())


def _squash(text: str) -> str:
    """Compare texts without whitespace (PDF extracts put spaces around numbers)."""
    return re.sub(r"\s+", "", text)


def _task(task_id: str) -> pd.Series:
    rows = _tasks()[_tasks()["task_id"] == task_id]
    assert len(rows) == 1, f"{task_id}: expected one task, found {len(rows)}"
    return rows.iloc[0]


def _units(task_id: str, role: str, column: str = "unit") -> set[str]:
    tu = _task_units()
    return set(tu[(tu["task_id"] == task_id) & (tu["role"] == role)][column])


# --- counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("plan_id", "part", "n_tasks"), _golden())
def test_task_count_per_part(plan_id: str, part: str, n_tasks: int) -> None:
    tasks = _tasks()
    parts = tasks["part"].fillna("").map(_squash)
    found = int(((tasks["plan_id"] == plan_id) & (parts == _squash(part))).sum())
    assert found == n_tasks, f"{plan_id} {part or '(no part)'}: {found} tasks, hand count {n_tasks}"


@pytest.mark.parametrize("plan_id", ["fyp14", "fyp15", "wr2023", "wr2024"])
def test_task_count_per_plan(plan_id: str) -> None:
    expected = sum(n for p, _, n in _golden() if p == plan_id)
    assert int((_tasks()["plan_id"] == plan_id).sum()) == expected
    plans = tables().plans
    assert int(plans.set_index("plan_id").loc[plan_id, "n_tasks"]) == expected


def test_no_tasks_outside_the_golden_parts() -> None:
    known = {(p, _squash(part)) for p, part, n in _golden() if n}
    tasks = _tasks()
    seen = set(zip(tasks["plan_id"], tasks["part"].fillna("").map(_squash), strict=True))
    assert seen == known


def test_task_ids_unique_and_well_formed() -> None:
    ids = _tasks()["task_id"]
    assert ids.is_unique, ids[ids.duplicated()].tolist()
    assert [t for t in ids if not TASK_ID.match(t)] == []


#: fyp15 framing paragraphs, read by hand: 3 review of 十四五 (item 1, number lost), 4-6 the
#: situation (items 2, 3 and the unnumbered 综合研判), 7 the guiding thought (item 4), 56 the
#: closing remarks on carrying the proposal out.
FYP15_CONTEXT = {3: "review", 4: "situation", 5: "situation", 6: "situation", 7: "guiding_thought"}
FYP15_CONTEXT[56] = "closing"


def test_fyp15_every_paragraph_is_one_task_except_the_framing() -> None:
    """Lines 51-55 are unnumbered task paragraphs; the framing paragraphs are context."""
    tasks = _tasks()[_tasks()["plan_id"] == "fyp15"]
    expected = {i for i, _ in _nonblank(FYP15)} - {1} - set(FYP15_CONTEXT)  # 1: spam header
    assert set(tasks["source_line"].astype(int)) == expected
    unnumbered = tasks[tasks["item_no"].fillna("") == ""]
    assert {51, 52, 53, 54, 55} <= set(unnumbered["source_line"].astype(int))


def test_fyp15_framing_paragraphs_are_context_in_coverage() -> None:
    cov = _coverage()
    context = cov[(cov["file"] == FYP15) & (cov["status"] == "context")]
    pairs = zip(context["line_no"], context["detail"], strict=True)
    roles = {int(n): str(d).split(":")[0] for n, d in pairs}
    assert roles == FYP15_CONTEXT


def test_fyp15_note_says_which_paragraphs_the_copy_lacks() -> None:
    notes = str(tables().plans.set_index("plan_id").loc["fyp15", "notes"])
    assert "this copy lacks paragraphs 5–6, 18–21, 38, 51" in notes
    assert tables().report["fyp15"]["lacks"].startswith("this copy lacks paragraphs 5–6")


def test_fyp14_major_projects_one_task_per_line() -> None:
    """Part 三 (专栏): each unit line, or the chapter's single unit/text line, is one task."""
    lines = [
        i
        for i, s in _nonblank(FYP14)
        if 209 <= i <= 413 and not re.match(r"^[(（][一二三四五六七八九十]+[)）]", s)
    ]
    tasks = _tasks()
    part3 = tasks[(tasks["plan_id"] == "fyp14") & tasks["part"].fillna("").str.startswith("三、")]
    assert sorted(part3["source_line"].astype(int)) == lines


def test_wr2023_copies_merged_without_duplicates() -> None:
    tasks = _tasks()[_tasks()["plan_id"] == "wr2023"]
    key = tasks["part"].fillna("").map(_squash) + "#" + tasks["item_no"].fillna("").astype(str)
    assert key.is_unique, key[key.duplicated()].tolist()


def test_every_task_has_a_sector() -> None:
    assert (_tasks()["sector"].fillna("").str.strip() == "").sum() == 0


# --- coverage ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in SOURCES.glob("*.txt")))
def test_every_nonblank_line_covered_exactly_once(name: str) -> None:
    cov = _coverage()
    nos = cov[cov["file"] == name]["line_no"].astype(int)
    assert nos.is_unique, f"{name}: lines covered twice {sorted(nos[nos.duplicated()])}"
    missing = {i for i, _ in _nonblank(name)} - set(nos)
    assert not missing, f"{name}: lines not in coverage {sorted(missing)}"
    assert set(nos) <= set(range(1, len(_lines(name)) + 1))


def test_no_unparsed_line_looks_like_an_item() -> None:
    cov = _coverage()
    unparsed = cov[cov["status"] == "unparsed"]
    bad = [
        f"{name}:{no}"
        for name, no in zip(unparsed["file"], unparsed["line_no"].astype(int), strict=True)
        if ITEM_LINE.match(_lines(name)[no - 1])
    ]
    assert bad == []


@pytest.mark.parametrize(
    "name", sorted(p.name for p in SOURCES.glob("*.txt") if "partial" not in p.name)
)
def test_every_item_line_is_a_task(name: str) -> None:
    """(The partial web copy is left out: its lines repeat items of the PDF extract.)"""
    cov = _coverage()
    mine = cov[cov["file"] == name]
    status = dict(zip(mine["line_no"].astype(int), mine["status"].astype(str), strict=True))
    wrong = [i for i, s in _nonblank(name) if ITEM_LINE.match(s) and status.get(i) != "task"]
    assert wrong == []


def test_orphan_fragment_after_item_154_is_attached_and_reported() -> None:
    """PDF line 446 `位:市科技局、市人社局、市市场监管局)` is the tail of a unit list whose
    marker (责任单|位) was cut: the only item above it before the next heading is 154 (中小微企业和
    个体工商户创新创业: 科技, 人社 and 市场监管 fit), and every other cut annotation of the extract
    has its tail in place (79/81, 159/161, 645/647, 801/803). Attached, and the repair reported."""
    assert _units("wr2023-2.7.154", "responsible") == {
        "市工商联",
        "市科技局",
        "市人社局",
        "市市场监管局",
    }
    assert _units("wr2023-2.7.154", "lead") == {"市经信局"}
    cov = _coverage()
    row = cov[(cov["file"] == PDF_2023) & (cov["line_no"] == 446)].iloc[0]
    assert row["status"] == "task" and str(row["detail"]).startswith("repair: orphan unit tail")
    assert f"{PDF_2023}:446: repair: orphan unit tail" in " ".join(
        tables().report["wr2023"]["warnings"]
    )


# --- spot checks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spot:
    """What one item must look like; empty fields are not checked."""

    task_id: str
    text_start: str = ""
    lead: frozenset[str] | None = None
    responsible: frozenset[str] | None = None
    derived_lead: frozenset[str] | None = None
    raw_units: frozenset[str] = field(default_factory=frozenset)
    source: tuple[str, int] | None = None
    item_no: str | None = None


def _f(*names: str) -> frozenset[str]:
    return frozenset(names)


DISTRICTS = _f("各区人民政府")
SPOTS = [
    # PDF break inside the marker `牵头单\n\n位:市招商办` (lines 79-81).
    Spot("wr2023-2.1.15", "开展招商引资大比拼", _f("市招商办"), DISTRICTS, source=(PDF_2023, 79)),
    # Break inside a unit name `市城管执\n\n法委`, full-width punctuation (lines 308-310).
    Spot("wr2023-2.5.100", "完成老旧燃气管网改造 400 公里", _f("市城管执法委"), DISTRICTS),
    # 无牵头单位: the responsible unit leads (derived).
    Spot("wr2023-2.1.22", "新增专精特新“小巨人”企业", _f(), derived_lead=_f("市经信局")),
    # Nested 〈责任单位:…〉 inside the scope text (line 247).
    Spot(
        "wr2023-2.4.75",
        "扎实开展省内协作和对口帮扶",
        _f(),
        derived_lead=_f("市乡村振兴局", "市水务局"),
    ),
    # Shared suffix `武昌、洪山、江夏区人民政府` → three district governments.
    Spot(
        "wr2023-2.4.73",
        "加快建设光谷科技创新大走廊",
        _f("市科技局"),
        _f("市人才工作局", "市经信局", "东湖高新区管委会")
        | _f("武昌区人民政府", "洪山区人民政府", "江夏区人民政府"),
    ),
    # Shared suffix on zone committees `东湖高新区、武汉经开区、临空港开发区管委会`.
    Spot(
        "wr2023-2.2.35",
        "大力实施战略性新兴产业倍增计划",
        _f("市发改委"),
        _f("东湖高新区管委会", "武汉经开区管委会", "临空港开发区管委会", "新洲区人民政府"),
    ),
    # A 专栏 line of fyp14 part 三 (line 219): 责任单位 only.
    Spot(
        "fyp14-3.3.u1",
        "“光芯屏端网”新一代信息技术",
        _f(),
        derived_lead=_f("市发改委", "市科技局", "市经信局", "东湖高新区管委会"),
        source=(FYP14, 219),
    ),
    # A 专栏 chapter with a single unit line (line 211).
    Spot(
        "fyp14-3.1.u1",
        lead=_f("市委组织部"),
        responsible=_f("市人社局", "市科技局", "市经信局", "市发改委"),
    ),
    # Unnumbered paragraph with its own annotation after item 1 of (七) (line 123).
    Spot(
        "fyp14-2.7.u1",
        "实施交通畅通工程",
        raw_units=_f("市城建局", "市发改委", "市自然资源和规划局", "市交通运输局"),
        source=(FYP14, 123),
    ),
    # Several lead units.
    Spot(
        "fyp14-1.2.2",
        "全员劳动生产率增长年均大于7%",
        _f("市人社局", "市发改委"),
        _f("市教育局", "市科技局", "市经信局"),
    ),
    # `参与单位` instead of 责任单位 (line 183): the units after it take part, they do not lead.
    Spot(
        "fyp14-2.13.3",
        "完善社会保障体系",
        _f("市人社局", "市医保局", "市民政局", "市退役军人局"),
        _f("市委退役军人事务工作领导小组其他成员单位", "各区人民政府"),
    ),
    # Two nested leads inside a `(其中,…〈牵头单位:…〉;…)` scope, then a plain 责任单位 (line 171).
    Spot(
        "wr2023-2.2.49",
        "创新产业园区运营机制",
        _f("市经信局", "市发改委"),
        _f("市科技局", "市财政局", "市地方金融局", "各区人民政府"),
    ),
    # 民生实事, broken across lines 699-701 (`互助中\n\n心`).
    Spot(
        "wr2023-4.1.1",
        "新建社区老年人服务中心(站)70个、农村老年人互助中心",
        _f("市民政局"),
        DISTRICTS,
    ),
    Spot("wr2024-4.19.52", "开展红十字应急救护培训", _f("市红十字会"), DISTRICTS),
    # Targets part: `(一)` is item 1 of a part without chapters.
    Spot("wr2023-1.0.1", "地区生产总值增长 6.5% 以上", _f("市发改委"), item_no="一"),
    Spot("wr2024-1.0.1", "地区生产总值增长6%", _f("市发改委"), item_no="一"),
    Spot("wr2024-2.1.1", "加快光谷科学岛建设", _f("东湖高新区管委会"), _f("市科技局")),
    Spot(
        "wr2024-2.1.3",
        "优化重组和新建8家全国重点实验室",
        _f("市科技局"),
        _f("东湖高新区管委会", "武昌区人民政府", "洪山区人民政府", "江夏区人民政府"),
    ),
    # Unit broken across lines `市\n\n自然资源局` (lines 378-380).
    Spot("wr2023-2.6.128", "强化施工扬尘防控", _f("市城建局"), raw_units=_f("市自然资源局")),
    # Part 三 item broken across lines 669-671; groups only, no lead.
    Spot("wr2023-3.1.1", "全面贯彻习近平新时代中国特色社会主义思想,深刻领悟“两个确立”", _f()),
    # fyp15 numbered paragraphs: no units.
    Spot(
        "fyp15-0.0.12", "增强科技创新策源功能", _f(), _f(), _f(), source=(FYP15, 13), item_no="12"
    ),
    Spot("fyp15-0.0.55", "健全国家安全体系", _f(), _f(), _f(), source=(FYP15, 50)),
]


@pytest.mark.parametrize("spot", SPOTS, ids=[s.task_id for s in SPOTS])
def test_spot_check(spot: Spot) -> None:
    task = _task(spot.task_id)
    assert _squash(str(task["text"])).startswith(_squash(spot.text_start)), task["text"]
    if spot.lead is not None:
        assert _units(spot.task_id, "lead") == spot.lead
    if spot.responsible is not None:
        assert _units(spot.task_id, "responsible") == spot.responsible
    if spot.derived_lead is not None:
        assert _units(spot.task_id, "derived_lead") == spot.derived_lead
        assert _units(spot.task_id, "responsible") <= spot.derived_lead
    all_raw = set(_task_units()[_task_units()["task_id"] == spot.task_id]["unit_raw"])
    assert spot.raw_units <= all_raw, sorted(spot.raw_units - all_raw)
    if spot.source is not None:
        assert (Path(str(task["source_file"])).name, int(task["source_line"])) == spot.source
    if spot.item_no is not None:
        assert str(task["item_no"]) == spot.item_no


def test_lead_and_responsible_columns_match_task_units() -> None:
    """tasks.csv columns are the `|`-joined canonical names of task_units for each role."""
    for spot in SPOTS:
        task = _task(spot.task_id)
        if spot.lead:
            assert set(str(task["lead_units"]).split("|")) == spot.lead, spot.task_id
        if spot.responsible:
            assert set(str(task["responsible_units"]).split("|")) == spot.responsible, spot.task_id


def test_no_task_text_keeps_a_unit_annotation() -> None:
    """The text is the task without its unit parenthesis (and without a doubled full stop)."""
    tasks = _tasks()
    marker = tasks["text"].str.contains(r"(?:牵头|责任|配合|参与|协办)单位\s*[:：]")
    doubled = tasks["text"].str.contains("。。")
    assert tasks[marker | doubled]["task_id"].tolist() == []


def test_fyp15_unnumbered_paragraph() -> None:
    tasks = _tasks()
    rows = tasks[(tasks["plan_id"] == "fyp15") & (tasks["source_line"].astype(int) == 51)]
    assert len(rows) == 1
    assert _squash(str(rows.iloc[0]["text"])).startswith("把捍卫政治安全摆在首位")
    assert str(rows.iloc[0]["task_id"]).startswith("fyp15-0.0.u")


def test_group_target_unit_is_a_group() -> None:
    """`各区人民政府〈含开发区、长江新区、风景区管委会,下同〉` is one group unit, not three."""
    tu = _task_units()
    rows = tu[tu["task_id"] == "wr2024-1.0.1"]
    groups = rows[rows["unit_raw"].str.startswith("各区人民政府")]
    assert len(groups) == 1
    assert groups.iloc[0]["unit_kind"] == "group"
