"""Issue 7, silent task loss: the forum shapes, built from the real bundled forum repost."""

from __future__ import annotations

from pathlib import Path

from assignments.document import parse_document
from assignments.model import ParsedDocument
from assignments.reading import SourceText
from tests.helpers import load_benchmark

FUZZ = load_benchmark("parser_fuzz")
FORUM = (FUZZ.SOURCES / FUZZ.FORUM).read_text("utf-8").split("\n")
VARIANTS = FUZZ.forum_variants(FORUM)


def _parse(lines: list[str]) -> ParsedDocument:
    return parse_document(SourceText(Path("forum.txt"), tuple(lines), "utf-8"))


def _status(doc: ParsedDocument, lines: list[str], starts: str) -> tuple[str, str]:
    no = next(i for i, line in enumerate(lines, start=1) if line.startswith(starts))
    return next((c.status, c.detail) for c in doc.coverage if c.line_no == no)


def test_official_text_continued_in_a_second_post_keeps_every_item() -> None:
    lines = VARIANTS["second post (chrome between 150 and 151)"]
    doc = _parse(lines)
    assert len(doc.tasks) == 302  # was 155: items 151… filed as noise, exit 0, no warning
    assert _status(doc, lines, "151.") == ("task", "item 151")
    assert _status(doc, lines, "52.开展红十字") == ("task", "item 52")
    chrome = [c for c in doc.coverage if lines[c.line_no - 1] == "yellowcranetower"]
    assert {c.status for c in chrome} == {"noise"}  # every author line, middle and tail
    assert not [w for w in doc.warnings if w.isupper() or "MISSING" in w or "NOT PLACED" in w]


def test_task_quoted_in_a_reply_before_the_plan_is_reported_not_taken_for_the_plan() -> None:
    lines = VARIANTS["quoted 185. reply"]
    doc = _parse(lines)
    assert len(doc.tasks) == 302  # was 1: the quote was taken for the start of the plan
    quote = next(i for i, line in enumerate(lines, start=1) if line.startswith("185."))
    assert _status(doc, lines, "185.") == (
        "unparsed",
        "numbered line before the plan text, outside its item sequence",
    )
    assert _status(doc, lines, "引用:")[0] == "noise"
    assert [w for w in doc.warnings if "NUMBERED LINES NOT PLACED" in w and f" {quote})" in w]


def test_a_bare_number_never_swallows_the_next_item() -> None:
    at = FORUM.index(next(line for line in FORUM if line.startswith("5.建设湾区")))
    lines = [*FORUM[:at], "12.", *FORUM[at:]]
    doc = _parse(lines)
    assert len(doc.tasks) == 302
    assert _status(doc, lines, "5.建设湾区") == ("task", "item 5")
    assert _status(doc, lines, "12.")[0] == "unparsed"


def test_numbered_line_in_the_forum_tail_is_unparsed_not_noise() -> None:
    lines = [*FORUM, "1.我觉得第一条写得最好。"]
    doc = _parse(lines)
    assert _status(doc, lines, "1.我觉得") == (
        "unparsed",
        "numbered line after the plan text, outside its item sequence",
    )
    assert any(w.startswith("NUMBERED LINES NOT PLACED") for w in doc.warnings)


def test_many_missing_items_warn_loudly_and_name_the_gap() -> None:
    first, last = (FORUM.index(next(x for x in FORUM if x.startswith(f"{n}."))) for n in (100, 110))
    lines = FORUM[:first] + FORUM[last + 1 :]
    doc = _parse(lines)
    assert doc.warnings[0].startswith("ITEMS MISSING: forum.txt: 11 item numbers missing")
    assert "part 2 100-110" in doc.warnings[0]
    quiet = FORUM[:first] + FORUM[first + 1 :]  # one lost item: a plain warning, not a loud one
    assert not any(w.startswith("ITEMS MISSING") for w in _parse(quiet).warnings)


def test_build_summary_puts_lost_items_first_and_marks_them(tmp_path: Path) -> None:
    from assignments.corpus import build_tables
    from assignments.report import build_summary

    first, last = (FORUM.index(next(x for x in FORUM if x.startswith(f"{n}."))) for n in (100, 110))
    (tmp_path / "forum.txt").write_text("\n".join(FORUM[:first] + FORUM[last + 1 :]), "utf-8")
    summary = build_summary(build_tables([tmp_path]), None, tmp_path / "out")
    loud = [line for line in summary.splitlines() if line.startswith("    !! ")]
    assert loud and "ITEMS MISSING" in loud[0] and "part 2 100-110" in loud[0]
