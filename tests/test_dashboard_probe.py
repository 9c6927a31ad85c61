"""The request boundary under a hostile probe: never a 500, never an echo of a huge input.

Before the boundary (dashboard/boundary.py, viewstate.state_from_controls), 402 of the 1,482
probes answered 500 (e.g. filter-mode "bogus", keyword 123, an .xlsx for a place named a/b)."""

from __future__ import annotations

from typing import Any

import pytest
from dash import ALL, MATCH, Dash, Input, Output, html

from dashboard import boundary
from dashboard.app import create_app
from dashboard.boundary import MAX_REQUEST_BYTES
from dashboard.data import AtlasData
from tests import callback_probe


@pytest.fixture
def client(atlas_data: AtlasData) -> Any:
    app = create_app(atlas_data)
    app.server.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is counted, not raised
    return app.server.test_client()


def _update_view_body(client: Any, **values: Any) -> dict[str, Any]:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith("..district-map.figure"))
    body = callback_probe.base_body(dep)
    for entry in body["inputs"]:
        key = f"{entry['id']}.{entry['property']}"
        if key in values:
            entry["value"] = values[key]
    return body


@pytest.mark.slow
def test_probe_of_every_callback_gets_no_server_error(client: Any) -> None:
    result = callback_probe.run(client)
    assert result.tried > 1000
    assert result.failures == []
    assert result.errors == 0
    assert result.refused > 1000  # the map view alone refuses 1,215 (a notice is fine too)
    assert result.largest < callback_probe.MAX_RESPONSE_BYTES


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("filter-mode.value", "bogus"),
        ("filter-keyword.value", 123),
        ("filter-keyword.value", "光" * 51),  # the URL's 50-character limit holds here too
        ("filter-plans.value", ["wr2024"] * 50),
        ("selected-place.data", "a/b"),
    ],
)
def test_malformed_values_are_a_400_naming_the_field(client: Any, key: str, value: Any) -> None:
    response = client.post(callback_probe.PATH, json=_update_view_body(client, **{key: value}))
    assert response.status_code == 400
    assert "bad callback input" in response.get_json()["error"]


def test_valid_request_still_answers(client: Any) -> None:
    body = _update_view_body(client, **{"filter-plans.value": ["wr2024"]})
    response = client.post(callback_probe.PATH, json=body)
    assert response.status_code == 200
    caption = response.get_json()["response"]["filters-caption"]["children"]
    assert caption.startswith("计划：2024年政府工作报告")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("filter-keyword.value", "光" * 10_000_000),  # answered with 21 MB before
        ("filter-plans.value", ["wr2024"] * 1_000_000),  # answered with 52 MB before
    ],
)
def test_oversized_requests_are_refused_before_parsing(client: Any, key: str, value: Any) -> None:
    response = client.post(callback_probe.PATH, json=_update_view_body(client, **{key: value}))
    assert response.status_code == 413
    assert len(response.data) < 2_000
    assert MAX_REQUEST_BYTES <= 1024 * 1024


def test_xlsx_for_a_place_with_a_slash_is_refused(client: Any) -> None:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"] == "..panel-download.data..")
    body = callback_probe.base_body(dep, trigger=1)  # the Excel button
    for entry in body["state"]:
        if entry["id"] == "selected-place":
            entry["value"] = "江夏区/../x"
    response = client.post(callback_probe.PATH, json=body)
    assert response.status_code == 400


def _pattern_app() -> Any:
    """A view with All-in-One style pattern-matching callbacks (MATCH and ALL), guarded."""
    app = Dash(__name__)
    app.layout = html.Div(
        [
            html.Button(id={"type": "b", "index": 1}),
            html.Button(id={"type": "b", "index": 2}),
            html.Div(id={"type": "o", "index": 1}),
            html.Div(id="total"),
        ]
    )

    @app.callback(
        Output({"type": "o", "index": MATCH}, "children"),
        Input({"type": "b", "index": MATCH}, "n_clicks"),
    )
    def one(n: Any) -> str:
        return f"clicked {n}"

    @app.callback(Output("total", "children"), Input({"type": "b", "index": ALL}, "n_clicks"))
    def total(ns: list[Any]) -> str:
        return f"{len(ns)} buttons"

    boundary.guard(app)
    return app.server.test_client()


def test_pattern_matching_callbacks_pass_the_boundary() -> None:
    client = _pattern_app()
    b1, b2 = {"index": 1, "type": "b"}, {"index": 2, "type": "b"}
    match = {
        "output": '{"index":["MATCH"],"type":"o"}.children',
        "outputs": {"id": {"index": 1, "type": "o"}, "property": "children"},
        "inputs": [{"id": b1, "property": "n_clicks", "value": 3}],
        "changedPropIds": ['{"index":1,"type":"b"}.n_clicks'],
    }
    response = client.post(callback_probe.PATH, json=match)
    assert response.status_code == 200, response.data
    assert "clicked 3" in response.get_data(as_text=True)
    every = {
        "output": "total.children",
        "outputs": {"id": "total", "property": "children"},
        "inputs": [
            [
                {"id": b1, "property": "n_clicks", "value": 1},
                {"id": b2, "property": "n_clicks", "value": None},
            ]
        ],
        "changedPropIds": ['{"index":2,"type":"b"}.n_clicks'],
    }
    response = client.post(callback_probe.PATH, json=every)
    assert response.status_code == 200, response.data
    assert "2 buttons" in response.get_data(as_text=True)
    wrong = {**match, "inputs": [{"id": {"index": 1, "type": "x"}, "property": "n_clicks"}]}
    assert client.post(callback_probe.PATH, json=wrong).status_code == 400
