"""`task-atlas serve` options and its error path (the server itself is covered by browser tests)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.data import load_atlas
from dashboard.serve import add_serve_arguments, create_server, run_serve
from tests.helpers import FIXTURE


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults() -> None:
    args = _parse()
    assert (args.host, args.port, args.data) == ("127.0.0.1", 8050, Path("data"))


def test_missing_data_folder_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_serve(_parse("--data", str(tmp_path / "nope"))) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "Traceback" not in err and err.count("\n") == 1


def test_app_serves_everything_locally() -> None:
    """No CDN: every script and stylesheet in the page comes from this server."""
    client = create_app(load_atlas(FIXTURE)).server.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "<title>武汉市任务地图</title>" in page
    assert "/assets/atlas.css" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(sources) > 5
    assert [s for s in sources if not s.startswith("/")] == []
    assert client.get("/_dash-layout").status_code == 200


def test_apps_share_no_state() -> None:
    data = load_atlas(FIXTURE)
    first, second = create_app(data), create_app(data)
    assert first is not second
    assert first.callback_map.keys() == second.callback_map.keys()


def test_wsgi_factory_serves_the_layout() -> None:
    server = create_server(str(FIXTURE))
    assert server.test_client().get("/_dash-layout").status_code == 200
