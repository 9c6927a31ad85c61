"""The 对比 view's pure parts and callbacks, called directly on the bundled corpus."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import html

from comparison.views import lineage, place_changes, place_rows, wording_diff
from dashboard import compare_view as cv
from dashboard.compare_render import build_change_map, render_lineage
from dashboard.compare_state import (
    CompareState,
    comparison_table,
    default_state,
    hash_config,
    parse_hash,
    to_hash,
)
from dashboard.data import AtlasData, load_atlas, place_table
from dashboard.fieldkinds import BadInput
from dashboard.figures import (
    DISTRICTS,
    INSET_DISTRICTS,
    INSET_LABELS,
    LABELS,
    build_district_map,
)
from dashboard.ids import Id
from dashboard.map_labels import CENTRAL, SHORT_NAMES
from dashboard.options import CountMode
from dashboard.style import zh_punct
from dashboard.viewhash import SAME_PLAN_NOTICE, compare_sync
from pipeline.build import build_all, write_data_folder

LINKS = ("lead", "responsible", "mention")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> AtlasData:
    folder = tmp_path_factory.mktemp("atlas") / "data"
    write_data_folder(build_all(None, None), folder)
    return load_atlas(folder)


def _texts(component: Any) -> list[str]:
    """Every string inside a component tree, in order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [t for c in component for t in _texts(c)]
    children = getattr(component, "children", None)
    return _texts(children) if children is not None else []


def test_wording_diff_marks_changed_figures_on_both_sides() -> None:
    left, right = wording_diff("新增停车泊位12万个。", "新增停车泊位15万个。")
    assert left == [("same", "新增停车泊位1"), ("removed", "2"), ("same", "万个。")]
    assert right == [("same", "新增停车泊位1"), ("added", "5"), ("same", "万个。")]


def test_place_changes_count_tasks_once_at_their_places() -> None:
    table = pd.DataFrame(
        [
            ("a1", "b1", "调整", 0.5, ""),
            ("a2", "b1", "调整", 0.4, ""),  # a merge: b1 counts once
            ("a3", "", "取消", 0.0, ""),
            ("", "b2", "新增", 0.0, ""),
            ("", "b3", "新增", 0.0, ""),
        ],
        columns=["from_task_id", "to_task_id", "relation", "score", "evidence"],
    )
    places = pd.DataFrame(
        [
            ("b1", "洪山区", "lead"),
            ("b2", "洪山区", "mention"),
            ("a3", "江夏区", "lead"),
            ("b3", "江夏区", "group"),
        ],
        columns=["task_id", "place", "link"],
    )
    changes = place_changes(table, places, ["洪山区", "江夏区", "新洲区"], LINKS)
    assert changes.set_index("place").to_dict("index") == {
        "洪山区": {"延续": 0, "调整": 1, "新增": 1, "取消": 0, "net": 1},
        "江夏区": {"延续": 0, "调整": 0, "新增": 0, "取消": 1, "net": -1},  # group link not counted
        "新洲区": {"延续": 0, "调整": 0, "新增": 0, "取消": 0, "net": 0},
    }


def test_change_map_diverges_around_zero_and_says_it_in_words(data: AtlasData) -> None:
    table = comparison_table(data, "wr2023", "wr2024")
    changes = place_changes(table, data.task_places, ["洪山区", "江夏区", "东湖高新区"], LINKS)
    figure = build_change_map(changes, data.places_geojson, selected="江夏区")
    axis = figure.layout.coloraxis
    assert axis.cmid == 0 and axis.cmin == -axis.cmax
    reach = axis.cmax
    assert list(axis.colorbar.ticktext) == [f"−{reach}", "持平", f"+{reach}"]
    words = axis.colorbar.title.text
    assert "红：取消多于新增" in words and "蓝：新增多于取消" in words
    districts = figure.data[DISTRICTS]
    z = dict(zip(districts.customdata, districts.z, strict=True))
    expected = changes.set_index("place")["net"]
    assert z["江夏区"] == expected["江夏区"] and z["洪山区"] == expected["洪山区"]
    label = next(t for t in figure.data[LABELS].text if t.startswith("江夏区"))
    row = changes.set_index("place").loc["江夏区"]
    assert label == f"江夏区<br>+{row['新增']} −{row['取消']}"
    assert figure.data[0].type == "scattergeo"  # lon/lat trace first: no CDN topojson


def test_hash_round_trips_and_bad_values_fall_back_with_notices(data: AtlasData) -> None:
    state = CompareState("fyp14", "wr2024", "洪山区", "wr2024-2.1.1")
    assert parse_hash(to_hash(state), data) == (state, ())
    parsed, notices = parse_hash("#compare?from=nope&to=wr2024&place=火星&task=x", data)
    assert parsed == CompareState(default_state(data).from_plan, "wr2024")
    assert len(notices) == 3
    assert parse_hash("#other", data) == (default_state(data), ())
    assert default_state(data) == CompareState("wr2023", "wr2024")


def test_state_sync_follows_clicks_plans_and_tasks(data: AtlasData) -> None:
    """The browser's state sync (assets/viewhash.js mirrors compare_sync): a click selects a
    place and a second clears it, a task button opens its lineage, the same plan twice is
    refused with a notice; a hash sets the state and dropdowns and is never rewritten."""
    config = hash_config(data)
    start = asdict(default_state(data))
    click = {"points": [{"customdata": "江夏区"}]}
    out = compare_sync(config, "map", click, "#compare", (None, None), start)
    state, fragment = out["state"], out["hash"]
    assert state["place"] == "江夏区" and "place=" in fragment
    again = compare_sync(config, "map", click, fragment, (None, None), state)
    assert again["state"]["place"] is None  # a second click on the same place clears it
    picked = compare_sync(config, "task", ("wr2024-2.1.1", 1), fragment, (None, None), state)
    assert picked["state"]["task"] == "wr2024-2.1.1"
    assert compare_sync(config, "task", ("wr2024-2.1.1", None), fragment, (None, None), state) == {}
    same = compare_sync(config, "to", None, fragment, ("wr2023", "wr2023"), state)
    assert "state" not in same and same["notice"] == SAME_PLAN_NOTICE
    assert (same["from"], same["to"]) == ("wr2023", "wr2024")  # the dropdowns put back
    from_url = compare_sync(
        config, "hash", None, "#compare?from=fyp14&to=wr2024", ("wr2023", "wr2024"), {}
    )
    assert from_url["state"]["from_plan"] == "fyp14" and "hash" not in from_url
    assert (from_url.get("from"), from_url.get("to")) == ("fyp14", None)  # "to" already right
    unchanged = compare_sync(
        config, "hash", None, to_hash(CompareState(**state)), ("wr2023", "wr2024"), state
    )
    assert unchanged == {"notice": ""}  # nothing to draw: no request


def test_render_lists_the_place_tasks_by_relation_and_the_lineage(data: AtlasData) -> None:
    state = CompareState("wr2023", "wr2024", "江夏区", "wr2024-2.1.14")
    _figure, summary, title, panel, lineage_view = cv.on_render(data, asdict(state))
    assert title == "江夏区：2023年政府工作报告 → 2024年政府工作报告"
    heads = [s.children[0].children for s in panel]
    rows = place_rows(comparison_table(data, "wr2023", "wr2024"), data.tasks, data.task_places,
                      "江夏区", LINKS)  # fmt: skip
    for head, relation in zip(heads, ("新增", "延续", "调整", "取消"), strict=True):
        shown = rows[rows["relation"] == relation].drop_duplicates(["from_task_id", "to_task_id"])
        assert head == f"{relation}（{len(shown)}）"
    texts = _texts(lineage_view)
    assert texts[0] == "2023年政府工作报告 → 2024年政府工作报告"
    assert "wr2023-2.3.63" in texts and "wr2024-2.1.14 · 调整" in texts
    assert summary.startswith("延续 ")


def test_lineage_text_is_spans_never_markup() -> None:
    steps = lineage("b", ["p1", "p2"], lambda a, b: pd.DataFrame(
        [("a", "b", "调整", 0.5, "")],
        columns=["from_task_id", "to_task_id", "relation", "score", "evidence"]),
        pd.DataFrame({"task_id": ["a", "b"], "plan_id": ["p1", "p2"],
                      "text": ["<b>旧</b>", "<script>x</script>新"]}))  # fmt: skip
    view = render_lineage(steps, {})
    old_side, new_side = (
        [c for c in column.children if isinstance(c, html.Span)] for column in view[1].children
    )
    assert "".join(s.children for s in new_side) == "<script>x</script>新"  # text, escaped by Dash
    assert "".join(s.children for s in old_side) == "<b>旧</b>"
    assert {s.className for s in new_side} == {"cmp-same", "cmp-added"}


def test_download_keeps_formulas_as_text_and_names_the_place(data: AtlasData) -> None:
    rows = pd.DataFrame([{"relation": "新增", "from_task_id": "", "from_text": "",
                          "to_task_id": "x", "to_text": "=HYPERLINK(1)", "score": 0.0,
                          "evidence": "无前序任务"}])  # fmt: skip
    text = cv.download_bytes(rows).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and text.startswith("变化,原任务编号")
    sent = cv.on_download(data, asdict(CompareState("wr2023", "wr2024", "江夏区")))
    assert sent["filename"] == "对比_wr2023_wr2024_江夏区.csv"


def test_comparisons_are_memoised_per_plan_pair(data: AtlasData) -> None:
    first = comparison_table(data, "wr2023", "wr2024")
    assert comparison_table(data, "wr2023", "wr2024") is first
    assert comparison_table(data, "fyp14", "wr2024") is not first


def test_app_serves_the_view_beside_the_map(data: AtlasData) -> None:
    from dashboard.app import create_app

    app = create_app(data)
    ids = {
        c.id
        for c in _walk(app.layout)
        if getattr(c, "id", None) is not None and isinstance(c.id, str)
    }
    assert {cv.CompareId.ROOT, cv.CompareId.MAP, Id.MAP, Id.URL} <= ids
    assert Path(app.config.assets_folder, "compare.css").is_file()


def _walk(component: Any) -> list[Any]:
    out = [component]
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children else []:
        if not isinstance(child, str):
            out += _walk(child)
    return out


#: Spans that hold a document's own words, shown as the document has them.
DOCUMENT_TEXT = {"cmp-text", "cmp-same", "cmp-added", "cmp-removed"}


def _ui_texts(component: Any) -> list[str]:
    """Every string the view itself writes in a component tree (the documents' own task
    text aside): children, placeholders, titles."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [t for c in component for t in _ui_texts(c)]
    if getattr(component, "className", None) in DOCUMENT_TEXT:
        return []
    out = [v for p in ("placeholder", "title") if isinstance(v := getattr(component, p, None), str)]
    children = getattr(component, "children", None)
    return out + (_ui_texts(children) if children is not None else [])


def test_the_view_writes_chinese_with_full_width_punctuation(data: AtlasData) -> None:
    """对比:… and 新增(3) were half-width (issue 12, closing note); every text of the tab, the
    map's words and the notices are now full-width where they touch Chinese."""
    texts = _ui_texts(cv.layout(data))
    state = CompareState("wr2023", "wr2024", "江夏区", "wr2024-2.1.14")
    plain, summary, title, panel, lineage_view = cv.on_render(data, asdict(state))
    figure = go.Figure(plain)  # the view answers with a plain dict
    texts += [summary, title, *_ui_texts(panel), *_ui_texts(lineage_view)]
    texts += [
        str(figure.layout.coloraxis.colorbar.title.text),
        *figure.layout.coloraxis.colorbar.ticktext,
    ]
    texts += [a.text for a in figure.layout.annotations]
    notices = "；".join(parse_hash("#compare?from=nope&place=火星&task=x", data)[1])
    texts.append(notices)
    evidence = [t for t in _ui_texts(panel) if "相似度" in t or "无前序" in t]
    assert evidence, "the panel shows the evidence"
    assert title.startswith("江夏区：") and "；" in notices
    half = [t for t in texts if zh_punct(t) != t]
    assert half == []


def test_the_change_map_has_the_map_views_central_city_inset(data: AtlasData) -> None:
    """The central districts' ± labels crowded on the city map (no inset): they now sit in the
    same inset as the map view's, from the same figure builder."""
    table = comparison_table(data, "wr2023", "wr2024")
    places = place_table(data)["name"].tolist()
    changes = place_changes(table, data.task_places, places, LINKS)
    figure = build_change_map(changes, data.places_geojson, selected="武昌区")
    assert "geo2" in figure.layout and figure.layout.geo2.domain.x[0] > 0.5
    inset = figure.data[INSET_DISTRICTS]
    assert inset.geo == "geo2" and set(inset.customdata) == set(CENTRAL)
    by_place = changes.set_index("place")
    for name, z in zip(inset.customdata, inset.z, strict=True):
        assert z == by_place.loc[name, "net"]
    inset_labels = figure.data[INSET_LABELS].text
    row = by_place.loc["武昌区"]
    assert f"{SHORT_NAMES['武昌区']}<br>+{row['新增']} −{row['取消']}" in inset_labels
    city_labels = figure.data[LABELS].text
    assert not any(t.startswith(SHORT_NAMES[n]) for n in CENTRAL for t in city_labels)
    assert (
        figure.data[DISTRICTS].marker.line.width[
            list(figure.data[DISTRICTS].customdata).index("武昌区")
        ]
        == 4
    )


def test_the_change_map_reuses_the_map_views_geometry(data: AtlasData) -> None:
    """Same traces, in the same order and on the same subplots, as the map view's map."""
    table = comparison_table(data, "wr2023", "wr2024")
    changes = place_changes(table, data.task_places, list(CENTRAL), LINKS)
    compare = build_change_map(changes, data.places_geojson)
    from dashboard.counting import count_by_place

    counts = count_by_place(data, data.tasks["task_id"], CountMode.SPECIFIC)
    main = build_district_map(counts, data.places_geojson, mode=CountMode.SPECIFIC)
    assert [(t.type, t.geo) for t in compare.data] == [(t.type, t.geo) for t in main.data]
    assert compare.layout.geo2.to_plotly_json() == main.layout.geo2.to_plotly_json()


def test_places_without_additions_or_drops_carry_their_name_alone(data: AtlasData) -> None:
    """Every quiet place was labelled "+0 −0" (a change to look at, crowding those that did
    change): it now carries its name alone, as a place with no tasks does on the map view;
    a place with either count keeps "+新增 −取消", "−0"/"+0" included."""
    table = comparison_table(data, "wr2023", "wr2024")
    places = place_table(data)["name"].tolist()
    changes = place_changes(table, data.task_places, places, LINKS).set_index("place")
    figure = build_change_map(changes.reset_index(), data.places_geojson)
    quiet, changed = 0, 0
    for trace in (LABELS, INSET_LABELS):
        for (name, _), text in zip(
            figure.data[trace].customdata, figure.data[trace].text, strict=True
        ):
            new, dropped = changes.loc[name, "新增"], changes.loc[name, "取消"]
            shown = SHORT_NAMES.get(name, name) if trace == INSET_LABELS else name
            if new == 0 and dropped == 0:
                quiet += 1
                assert text == shown, name
            else:
                changed += 1
                assert text == f"{shown}<br>+{new} −{dropped}", name
    assert changed > 0
    # the bundled corpus has quiet places; a place the comparison never reaches is one too
    lone = changes.copy()
    lone.loc["新洲区", ["新增", "取消", "延续", "调整", "net"]] = 0
    figure = build_change_map(lone.reset_index(), data.places_geojson)
    assert "新洲区" in figure.data[LABELS].text
    assert not any("+0 −0" in t for t in figure.data[LABELS].text)
    assert quiet + changed == 18


def test_render_checks_the_state_the_browser_sends(data: AtlasData) -> None:
    """The state comes from the browser now (assets/viewhash.js): a malformed one is a 400
    (BadInput), never a 500; a task id the data does not know is named, not drawn."""
    for bad in ({}, None, {"from_plan": "wr2023"}, {**asdict(default_state(data)), "task": 5}):
        with pytest.raises(BadInput):
            cv.on_render(data, bad)
    state = CompareState("wr2023", "wr2024", None, "no-such-task")
    *_, lineage_view = cv.on_render(data, asdict(state))
    assert _ui_texts(lineage_view)[0] == "未知任务“no-such-task”，已忽略"
