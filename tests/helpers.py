"""Helpers shared by test modules: fixture paths, the parsed corpus, benchmark loading."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from assignments.corpus import CorpusTables, build_tables

ROOT = Path(__file__).resolve().parent.parent
#: The small hand-made data folder the dashboard tests run on (tests/fixtures/make_atlas_fixture.py).
FIXTURE = ROOT / "tests" / "fixtures" / "atlas_data"


@functools.cache
def corpus_tables() -> CorpusTables:
    """The bundled corpus parsed once per test session (pure; callers only read it)."""
    return build_tables()


def load_benchmark(name: str) -> ModuleType:
    """Import benchmarks/<name>.py, whose scoring the tests hold to their thresholds.

    Benchmarks are scripts: they import their shared modules (benchmarks/quality.py) from their
    own folder, which is on sys.path when they run, so it is put there for the tests too.
    """
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module
