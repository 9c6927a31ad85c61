"""URL state: round trip, and bad parameters fall back to defaults with a notice."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.data import load_atlas
from dashboard.fieldkinds import Vocabulary, vocabulary
from dashboard.options import SPECIFIC_LINKS, AgencyRole, CountMode
from dashboard.urlstate import parse_query, to_query
from dashboard.viewstate import MAX_KEYWORD, Filters
from tests.helpers import FIXTURE

VOCAB = vocabulary(load_atlas(FIXTURE))  # at import: hypothesis strategies are built from it


def _pick(values: frozenset[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(sorted(values)), unique=True, max_size=3).map(tuple)


filters_strategy = st.builds(
    Filters,
    plans=_pick(VOCAB.plans),
    sectors=_pick(VOCAB.sectors),
    agency=st.none() | st.sampled_from(sorted(VOCAB.agencies)),
    agency_role=st.sampled_from(list(AgencyRole)),
    links=st.lists(st.sampled_from(SPECIFIC_LINKS), unique=True).map(tuple),
    keyword=st.text(max_size=MAX_KEYWORD).map(str.strip),
    mode=st.sampled_from(list(CountMode)),
    place=st.none() | st.sampled_from(sorted(VOCAB.places)),
    show_zones=st.booleans(),
)


@given(filters_strategy)
def test_round_trip(filters: Filters) -> None:
    parsed, notices = parse_query(to_query(filters), VOCAB)
    assert notices == ()
    assert parsed == filters


def test_defaults_serialise_to_nothing() -> None:
    assert to_query(Filters()) == ""
    assert parse_query("", VOCAB) == (Filters(), ())
    assert parse_query(None, VOCAB) == (Filters(), ())


def test_chinese_values_are_percent_encoded() -> None:
    query = to_query(Filters(sectors=("科技创新",), place="江夏区"))
    assert query == f"?sector={quote('科技创新')}&place={quote('江夏区')}"


@pytest.mark.parametrize(
    ("search", "notice"),
    [
        ("?plan=nope", "未知计划：nope"),
        ("?sector=不存在", "未知领域：不存在"),
        ("?agency=某某局", "未知单位：某某局"),
        ("?place=北京", "未知地点：北京"),
        ("?mode=all", "无效的计数口径“all”"),
        ("?role=boss", "无效的单位角色“boss”"),
        ("?zones=maybe", "无效的功能区开关“maybe”"),
        ("?link=group", "未知关联方式：group"),
        ("?foo=1", "未知参数：foo"),
    ],
)
def test_invalid_params_fall_back_with_notice(search: str, notice: str) -> None:
    filters, notices = parse_query(search, VOCAB)
    assert filters == Filters()
    assert any(notice in n for n in notices), notices


def test_valid_parts_survive_next_to_invalid_ones() -> None:
    filters, notices = parse_query("?plan=wr2024&plan=bogus&mode=citywide&q=" + "光" * 80, VOCAB)
    assert filters.plans == ("wr2024",)
    assert filters.mode == CountMode.WITH_CITYWIDE
    assert len(filters.keyword) == MAX_KEYWORD
    assert len(notices) == 2


def test_vocabulary_is_built_from_data() -> None:
    assert isinstance(VOCAB, Vocabulary)
    assert {"江夏区", "东湖高新区"} <= VOCAB.places
    assert VOCAB.plans == {"wr2024", "wr2023", "fyp14"}
