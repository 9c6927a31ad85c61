"""Access settings: the secret key (from configuration, never the repository) and cookie policy.

Secret key, first found wins:
1. TASK_ATLAS_SECRET_KEY (at least 32 characters);
2. TASK_ATLAS_SECRET_KEY_FILE, a file holding it;
3. local use only (`task-atlas serve` on a loopback address): a per-install file
   `$XDG_CONFIG_HOME/task-atlas/secret_key` (default `~/.config/…`), created once with mode 600.
Production (gunicorn's `create_server`, or `serve` on another address) never generates one.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_SECRET = "TASK_ATLAS_SECRET_KEY"
ENV_SECRET_FILE = "TASK_ATLAS_SECRET_KEY_FILE"
MIN_SECRET_LENGTH = 32
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


class AccessConfigError(ValueError):
    """The server cannot start safely with this configuration (one line, for the operator)."""


@dataclass(frozen=True)
class AccessSettings:
    db_url: str
    require_login: bool = False
    # Secure cookies travel over HTTPS only; off only for plain-http use on a trusted network.
    secure_cookies: bool = True
    # May generate a per-install secret file (local `serve`), or must be configured (production).
    local: bool = False
    # The task table's lead units: a reporter added in the browser must have one (None: no check).
    lead_units: frozenset[str] | None = None
    # The data folder served: with it, the write pages (returns, status edits, audit) are on.
    data_dir: Path | None = None


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_secret_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "task-atlas" / "secret_key"


def resolve_secret(env: Mapping[str, str] | None = None, *, allow_generate: bool) -> str | None:
    """The configured secret key; a generated per-install one if allowed; else None."""
    env = os.environ if env is None else env
    if value := env.get(ENV_SECRET, "").strip():
        return _checked(value, ENV_SECRET)
    if path := env.get(ENV_SECRET_FILE, "").strip():
        try:
            return _checked(Path(path).read_text(encoding="utf-8").strip(), path)
        except OSError as exc:
            raise AccessConfigError(f"cannot read {ENV_SECRET_FILE} {path}: {exc}") from exc
    if allow_generate:
        return _local_secret(local_secret_path(env))
    return None


def _checked(value: str, source: str) -> str:
    if len(value) < MIN_SECRET_LENGTH:
        raise AccessConfigError(
            f"secret key from {source} is too short (at least {MIN_SECRET_LENGTH} characters)"
        )
    return value


def _local_secret(path: Path) -> str:
    """Read the per-install secret, creating it (owner-only, never overwritten) the first time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _checked(path.read_text(encoding="utf-8").strip(), str(path))
    except OSError as exc:
        raise AccessConfigError(f"cannot create the local secret key {path}: {exc}") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    return path.read_text(encoding="utf-8").strip()
