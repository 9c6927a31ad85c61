"""Precision and recall of place tags against hand labels (shared by the two quality benchmarks;
benchmark code, so it lives here and not in the shipped geodata package)."""

from __future__ import annotations

from dataclasses import dataclass

Pair = tuple[str, str]  # (task_id, place)


@dataclass(frozen=True)
class Score:
    """Expected (labelled) and found (tagged) pairs of one kind of link."""

    kind: str
    expected: frozenset[Pair]
    found: frozenset[Pair]

    @property
    def correct(self) -> frozenset[Pair]:
        return self.expected & self.found

    @property
    def precision(self) -> float:
        return len(self.correct) / len(self.found) if self.found else 1.0

    @property
    def recall(self) -> float:
        return len(self.correct) / len(self.expected) if self.expected else 1.0
