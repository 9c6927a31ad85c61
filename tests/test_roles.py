"""One table of role-marker words: every reader of annotations understands every word."""

from __future__ import annotations

import pytest

from assignments.agencies import clean_unit
from assignments.lines import LineKind, classify, has_unit_annotation
from assignments.roles import ROLE_WORDS
from assignments.units import split_annotation


@pytest.mark.parametrize("word", list(ROLE_WORDS))
def test_every_role_word_is_read_by_every_reader(word: str) -> None:
    role = ROLE_WORDS[word]
    assert has_unit_annotation(f"任务。({word}:市发改委)")
    assert classify(f"({word}:市发改委)").kind == LineKind.UNITS  # a unit line on its own
    nested = split_annotation(f"任务(结对帮扶〈{word}:市乡村振兴局〉)")
    assert nested.units == (("市乡村振兴局", role),)
    assert clean_unit(f"{word}:市发改委") == "市发改委"


def test_zhuban_is_a_lead_role_on_its_own_line() -> None:
    # 主办单位 was missing from the unit-line and nested patterns (issue 8).
    assert classify("主办单位:市商务局").kind == LineKind.UNITS
    assert split_annotation("任务(其中〈主办单位:市商务局〉)").units == (("市商务局", "lead"),)
