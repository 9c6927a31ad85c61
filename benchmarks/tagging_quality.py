"""Precision and recall of the place tags per link type on the hand-labelled sample.

Usage: python benchmarks/tagging_quality.py [SAMPLE_CSV]

The sample (tests/data/tag_sample.csv) was labelled by reading the documents: one row per task
with the expected places per link type (`group` holds group codes, expanded here for the plan's
year; `outside` holds places outside Wuhan). Also prints the time to tag the whole corpus.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from quality import Pair, Score  # benchmarks/quality.py: scripts run with their folder on sys.path

from assignments.corpus import build_tables
from assignments.schema import PLACE_UNSPECIFIED
from geodata.places import PlaceTables, default_tables
from geodata.tagging import tag_tasks

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "tag_sample.csv"
LINKS = ("lead", "responsible", "mention", "group", "outside")


def expected_pairs(
    sample: pd.DataFrame, years: dict[str, int | None], tables: PlaceTables, link: str
) -> frozenset[Pair]:
    """The labelled (task, place) pairs of one link type; group codes expanded by plan year."""
    pairs: set[Pair] = set()
    for task_id, plan_id, cell in zip(
        sample["task_id"], sample["plan_id"], sample[link], strict=True
    ):
        for value in filter(None, str(cell).split("|")):
            if link != "group":
                pairs.add((task_id, value))
            elif value == "RELATED":
                pairs.add((task_id, PLACE_UNSPECIFIED))
            else:
                pairs |= {(task_id, m) for m in tables.group_members(value, years.get(plan_id))}
    return frozenset(pairs)


def found_pairs(places: pd.DataFrame, task_ids: set[str], link: str) -> frozenset[Pair]:
    """The tagger's (task, place) pairs of one link type for the sampled tasks."""
    rows = places[places["task_id"].isin(task_ids)]
    if link == "outside":
        rows = rows[rows["place_kind"] == "outside"]
    else:
        rows = rows[(rows["link"] == link) & (rows["place_kind"] != "outside")]
    return frozenset(zip(rows["task_id"], rows["place"], strict=True))


def evaluate(
    sample: pd.DataFrame, places: pd.DataFrame, plans: pd.DataFrame, tables: PlaceTables
) -> dict[str, Score]:
    """One Score per link type."""
    years = {
        p: (int(y) if pd.notna(y) else None)
        for p, y in zip(plans["plan_id"], plans["year"], strict=True)
    }
    ids = set(sample["task_id"])
    return {
        link: Score(
            link, expected_pairs(sample, years, tables, link), found_pairs(places, ids, link)
        )
        for link in LINKS
    }


def read_sample(path: Path = SAMPLE) -> pd.DataFrame:
    """The labelled sample, all cells as strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def main(argv: list[str]) -> int:
    sample = read_sample(Path(argv[0]) if argv else SAMPLE)
    tables = build_tables()
    unknown = set(sample["task_id"]) - set(tables.tasks["task_id"])
    if unknown:
        print(f"sample task ids not in the corpus: {sorted(unknown)}")
        return 1
    tag_tasks(tables.tasks, tables.task_units, tables.plans)  # warm the index
    start = time.perf_counter()
    places = tag_tasks(tables.tasks, tables.task_units, tables.plans)
    elapsed = time.perf_counter() - start
    print(f"tagged {len(tables.tasks)} tasks → {len(places)} rows in {elapsed * 1000:.0f} ms")
    print(f"sample: {len(sample)} tasks ({sample['plan_id'].value_counts().to_dict()})")
    for score in evaluate(sample, places, tables.plans, default_tables()).values():
        tp = len(score.expected & score.found)
        print(
            f"{score.kind:<12} precision {score.precision:.3f}  recall {score.recall:.3f}  "
            f"(expected {len(score.expected)}, found {len(score.found)}, correct {tp})"
        )
        for task_id, place in sorted(score.expected - score.found):
            print(f"    missed  {task_id} {place or '(相关区)'}")
        for task_id, place in sorted(score.found - score.expected):
            print(f"    extra   {task_id} {place or '(相关区)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
