"""The returns page's server-side holding area: uploaded workbooks kept until confirmed.

Step one saves the files under a random token and shows the validation report; step two
imports exactly those bytes. The token is stored in the uploader's session and the folder
records the account, so another user (or a stolen token without the session) cannot confirm
it. Folders expire (HOLD_FOR) and are bounded in size and count; nothing else is deleted.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MAX_FILES = 10  # workbooks per upload
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # the returns route's own bound (the dashboard's is 1 MB)
HOLD_FOR_SECONDS = 30 * 60  # an unconfirmed upload is dropped after half an hour
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
META = "upload.json"
# a file name as shown and stored: letters (汉字 too), digits, space, . _ - ( ) （）
_UNSAFE = re.compile(r"[^\w .()（）-]")


class UploadError(ValueError):
    """An upload the page refuses (too many files, not .xlsx, unknown token …); one line."""


@dataclass(frozen=True)
class Held:
    token: str
    folder: Path
    account: str
    quarter: str
    files: tuple[Path, ...]


def holding_root() -> Path:
    """One folder per machine for held uploads (gunicorn workers on one host share it)."""
    root = Path(tempfile.gettempdir()) / "task-atlas-returns"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def clean_name(name: str) -> str:
    """The file's plain name, made safe to store; its .xlsx ending kept as typed."""
    base = Path(name.replace("\\", "/")).name.strip()
    safe = _UNSAFE.sub("_", base)[:120]
    if not safe.lower().endswith(".xlsx") or safe.startswith("."):
        raise UploadError(f"{base or '（无名文件）'}：只接受 .xlsx 报表")
    return safe


def hold(
    files: list[tuple[str, bytes]], account: str, quarter: str, root: Path | None = None
) -> Held:
    """Keep `files` (name, bytes) for `account` under a new token; expired holds are swept."""
    root = root or holding_root()
    sweep(root)
    if not files:
        raise UploadError("请选择至少一个 .xlsx 报表文件")
    if len(files) > MAX_FILES:
        raise UploadError(f"一次最多上传 {MAX_FILES} 个文件")
    names = [clean_name(name) for name, _ in files]
    if len(set(names)) != len(names):
        raise UploadError("同一次上传中有同名文件，请改名后重试")
    token = secrets.token_urlsafe(32)
    folder = root / token
    folder.mkdir(mode=0o700)
    for name, (_, data) in zip(names, files, strict=True):
        (folder / name).write_bytes(data)
    meta = {"account": account, "quarter": quarter, "files": names, "at": time.time()}
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return Held(token, folder, account, quarter, tuple(folder / n for n in names))


def held(token: str, account: str, root: Path | None = None) -> Held:
    """The hold under `token` if it belongs to `account` and has not expired."""
    root = root or holding_root()
    if not TOKEN_PATTERN.match(token or ""):
        raise UploadError("上传已失效，请重新上传")
    folder = root / token
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UploadError("上传已失效，请重新上传") from None
    if meta.get("account") != account or time.time() - meta.get("at", 0) > HOLD_FOR_SECONDS:
        raise UploadError("上传已失效，请重新上传")
    files = tuple(folder / n for n in meta["files"])
    return Held(token, folder, account, str(meta["quarter"]), files)


def release(hold_: Held) -> None:
    """Drop a confirmed or cancelled hold (our own temporary copies, never a user's file)."""
    shutil.rmtree(hold_.folder, ignore_errors=True)


def sweep(root: Path) -> None:
    """Remove holds older than HOLD_FOR_SECONDS (only folders this module made: token names)."""
    now = time.time()
    for folder in root.iterdir():
        if not TOKEN_PATTERN.match(folder.name) or not folder.is_dir():
            continue
        try:
            if now - folder.stat().st_mtime > HOLD_FOR_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
