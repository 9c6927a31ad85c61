"""The interface says which numbered paragraphs a plan's copy lacks (issue 7): the 十五五
proposal's copy lacks paragraphs 5–6, 18–21, 38 and 51, so its count is not the whole plan."""

from __future__ import annotations

import pytest

from assignments.corpus import lacking_in_note
from dashboard import callbacks as cb
from dashboard.data import AtlasData
from dashboard.describe import copy_gap_notes
from dashboard.viewstate import Filters

pytestmark = pytest.mark.slow


def test_the_note_written_by_the_build_is_read_back() -> None:
    note = "metadata inferred; this copy lacks paragraphs 5–6, 18–21, 38, 51 (numbering gaps)"
    assert lacking_in_note(note) == ("paragraphs", ["5–6", "18–21", "38", "51"])
    assert lacking_in_note("metadata inferred from text") is None


def test_the_summary_names_the_missing_paragraphs_of_the_proposal(corpus_data: AtlasData) -> None:
    fyp15 = cb.on_filters(corpus_data, Filters(plans=("fyp15",)))["summary"]
    assert "所收副本缺第 5–6、18–21、38、51 段" in str(fyp15)
    assert "十五五" in "".join(copy_gap_notes(corpus_data, ("fyp15",)))
    wr2024 = cb.on_filters(corpus_data, Filters(plans=("wr2024",)))["summary"]
    assert "副本不全" not in str(wr2024)
    assert any("缺第" in n for n in copy_gap_notes(corpus_data, ()))  # all plans: said too
