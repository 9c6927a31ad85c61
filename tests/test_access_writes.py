"""The write pages (issue 11): returns uploaded in the browser, status edits, the audit log.

Real workbooks (made by `task-atlas progress template`, filled with openpyxl), a real SQLite
store holding both the users and the progress tables, the real Dash server's Flask client.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from access.config import AccessSettings
from access.store import UserStore
from access.web import install_access
from access.writes import AUDIT_COLUMNS
from cli.main import main
from dashboard.app import create_app
from dashboard.data import load_atlas
from progress.db import open_store
from progress.quarters import parse_quarter
from progress.returns import read_return
from progress.rules import load_rules
from progress.service import leads_in_force
from progress.store import change_log, current_returns
from progress.tasks import read_task_tables
from tests.access_helpers import SECRET, cheap_hashes, db_url, login, populated, store
from tests.progress_fixtures import CO_LEAD_TASK, CO_LEAD_UNIT, fill_workbook

__all__ = ["cheap_hashes", "db_url", "populated", "store"]  # fixtures
ORIGIN = {"Origin": "http://localhost"}
Q2 = "2024Q2"


@pytest.fixture
def server(
    atlas_dir: Path, populated: UserStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Flask:
    """`serve --db URL` on 127.0.0.1: one store for the logins and the 进度 view."""
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    app = create_app(load_atlas(atlas_dir), store_url=db_url)
    settings = AccessSettings(db_url, secure_cookies=False, data_dir=atlas_dir)
    assert install_access(app.server, settings) is not None
    return app.server


@pytest.fixture
def client(server: Flask) -> FlaskClient:
    return server.test_client()


@pytest.fixture
def templates(atlas_dir: Path, db_url: str, tmp_path: Path) -> Path:
    out = tmp_path / "templates"
    args = ["--quarter", Q2, "--data", str(atlas_dir), "--db", db_url, "--out", str(out)]
    assert main(["progress", "template", *args]) == 0
    return out


def tech_workbook(templates: Path, percent: object = 20) -> Path:
    path = templates / f"2024Q2_{CO_LEAD_UNIT}.xlsx"
    fill_workbook(path, {CO_LEAD_TASK: {"完成状态": "滞后", "完成进度(%)": percent}})
    return path


def upload(client: FlaskClient, *paths: Path, quarter: str = Q2) -> tuple[int, str]:
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in paths]
    response = client.post(
        "/returns",
        data={"quarter": quarter, "files": files},
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True)


def token_of(page: str) -> str:
    marker = 'name="token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def confirm(client: FlaskClient, token: str) -> tuple[int, str]:
    response = client.post("/returns/confirm", data={"token": token}, headers=ORIGIN)
    return response.status_code, response.get_data(as_text=True)


def stored(db_url: str) -> list[dict[str, object]]:
    opened = open_store(db_url)
    try:
        return list(current_returns(opened).to_dict("records"))
    finally:
        opened.close()


def test_upload_is_checked_before_anything_is_saved_then_confirmed(
    client: FlaskClient, templates: Path, db_url: str
) -> None:
    assert login(client, "keji") == 303
    status, page = upload(client, tech_workbook(templates))
    assert status == 200 and "可以导入" in page and "确认导入" in page
    assert stored(db_url) == []  # nothing saved before the confirmation
    token = token_of(page)
    status, page = confirm(client, token)
    assert status == 200 and "2024Q2_市科技局.xlsx（市科技局）：1 行" in page
    (row,) = stored(db_url)
    assert (row["task_id"], row["unit"], row["status"], row["percent"]) == (
        CO_LEAD_TASK, CO_LEAD_UNIT, "滞后", 20.0,
    )  # fmt: skip
    assert (row["entered_by"], row["source"]) == ("keji", "2024Q2_市科技局.xlsx")
    # the token is spent: confirming it again imports nothing
    assert confirm(client, token)[0] == 400 and len(stored(db_url)) == 1


def test_the_browser_report_is_the_command_lines_report(
    client: FlaskClient, templates: Path, atlas_dir: Path, db_url: str
) -> None:
    bad = tech_workbook(templates, percent=150)
    quarter = parse_quarter(Q2)
    leads = leads_in_force(read_task_tables(atlas_dir), quarter).groupby("task_id")["unit"]
    expected = read_return(bad, quarter, leads.agg(frozenset), load_rules()).problems
    assert expected  # the same validation function finds the problem
    assert login(client, "office") == 303
    status, page = upload(client, bad)
    assert status == 200 and "returns-nothing" in page
    for problem in expected:
        cells = f"<td>{problem.file}</td><td>{problem.row}</td>\n<td>{problem.column}</td>"
        assert cells in page and problem.reason.replace(",", ",") in page
    assert stored(db_url) == []


def test_a_reporter_cannot_import_another_units_return(
    client: FlaskClient, templates: Path, db_url: str
) -> None:
    assert login(client, "huanbao") == 303  # 市生态环境局, not 市科技局
    status, page = upload(client, tech_workbook(templates))
    assert status == 200 and "您的账号属于市生态环境局，不能提交市科技局的报表" in page
    assert f"{CO_LEAD_TASK} 不是您单位牵头的任务" in page and "确认导入" not in page
    assert stored(db_url) == []


def test_an_upload_token_is_bound_to_the_uploaders_session(
    server: Flask, templates: Path, db_url: str
) -> None:
    keji, office = server.test_client(), server.test_client()
    assert login(keji, "keji") == 303 and login(office, "office") == 303
    _, page = upload(keji, tech_workbook(templates))
    assert confirm(office, token_of(page))[0] == 400  # another session, the same token
    assert stored(db_url) == []


def test_upload_bounds(client: FlaskClient, templates: Path, tmp_path: Path) -> None:
    assert login(client, "office") == 303
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"\0" * (11 * 1024 * 1024))
    assert upload(client, big)[0] == 413  # past the returns route's own 10 MB: a clean 413
    text = tmp_path / "notes.txt"
    text.write_text("x", encoding="utf-8")
    status, page = upload(client, text)
    assert status == 400 and "只接受 .xlsx" in page
    status, page = upload(client, tech_workbook(templates), quarter="2024Q9")
    assert status == 400


def test_status_edit_needs_a_reason_and_logs_it(client: FlaskClient, db_url: str) -> None:
    assert login(client, "keji") == 303
    url = f"/tasks/{CO_LEAD_TASK}/status?quarter={Q2}"
    assert client.get(url).status_code == 200
    form = {"unit": CO_LEAD_UNIT, "status": "滞后", "percent": "30", "reason": " "}
    response = client.post(url, data=form, headers=ORIGIN)
    assert response.status_code == 400 and "请填写修改原因" in response.get_data(as_text=True)
    assert stored(db_url) == []
    form["reason"] = '=HYPERLINK("http://x") 资金到位'
    assert client.post(url, data=form, headers=ORIGIN).status_code == 200
    opened = open_store(db_url)
    log = change_log(opened)
    opened.close()
    assert list(log[["entered_by", "action", "task_id", "unit"]].iloc[0]) == [
        "keji", "edit", CO_LEAD_TASK, CO_LEAD_UNIT,
    ]  # fmt: skip
    assert log["source"].iloc[0] == '网页修改：=HYPERLINK("http://x") 资金到位'


def test_audit_lists_every_change_neutralised_never_a_hash(server: Flask, templates: Path) -> None:
    keji, office = server.test_client(), server.test_client()
    assert login(keji, "keji") == 303 and login(office, "office") == 303
    confirm(keji, token_of(upload(keji, tech_workbook(templates))[1]))
    url = f"/tasks/{CO_LEAD_TASK}/status?quarter={Q2}"
    form = {"unit": CO_LEAD_UNIT, "status": "序时推进", "percent": "50", "reason": "=1+1 核实"}
    assert office.post(url, data=form, headers=ORIGIN).status_code == 200
    page = office.get("/audit").get_data(as_text=True)
    assert "导入报表" in page and "修改状态" in page and "滞后 20%" in page
    assert "序时推进 50%" in page and "2024Q2_市科技局.xlsx" in page
    response = office.get(f"/audit.csv?quarter={Q2}&unit={CO_LEAD_UNIT}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert tuple(rows[0]) == AUDIT_COLUMNS and len(rows) == 3
    edit, imported = rows[1], rows[2]  # newest first
    assert edit[1:4] == ["office", "修改状态", CO_LEAD_TASK] and edit[6:8] == [
        "滞后 20%",
        "序时推进 50%",
    ]
    assert edit[8] == "网页修改：=1+1 核实"  # text not at the start: unchanged
    assert imported[1:3] == ["keji", "导入报表"] and imported[8] == "2024Q2_市科技局.xlsx"
    all_csv = office.get("/audit.csv").get_data(as_text=True)
    assert "账号：" in all_csv  # the account events (users added) are listed too
    for text in (page, all_csv):
        assert "$argon2" not in text
    # never editable: no write method on the audit routes
    assert office.post("/audit", headers=ORIGIN).status_code == 405
    assert keji.get("/audit").status_code == 403


def test_formula_leading_audit_text_is_neutralised(server: Flask, db_url: str) -> None:
    """A file imported from the command line may be named anything, --by anything."""
    from progress.store import ReturnRow, record_returns

    opened = open_store(db_url)
    row = ReturnRow(CO_LEAD_TASK, CO_LEAD_UNIT, "滞后", 10.0)
    record_returns(opened, [row], quarter=parse_quarter(Q2), entered_by="-督查室",
                   source="=SUM(A1).xlsx")  # fmt: skip
    opened.close()
    office = server.test_client()
    assert login(office, "office") == 303
    body = office.get("/audit.csv").get_data(as_text=True).lstrip("\ufeff")
    (_, line) = list(csv.reader(io.StringIO(body)))[:2]
    assert line[1] == "'-督查室" and line[8] == "'=SUM(A1).xlsx"


WRITES: list[tuple[str, str]] = [
    ("GET", "/returns"),
    ("POST", "/returns"),
    ("POST", "/returns/confirm"),
    ("POST", f"/tasks/{CO_LEAD_TASK}/status?quarter={Q2}"),
    ("GET", "/audit"),
    ("GET", "/audit.csv"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_every_write_route_is_refused_without_the_right_session(
    server: Flask, method: str, path: str
) -> None:
    anonymous = server.test_client()
    assert anonymous.open(path, method=method, headers=ORIGIN).status_code == 401
    for name in ("guest", "huanbao"):  # a viewer; a reporter of another unit
        client = server.test_client()
        assert login(client, name) == 303
        response = client.open(path, method=method, headers=ORIGIN)
        if name == "huanbao" and path in ("/returns", "/returns/confirm"):
            # a reporter may open the returns page; their own-unit check refuses the rows
            assert response.status_code in (200, 400)
        else:
            assert response.status_code == 403, (name, method, path)
    office = server.test_client()
    assert login(office, "office") == 303
    if method == "POST":  # cross-site (no Origin) even for an editor
        assert office.open(path, method=method).status_code == 403


def test_a_browser_without_a_session_is_sent_to_the_login_page(client: FlaskClient) -> None:
    response = client.get("/audit?quarter=2024Q2", headers={"Accept": "text/html"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/audit?quarter%3D2024Q2"
    assert client.get("/audit").status_code == 401  # a script: a plain refusal


def test_the_header_badge_says_who_is_logged_in(client: FlaskClient) -> None:
    page = client.get("/account-badge").get_data(as_text=True)
    assert 'id="badge-login"' in page and "登录" in page
    assert login(client, "office") == 303
    response = client.get("/account-badge")
    page = response.get_data(as_text=True)
    assert "office" in page and "督查室编辑" in page and "退出" in page and "操作记录" in page
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_serve_db_feeds_the_progress_view_and_the_logins(
    atlas_dir: Path, db_url: str, populated: UserStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`create_server(db=…)` (and `serve --db`): the 进度 view reads the login store's database,
    not $TASK_ATLAS_DB or ./task-atlas.db (before, it ignored --db)."""
    from dashboard.serve import create_server
    from progress.store import ReturnRow, record_returns

    opened = open_store(db_url)
    row = ReturnRow(CO_LEAD_TASK, CO_LEAD_UNIT, "滞后", 10.0)
    record_returns(opened, [row], quarter=parse_quarter(Q2), entered_by="t", source="t.xlsx")
    opened.close()
    monkeypatch.setenv("TASK_ATLAS_SECRET_KEY", SECRET)
    monkeypatch.delenv("TASK_ATLAS_DB", raising=False)
    monkeypatch.chdir(atlas_dir)  # no ./task-atlas.db here
    from dashboard import progress_view

    opened_with: list[str | None] = []
    real = progress_view.default_source

    def recording(data: object, db: str | None = None) -> object:
        opened_with.append(db)
        return real(data, db)  # type: ignore[arg-type]

    monkeypatch.setattr(progress_view, "default_source", recording)
    client = create_server(str(atlas_dir), db=db_url).test_client()
    assert opened_with == [db_url]  # the 进度 view's store is the --db store
    source = real(load_atlas(atlas_dir), db_url)
    assert [str(q) for q in source.quarters()] == ["2024Q2"]
    assert login(client, "office") == 303  # the same database holds the users


def test_nothing_logged_carries_a_password_hash(
    server: Flask, templates: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    keji, office = server.test_client(), server.test_client()
    assert login(keji, "keji") == 303 and login(office, "office") == 303
    assert login(server.test_client(), "keji", "wrong password") == 401
    confirm(keji, token_of(upload(keji, tech_workbook(templates))[1]))
    url = f"/tasks/{CO_LEAD_TASK}/status?quarter={Q2}"
    form = {"unit": CO_LEAD_UNIT, "status": "序时推进", "percent": "50", "reason": "核实"}
    assert office.post(url, data=form, headers=ORIGIN).status_code == 200
    pages = [office.get(p).get_data(as_text=True) for p in ("/audit", "/audit.csv", url)]
    assert "returns imported by 'keji'" in caplog.text  # the log did record the flow
    for text in (caplog.text, *pages):
        assert "$argon2" not in text and "argon2id" not in text


def test_the_task_list_links_each_task_to_its_status_form(atlas_dir: Path, db_url: str) -> None:
    import pandas as pd

    from dashboard.progress_figures import history_table, task_rows
    from dashboard.progress_grid import COLUMNS
    from progress.provider import ProgressSource
    from progress.store import ReturnRow, record_returns
    from progress.view import narrow

    opened = open_store(db_url)
    row = ReturnRow(CO_LEAD_TASK, CO_LEAD_UNIT, "滞后", 10.0)
    record_returns(opened, [row], quarter=parse_quarter(Q2), entered_by="t", source="t.xlsx")
    source = ProgressSource(read_task_tables(atlas_dir), opened)
    view = narrow(source.base(parse_quarter(Q2)), source.tables)
    history = history_table(source, view.quarter, pd.Index(view.status["task_id"]))
    rows = task_rows(view, history, []).set_index("任务编号")
    opened.close()
    assert rows.loc[CO_LEAD_TASK, "修改"] == f"[修改](/tasks/{CO_LEAD_TASK}/status?quarter=2024Q2)"
    assert COLUMNS["修改"]["cellRenderer"] == "markdown"  # a link, not text (the task grid)
