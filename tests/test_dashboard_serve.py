"""`task-atlas serve` options and its error path (the server itself is covered by browser tests)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
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


def test_missing_data_folder_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1 = failed, as every command (2 is for usage errors)."""
    assert run_serve(_parse("--data", str(tmp_path / "nope"))) == 1
    err = capsys.readouterr().err
    assert "nope" in err and "Traceback" not in err and err.count("\n") == 1


def test_wsgi_factory_on_a_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        create_server(str(tmp_path / "nope"))
    assert info.value.code == 3  # gunicorn's boot error: the master stops, no respawn loop
    err = capsys.readouterr().err
    assert (
        err
        == f"task-atlas: cannot serve: {tmp_path / 'nope'}: data folder not found (run `task-atlas build`)\n"
    )


def test_gunicorn_on_a_missing_folder_stops_with_one_line(tmp_path: Path) -> None:
    """The README's production line, for real: no traceback in gunicorn's log."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed")
    res = subprocess.run(
        [str(gunicorn), "-w", "1", "-b", "127.0.0.1:0", "--no-control-socket",
         f'dashboard.serve:create_server("{tmp_path / "nope"}")'],
        capture_output=True, text=True, timeout=120, check=False, cwd=Path(__file__).parents[1],
    )  # fmt: skip
    assert res.returncode == 3
    assert "Traceback" not in res.stderr
    assert res.stderr.count("task-atlas: cannot serve:") == 1
    assert "data folder not found" in res.stderr


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


def test_debug_on_a_shared_address_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Werkzeug's debugger runs code typed in a browser: never on an address others can reach."""
    assert run_serve(_parse("--host", "0.0.0.0", "--debug", "--data", str(FIXTURE))) == 2
    err = capsys.readouterr().err
    assert "--debug with --host 0.0.0.0" in err and err.count("\n") == 1


def test_a_shared_address_prints_the_caution(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dash import Dash

    from dashboard import production

    ran: dict[str, object] = {}
    monkeypatch.setattr(Dash, "run", lambda self, **kw: ran.update(kw))
    monkeypatch.setattr(production, "wants_workers", lambda args: False)  # Dash's own server
    assert run_serve(_parse("--host", "0.0.0.0", "--data", str(FIXTURE))) == 0
    assert ran["host"] == "0.0.0.0" and ran["debug"] is False
    assert "无登录" in capsys.readouterr().err
