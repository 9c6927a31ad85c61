"""The contract for the progress store's status edits: a Dash callback asks who is writing.

`current_account()` works inside a Dash callback (it runs in the Flask request that carries the
session), and `can_write_task` decides; the callback refuses with a notice, never a 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from dash import Dash, Input, Output, dcc, html
from flask.testing import FlaskClient

from access.config import AccessSettings
from access.guards import current_account
from access.roles import can_write_task
from access.store import UserStore
from access.web import install_access
from tests.access_helpers import SECRET, cheap_hashes, db_url, login, populated, store

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
ORIGIN = {"Origin": "http://localhost"}
TASK_LEADS = {"wr2024-2.1.1": ["东湖高新区管委会", "市科技局"]}


def edit_status(task_id: str) -> str:
    """What a status-edit callback does first (thin: look up the leads, ask, refuse or go on)."""
    account = current_account()
    if not can_write_task(account, TASK_LEADS[task_id]):
        return "无权修改此任务的进度。"
    assert account is not None
    return f"{account.name} 可以修改 {task_id}"


def _app() -> Dash:
    app = Dash(__name__, serve_locally=True)
    app.layout = html.Div([dcc.Input(id="task"), html.Div(id="notice")])

    @app.callback(Output("notice", "children"), Input("task", "value"))
    def on_edit(task_id: Any) -> str:
        return edit_status(str(task_id))

    return app


@pytest.fixture
def client(populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    app = _app()
    install_access(app.server, AccessSettings(db_url, secure_cookies=False))
    return app.server.test_client()


def _call(client: FlaskClient) -> str:
    body = {
        "output": "notice.children",
        "outputs": {"id": "notice", "property": "children"},
        "inputs": [{"id": "task", "property": "value", "value": "wr2024-2.1.1"}],
        "changedPropIds": ["task.value"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert response.status_code == 200
    return str(response.get_json()["response"]["notice"]["children"])


@pytest.mark.parametrize(
    ("who", "notice"),
    [
        (None, "无权修改此任务的进度。"),
        ("guest", "无权修改此任务的进度。"),
        ("huanbao", "无权修改此任务的进度。"),  # reporter of another unit
        ("root", "无权修改此任务的进度。"),  # admin manages accounts, not data
        ("keji", "keji 可以修改 wr2024-2.1.1"),  # reporter of a co-lead unit
        ("office", "office 可以修改 wr2024-2.1.1"),  # editor
    ],
)
def test_a_callback_sees_the_logged_in_account(
    client: FlaskClient, who: str | None, notice: str
) -> None:
    if who is not None:
        assert login(client, who) == 303
    assert _call(client) == notice


def test_on_a_server_without_logins_nobody_may_write() -> None:
    """No user store (the open atlas): the same callback refuses, it does not crash."""
    client = _app().server.test_client()
    assert _call(client) == "无权修改此任务的进度。"
