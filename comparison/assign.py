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
) -> list[Link]:
    """Merges and splits: a task with no link joins a linked one, up to the caps of `settings`."""
    chosen = list(links)
    degree_from: dict[int, int] = {}
    degree_to: dict[int, int] = {}
    for i, j in chosen:
        degree_from[i] = degree_from.get(i, 0) + 1
        degree_to[j] = degree_to.get(j, 0) + 1
    taken = set(chosen)
    for k in np.argsort(-score, kind="stable"):
        if score[k] < settings.extra_threshold:
            break
        i, j = int(rows[k]), int(cols[k])
        di, dj = degree_from.get(i, 0), degree_to.get(j, 0)
        full = di >= settings.max_successors or dj >= settings.max_predecessors
        if (i, j) in taken or full or (di and dj):
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
    strong = (score >= settings.threshold) | clear
    free = strong & ~np.isin(rows, list(busy_from))
    free &= ~np.isin(cols, list(busy_to))
    links = one_to_one(n_from, n_to, rows[free], cols[free], score[free])
    return extra_links([*fixed, *links], rows, cols, score, settings)
