"""Shared fixtures: small documents in a temporary folder, and the expensive things built once
per session (the fixture data folder loaded, the bundled corpus parsed and built).

Markers: `slow` (builds or parses the whole corpus), `browser` (real headless Chromium),
`export` (kaleido renders). `pytest` runs them all; `pytest -m "not slow and not browser"`
is the quick loop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assignments.corpus import CorpusTables
from assignments.document import parse_document
from assignments.model import ParsedDocument
from assignments.reading import read_source
from cli.main import main
from dashboard.data import AtlasData, load_atlas
from tests.helpers import FIXTURE, corpus_tables

# progress store fixtures (SQLite and a throwaway PostgreSQL), shared by tests/test_progress_*.py
pytest_plugins = ["tests.progress_fixtures"]

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
SLOW_FIXTURES = {"corpus", "built", "corpus_data"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the parsed or built corpus are `slow`, wherever they live."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(scope="session")
def atlas_data() -> AtlasData:
    """The fixture data folder, loaded once (read-only)."""
    return load_atlas(FIXTURE)


@pytest.fixture(scope="session")
def corpus() -> CorpusTables:
    """The bundled corpus parsed once per session."""
    return corpus_tables()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus built once per session by `task-atlas build` (read-only)."""
    out = tmp_path_factory.mktemp("build") / "data"
    assert main(["build", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def corpus_data(built: Path) -> AtlasData:
    """The built bundled corpus as the dashboard loads it."""
    return load_atlas(built)
