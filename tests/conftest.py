"""Shared helpers: write small documents into a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assignments.document import parse_document
from assignments.model import ParsedDocument
from assignments.reading import read_source

# progress store fixtures (SQLite and a throwaway PostgreSQL), shared by tests/test_progress_*.py
pytest_plugins = ["tests.progress_fixtures"]

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture
def write_doc(tmp_path: Path) -> Callable[..., Path]:
    def write(text: str, name: str = "doc.txt", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def parse_text(write_doc: Callable[..., Path]) -> Callable[[str], ParsedDocument]:
    def parse(text: str) -> ParsedDocument:
        return parse_document(read_source(write_doc(text)))

    return parse
