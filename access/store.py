"""The user store: add, list, disable, change password, log in (rate-limited).

One transaction per operation. Callers get `Account`s — plain frozen values without the
password hash — never ORM rows, so no hash can reach a template, a log line or an export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from access.model import AccessEvent, LoginAttempt, User
from access.passwords import hash_password, verify_password
from access.roles import Role, check_unit

NAME_PATTERN = re.compile(r"^[\w.@-]{1,64}$")  # letters (incl. 汉字), digits, _ . @ -
# Failed logins allowed per window before further attempts are refused unchecked. Per IP is
# higher than per name because an office's users often share one address behind its gateway.
LOGIN_WINDOW = timedelta(minutes=1)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_IP = 20
KEEP_ATTEMPTS = timedelta(days=1)


class UserError(ValueError):
    """A request the store refuses (duplicate name, unknown user, last admin …)."""


@dataclass(frozen=True)
class Account:
    """A user as the rest of the program sees it (Flask-Login's user object too)."""

    id: int
    name: str
    role: Role
    unit: str | None
    active: bool
    session_version: int
    created_at: datetime

    # Flask-Login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session token: the id and the session version, so a password change or a
        disable ends every earlier session."""
        return f"{self.id}.{self.session_version}"


class LoginOutcome(StrEnum):
    OK = "ok"
    FAILED = "failed"  # unknown name, wrong password or disabled: the user is not told which
    LIMITED = "limited"


def _account(user: User) -> Account:
    return Account(
        id=user.id,
        name=user.name,
        role=Role(user.role),
        unit=user.unit,
        active=user.active,
        session_version=user.session_version,
        created_at=user.created_at,
    )


def _now() -> datetime:
    return datetime.now(UTC)


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise UserError(f"invalid user name {name!r} (1–64 letters, digits or _ . @ -, no spaces)")
    return name


class UserStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def add(
        self, name: str, role: Role, password: str, *, unit: str | None = None, actor: str
    ) -> Account:
        name = check_name(name)
        unit = check_unit(role, unit)
        password_hash = hash_password(password)
        with self._sessions.begin() as session:
            if session.scalar(select(User.id).where(User.name == name)) is not None:
                raise UserError(f"user {name!r} already exists")
            user = User(
                name=name,
                role=role.value,
                unit=unit,
                password_hash=password_hash,
                active=True,
                session_version=0,
                created_at=_now(),
            )
            session.add(user)
            detail = f"role={role.value}" + (f" unit={unit}" if unit else "")
            _event(session, actor, "add", name, detail)
            session.flush()
            return _account(user)

    def all(self) -> list[Account]:
        with self._sessions() as session:
            return [_account(u) for u in session.scalars(select(User).order_by(User.name))]

    def get(self, name: str) -> Account | None:
        with self._sessions() as session:
            user = session.scalar(select(User).where(User.name == name))
            return None if user is None else _account(user)

    def count(self) -> int:
        with self._sessions() as session:
            return int(session.scalar(select(func.count(User.id))) or 0)

    def load_session(self, token: str) -> Account | None:
        """The active account a session token (`Account.get_id`) still stands for."""
        user_id, _, version = token.partition(".")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        with self._sessions() as session:
            user = session.get(User, int(user_id))
            if user is None or not user.active or user.session_version != int(version):
                return None
            return _account(user)

    def disable(self, name: str, *, actor: str) -> Account:
        with self._sessions.begin() as session:
            user = _existing(session, name)
            if user.role == Role.ADMIN and user.active and _active_admins(session) == 1:
                raise UserError(f"{name!r} is the last active admin; add another admin first")
            user.active = False
            user.session_version += 1
            _event(session, actor, "disable", user.name)
            return _account(user)

    def set_password(self, name: str, password: str, *, actor: str) -> Account:
        password_hash = hash_password(password)
        with self._sessions.begin() as session:
            user = _existing(session, name)
            user.password_hash = password_hash
            user.session_version += 1
            _event(session, actor, "passwd", user.name)
            return _account(user)

    def login(
        self, name: str, password: str, ip: str, *, now: datetime | None = None
    ) -> tuple[LoginOutcome, Account | None]:
        """Check a login; too many recent failures for this name or address refuse it unchecked.

        A stored hash made with older argon2 parameters is replaced on success.
        """
        now = now or _now()
        name, ip = name.strip()[:64], ip[:64]
        with self._sessions.begin() as session:
            if _limited(session, name, ip, now):
                session.add(LoginAttempt(username=name, ip=ip, at=now))
                return LoginOutcome.LIMITED, None
            user = session.scalar(select(User).where(User.name == name))
            verified = verify_password(user.password_hash if user else None, password)
            if user is None or not verified.ok or not user.active:
                session.add(LoginAttempt(username=name, ip=ip, at=now))
                session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
                return LoginOutcome.FAILED, None
            if verified.new_hash is not None:
                user.password_hash = verified.new_hash
            return LoginOutcome.OK, _account(user)

    def events(self) -> list[tuple[datetime, str, str, str, str]]:
        with self._sessions() as session:
            rows = session.scalars(select(AccessEvent).order_by(AccessEvent.id))
            return [(e.at, e.actor, e.action, e.target, e.detail) for e in rows]


def _existing(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise UserError(f"no user {name!r}")
    return user


def _active_admins(session: Session) -> int:
    query = select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.active)
    return int(session.scalar(query) or 0)


def _limited(session: Session, name: str, ip: str, now: datetime) -> bool:
    since = now - LOGIN_WINDOW
    recent = select(func.count(LoginAttempt.id)).where(LoginAttempt.at > since)
    by_name = session.scalar(recent.where(LoginAttempt.username == name)) or 0
    by_ip = session.scalar(recent.where(LoginAttempt.ip == ip)) or 0
    return by_name >= MAX_FAILURES_PER_NAME or by_ip >= MAX_FAILURES_PER_IP


def _event(session: Session, actor: str, action: str, target: str, detail: str = "") -> None:
    session.add(AccessEvent(at=_now(), actor=actor, action=action, target=target, detail=detail))
