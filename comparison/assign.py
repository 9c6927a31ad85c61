"""From scored candidates to links: a one-to-one assignment, then merges and splits.

linear_sum_assignment runs on each connected group of candidate pairs above the threshold (small
dense blocks), so a large comparison never builds an all-pairs matrix. A second pass lets a task
left over join an already linked task when the pair is strong enough, up to MAX_LINKS each side.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components

from comparison.model import MatchSettings

Link = tuple[int, int]


def one_to_one(
    n_from: int, n_to: int, rows: np.ndarray, cols: np.ndarray, score: np.ndarray
) -> list[Link]:
    """The highest-scoring one-to-one links among the given pairs (all kept pairs count)."""
    if len(rows) == 0:
        return []
    graph = sparse.coo_matrix(
        (np.ones(len(rows)), (rows, cols + n_from)), shape=(n_from + n_to, n_from + n_to)
    )
    _, label = connected_components(graph, directed=False)
    order = np.argsort(label[rows], kind="stable")
    bounds = np.flatnonzero(np.diff(label[rows][order])) + 1
    links: list[Link] = []
    for part in np.split(order, bounds):
        r, c, s = rows[part], cols[part], score[part]
        ur, ri = np.unique(r, return_inverse=True)
        uc, ci = np.unique(c, return_inverse=True)
        block = np.zeros((len(ur), len(uc)))
        block[ri, ci] = s
        for i, j in zip(*linear_sum_assignment(block, maximize=True), strict=True):
            if block[i, j] > 0:
                links.append((int(ur[i]), int(uc[j])))
    return links


def extra_links(
    links: Iterable[Link],
    rows: np.ndarray,
    cols: np.ndarray,
    score: np.ndarray,
    settings: MatchSettings,
    eligible: np.ndarray | None = None,
) -> list[Link]:
    """Merges and splits: a task with no link joins a linked one, up to the caps of `settings`.

    A pair joins when its score reaches extra_threshold, or where `eligible` says so (a yearly
    task's clear best 十四五 line, see narrow_best).
    """
    chosen = list(links)
    degree_from: dict[int, int] = {}
    degree_to: dict[int, int] = {}
    for i, j in chosen:
        degree_from[i] = degree_from.get(i, 0) + 1
        degree_to[j] = degree_to.get(j, 0) + 1
    taken = set(chosen)
    for k in np.argsort(-score, kind="stable"):
        if score[k] < settings.extra_threshold and (eligible is None or not eligible[k]):
            continue
        i, j = int(rows[k]), int(cols[k])
        di, dj = degree_from.get(i, 0), degree_to.get(j, 0)
        full = di >= settings.max_successors or dj >= settings.max_predecessors
        if (i, j) in taken or full or (di and dj and not settings.many_to_many):
            continue
        chosen.append((i, j))
        taken.add((i, j))
        degree_from[i], degree_to[j] = di + 1, dj + 1
    return chosen


def _best_two(keys: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair: the best and the second-best score among the pairs of the same task."""
    order = np.lexsort((-score, keys))
    sorted_keys, sorted_score = keys[order], score[order]
    first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    best = sorted_score[starts]
    has_second = np.r_[starts[1:] - starts[:-1], len(keys) - starts[-1]] > 1
    second = np.where(has_second, sorted_score[np.minimum(starts + 1, len(keys) - 1)], 0.0)
    out_best, out_second = np.empty_like(score), np.empty_like(score)
    out_best[order], out_second[order] = best[group], second[group]
    return out_best, out_second


def clear_best(rows: np.ndarray, cols: np.ndarray, score: np.ndarray, settings: MatchSettings):
    """Pairs that are both tasks' best and clearly ahead of a runner-up (a ratio test).

    Two long paragraphs on the same line of work share few exact phrases, so their score is low;
    that it stands far above every alternative is the evidence.
    """
    if len(score) == 0:
        return np.zeros(0, dtype=bool)
    row_best, row_second = _best_two(rows, score)
    col_best, col_second = _best_two(cols, score)
    mutual = (score >= row_best) & (score >= col_best) & (score >= settings.floor)
    return mutual & (
        (score >= settings.margin * row_second) | (score >= settings.margin * col_second)
    )


def narrow_best(
    rows: np.ndarray, cols: np.ndarray, score: np.ndarray, settings: MatchSettings
) -> np.ndarray:
    """Pairs that are the best of the task on the narrower side, clearly ahead of its runner-up.

    Between plans of different breadth the mutual-best test of clear_best cannot hold: a 十四五
    paragraph is carried out by many yearly tasks, so its own best is only one of them. The
    question is asked from the yearly task's side instead: which 十四五 line is its clear best?
    Off (all False) when settings.narrow_margin is 0 or both plans are equally broad.
    """
    if settings.narrow_margin <= 0 or settings.max_successors == settings.max_predecessors:
        return np.zeros(len(score), dtype=bool)
    keys = cols if settings.max_successors > settings.max_predecessors else rows
    best, second = _best_two(keys, score)
    return (
        (score >= best)
        & (score >= settings.narrow_floor)
        & (score >= settings.narrow_margin * second)
    )


def assign(
    n_from: int,
    n_to: int,
    rows: np.ndarray,
    cols: np.ndarray,
    score: np.ndarray,
    settings: MatchSettings,
    fixed: Iterable[Link] = (),
    long_pair: np.ndarray | None = None,
) -> list[Link]:
    """Links above the threshold; `fixed` links (reviewer-confirmed) are kept and count as taken.

    A clear mutual best below the threshold counts too where `long_pair` says both texts are long.
    """
    fixed = list(fixed)
    busy_from = {i for i, _ in fixed}
    busy_to = {j for _, j in fixed}
    clear = clear_best(rows, cols, score, settings)
    if long_pair is not None:
        clear &= long_pair
    narrow = narrow_best(rows, cols, score, settings)
    strong = (score >= settings.threshold) | clear | narrow
    free = strong & ~np.isin(rows, list(busy_from))
    free &= ~np.isin(cols, list(busy_to))
    links = one_to_one(n_from, n_to, rows[free], cols[free], score[free])
    return extra_links([*fixed, *links], rows, cols, score, settings, narrow)
