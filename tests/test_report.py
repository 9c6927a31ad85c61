"""`task-atlas parse` reports failure when a document would lose items in a build."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assignments import report
from assignments.document import parse_document
from assignments.model import CoverageLine, ParsedDocument
from assignments.reading import read_source
from cli.main import main

DOC = "一、重点工作\n1、推进汉正街转型升级。(牵头单位:市商务局)\n2、建设光谷科学岛。(牵头单位:市科技局)\n"


def _doc(tmp_path: Path, text: str = DOC) -> tuple[ParsedDocument, Path]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return parse_document(read_source(path)), path


def test_a_clean_document_passes(tmp_path: Path) -> None:
    doc, path = _doc(tmp_path)
    assert report.parse_problems(doc, read_source(path)) == []
    text, ok = report.parse_report(path)
    assert ok and text.endswith("  ok")


def test_unparsed_numbered_lines_fail(tmp_path: Path) -> None:
    doc, path = _doc(tmp_path, DOC + "3、一行解析器无法归位的编号行\n随便一行\n")
    lost = (
        CoverageLine("doc.txt", 4, "unparsed", "could not place"),
        CoverageLine("doc.txt", 5, "unparsed", "text"),  # not numbered: reported, not a failure
    )
    doc = replace(doc, coverage=(*doc.coverage[:3], *lost))
    assert report.parse_problems(doc, read_source(path)) == [
        "1 numbered line(s) not parsed as items (line 4)"
    ]


def test_parse_exits_1_when_no_tasks_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """parse_report always returned True, so the failure branch of `parse` never ran."""
    doc, path = _doc(tmp_path)
    monkeypatch.setattr(report, "parse_document", lambda source: replace(doc, tasks=()))
    assert main(["parse", str(path)]) == 1
    assert capsys.readouterr().out.rstrip().endswith("FAILED: no tasks found")
    assert main(["parse", "--json", str(path)]) == 1
    assert '"problems": [\n    "no tasks found"\n  ]' in capsys.readouterr().out
