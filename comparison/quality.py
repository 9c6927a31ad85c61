"""Precision and recall of the matcher on hand-labelled pairs (tests/data/comparison_labels.csv).

A sampled task's labels are complete, so every link the matcher draws from a sampled task is
judged: right if labelled `match` or `also`, wrong otherwise. Recall asks for the `match` pairs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

LABEL_COLUMNS = ("pair", "sampled", "from_task_id", "to_task_id", "label", "relation", "reason")
LABELS = ("match", "also", "none", "no_match")


@dataclass(frozen=True)
class PairScore:
    """Counts for one pair of plans (or all of them)."""

    name: str
    sampled: int  # sampled tasks
    links: int  # links the matcher drew from sampled tasks
    right: int  # of those, labelled match or also
    wanted: int  # labelled match pairs
    found: int  # of those, linked by the matcher
    none_total: int  # sampled tasks labelled as having no counterpart
    none_right: int  # of those, left without a wrong link
    relation_total: int  # found match pairs
    relation_right: int  # of those, with the labelled relation

    @property
    def precision(self) -> float:
        return self.right / self.links if self.links else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.wanted if self.wanted else 1.0


def read_labels(path: Path) -> pd.DataFrame:
    """The labelled rows (comment lines starting with # skipped), checked."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    frame = pd.DataFrame(list(csv.DictReader(io.StringIO("\n".join(lines))))).fillna("")
    missing = [c for c in LABEL_COLUMNS if c not in frame.columns]
    bad = sorted(set(frame["label"]) - set(LABELS)) if "label" in frame.columns else []
    if missing or bad:
        raise ValueError(f"{path}: missing columns {missing} or unknown labels {bad}")
    return frame


Compare = Callable[[str, str], pd.DataFrame]


def evaluate_pair(name: str, labels: pd.DataFrame, table: pd.DataFrame) -> PairScore:
    """Score one plan pair's comparison table against its labels."""
    side = labels["sampled"].iloc[0]
    key = "from_task_id" if side == "from" else "to_task_id"
    sampled = set(labels[key]) - {""}
    links = table[(table["from_task_id"] != "") & (table["to_task_id"] != "")]
    mine = links[links[key].isin(sampled)]
    drawn = set(zip(mine["from_task_id"], mine["to_task_id"], strict=True))
    relation = dict(zip(_keys(mine), mine["relation"], strict=True))
    pairs = {lab: _pairs(labels, lab) for lab in ("match", "also")}
    ok = pairs["match"] | pairs["also"]
    found = drawn & pairs["match"]
    wanted_rel = dict(zip(_keys(labels), labels["relation"], strict=True))
    none_tasks = set(labels.loc[labels["label"] == "none", key])
    none_right = sum(
        all(p in ok for p in drawn if (p[0] if side == "from" else p[1]) == t) for t in none_tasks
    )
    return PairScore(
        name=name,
        sampled=len(sampled),
        links=len(drawn),
        right=len(drawn & ok),
        wanted=len(pairs["match"]),
        found=len(found),
        none_total=len(none_tasks),
        none_right=none_right,
        relation_total=len(found),
        relation_right=sum(relation[p] == wanted_rel[p] for p in found),
    )


def _keys(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["from_task_id"], frame["to_task_id"], strict=True))


def _pairs(labels: pd.DataFrame, label: str) -> set[tuple[str, str]]:
    rows = labels[labels["label"] == label]
    return set(zip(rows["from_task_id"], rows["to_task_id"], strict=True))


def evaluate(labels: pd.DataFrame, compare: Compare) -> list[PairScore]:
    """One score per labelled pair of plans, then the total."""
    scores = []
    for name, group in labels.groupby("pair", sort=False):
        from_plan, to_plan = str(name).split(">")
        scores.append(evaluate_pair(str(name), group, compare(from_plan, to_plan)))
    fields = [f for f in PairScore.__dataclass_fields__ if f != "name"]
    total = PairScore("all", *(sum(getattr(s, f) for s in scores) for f in fields))
    return [*scores, total]
