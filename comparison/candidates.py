"""Candidate pairs and their scores: sparse n-gram and entity products, rapidfuzz on the few.

No loop runs over all pairs: each side's top-k text neighbours and entity neighbours come from
sparse matrix products taken a block of rows at a time; rapidfuzz then scores only those pairs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from comparison.entities import VERBS
from comparison.model import MatchSettings

BLOCK_ROWS = 512
COMMON_NGRAM_SHARE = 0.3
MIN_TASKS_FOR_MAX_DF = 20
ENTITY_SCALE = 0.6  # shared entity weight at which the entity score reaches 1 - 1/e
MIN_SHARED = 0.25  # entity overlap below this (one common district, a round figure) is no lead
PARTIAL_FULL_LENGTH = 12
CONTAINMENT_FULL_NGRAMS = 16  # a text with this many n-grams counts fully when contained
CONTAINMENT_WEIGHT = 0.8  # containment stands in for cosine at this rate
ANCHOR_SCALE = 1.0  # shared anchor weight at which the anchor score reaches 1 - 1/e
_VERB = re.compile(VERBS)
#: Units a masked figure leaves behind (matching_text drops only the digits): 亿元 in two tasks'
#: targets is no shared line of work. Money (亿元, 百亿元级) goes wherever it stands; other units
#: only of two or more characters right after a masked figure: a one-character unit (人, 个)
#: may just as well start a word (人才).
_UNIT = re.compile(
    r"[十百千万亿]*[亿万]元|(?:^|(?<=\s))(?:万吨|万人|万户|万亩|亿斤|平方公里|平方米|公里|人次|场次|标箱)"
)


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs (indices into the from/to task lists) with their feature scores."""

    rows: np.ndarray
    cols: np.ndarray
    text: np.ndarray
    entity: np.ndarray
    fuzz: np.ndarray
    score: np.ndarray
    anchor: np.ndarray


def tfidf_vectors(
    from_texts: Sequence[str], to_texts: Sequence[str]
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Character 2–3-gram TF-IDF rows (L2-normalised) for both plans, one vocabulary."""
    texts = [*from_texts, *to_texts]
    # an n-gram in over 30% of the tasks says nothing; tiny plans keep every n-gram
    max_df = COMMON_NGRAM_SHARE if len(texts) >= MIN_TASKS_FOR_MAX_DF else 1.0
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, max_df=max_df, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no n-gram at all (empty texts): nothing is similar
        matrix = sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    return matrix[: len(from_texts)], matrix[len(from_texts) :]


def top_k(a: sparse.csr_matrix, b: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of the k largest positive entries of each row of a·bᵀ, block by block."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    bt = b.T.tocsc()
    for start in range(0, a.shape[0], BLOCK_ROWS):
        block = (a[start : start + BLOCK_ROWS] @ bt).toarray()
        kk = min(k, block.shape[1])
        if kk == 0:
            break
        idx = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
        keep = np.take_along_axis(block, idx, axis=1) > 0
        row_ids = np.broadcast_to(np.arange(start, start + block.shape[0])[:, None], idx.shape)
        rows.append(row_ids[keep])
        cols.append(idx[keep])
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)


def containment_vectors(
    a: sparse.csr_matrix, b: sparse.csr_matrix
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Rows rescaled so that a_l1 · presence(b)ᵀ is the share of a's n-gram weight found in b.

    Cosine punishes a one-line yearly task against a long 十四五 paragraph that contains it;
    containment does not. A text with few n-grams counts less (氢能 is in many paragraphs).
    """
    out = []
    for m in (a, b):
        sums = np.asarray(m.sum(axis=1)).ravel()
        sizes = np.diff(m.indptr)
        scale = np.where(sums > 0, 1.0 / np.maximum(sums, 1e-9), 0.0)
        scale *= np.minimum(1.0, sizes / CONTAINMENT_FULL_NGRAMS)
        out.append(sparse.csr_matrix(sparse.diags(scale) @ m))
    return out[0], out[1]


def anchor_text(text: str) -> str:
    """A matching text (generic phrases and figures gone) with its verbs and units cut out too."""
    return _VERB.sub(" ", _UNIT.sub(" ", text))


def anchor_vectors(
    from_texts: Sequence[str], to_texts: Sequence[str], size: int = 3, max_df: int = 5
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix]:
    """Rare `size`-character runs of each task: (from weighted, to 0/1, to weighted, from 0/1).

    A yearly task names one concrete thing (会展中心, 燃气管网, 老旧小区) that its 十四五 paragraph
    names in passing; cosine and containment drown that one phrase in the paragraph's other words.
    An anchor is a `size`-character run (verbs such as 加快/建设 cut out, generic phrases and
    figures already gone) found in at most `max_df` tasks of the two plans, weighted by rarity,
    so the product of a weighted row and a 0/1 row is the rarity-weighted count of shared runs.
    """
    texts = [anchor_text(t) for t in (*from_texts, *to_texts)]
    vectorizer = CountVectorizer(
        analyzer="char_wb",
        ngram_range=(size, size),
        binary=True,
        max_df=max_df,
        dtype=np.float32,
    )
    try:
        has = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no 4-gram rare enough (tiny or empty plans): no anchors
        has = sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    df = np.asarray(has.sum(axis=0)).ravel()
    total = max(len(texts), 2)
    rarity = np.log((total + 1) / np.maximum(df, 1)) / math.log(total + 1)
    weighted = sparse.csr_matrix(has.multiply(rarity[None, :].astype(np.float32)))
    n = len(from_texts)
    return weighted[:n], has[n:], weighted[n:], has[:n]


def same_sector(
    sectors: tuple[Sequence[str], Sequence[str]], rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """1.0 where both tasks of a pair have the same (non-empty) sector."""
    a = np.asarray(sectors[0], dtype=object)[rows]
    b = np.asarray(sectors[1], dtype=object)[cols]
    return ((a == b) & (a != "")).astype(np.float64)


def sector_top_k(
    a: sparse.csr_matrix,
    b: sparse.csr_matrix,
    sectors: tuple[Sequence[str], Sequence[str]],
    k: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Text neighbours within each sector, both directions: one small product per sector.

    A yearly task says 新能源汽车产量 where its 十四五 line says 汽车制造和服务: over the whole plan
    such a pair is not among the top neighbours, within 先进制造 it is. Tasks without a sector
    take part in none of these products.
    """
    from_sec = np.asarray(sectors[0], dtype=object)
    to_sec = np.asarray(sectors[1], dtype=object)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for sector in sorted(set(from_sec.tolist()) & set(to_sec.tolist()) - {""}):
        fi, ti = np.flatnonzero(from_sec == sector), np.flatnonzero(to_sec == sector)
        r, c = top_k(a[fi], b[ti], k)
        r2, c2 = top_k(b[ti], a[fi], k)
        rows += [fi[r], fi[c2]]
        cols += [ti[c], ti[r2]]
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def _empty(n: int) -> sparse.csr_matrix:
    """n rows with no feature: a switched-off feature scores 0 for every pair."""
    return sparse.csr_matrix((n, 1), dtype=np.float32)


def _presence(m: sparse.csr_matrix) -> sparse.csr_matrix:
    p = m.copy()
    p.data = np.ones_like(p.data)
    return p


def _rowwise_dot(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def fuzz_scores(
    from_texts: Sequence[str], to_texts: Sequence[str], rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """rapidfuzz ratio, or the shorter text's partial ratio inside the longer (scaled by length).

    process.cpdist scores the candidate pairs element-wise in C, with no Python loop.
    """
    if len(rows) == 0:
        return np.zeros(0)
    a = [from_texts[i] for i in rows.tolist()]
    b = [to_texts[j] for j in cols.tolist()]
    ratio = process.cpdist(a, b, scorer=fuzz.ratio, dtype=np.float32)
    partial = process.cpdist(a, b, scorer=fuzz.partial_ratio, dtype=np.float32)
    short = np.minimum([len(t) for t in a], [len(t) for t in b])
    partial = partial * np.minimum(1.0, short / PARTIAL_FULL_LENGTH)
    return np.maximum(ratio, partial).astype(np.float64) / 100.0


def candidates(
    from_texts: Sequence[str],
    to_texts: Sequence[str],
    from_entities: sparse.csr_matrix,
    to_entities: sparse.csr_matrix,
    settings: MatchSettings,
    sectors: tuple[Sequence[str], Sequence[str]] | None = None,
) -> Candidates:
    """Candidate pairs from text and entity neighbours, scored.

    `from_entities` holds each entity's weight, `to_entities` is 0/1, so their product is the
    summed weight of the entities two tasks share.
    """
    a, b = tfidf_vectors(from_texts, to_texts)
    a_in, b_in = containment_vectors(a, b)
    a_has, b_has = _presence(a), _presence(b)
    weighted = from_entities
    pairs = [
        top_k(a, b, settings.top_k),
        top_k(b, a, settings.top_k)[::-1],
        top_k(a_in, b_has, settings.top_k),
        top_k(b_in, a_has, settings.top_k)[::-1],
        top_k(weighted, to_entities, settings.top_k),
        top_k(to_entities, weighted, settings.top_k)[::-1],
    ]
    anchor_a, anchor_b_has, anchor_b, anchor_a_has = (
        anchor_vectors(from_texts, to_texts, settings.anchor_size, settings.anchor_max_df)
        if settings.weight_anchor or settings.top_k_anchor
        else (_empty(len(from_texts)), _empty(len(to_texts)), _empty(len(to_texts)), _empty(0))
    )
    if settings.top_k_anchor:
        pairs += [
            top_k(anchor_a, anchor_b_has, settings.top_k_anchor),
            top_k(anchor_b, anchor_a_has, settings.top_k_anchor)[::-1],
        ]
    if settings.top_k_sector and sectors is not None:
        pairs.append(sector_top_k(a_in, b_has, sectors, settings.top_k_sector))
        pairs.append(sector_top_k(a, b, sectors, settings.top_k_sector))
    term_a, term_b_has = (
        anchor_vectors(from_texts, to_texts, 2, settings.term_max_df)[:2]
        if settings.weight_sector_term
        else (_empty(len(from_texts)), _empty(len(to_texts)))
    )
    if settings.weight_sector_term and sectors is not None:
        pairs.append(sector_top_k(term_a, term_b_has, sectors, settings.top_k_sector or 3))
    rows = np.concatenate([p[0] for p in pairs])
    cols = np.concatenate([p[1] for p in pairs])
    keys = np.unique(rows * max(len(to_texts), 1) + cols)
    rows, cols = keys // max(len(to_texts), 1), keys % max(len(to_texts), 1)
    contained = np.maximum(
        _rowwise_dot(a_in[rows], b_has[cols]), _rowwise_dot(b_in[cols], a_has[rows])
    )
    text = np.maximum(_rowwise_dot(a[rows], b[cols]), CONTAINMENT_WEIGHT * contained)
    shared = _rowwise_dot(weighted[rows], to_entities[cols])
    entity = np.where(shared >= MIN_SHARED, 1.0 - np.exp(-shared / ENTITY_SCALE), 0.0)
    fz = fuzz_scores(
        [t.replace(" ", "") for t in from_texts], [t.replace(" ", "") for t in to_texts], rows, cols
    )
    shared_runs = _rowwise_dot(anchor_a[rows], anchor_b_has[cols])
    anchor = 1.0 - np.exp(-shared_runs / ANCHOR_SCALE)
    score = settings.weight_text * text + settings.weight_entity * entity
    score = score + settings.weight_fuzz * fz + settings.weight_anchor * anchor
    if sectors is not None:
        same = same_sector(sectors, rows, cols)
        score = score + settings.bonus_same_sector * same
        terms = 1.0 - np.exp(-_rowwise_dot(term_a[rows], term_b_has[cols]) / ANCHOR_SCALE)
        score = score + settings.weight_sector_term * terms * same
    return Candidates(rows, cols, text, entity, fz, score, anchor)
