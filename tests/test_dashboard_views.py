"""The views as tabs: the URL hash picks the tab, each view leaves another view's hash alone,
create_app's store_url reaches the 进度 view and the panel's status lights."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from dash import html

from dashboard import progress_view as pv
from dashboard.app import VIEWS, create_app
from dashboard.compare_state import hash_config
from dashboard.data import AtlasData, load_atlas
from dashboard.options import CountMode
from dashboard.panel import place_task_rows, render_panel
from dashboard.progress_figures import as_of_text, panel_lights
from dashboard.viewhash import compare_sync
from dashboard.viewtabs import ViewTab, hash_for_tab, owns, tab_for_hash, view_tabs
from progress.db import DB_ENV, open_store
from progress.demo import fill_demo
from progress.provider import ProgressSource
from progress.quarters import parse_quarter_range
from progress.tasks import read_task_tables

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "atlas_data"
TABS = [ViewTab("view-0", ""), ViewTab("compare", "#compare"), ViewTab("progress", "#progress")]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'demo.db'}"
    store = open_store(url)
    fill_demo(read_task_tables(FIXTURE), store, parse_quarter_range("2024Q1..2024Q4"))
    store.close()
    return url


def test_the_three_views_are_tabs_named_by_their_hash() -> None:
    assert [v.TITLE for v in VIEWS] == ["任务地图", "计划对比", "进度"]
    assert view_tabs(VIEWS) == TABS


@pytest.mark.parametrize(
    ("fragment", "tab"),
    [
        ("", "view-0"),
        (None, "view-0"),
        ("#compare", "compare"),
        ("#compare?from=wr2023&to=wr2024", "compare"),
        ("#progress?quarter=2024Q2&status=%E6%BB%9E%E5%90%8E", "progress"),
        ("#progressive", "view-0"),  # a prefix is not enough
        ("#somewhere", "view-0"),
    ],
)
def test_the_hash_picks_the_tab(fragment: str | None, tab: str) -> None:
    assert tab_for_hash(TABS, fragment) == tab


def test_a_tab_click_restores_the_views_last_hash() -> None:
    assert hash_for_tab(TABS, "progress") == "#progress"
    assert hash_for_tab(TABS, "view-0") == ""
    last = {"compare": "#compare?from=fyp14&to=wr2024"}
    assert hash_for_tab(TABS, "compare", last) == "#compare?from=fyp14&to=wr2024"
    assert owns("#compare", "#compare?x=1") and not owns("", "#compare")


def test_the_javascript_names_the_same_rule() -> None:
    """assets/viewtabs.js repeats tab_for_hash's prefix test; keep the two in step."""
    js = (Path(__file__).resolve().parents[1] / "assets" / "viewtabs.js").read_text("utf-8")
    assert 'h === prefix || h.startsWith(prefix + "?")' in js
    assert "syncTab" in js


def test_compare_leaves_another_views_hash_alone(atlas_data: AtlasData) -> None:
    """The old view rewrote any hash to #compare…, which took the URL from the other tabs;
    then it answered every hash with a request. Another view's hash changes nothing now, on
    page load too: the view is drawn when its tab is first opened."""
    config = hash_config(atlas_data)
    for trigger in ("hash", None):
        out = compare_sync(config, trigger, None, "#progress?quarter=2024Q2", ("a", "b"), {})
        assert out == {}


def test_store_url_feeds_the_progress_view(
    demo_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no ./task-atlas.db here
    data = load_atlas(FIXTURE)
    source = pv.default_source(data, demo_url)
    assert [str(q) for q in source.quarters()] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert pv.default_source(data).store is None
    assert pv.quarters_of(source) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    app = create_app(data, store_url=demo_url)
    sync = next(k for k in app.callback_map if "progress-quarter.options" in k)
    assert sync  # wired; the browser tests drive it over this store


def test_as_of_line(demo_url: str) -> None:
    data = load_atlas(FIXTURE)
    source = pv.default_source(data, demo_url)
    line = pv.as_of(data, source, "2024Q2")
    assert line == f"报送数据截至 2024-06-30；任务表生成于 {data.built_at}"
    empty = pd.DataFrame({"as_of": pd.Series([], dtype=object)})
    assert as_of_text(empty, "2026-01-01") == "本季度尚无报送；任务表生成于 2026-01-01"


def test_panel_lights_from_the_latest_quarter(demo_url: str) -> None:
    data = load_atlas(FIXTURE)
    source = pv.default_source(data, demo_url)
    lights = panel_lights(source)
    assert lights is not None
    status = source.status(source.quarters()[-1])
    assert set(lights.by_task) == set(status["task_id"])
    colours = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "grey": "#9e9e9e"}
    for task, light, label in zip(
        status["task_id"], status["light"], status["status"], strict=True
    ):
        assert lights.by_task[task] == (colours[light], label or "未报送")
    assert lights.legend[0] == "【演示数据】进度灯:2024年第四季度(截至 2024-12-31)"
    assert lights.legend[1].startswith("绿灯:") and len(lights.legend) == 5

    rows = place_task_rows(data, data.tasks["task_id"], "江岸区", CountMode.SPECIFIC)
    shown = _texts(render_panel(rows, lights=lights))
    expected = [lights.by_task[t][1] for t in rows["task_id"] if t in lights.by_task]
    assert expected and all(text in shown for text in expected)
    assert "进度灯" in shown


def test_no_store_or_no_returns_means_no_lights(tmp_path: Path) -> None:
    data = load_atlas(FIXTURE)
    assert panel_lights(None) is None
    assert panel_lights(ProgressSource(pv.tables_of(data), None)) is None
    empty = ProgressSource(pv.tables_of(data), open_store(f"sqlite:///{tmp_path / 'e.db'}"))
    assert panel_lights(empty) is None
    rows = place_task_rows(data, data.tasks["task_id"], "江岸区", CountMode.SPECIFIC)
    assert "进度灯" not in _texts(render_panel(rows, lights=None))


def test_a_view_without_a_source_keyword_is_wired_as_before(atlas_data: AtlasData) -> None:
    called: list[int] = []
    other = SimpleNamespace(
        TITLE="其他",
        layout=lambda data: html.Div("x", id="other-view"),
        register_callbacks=lambda app, data: called.append(1),
    )
    create_app(atlas_data, views=(VIEWS[0], other))  # type: ignore[arg-type]
    assert called == [1]


def _texts(node: Any) -> str:
    """All text under a Dash component tree, joined."""
    if isinstance(node, str):
        return node
    if isinstance(node, list | tuple):
        return " ".join(_texts(n) for n in node)
    children = node["props"].get("children") if isinstance(node, dict) else None
    if children is None:
        children = getattr(node, "children", None)
    return "" if children is None else _texts(children)


def test_create_server_db_feeds_the_progress_store(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`create_server(db=…)` (gunicorn) and `serve --db` pass the store on to create_app."""
    import dashboard.app
    from dashboard.serve import create_server
    from tests.access_helpers import SECRET

    seen: list[str | None] = []
    real = dashboard.app.create_app

    def recording(data: AtlasData, *args: Any, store_url: str | None = None) -> Any:
        seen.append(store_url)
        return real(data, *args, store_url=store_url)

    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    monkeypatch.setattr(dashboard.app, "create_app", recording)
    create_server(str(FIXTURE), db=demo_url, secure_cookies=False)
    assert seen == [demo_url]
