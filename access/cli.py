"""`task-atlas users add|list|disable|passwd`: manage logins from the command line.

Passwords come from a prompt (getpass, typed twice) or, for scripts, one line on stdin with
--password-stdin; never from the command line, where `ps` and shell history would keep them.
Exit 0 done, 1 refused (duplicate or unknown user, bad password, store error), 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from access.roles import ROLE_LABELS, Role, check_unit, parse_role
from access.store import UserError, UserStore, check_name
from access.units import check_lead_unit, lead_units_in

DEFAULT_DATA = Path("data")  # checked when it is there, like `serve`'s default
EXIT_REFUSED = 1
EXIT_USAGE = 2


class UsageError(ValueError):
    pass


def add_users_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="store URL or SQLite file (default: $TASK_ATLAS_DB, ./task-atlas.db)",
    )
    sub = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="admin | editor | reporter | viewer")
    add.add_argument("--unit", help="the lead unit (牵头单位) of a reporter")
    add.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="data folder whose task table the unit is checked against (default: ./data)",
    )
    add.add_argument(
        "--allow-unknown-unit",
        action="store_true",
        help="add a reporter whose unit leads no task in the data yet",
    )
    _password_option(add)
    listing = sub.add_parser("list", help="list users (never their password hashes)")
    disable = sub.add_parser("disable", help="disable a user and end their sessions")
    disable.add_argument("name")
    passwd = sub.add_parser("passwd", help="set a new password and end the user's sessions")
    passwd.add_argument("name")
    _password_option(passwd)
    for action in (add, listing, disable, passwd):
        action.add_argument(
            "--db", metavar="URL", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from one line of stdin"
    )


def run_users(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from access.db import make_engine
    from access.migrate import upgrade
    from progress.db import resolve_url

    try:
        role, unit = _checked_role(args)
        engine = make_engine(resolve_url(args.db))
        upgrade(engine)
        store = UserStore(engine)
        return _ACTIONS[args.users_command](store, args, role, unit)
    except UsageError as exc:
        return _fail(exc, EXIT_USAGE)
    except (ValueError, OSError) as exc:  # UserError is a ValueError
        return _fail(exc, EXIT_REFUSED)
    except SQLAlchemyError as exc:  # unreachable server, locked or read-only file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return _fail(f"store error: {first}", EXIT_REFUSED)
    except EOFError:
        return _fail("no password given", EXIT_REFUSED)


def _fail(message: object, code: int) -> int:
    print(f"task-atlas users: error: {message}", file=sys.stderr)
    return code


def _checked_role(args: argparse.Namespace) -> tuple[Role | None, str | None]:
    if args.users_command != "add":
        return None, None
    try:
        role = parse_role(args.role)
        return role, check_unit(role, args.unit)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码 Password: ")
    if getpass.getpass("再输入一次 Again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def _add(store: UserStore, args: argparse.Namespace, role: Role | None, unit: str | None) -> int:
    assert role is not None  # _checked_role parsed it for `add`
    check_name(args.name)
    if unit is not None and not args.allow_unknown_unit:
        known = lead_units_in(args.data or DEFAULT_DATA)
        if known is None and args.data is not None:
            raise ValueError(f"no task table (tasks.csv) in {args.data} to check --unit against")
        try:
            check_lead_unit(unit, known)
        except ValueError as exc:
            raise ValueError(f"{exc}; --allow-unknown-unit adds it anyway") from None
    if store.get(args.name.strip()) is not None:  # say so before asking for a password
        raise ValueError(f"user {args.name.strip()!r} already exists")
    account = store.add(args.name, role, _read_password(args), unit=unit, actor=_actor())
    suffix = f"（{account.unit}）" if account.unit else ""
    print(f"added {account.name}: {account.role.value} {ROLE_LABELS[account.role]}{suffix}")
    return 0


def _list(store: UserStore, _args: argparse.Namespace, _r: Role | None, _u: str | None) -> int:
    accounts = store.all()
    if not accounts:
        print("no users (add one: task-atlas users add NAME --role admin)")
    for a in accounts:
        state = "active" if a.active else "disabled"
        created = a.created_at.strftime("%Y-%m-%d")
        print(f"{a.name}\t{a.role.value}\t{a.unit or '-'}\t{state}\t{created}")
    return 0


def _disable(store: UserStore, args: argparse.Namespace, _r: Role | None, _u: str | None) -> int:
    account = store.disable(args.name, actor=_actor())
    print(f"disabled {account.name}; their sessions have ended")
    return 0


def _passwd(store: UserStore, args: argparse.Namespace, _r: Role | None, _u: str | None) -> int:
    if store.get(args.name.strip()) is None:
        raise UserError(f"no user {args.name.strip()!r}")
    account = store.set_password(args.name, _read_password(args), actor=_actor())
    print(f"new password set for {account.name}; their other sessions have ended")
    return 0


_ACTIONS = {"add": _add, "list": _list, "disable": _disable, "passwd": _passwd}
