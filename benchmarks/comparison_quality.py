"""Precision and recall of the plan comparison on the hand-labelled pairs.

Usage: python benchmarks/comparison_quality.py [LABELS_CSV]

The labels (tests/data/comparison_labels.csv; how they were made is in its header) cover
wr2023>wr2024, fyp14>wr2024 and fyp14>fyp15. The matcher runs on the bundled corpus with no
reviewer overrides, so the figures are the matcher's own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from assignments.corpus import build_tables
from comparison.compare import compare_tasks
from comparison.model import settings_for
from comparison.quality import PairScore, evaluate, read_labels

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "comparison_labels.csv"


def measure(labels_path: Path = LABELS) -> list[PairScore]:
    """Scores per labelled plan pair and in total (bundled corpus, no overrides)."""
    corpus = build_tables()
    tasks = corpus.tasks
    kinds = dict(zip(corpus.plans["plan_id"], corpus.plans["kind"], strict=True))

    def compare(a: str, b: str) -> pd.DataFrame:
        pick = {p: tasks[tasks["plan_id"] == p].reset_index(drop=True) for p in (a, b)}
        return compare_tasks(pick[a], pick[b], settings=settings_for(kinds[a], kinds[b]))

    return evaluate(read_labels(labels_path), compare)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else LABELS
    started = time.perf_counter()
    scores = measure(path)
    print(
        f"{'pair':<16}{'sampled':>8}{'links':>7}{'prec':>7}{'wanted':>8}{'recall':>8}"
        f"{'none ok':>9}{'relation ok':>13}"
    )
    for s in scores:
        print(
            f"{s.name:<16}{s.sampled:>8}{s.links:>7}{s.precision:>7.3f}{s.wanted:>8}"
            f"{s.recall:>8.3f}{f'{s.none_right}/{s.none_total}':>9}"
            f"{f'{s.relation_right}/{s.relation_total}':>13}"
        )
    print(f"({time.perf_counter() - started:.1f} s including parsing the corpus)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
