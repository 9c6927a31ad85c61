"""Agency alias table: renamed and abbreviated units, shared suffixes, unknown units kept."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from assignments.agencies import (
    AGENCIES_CSV,
    Agency,
    alias_table,
    expand_shared_suffix,
    resolve_unit,
    unknown_units,
)
from assignments.schema import UNIT_KINDS

SOURCES = Path(__file__).resolve().parent.parent / "assignments" / "sources"
FIVE_ZONES = (
    "东湖高新区管委会",
    "武汉经开区管委会",
    "临空港开发区管委会",
    "长江新区管委会",
    "东湖风景区管委会",
)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("市自然资源和规划局", "市自然资源规划局"),
        ("市自然资源规划局", "市自然资源规划局"),
        ("市国资委", "市政府国资委"),
        ("市应急管理局", "市应急局"),
        ("市民防办", "市国动办"),
        ("长江新城管委会", "长江新区管委会"),
        ("武汉公积金中心", "市公积金中心"),
        ("武汉市发改委", "市发改委"),
        ("市停车场指挥部", "市停车场及新能源汽车配套设施建设工作指挥部"),
    ],
)
def test_renamed_and_abbreviated_units_share_one_canonical(raw: str, canonical: str) -> None:
    assert resolve_unit(raw).canonical == canonical


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("市委组织部", "municipal"),
        ("市委网信办", "municipal"),
        ("市政府国资委", "municipal"),
        ("东湖高新区管委会", "zone"),
        ("武汉新港管委会", "zone"),
        ("团市委", "people_org"),
        ("市工商联", "people_org"),
        ("市通信管理局", "central_provincial"),
        ("武汉地铁集团", "soe"),
        ("各新城区人民政府", "group"),
        ("市人民政府各部门", "group"),
        ("江夏区人民政府", "district"),
    ],
)
def test_kinds(raw: str, kind: str) -> None:
    assert resolve_unit(raw).kind == kind


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(市发改委)", Agency("市发改委", "municipal")),
        ("（市发改委）", Agency("市发改委", "municipal")),
        (" 市 发改委 ", Agency("市发改委", "municipal")),
        ("江夏区人民政府。", Agency("江夏区人民政府", "district")),
        ("江夏", Agency("江夏区人民政府", "district")),
        ("江夏区", Agency("江夏区人民政府", "district")),
        ("东湖高新区", Agency("东湖高新区管委会", "zone")),
        ("各区人民政府〈含开发区、长江新区、风景区管委会,下同〉", Agency("各区人民政府", "group")),
        ("市委宣传部〈市文明办〉", Agency("市委宣传部", "municipal")),
        ("市自贸办〈东湖高新区管委会〉", Agency("市自贸办", "municipal")),
        (
            "参与单位:市委退役军人事务工作领导小组其他成员单位",
            Agency("市委退役军人事务工作领导小组其他成员单位", "group"),
        ),
    ],
)
def test_width_brackets_notes_and_bare_names(raw: str, expected: Agency) -> None:
    assert resolve_unit(raw) == expected


def test_unknown_unit_is_kept_as_written() -> None:
    assert resolve_unit(" 市火星开发局 ") == Agency("市火星开发局", "unknown")
    assert resolve_unit("国家(武汉)新中心") == Agency("国家(武汉)新中心", "unknown")
    raws = ["市发改委", "市火星开发局", "市月球局", "市火星开发局"]
    assert unknown_units(raws) == ["市火星开发局", "市月球局"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ["武昌", "洪山", "江夏区人民政府"],
            ["武昌区人民政府", "洪山区人民政府", "江夏区人民政府"],
        ),
        (
            ["江汉", "硚口", "黄陂区人民政府"],
            ["江汉区人民政府", "硚口区人民政府", "黄陂区人民政府"],
        ),
        (
            ["东湖高新区", "武汉经开区", "临空港开发区管委会"],
            ["东湖高新区管委会", "武汉经开区管委会", "临空港开发区管委会"],
        ),
        (["洪山区", "各新城区人民政府"], ["洪山区人民政府", "各新城区人民政府"]),
        (["市发改委", "武昌", "江夏区人民政府"], ["市发改委", "武昌区人民政府", "江夏区人民政府"]),
    ],
)
def test_shared_suffix_lists_expand(names: list[str], expected: list[str]) -> None:
    assert expand_shared_suffix(names) == expected


def test_shared_suffix_needs_a_matching_suffixed_item() -> None:
    assert expand_shared_suffix(["江夏", "东湖高新区管委会"]) == ["江夏", "东湖高新区管委会"]
    assert expand_shared_suffix(["长江", "江夏区人民政府"]) == ["长江", "江夏区人民政府"]
    assert expand_shared_suffix(["武昌", "市发改委"]) == ["武昌", "市发改委"]


def test_table_is_consistent() -> None:
    table = alias_table()
    assert {a.kind for a in table.values()} <= set(UNIT_KINDS) - {"unknown"}
    for agency in set(table.values()):  # every canonical name resolves to itself
        assert resolve_unit(agency.canonical) == agency
    zones = {a.canonical for a in table.values() if a.kind == "zone"}
    assert set(FIVE_ZONES) <= zones
    districts = {a.canonical for a in table.values() if a.kind == "district"}
    assert len(districts) == 13


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("市发改委,市发改委,ministry,", "row 3: unknown kind 'ministry'"),
        ("市发改委,市发改委,municipal,", "row 3: duplicate alias"),
        ("市甲局,市甲局,municipal,a,b", "row 3: wrong number of fields (5 for 4 columns"),
    ],
)
def test_bad_table_rows_are_named(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "agencies_bad.csv"
    path.write_text(f"alias,canonical,kind,note\n市发改委,市发改委,municipal,\n{row}\n", "utf-8")
    with pytest.raises(ValueError, match=re.escape(f"agencies_bad.csv {message}")):
        alias_table(path)


# --- every unit named in the bundled corpus resolves ---------------------------------------

_MARKER = re.compile(r"(?:牵头单位|责任单位|配合单位|参与单位):((?:[^()\[\];〈〉]|〈[^〈〉:]*〉)*)")
_SPLIT = re.compile(r"[、,](?![^〈]*〉)")  # not inside a 〈…〉 note


def _logical_lines(path: Path) -> Iterator[str]:
    """Source lines, with a line whose `(` is still open joined to the next (PDF breaks)."""
    buffer = ""
    for line in path.read_text("utf-8").splitlines():
        line = re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))
        buffer += line
        if buffer and buffer.count("(") <= buffer.count(")"):
            yield buffer
            buffer = ""
    if buffer:
        yield buffer


def corpus_units() -> list[str]:
    """Every unit string after a role marker in the five bundled documents."""
    units = []
    for path in sorted(SOURCES.glob("*.txt")):
        for line in _logical_lines(path):
            for match in _MARKER.finditer(line):
                units += [u for u in _SPLIT.split(match.group(1)) if u.strip(" 。;")]
    return units


def test_corpus_extraction_finds_the_units() -> None:
    units = corpus_units()
    assert len(units) > 2500
    assert {"市城管执法委", "各区人民政府", "蔡甸", "临空港开发区管委会"} <= set(units)


def test_every_corpus_unit_resolves_to_a_known_kind() -> None:
    units = corpus_units()
    assert unknown_units(units) == [], f"unresolved units: {unknown_units(units)}"
    canonical = {resolve_unit(u).canonical for u in units}
    assert "市自然资源和规划局" not in canonical  # merged into its short form
    assert AGENCIES_CSV.exists()
