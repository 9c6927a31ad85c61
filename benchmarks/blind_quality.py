"""Mention-tag precision and recall against an independent, blind hand-labelling.

Usage: python benchmarks/blind_quality.py [LABELS_CSV]

The labels (tests/data/blind_mentions.csv) were written from each task's `text` alone, from
general knowledge of Wuhan, before looking at the gazetteer, the tagger or the builder's sample.
Sample: 80 tasks. `draw` = 20261122: `tasks.sample(n=80, random_state=20261122)` over all tasks;
only 11 of those named a place, so the 29 place-bearing tasks of a second draw
(`sample(frac=1, random_state=7)` over texts containing 区 湖 港 城 谷 街 山 岛 机场 新城 开发区,
first draw excluded, taken in order until 40 of the 80 name a place) replace the last 29
place-less tasks of the first draw. `draw` = 7 marks them.

Labelling rules: a district name or short form → that district; a zone name or nickname → that
zone; a landmark → the district(s)/zone(s) it lies in; a mention also points to any district/zone
whose ground contains it (东西湖区 ≡ 临空港开发区, 汉南区 ⊂ 武汉经开区); 光谷/车谷 sites are the
zone only. `outside` lists places outside Wuhan as written; `skipped` lists words not placed.

Compared with link == "mention" rows of geodata.tagging.tag_tasks: place_kind district/zone for
mentions, place_kind outside for outside places (outside is informational: the labels keep the
word as written, the tagger a normalised name).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from quality import Pair, Score  # benchmarks/quality.py: scripts run with their folder on sys.path

from assignments.corpus import build_tables
from geodata.tagging import tag_tasks

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "blind_mentions.csv"


def read_labels(path: Path = LABELS) -> pd.DataFrame:
    """The blind labels, all cells as strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def labelled_pairs(labels: pd.DataFrame, column: str) -> frozenset[Pair]:
    """(task, place) pairs from a `|`-joined label column."""
    return frozenset(
        (task_id, value)
        for task_id, cell in zip(labels["task_id"], labels[column], strict=True)
        for value in filter(None, cell.split("|"))
    )


def mention_rows(places: pd.DataFrame, task_ids: set[str]) -> pd.DataFrame:
    """The tagger's mention rows for the labelled tasks."""
    return places[places["task_id"].isin(task_ids) & (places["link"] == "mention")]


def evaluate(labels: pd.DataFrame, places: pd.DataFrame) -> dict[str, Score]:
    """Scores for district/zone mentions and for outside places."""
    rows = mention_rows(places, set(labels["task_id"]))
    named = rows[rows["place_kind"].isin(["district", "zone"])]
    outside = rows[rows["place_kind"] == "outside"]
    return {
        "mention": Score(
            "mention",
            labelled_pairs(labels, "mentions"),
            frozenset(zip(named["task_id"], named["place"], strict=True)),
        ),
        "outside": Score(
            "outside",
            labelled_pairs(labels, "outside"),
            frozenset(zip(outside["task_id"], outside["place"], strict=True)),
        ),
    }


def disagreements(labels: pd.DataFrame, places: pd.DataFrame, score: Score) -> list[str]:
    """One line per missed or extra pair, with the tagger's evidence and the label note."""
    rows = mention_rows(places, set(labels["task_id"]))
    info = labels.set_index("task_id")
    column = "mentions" if score.kind == "mention" else "outside"
    missed, extra = score.expected - score.found, score.found - score.expected
    lines = []
    for verdict, pairs in (("missed", missed), ("extra", extra)):
        for task_id, place in sorted(pairs):
            here = rows[rows["task_id"] == task_id]
            if verdict == "extra":
                here = here[here["place"] == place]
            evidence = "; ".join(
                f"{p}←{e}" for p, e in zip(here["place"], here["evidence"], strict=True)
            )
            label = info.loc[task_id]
            lines.append(
                f"  {verdict:<6} {task_id:<16} {place:<8} tagger: [{evidence or '-'}]  "
                f"label: [{label[column] or '-'}] skipped: [{label['skipped'] or '-'}]  "
                f"note: {label['note'] or '-'}"
            )
    return lines


def main(argv: list[str]) -> int:
    labels = read_labels(Path(argv[0]) if argv else LABELS)
    tables = build_tables()
    unknown = set(labels["task_id"]) - set(tables.tasks["task_id"])
    if unknown:
        print(f"labelled task ids not in the corpus: {sorted(unknown)}")
        return 1
    places = tag_tasks(tables.tasks, tables.task_units, tables.plans)
    named = (labels["mentions"] != "").sum()
    draws = labels["draw"].value_counts().to_dict()
    print(f"blind sample: {len(labels)} tasks, {named} with a labelled place (draws {draws})")
    for score in evaluate(labels, places).values():
        print(
            f"{score.kind:<8} precision {score.precision:.3f}  recall {score.recall:.3f}  "
            f"(expected {len(score.expected)}, found {len(score.found)}, "
            f"correct {len(score.correct)})"
        )
        print("\n".join(disagreements(labels, places, score)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
