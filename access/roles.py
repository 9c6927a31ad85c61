"""Roles and what each may do, as one reviewable table; `can_write_task` for the write paths."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    REPORTER = "reporter"
    VIEWER = "viewer"


class Right(StrEnum):
    MANAGE_USERS = "manage_users"
    WRITE_ANY_TASK = "write_any_task"  # import any unit's return, edit any status
    WRITE_OWN_UNIT = "write_own_unit"  # only tasks the user's unit leads
    VIEW_AUDIT = "view_audit"


# Each role's rights, with the reason. Admin is deliberately not a data writer: account
# management and the office's data entry are separate duties (give the office an editor login).
ROLE_RIGHTS: dict[Role, frozenset[Right]] = {
    Role.ADMIN: frozenset({Right.MANAGE_USERS}),  # manages logins only
    Role.EDITOR: frozenset({Right.WRITE_ANY_TASK, Right.VIEW_AUDIT}),  # the 督查室
    Role.REPORTER: frozenset({Right.WRITE_OWN_UNIT}),  # one 牵头单位
    Role.VIEWER: frozenset(),  # reads, like an anonymous visitor when login is required
}

ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "管理员",
    Role.EDITOR: "督查室编辑",
    Role.REPORTER: "牵头单位填报人",
    Role.VIEWER: "查看者",
}


class HasRole(Protocol):
    @property
    def role(self) -> Role: ...

    @property
    def unit(self) -> str | None: ...


def parse_role(text: str) -> Role:
    """The role named by `text`; a ValueError that lists the valid roles otherwise."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {text!r} (choose {choices})") from None


def check_unit(role: Role, unit: str | None) -> str | None:
    """A reporter needs exactly one unit; the other roles have none. Returns the clean unit."""
    unit = (unit or "").strip() or None
    if role is Role.REPORTER and unit is None:
        raise ValueError("a reporter needs --unit (the lead unit whose tasks they report)")
    if role is not Role.REPORTER and unit is not None:
        raise ValueError(f"--unit only applies to reporters, not to role {role.value}")
    if unit is not None and len(unit) > 200:
        raise ValueError("unit name longer than 200 characters")
    return unit


def has_right(user: HasRole | None, right: Right) -> bool:
    return user is not None and right in ROLE_RIGHTS[user.role]


def can_write_task(user: HasRole | None, task_lead_units: Iterable[str]) -> bool:
    """May `user` import a return or edit the status of a task led by `task_lead_units`?

    Editors may write every task; a reporter only a task that their unit leads (a task led by
    several units may be written by each of them); everyone else, nobody anonymous, never.
    """
    if has_right(user, Right.WRITE_ANY_TASK):
        return True
    if user is None or not has_right(user, Right.WRITE_OWN_UNIT) or user.unit is None:
        return False
    return user.unit in set(task_lead_units)
