"""The click's panel list (panel_rows.place_panel, cut from indexes) is the list the downloads
carry (panel.place_task_rows, pandas), for every place, count mode and a spread of filters."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from dash import html
from plotly.io.json import to_json_plotly

from dashboard.data import AtlasData, place_table
from dashboard.filters import filter_tasks
from dashboard.options import CountMode, Link
from dashboard.panel import element, panel_list, place_task_rows, render_panel
from dashboard.panel_rows import place_panel
from dashboard.targets import n_targets
from dashboard.viewstate import Filters

STATES = [
    Filters(),
    Filters(mode=CountMode.WITH_CITYWIDE),
    Filters(plans=("wr2024",)),
    Filters(links=(Link.MENTION,)),
    Filters(sectors=("科技创新",), mode=CountMode.WITH_CITYWIDE),
    Filters(keyword="建设"),
]


def _expected(data: AtlasData, f: Filters) -> pd.DataFrame:
    return place_task_rows(data, filter_tasks(data, f)["task_id"], str(f.place), f.mode, f.links)


@pytest.mark.parametrize("state", STATES, ids=lambda f: repr(f)[:60])
def test_place_panel_is_place_task_rows_on_the_corpus(
    corpus_data: AtlasData, state: Filters
) -> None:
    checked = 0
    for place in place_table(corpus_data)["name"]:
        f = replace(state, place=str(place))
        rows = _expected(corpus_data, f)
        got = place_panel(corpus_data, f, limit=40)
        want = panel_list(rows, limit=40)
        assert got.n_rows == len(rows)
        assert got.n_targets == n_targets(corpus_data, rows["task_id"])
        assert got.totals == want.totals
        assert [r["task_id"] for r in got.records] == [r["task_id"] for r in want.records]
        for mine, theirs in zip(got.records, want.records, strict=True):
            assert {k: mine[k] for k in theirs if k in mine} == {
                k: theirs[k] for k in mine if k in theirs
            }
        assert render_panel(got, limit=40) == render_panel(rows, limit=40)
        checked += len(rows)
    assert checked > 100


def test_place_with_nothing_under_the_filters(atlas_data: AtlasData) -> None:
    got = place_panel(atlas_data, Filters(place="江夏区", keyword="没有这样的任务"), limit=120)
    assert (got.n_rows, got.n_targets, got.totals, got.records) == (0, 0, {}, [])
    assert "没有符合" in str(render_panel(got))


def test_element_is_the_json_dash_sends_for_the_component() -> None:
    plain = element("Li", [element("Mark", "武昌区"), "建设"], className="x", **{"data-a": "1"})
    built = html.Li([html.Mark("武昌区"), "建设"], className="x", **{"data-a": "1"})
    assert json.loads(to_json_plotly(plain)) == json.loads(to_json_plotly(built))
    assert element("P") == json.loads(to_json_plotly(html.P()))
