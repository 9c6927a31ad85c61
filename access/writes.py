"""The write pages on the Dash server: returns uploaded in the browser, single status edits,
the audit log (issue 11). Plain Flask, server-side role checks on every write.

Validation and writing are progress's own (`read_return`, `import_files`, `record_edit`): the
browser sees the same file/row/column/reason report as `task-atlas progress import`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template_string,
    request,
    session,
    url_for,
)
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from access import uploads, write_pages
from access.guards import current_account, require_role
from access.roles import ROLE_LABELS, Right, Role, can_write_task, has_right
from access.store import Account, UserStore
from progress.cells import neutralise
from progress.db import Store, open_store
from progress.models import ChangeLog
from progress.quarters import Quarter, parse_quarter
from progress.returns import Problem, read_return
from progress.rules import DONE, NOT_STARTED, load_rules
from progress.service import import_files, in_force, leads_in_force
from progress.store import ReturnRow, current_returns, record_edit
from progress.tasks import TaskTables, read_task_tables

SESSION_KEY = "returns_upload"
MAX_REASON = 300
AUDIT_PAGE_ROWS = 500
WRITERS = (Role.EDITOR, Role.REPORTER)
AUDIT_COLUMNS = (
    "时间（UTC）",
    "操作人",
    "操作",
    "任务",
    "季度",
    "单位",
    "修改前",
    "修改后",
    "来源",
)
log = logging.getLogger("task_atlas.access")


@dataclass(frozen=True)
class Checked:
    name: str
    unit: str
    rows: int
    verdict: str


class Writes:
    """What the write pages need, opened once per worker on first use."""

    def __init__(self, db_url: str, data_dir: Path) -> None:
        self.db_url, self.data_dir = db_url, data_dir

    @cached_property
    def store(self) -> Store:
        return open_store(self.db_url)

    @cached_property
    def tables(self) -> TaskTables:
        return read_task_tables(self.data_dir)

    def leads(self, quarter: Quarter) -> pd.Series:
        """Task id (in force) → the set of its lead units."""
        return leads_in_force(self.tables, quarter).groupby("task_id")["unit"].agg(frozenset)


def unit_problems(account: Account, file: str, unit: str, rows: list[ReturnRow],
                  leads: pd.Series) -> list[Problem]:  # fmt: skip
    """A reporter's workbook must be their own unit's, every row a task their unit leads."""
    problems = []
    if account.role is Role.REPORTER and unit and unit != account.unit:
        problems.append(
            Problem(file, None, "填报单位", f"您的账号属于{account.unit}，不能提交{unit}的报表")
        )
    for row in rows:
        if not can_write_task(account, leads.get(row.task_id, frozenset())):
            problems.append(Problem(file, None, "任务编号", f"{row.task_id} 不是您单位牵头的任务"))
    return problems


def check_files(writes: Writes, account: Account, paths: tuple[Path, ...], quarter: Quarter
                ) -> tuple[list[Checked], list[Problem]]:  # fmt: skip
    """Every held file read by progress's own validation, plus the account's unit check."""
    leads, book = writes.leads(quarter), load_rules()
    checked, problems = [], []
    for path in paths:
        result = read_return(path, quarter, leads, book)
        found = result.problems + unit_problems(account, path.name, result.unit, result.rows, leads)
        verdict = f"{len(found)} 个问题，不导入" if found else "可以导入"
        checked.append(Checked(path.name, result.unit, len(result.rows), verdict))
        problems.extend(found)
    return checked, problems


def _quarter(text: str | None) -> Quarter:
    try:
        return parse_quarter((text or "").strip()[:16])
    except ValueError:
        abort(400, "季度格式应为 2024Q2")


def writes_blueprint(users: UserStore, writes: Writes) -> Blueprint:
    bp = Blueprint("access_writes", __name__)

    def me() -> Account:
        account = current_account()
        assert account is not None  # the guard ran first
        return account

    def returns_page(status: int = 200, **values: Any) -> tuple[str, int]:
        account = me()
        page = render_template_string(
            write_pages.RETURNS,
            title="上传季度报表",
            me=account.name,
            unit=account.unit if account.role is Role.REPORTER else "",
            max_files=uploads.MAX_FILES,
            max_mb=uploads.MAX_REQUEST_BYTES // (1024 * 1024),
            **{"message": "", "done": [], "checked": [], "problems": [], "quarter": "",
               "token": "", "importable": False, **values},
        )  # fmt: skip
        return page, status

    @bp.route("/returns", methods=["GET"])
    @require_role(*WRITERS)
    def returns_form() -> tuple[str, int]:
        return returns_page()

    @bp.route("/returns", methods=["POST"])
    @require_role(*WRITERS)
    def upload_returns() -> tuple[str, int]:
        request.max_content_length = uploads.MAX_REQUEST_BYTES  # explicit, beyond the 1 MB
        quarter_text = request.form.get("quarter", "")  # past the bound: 413 (too_large)
        files = [(f.filename or "", f.read()) for f in request.files.getlist("files")]
        quarter = _quarter(quarter_text)
        account = me()
        try:
            held = uploads.hold(files, account.name, str(quarter))
        except uploads.UploadError as exc:
            return returns_page(400, message=str(exc), quarter=str(quarter))
        session[SESSION_KEY] = held.token
        checked, problems = check_files(writes, account, held.files, quarter)
        return returns_page(
            checked=checked,
            problems=problems,
            quarter=str(quarter),
            token=held.token,
            importable=any(c.verdict == "可以导入" for c in checked),
        )

    @bp.route("/returns/confirm", methods=["POST"])
    @require_role(*WRITERS)
    def confirm_returns() -> tuple[str, int]:
        account = me()
        token = request.form.get("token", "")[:80]
        if token != session.get(SESSION_KEY):
            return returns_page(400, message="上传已失效，请重新上传")
        try:
            held = uploads.held(token, account.name)
        except uploads.UploadError as exc:
            return returns_page(400, message=str(exc))
        quarter = parse_quarter(held.quarter)
        checked, problems = check_files(writes, account, held.files, quarter)
        good = [p for p, c in zip(held.files, checked, strict=True) if c.verdict == "可以导入"]
        report = import_files(writes.tables, writes.store, good, quarter, entered_by=account.name)
        uploads.release(held)
        session.pop(SESSION_KEY, None)
        done = [f"{p.name}（{unit}）：{n} 行，{changed} 行有变化" for p, unit, n, changed
                in report.imported]  # fmt: skip
        done += [f"{p.name}（{unit}）：此前已导入，未重复保存" for p, unit in report.unchanged]
        log.info("returns imported by %r: %d file(s)", account.name, len(report.imported))
        return returns_page(
            done=done, problems=problems + report.problems, quarter=str(quarter),
            message="" if done else "没有文件被导入。",
        )  # fmt: skip

    @bp.route("/tasks/<task_id>/status", methods=["GET", "POST"])
    @require_role(*WRITERS)
    def edit_status(task_id: str) -> tuple[str, int]:
        account = me()
        quarter = _quarter(request.values.get("quarter"))
        tasks = in_force(writes.tables, quarter)
        found = tasks[tasks["task_id"] == task_id[:64]]
        if found.empty:
            abort(404, "本季度没有这项任务")
        leads = sorted(writes.leads(quarter).get(task_id, frozenset()))
        mine = [u for u in leads if can_write_task(account, [u])]
        if not mine:
            abort(403)
        book = load_rules()
        message, saved = "", False
        if request.method == "POST":
            message = _save_edit(writes, account, task_id, quarter, mine, book.reportable)
            saved = not message
        returns = current_returns(writes.store, [quarter])
        current = returns[returns["task_id"] == task_id].to_dict("records")
        page = render_template_string(
            write_pages.STATUS, title="修改任务状态", me=account.name, task_id=task_id,
            text=str(found.iloc[0]["text"]), quarter=str(quarter), leads=leads, units=mine,
            statuses=book.reportable, message=message, saved=saved, current=current,
        )  # fmt: skip
        return page, 400 if message else 200

    @bp.route("/audit")
    @require_role(Role.EDITOR)
    def audit() -> str:
        quarter, unit = _filters()
        rows = audit_rows(writes.store, users, quarter, unit)
        return render_template_string(
            write_pages.AUDIT, title="操作记录", me=me().name, quarter=quarter, unit=unit,
            columns=AUDIT_COLUMNS, rows=rows[:AUDIT_PAGE_ROWS],
            truncated=len(rows) > AUDIT_PAGE_ROWS,
        )  # fmt: skip

    @bp.route("/audit.csv")
    @require_role(Role.EDITOR)
    def audit_csv() -> Response:
        quarter, unit = _filters()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(AUDIT_COLUMNS)
        for row in audit_rows(writes.store, users, quarter, unit):
            writer.writerow([neutralise(v) for v in row])
        return Response(
            "\ufeff" + buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=audit.csv"},
        )

    bp.register_error_handler(RequestEntityTooLarge, too_large)
    return bp


def badge_blueprint() -> Blueprint:
    """/account-badge: who is logged in, with 登录/退出 links, framed by the dashboard page."""
    badge_bp = Blueprint("access_badge", __name__)

    @badge_bp.route("/account-badge")
    def badge() -> Response:
        account = current_account()
        if not hasattr(current_app, "login_manager"):  # no logins on this server: say nothing
            return _badge_response("")
        links: list[tuple[str, str]] = []
        writes = "access_writes.audit" in current_app.view_functions  # the write pages are on
        if account is not None and writes and has_right(account, Right.VIEW_AUDIT):
            links.append((url_for("access_writes.audit"), "操作记录"))
        if account is not None and writes and account.role in WRITERS:
            links.append((url_for("access_writes.returns_form"), "上传报表"))
        if account is not None and has_right(account, Right.MANAGE_USERS):
            links.append(("/admin/users", "用户管理"))
        page = render_template_string(
            write_pages.BADGE, name=account.name if account else "",
            role=ROLE_LABELS[account.role] if account else "", links=links,
        )  # fmt: skip
        return _badge_response(page)

    return badge_bp


def _badge_response(page: str) -> Response:
    response = Response(page, mimetype="text/html")
    # framed by the dashboard page itself only; loads nothing
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    return response


def _filters() -> tuple[str, str]:
    return request.args.get("quarter", "").strip()[:16], request.args.get("unit", "").strip()[:200]


def _save_edit(writes: Writes, account: Account, task_id: str, quarter: Quarter,
               units: list[str], statuses: list[str]) -> str:  # fmt: skip
    """Validate the form and write one edit; the error message, or "" when saved."""
    unit = request.form.get("unit", "")
    status = request.form.get("status", "")
    reason = " ".join(request.form.get("reason", "").split())[:MAX_REASON]
    if unit not in units or not can_write_task(account, [unit]):
        abort(403)
    if status not in statuses:
        return "完成状态无效"
    if not reason:
        return "请填写修改原因"
    text = request.form.get("percent", "").strip().rstrip("%")
    try:
        percent = float(text) if text else None
    except ValueError:
        return "完成进度应为 0 到 100 的数字"
    if percent is not None and not 0 <= percent <= 100:
        return "完成进度应为 0 到 100 的数字"
    percent = {DONE: 100.0, NOT_STARTED: 0.0}.get(status, percent)
    if percent is None:
        return f"完成状态为{status}时须填完成进度"
    before = current_returns(writes.store, [quarter])
    before = before[(before["task_id"] == task_id) & (before["unit"] == unit)]
    keep = {} if before.empty else before.iloc[-1].to_dict()
    row = ReturnRow(
        task_id=task_id, unit=unit, status=status, percent=percent,
        progress_text=keep.get("progress_text", ""), problems=keep.get("problems", ""),
        next_steps=keep.get("next_steps", ""), evidence=keep.get("evidence", ""),
    )  # fmt: skip
    record_edit(writes.store, row, quarter=quarter, entered_by=account.name,
                note=f"网页修改：{reason}")  # fmt: skip
    log.info("status of %s (%s) edited by %r", task_id, unit, account.name)
    return ""


def audit_rows(store: Store, users: UserStore, quarter: str, unit: str) -> list[tuple[str, ...]]:
    """Every progress change and account event, newest first, as display text."""
    query = select(ChangeLog).order_by(ChangeLog.id.desc())
    if quarter:
        query = query.where(ChangeLog.quarter == quarter)
    if unit:
        query = query.where(ChangeLog.unit == unit)
    rows: list[tuple[str, ...]] = []
    with store.sessions() as s:
        for c in s.scalars(query):
            action = _ACTIONS.get(c.action, c.action)
            at = f"{c.at:%Y-%m-%d %H:%M:%S}"
            rows.append((at, c.entered_by, action, c.task_id, c.quarter, c.unit,
                         _brief(c.before), _brief(c.after), c.source))  # fmt: skip
    if not quarter and not unit:  # account events belong to no quarter or unit
        for when, actor, action, target, detail in users.events():
            rows.append((f"{when:%Y-%m-%d %H:%M:%S}", actor, f"账号：{action}", target, "", "",
                          "", detail, "用户管理"))  # fmt: skip
        rows.sort(key=lambda r: r[0], reverse=True)
    return rows


_ACTIONS = {"import": "导入报表", "edit": "修改状态", "demo": "演示数据"}


def _brief(value: str | None) -> str:
    """A stored return as short text: 状态 进度%."""
    if not value:
        return ""
    try:
        data: dict[str, Any] = json.loads(value)
    except ValueError:
        return value[:200]
    percent = data.get("percent")
    shown = "" if percent is None else f" {percent:g}%"
    return f"{data.get('status', '')}{shown}"


def too_large(_exc: RequestEntityTooLarge) -> tuple[str, int]:
    """Past the returns bound: a plain 413, never a 500."""
    return "上传内容过大（每次不超过 10 MB）。\n", 413
