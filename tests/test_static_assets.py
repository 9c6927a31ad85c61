"""The compression and caching layer (dashboard/static_assets.py), through Flask's test client.

Issue 13: the first visit was 6.1 MB with nothing compressed and plotly.js without Cache-Control.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path

import brotli
import pytest
from dash import Dash, Input, Output, html
from flask.testing import FlaskClient
from plotly.offline import get_plotlyjs_version

from dashboard import downloads, static_assets
from dashboard.app import create_app
from dashboard.data import load_atlas
from dashboard.static_assets import IMMUTABLE, VariantCache, choose_encoding

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "atlas_data"
BUNDLE = REPO / "assets" / "plotly-atlas.min.js"


@cache
def _atlas_server() -> tuple[FlaskClient, str]:
    app = create_app(load_atlas(FIXTURE))
    client = app.server.test_client()
    return client, client.get("/").get_data(as_text=True)


@pytest.fixture
def small_app(tmp_path: Path) -> tuple[FlaskClient, VariantCache]:
    """A two-component Dash app with one big asset and a callback returning ~20 KB."""
    (tmp_path / "big.js").write_text("var atlas = 1;\n" * 400)
    app = Dash(__name__, assets_folder=str(tmp_path), serve_locally=True)
    app.layout = html.Div([html.Button(id="go"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("go", "n_clicks"))
    def fill(n: int | None) -> str:
        return f"任务 {n} " * 2000

    return app.server.test_client(), static_assets.install(app)


def _dash_script(index: str, part: str) -> str:
    return next(src for src in re.findall(r'<script src="([^"]+)"', index) if part in src)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", "identity"),
        ("identity", "identity"),
        ("", "identity"),
        (None, "identity"),
        ("*", "br"),
        ("*;q=0, gzip;q=0.5", "gzip"),
        ("br;q=abc", "identity"),
    ],
)
def test_choose_encoding_follows_accept_encoding(header: str | None, expected: str) -> None:
    assert choose_encoding(header) == expected


@pytest.mark.parametrize(
    ("accept", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_fingerprinted_suite_is_compressed_and_immutable(accept: str, decode: object) -> None:
    client, index = _atlas_server()
    url = _dash_script(index, "dash_renderer")
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers={"Accept-Encoding": accept})
    assert packed.headers["Content-Encoding"] == accept
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert packed.headers["Cache-Control"] == IMMUTABLE
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 3
    assert decode(packed.data) == plain.data  # type: ignore[operator]
    assert plain.headers["ETag"] != packed.headers["ETag"]  # one ETag per representation


def test_identity_fallback_sends_the_file_as_is() -> None:
    client, index = _atlas_server()
    url = _dash_script(index, "dash_renderer")
    response = client.get(url, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.data.startswith(b"/*") or b"dash" in response.data[:2000]
    assert len(response.data) > 200_000  # the renderer itself, not an empty body


def test_layout_revalidates_with_etag_and_304() -> None:
    client, _ = _atlas_server()
    first = client.get("/_dash-layout", headers={"Accept-Encoding": "br"})
    assert first.headers["Cache-Control"] == "no-cache"
    assert first.headers["Content-Encoding"] == "br"
    layout = json.loads(brotli.decompress(first.data))
    assert layout["type"] == "Div"
    etag = first.headers["ETag"]
    again = client.get("/_dash-layout", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    # the identity ETag does not validate the brotli body (and vice versa)
    other = client.get("/_dash-layout", headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert json.loads(other.data) == layout


def test_each_body_is_compressed_once(small_app: tuple[FlaskClient, VariantCache]) -> None:
    client, cache = small_app
    index = client.get("/").get_data(as_text=True)
    asset = _dash_script(index, "big.js")
    before = cache.compressions
    bodies = {client.get(asset, headers={"Accept-Encoding": enc}).data for enc in ("br", "gzip")}
    for _ in range(5):
        client.get(asset, headers={"Accept-Encoding": "br"})
        client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    for stamp in range(5):  # made-up query strings do not cost a compression each
        client.get(f"{asset.split('?')[0]}?m={stamp}", headers={"Accept-Encoding": "br"})
    assert len(bodies) == 2
    assert cache.compressions - before == 2  # the asset once, the layout once


def test_assets_with_modification_stamp_are_immutable(
    small_app: tuple[FlaskClient, VariantCache],
) -> None:
    client, _ = small_app
    index = client.get("/").get_data(as_text=True)
    versioned = _dash_script(index, "big.js")
    assert "?m=" in versioned
    assert client.get(versioned).headers["Cache-Control"] == IMMUTABLE
    bare = client.get(versioned.split("?")[0], headers={"Accept-Encoding": "gzip"})
    assert bare.headers["Cache-Control"] == "no-cache"
    assert gzip.decompress(bare.data) == ("var atlas = 1;\n" * 400).encode()


def test_callback_responses_are_compressed(small_app: tuple[FlaskClient, VariantCache]) -> None:
    client, _ = small_app
    body = {
        "output": "out.children",
        "outputs": {"id": "out", "property": "children"},
        "inputs": [{"id": "go", "property": "n_clicks", "value": 3}],
        "changedPropIds": ["go.n_clicks"],
        "state": [],
    }
    packed = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    plain = client.post("/_dash-update-component", json=body)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.data) == plain.data
    assert "任务 3" in json.loads(plain.data)["response"]["out"]["children"]
    assert len(packed.data) < len(plain.data) / 10


def test_page_loads_the_partial_plotly_bundle_not_the_full_one() -> None:
    _, index = _atlas_server()
    assert "plotly-atlas.min.js" in index
    assert "package_data/plotly.min.js" not in index
    head = BUNDLE.read_text(encoding="utf-8")[:400]
    # Rebuild with scripts/build_plotly_bundle.sh when plotly (and its plotly.js) is upgraded.
    assert f"plotly.js v{get_plotlyjs_version()} partial bundle" in head
    assert "MIT" in head
    assert BUNDLE.stat().st_size < 2_000_000  # the full plotly.min.js is 4.8 MB


def test_warm_compresses_every_script_before_the_first_visit() -> None:
    app = create_app(load_atlas(FIXTURE))
    cache = app.server.extensions[static_assets.EXTENSION]
    fetched = static_assets.warm(app.server)
    assert fetched >= 10
    assert cache.compressions >= fetched - 1  # the small index page may fall under MIN_SIZE


def test_other_gets_pass_through_untouched(tmp_path: Path) -> None:
    """A file download (no-store) is neither kept in memory nor given static headers."""
    app = Dash(__name__, assets_folder=str(tmp_path / "none"))
    app.layout = html.Div()
    cache = static_assets.install(app)
    store = downloads.install(app.server, downloads.DownloadStore(tmp_path / "dl"))
    body = ("任务,地点\n" * 500).encode()
    response = app.server.test_client().get(
        store.put(body, "任务.csv"), headers={"Accept-Encoding": "br"}
    )
    assert response.status_code == 200
    assert response.data == body
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert cache.compressions == 0
