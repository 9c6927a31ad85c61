"""The dashboard counts a target stated twice (tasks.csv same_target) once, and says so."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from assignments.targets import target_of
from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.figures import DISTRICTS, build_district_map
from dashboard.options import CountMode
from dashboard.panel import place_task_rows, render_panel
from dashboard.targets import n_targets, target_links

PAIR = ("wr2024-2.1.1", "wr2024-2.2.2")  # linked in the fixture (make_atlas_fixture.py)


@pytest.fixture(scope="module")
def data(atlas_data: AtlasData) -> AtlasData:
    return atlas_data


def test_headline_total_counts_the_linked_pair_once(data: AtlasData) -> None:
    ids = data.tasks["task_id"]
    assert n_targets(data, ids) == len(ids) - 1
    assert n_targets(data, list(PAIR)) == 1


def test_place_total_counts_the_linked_pair_once(data: AtlasData) -> None:
    extra = pd.DataFrame(
        [[PAIR[0], "新洲区", "district", "mention", "", "阳逻", "2"]],
        columns=data.task_places.columns,
    )
    both = replace(data, task_places=pd.concat([data.task_places, extra], ignore_index=True))
    counts = count_by_place(both, both.tasks["task_id"], CountMode.SPECIFIC).set_index("place")
    rows = place_task_rows(both, both.tasks["task_id"], "新洲区", CountMode.SPECIFIC)
    assert set(PAIR) <= set(rows["task_id"])
    assert counts.loc["新洲区", "total"] == rows["task_id"].nunique() - 1


def test_panel_shows_the_link(data: AtlasData) -> None:
    rows = place_task_rows(data, data.tasks["task_id"], "新洲区", CountMode.SPECIFIC)
    assert f"同一目标:{PAIR[0]}(合计时只计一次)" in str(render_panel(rows))
    others = place_task_rows(data, data.tasks["task_id"], "江夏区", CountMode.SPECIFIC)
    assert "同一目标" not in str(render_panel(others))


def _named_targets(data: AtlasData) -> pd.Series:
    """Per place, the targets reached by a lead, responsible or mention link, counted with
    pandas from the tables (a task stated twice, tasks.csv same_target, is one target)."""
    rep = target_of(target_links(data))
    named = data.task_places[data.task_places["link"].isin(["lead", "responsible", "mention"])]
    named = named.assign(target=[rep.get(t, t) for t in named["task_id"]])
    return named.groupby("place")["target"].nunique()


def test_citywide_share_counts_named_targets_on_the_totals_footing(
    corpus_data: AtlasData,
) -> None:
    """含全市性任务 coloured every place as 0 % on the corpus: the share was (total − group
    links) / total, with total counting targets but group links counting tasks, and a task
    both named and reached by 各区 subtracted as if only by 各区 (江岸区: 391 group links
    against 362 targets, −8 %). The share is now named targets / all targets."""
    counts = count_by_place(corpus_data, corpus_data.tasks["task_id"], CountMode.WITH_CITYWIDE)
    counts = counts.set_index("place")
    expected = _named_targets(corpus_data).reindex(counts.index, fill_value=0)
    assert counts["specific"].tolist() == expected.tolist()
    assert (counts["specific"] <= counts["total"]).all()
    figure = build_district_map(
        counts.reset_index(), corpus_data.places_geojson, mode=CountMode.WITH_CITYWIDE
    )
    custom = {row[0]: row for row in figure.data[DISTRICTS].customdata}
    shares = [custom[p][8] for p in counts.index if p in custom]
    assert all(0 <= s <= 100 for s in shares)
    assert len(set(figure.data[DISTRICTS].z)) > 1  # the places are told apart again
