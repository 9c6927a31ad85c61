"""The one reader of the reviewable tables: every mistake names the table, the row and the column."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assignments import wrapper
from assignments.tables import TableError, read_table
from geodata.zones import read_zone_specs


def _table(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_carry_their_line_and_stripped_cells(tmp_path: Path) -> None:
    path = _table(tmp_path, 'a,b\n1, x \n\n"2\nmore",y\n3,z\n')
    rows = read_table(path, ("a", "b"))
    assert [(r.line, r["a"], r["b"]) for r in rows] == [
        (2, "1", "x"),
        (4, "2\nmore", "y"),
        (6, "3", "z"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,c\n1,2\n", "t.csv: missing column(s) b (row 1 is the header: a, c)"),
        ("", "t.csv: missing column(s) a, b (row 1 is the header: empty)"),
        (
            "a,b\n1,2\n3,4,5\n",
            "t.csv row 3: wrong number of fields (3 for 2 columns; an unquoted comma?)",
        ),
        ("a,b\n1,2\n3\n", "t.csv row 3: wrong number of fields (1 for 2 columns)"),
        ("a,b\n1,2\n ,4\n", "t.csv row 3: empty a"),
    ],
)
def test_mistakes_name_table_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TableError) as info:
        read_table(_table(tmp_path, text), ("a", "b"), not_empty=("a",))
    assert str(info.value) == message


def test_not_utf8_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("a,b\n1,2\n江夏,3\n".encode("gbk"))
    with pytest.raises(TableError, match=r"t\.csv row 3: not UTF-8"):
        read_table(path, ("a", "b"))


@pytest.fixture
def wrapper_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "wrapper_patterns.csv"
    monkeypatch.setattr(wrapper, "_TABLE", path)
    wrapper.wrapper_patterns.cache_clear()
    yield path
    wrapper.wrapper_patterns.cache_clear()


def test_wrapper_table_without_a_column_is_named_not_a_keyerror(wrapper_table: Path) -> None:
    """A missing column was a KeyError('effect') from inside the parser."""
    wrapper_table.write_text("pattern,status,reason\n^导航$,noise,nav\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"wrapper_patterns\.csv: missing column\(s\) effect"):
        wrapper.wrapper_patterns()


def test_wrapper_pattern_that_is_not_a_regex_is_named(wrapper_table: Path) -> None:
    wrapper_table.write_text(
        "pattern,status,effect,reason\n^(导航$,noise,line,nav\n", encoding="utf-8"
    )
    with pytest.raises(TableError, match=r"wrapper_patterns\.csv row 2: pattern is not a regular"):
        wrapper.wrapper_patterns()


def test_zone_table_without_a_column_is_named_not_a_keyerror(tmp_path: Path) -> None:
    path = _table(tmp_path, "id,name,method\nZ-X,某区,same_as_district\n", "zones.csv")
    with pytest.raises(TableError, match=r"zones\.csv: missing column\(s\) whole_districts"):
        read_zone_specs(path)


def test_zone_with_bad_anchors_names_its_row(tmp_path: Path) -> None:
    header = (
        "id,name,method,whole_districts,host_districts,anchors,exclude_zones,approximate,note\n"
    )
    row = "Z-X,某区,circles_within_districts,,420111,光谷 114.3 30.5,,true,示意\n"
    path = _table(tmp_path, header + row, "zones.csv")
    with pytest.raises(TableError, match=r"zones\.csv row 2: anchors: '光谷 114.3 30.5' is not"):
        read_zone_specs(path)
