"""The task table: every task for any filter, city-level ones marked, server-side pages."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.data import AtlasData, load_atlas
from dashboard.options import CountMode, Link
from dashboard.task_table import (
    CITY_LEVEL,
    PAGE_SIZE,
    csv_bytes,
    highlight_updates,
    light_up_patch,
    page,
    sorted_rows,
    table_rows,
    xlsx_bytes,
)
from dashboard.viewstate import Filters

FIXTURE = Path(__file__).parent / "fixtures" / "atlas_data"
SPECIFIC = ("lead", "responsible", "mention")


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return load_atlas(FIXTURE)


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURE / name, dtype=str, keep_default_na=False)


def test_every_task_is_listed_and_city_level_ones_are_marked(data: AtlasData) -> None:
    rows = table_rows(data, Filters())
    tasks, places = _csv("tasks.csv"), _csv("task_places.csv")
    assert set(rows["task_id"]) == set(tasks["task_id"])
    mapped = places[places["link"].isin(SPECIFIC) & places["place_kind"].isin(["district", "zone"])]
    city = set(tasks["task_id"]) - set(mapped["task_id"])
    assert city, "the fixture has city-level tasks"
    marked = set(rows.loc[rows["places"] == CITY_LEVEL, "task_id"])
    assert marked == city


def test_agency_filter_lists_its_tasks_even_without_a_place(data: AtlasData) -> None:
    """Filtering by 市发改委 used to leave the panel at 请选择地点: the table lists them."""
    units = _csv("task_units.csv")
    expected = set(units.loc[units["unit"] == "市发改委", "task_id"])
    rows = table_rows(data, Filters(agency="市发改委"))
    assert set(rows["task_id"]) == expected and expected


def test_selected_place_narrows_the_table(data: AtlasData) -> None:
    places = _csv("task_places.csv")
    expected = set(
        places.loc[(places["place"] == "江夏区") & places["link"].isin(SPECIFIC), "task_id"]
    )
    rows = table_rows(data, Filters(place="江夏区"))
    assert set(rows["task_id"]) == expected
    assert all("江夏区" in p for p in rows["places"])


def test_search_sort_and_bounded_pages(data: AtlasData) -> None:
    rows = table_rows(data, Filters(), search="汤逊湖")
    assert len(rows) >= 1 and all(
        "汤逊湖" in t or "汤逊湖" in p for t, p in zip(rows["text"], rows["places"], strict=True)
    )
    everything = table_rows(data, Filters())
    by_sector = sorted_rows(everything, [{"colId": "sector", "sort": "desc"}])
    assert list(by_sector["sector"]) == sorted(everything["sector"], reverse=True)
    assert sorted_rows(everything, [{"colId": "__proto__", "sort": "asc"}]) is everything
    assert len(page(everything, 0, 10**9)) <= 4 * PAGE_SIZE
    assert page(everything, -5, 3) == page(everything, 0, 3)


def test_downloads_hold_exactly_the_shown_rows_and_no_formulas(data: AtlasData) -> None:
    rows = sorted_rows(table_rows(data, Filters(), search="湖"), [{"colId": "plan", "sort": "asc"}])
    frame = pd.read_csv(io.BytesIO(csv_bytes(rows)), dtype=str, keep_default_na=False)
    assert list(frame["任务编号"]) == list(rows["task_id"])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows))).active
    assert [c.value for c in sheet[1]][:3] == ["任务编号", "计划", "序号"]
    assert sheet.max_row == len(rows) + 1
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_row_click_lights_up_the_tasks_places(data: AtlasData) -> None:
    places = _csv("task_places.csv")
    task = places.loc[places["place"] == "江夏区", "task_id"].iloc[0]
    patch = light_up_patch(data, task).to_plotly_json()
    lit = [op for op in patch["operations"] if op["location"][-1] == "marker"]
    assert lit, patch
    city = highlight_updates(["江夏区"], [["江夏区", "洪山区"]])[0]["line"]
    assert city["width"] == [4, 1]


def _reference_rows(data: AtlasData, f: Filters) -> pd.DataFrame:
    """The table's rows as the pandas version computed them (string isin and groupby)."""
    from dashboard.filters import effective_links, filter_tasks
    from dashboard.options import LINK_LABELS

    tasks = filter_tasks(data, f)
    tp = data.task_places
    keep = tp["task_id"].isin(tasks["task_id"]) & tp["link"].isin(effective_links(f.links, f.mode))
    links = tp[keep & tp["place_kind"].isin(("district", "zone"))]
    base = tasks
    if f.place:
        base = base[base["task_id"].isin(links.loc[links["place"] == f.place, "task_id"])]
    grouped = links.groupby("task_id")
    places = grouped["place"].agg(lambda s: "、".join(dict.fromkeys(s)))
    kinds = grouped["link"].agg(lambda s: "、".join(dict.fromkeys(LINK_LABELS[x] for x in s)))
    order = {p: i for i, p in enumerate(data.plans["plan_id"])}
    return base.assign(
        places=base["task_id"].map(places).fillna(CITY_LEVEL),
        links=base["task_id"].map(kinds).fillna("—"),
        _order=base["plan_id"].map(order).fillna(len(order)),
    ).sort_values(["_order", "sector"], kind="stable")


@pytest.mark.parametrize(
    "f",
    [
        Filters(),
        Filters(place="江夏区"),
        Filters(place="东湖高新区", mode=CountMode.WITH_CITYWIDE),
        Filters(plans=("wr2024",), links=(Link.MENTION,)),
        Filters(sectors=("科技创新",), place="武昌区"),
    ],
    ids=repr,
)
def test_rows_are_those_of_the_pandas_version_on_the_corpus(
    corpus_data: AtlasData, f: Filters
) -> None:
    got = table_rows(corpus_data, f)
    want = _reference_rows(corpus_data, f)
    assert len(want) > 0
    assert list(got["task_id"]) == list(want["task_id"])
    assert list(got["places"]) == list(want["places"])
    assert list(got["links"]) == list(want["links"])
