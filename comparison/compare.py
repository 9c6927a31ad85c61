"""Compare two plans task by task: which tasks continue, change, appear or disappear."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from comparison.assign import Link, assign
from comparison.candidates import Candidates, anchor_text, candidates
from comparison.entities import EntityKind, entities_of, entity_matrix, plan_lexicon
from comparison.evidence import (
    common_term,
    link_evidence,
    longest_common,
    override_evidence,
    relation_of,
    shared_entities,
    unmatched_evidence,
)
from comparison.model import COMPARE_COLUMNS, MatchSettings, Relation
from comparison.overrides import Decision, Override
from comparison.targets import target_groups
from comparison.text import generic_phrases, matching_text

#: Texts at least this long (a 十四五 paragraph) may link on a clear mutual best below threshold.
LONG_TEXT = 60


@dataclass(frozen=True)
class Side:
    """One plan's targets: groups of task ids (same target), their texts and entities."""

    groups: list[list[str]]
    texts: list[str]  # the representative's full text
    match_texts: list[str]  # generic phrases and figures removed
    entities: list[dict[str, EntityKind]]

    def index(self) -> dict[str, int]:
        return {t: n for n, group in enumerate(self.groups) for t in group}


def _side(tasks: pd.DataFrame, generic: tuple[str, ...]) -> tuple[list[list[str]], list[str]]:
    groups = target_groups(tasks)
    text_of = dict(zip(tasks["task_id"], tasks["text"], strict=True))
    return groups, [text_of[g[0]] for g in groups]


def _sectors(tasks: pd.DataFrame, groups: list[list[str]]) -> list[str]:
    if "sector" not in tasks.columns:
        return [""] * len(groups)
    sector_of = dict(zip(tasks["task_id"], tasks["sector"].fillna(""), strict=True))
    return [str(sector_of[g[0]]) for g in groups]


def compare_tasks(
    from_tasks: pd.DataFrame,
    to_tasks: pd.DataFrame,
    *,
    overrides: Sequence[Override] = (),
    settings: MatchSettings | None = None,
) -> pd.DataFrame:
    """One row per link, dropped task and new task (COMPARE_COLUMNS), `from` tasks in order."""
    settings = settings or MatchSettings()
    generic = generic_phrases()
    fg, ft = _side(from_tasks, generic)
    tg, tt = _side(to_tasks, generic)
    lexicon = plan_lexicon([*ft, *tt], generic)
    ents = [entities_of(t, lexicon) for t in (*ft, *tt)]
    emat = entity_matrix(ents)
    weights = dict(zip(emat.names, emat.weights.tolist(), strict=True))
    src = Side(fg, ft, [matching_text(t, generic) for t in ft], ents[: len(ft)])
    dst = Side(tg, tt, [matching_text(t, generic) for t in tt], ents[len(ft) :])
    from_w = sparse.csr_matrix(emat.matrix[: len(ft)].multiply(emat.weights[None, :]))
    cands = candidates(
        src.match_texts,
        dst.match_texts,
        from_w,
        emat.matrix[len(ft) :].tocsr(),
        settings,
        (_sectors(from_tasks, fg), _sectors(to_tasks, tg)),
    )
    confirmed, cands = _apply_overrides(overrides, src, dst, cands)
    lengths = np.array([len(t) for t in ft]), np.array([len(t) for t in tt])
    long_pair = np.minimum(lengths[0][cands.rows], lengths[1][cands.cols]) >= LONG_TEXT
    links = assign(
        len(fg), len(tg), cands.rows, cands.cols, cands.score, settings, confirmed, long_pair
    )
    return _table(src, dst, links, cands, confirmed, weights, settings)


def _apply_overrides(
    overrides: Sequence[Override], src: Side, dst: Side, cands: Candidates
) -> tuple[dict[Link, Override], Candidates]:
    """Confirmed links (between these plans) and the candidates minus rejected pairs."""
    fi, ti = src.index(), dst.index()
    mine = [o for o in overrides if o.from_task_id in fi and o.to_task_id in ti]
    confirmed = {
        (fi[o.from_task_id], ti[o.to_task_id]): o for o in mine if o.decision is Decision.CONFIRM
    }
    rejected = {
        (fi[o.from_task_id], ti[o.to_task_id]) for o in mine if o.decision is Decision.REJECT
    }
    if not rejected:
        return confirmed, cands
    keep = np.array([(r, c) not in rejected for r, c in zip(cands.rows, cands.cols, strict=True)])
    return confirmed, Candidates(
        *(getattr(cands, f)[keep] for f in Candidates.__dataclass_fields__)
    )


def _table(
    src: Side,
    dst: Side,
    links: list[Link],
    cands: Candidates,
    confirmed: dict[Link, Override],
    weights: dict[str, float],
    settings: MatchSettings,
) -> pd.DataFrame:
    score_of = {
        (int(r), int(c)): float(s)
        for r, c, s in zip(cands.rows, cands.cols, cands.score, strict=True)
    }
    rows: list[tuple[str, str, str, float, str]] = []
    for i, j in sorted(links):
        score = score_of.get((i, j), 1.0 if (i, j) in confirmed else 0.0)
        override = confirmed.get((i, j))
        if override is not None:
            relation = override.relation or relation_of(src.texts[i], dst.texts[j], settings)
            evidence = override_evidence(override.reason)
        else:
            relation = relation_of(src.texts[i], dst.texts[j], settings)
            shared = shared_entities(src.entities[i], dst.entities[j], weights)
            figures = [e for e in shared if src.entities[i][e] is EntityKind.FIGURE]
            names = [e for e in shared if e not in figures]
            names = [e for e in names if not any(n != e and n in e for n in names)]
            common = "" if names else _common(src, dst, i, j)
            evidence = link_evidence(names, figures, common, score)
        rows += [(a, b, relation, score, evidence) for a in src.groups[i] for b in dst.groups[j]]
    rows += _unmatched(src, dst, links, cands, swap=False)
    rows += _unmatched(dst, src, links, cands, swap=True)
    frame = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))
    order = {t: n for n, t in enumerate(t for g in src.groups for t in g)}
    order.update({t: len(order) + n for n, t in enumerate(t for g in dst.groups for t in g)})
    key = frame["from_task_id"].where(frame["from_task_id"] != "", frame["to_task_id"])
    frame = frame.assign(_o=key.map(order)).sort_values(["_o", "to_task_id"], kind="stable")
    return (
        frame.drop(columns="_o").assign(score=lambda f: f["score"].round(3)).reset_index(drop=True)
    )


def _common(src: Side, dst: Side, i: int, j: int) -> str:
    """The shared wording to name: a shared term first (工业, 会展中心), else any common run."""
    term = common_term(anchor_text(src.match_texts[i]), anchor_text(dst.match_texts[j]))
    return term or longest_common(src.texts[i], dst.texts[j])


def _unmatched(
    side: Side, other: Side, links: list[Link], cands: Candidates, *, swap: bool
) -> list[tuple[str, str, str, float, str]]:
    linked = {j if swap else i for i, j in links}
    mine, theirs = (cands.cols, cands.rows) if swap else (cands.rows, cands.cols)
    best: dict[int, tuple[float, int]] = {}
    for m, t, s in zip(mine.tolist(), theirs.tolist(), cands.score.tolist(), strict=True):
        if s > best.get(m, (-1.0, -1))[0]:
            best[m] = (s, t)
    relation = Relation.NEW if swap else Relation.DROPPED
    out = []
    for n, group in enumerate(side.groups):
        if n in linked:
            continue
        score, near = best.get(n, (0.0, -1))
        evidence = unmatched_evidence(relation, other.groups[near][0] if near >= 0 else None, score)
        for task_id in group:
            pair = ("", task_id) if swap else (task_id, "")
            out.append((*pair, relation.value, 0.0, evidence))
    return out
