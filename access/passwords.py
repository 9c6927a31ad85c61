"""Argon2id password hashes (argon2-cffi): hash, verify, and rehash when parameters change."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # bounded input: argon2 hashes anything, but a form field should not

HASHER = PasswordHasher()  # the library's current RFC 9106 defaults


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified when the user does not exist, so an unknown name costs as much time as a
    known one (made with the same parameters as real hashes)."""
    return hasher.hash("task-atlas: no such user")


@dataclass(frozen=True)
class Verified:
    ok: bool
    new_hash: str | None = None  # set when the stored hash used older parameters


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password too short (at least {MIN_PASSWORD_LENGTH} characters)")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"password too long (at most {MAX_PASSWORD_LENGTH} characters)")


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    check_password_rules(password)
    return (hasher or HASHER).hash(password)


def verify_password(
    stored_hash: str | None, password: str, hasher: PasswordHasher | None = None
) -> Verified:
    """Check `password`; `stored_hash=None` (unknown user) spends the same time and fails."""
    hasher = hasher or HASHER
    if len(password) > MAX_PASSWORD_LENGTH:
        return Verified(ok=False)
    try:
        hasher.verify(stored_hash or _dummy_hash(hasher), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return Verified(ok=False)
    if stored_hash is None:
        return Verified(ok=False)
    if hasher.check_needs_rehash(stored_hash):
        return Verified(ok=True, new_hash=hasher.hash(password))
    return Verified(ok=True)
