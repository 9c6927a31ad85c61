"""The dashboard counts a target stated twice (tasks.csv same_target) once, and says so."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard.counting import count_by_place
from dashboard.data import AtlasData
from dashboard.options import CountMode
from dashboard.panel import place_task_rows, render_panel
from dashboard.targets import n_targets

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
