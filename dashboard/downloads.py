"""Exported files delivered through a plain download route instead of base64 in callback JSON.

`dcc.send_bytes` puts the file in the callback response as base64 (+33 % and the whole file in
the renderer's memory; issue 13 measured +45 % with JSON). Instead, a callback stores the bytes
with `DownloadStore.put` and hands the browser the returned URL; `GET /_atlas-download/<token>`
sends the file once with Content-Disposition. Files live in a folder of their own under the
system temp dir, shared by every gunicorn worker on the machine (the GET may reach another
worker than the export did), and expire after TTL_S.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, abort

ROUTE = "/_atlas-download/"
TTL_S = 600.0  # a download link is good for ten minutes
MAX_FILES = 200  # oldest dropped first; an export is at most a few MB
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")
TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFAULT_FOLDER = Path(tempfile.gettempdir()) / "task-atlas-downloads"


class DownloadStore:
    """Files waiting to be downloaded, one per unguessable token, in our own folder only."""

    def __init__(self, folder: Path = DEFAULT_FOLDER, ttl_s: float = TTL_S) -> None:
        self.folder = folder
        self.ttl_s = ttl_s

    def put(self, content: bytes, filename: str) -> str:
        """Keep `content` for TTL_S; returns the URL path that downloads it as `filename`."""
        suffix = Path(filename).suffix.lower()
        if suffix not in TYPES:
            raise ValueError(f"cannot offer a {suffix or 'suffix-less'} file for download")
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.expire()
        token = secrets.token_urlsafe(24)  # 32 characters
        stem = self.folder / token
        tmp = stem.with_suffix(".part")
        tmp.write_bytes(content)
        (self.folder / f"{token}.name").write_text(filename, encoding="utf-8")
        os.replace(tmp, stem.with_suffix(suffix))  # appears whole or not at all
        return f"{ROUTE}{token}"

    def get(self, token: str) -> tuple[bytes, str, str] | None:
        """(content, filename, suffix) for a live token, else None."""
        if not TOKEN.match(token):
            return None
        for suffix in TYPES:
            path = self.folder / f"{token}{suffix}"
            if path.is_file() and time.time() - path.stat().st_mtime < self.ttl_s:
                name = (self.folder / f"{token}.name").read_text(encoding="utf-8")
                return path.read_bytes(), name, suffix
        return None

    def expire(self) -> int:
        """Delete expired files (and the oldest beyond MAX_FILES) that this store wrote."""
        if not self.folder.is_dir():
            return 0
        ours = [
            p
            for p in self.folder.iterdir()
            if TOKEN.match(p.stem) and (p.suffix in TYPES or p.suffix in (".name", ".part"))
        ]
        ours.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        now, removed = time.time(), 0
        files = [p for p in ours if p.suffix in TYPES]
        stale = {p.stem for p in files[MAX_FILES:]}
        stale |= {p.stem for p in ours if now - p.stat().st_mtime >= self.ttl_s}
        for p in ours:
            if p.stem in stale:
                p.unlink(missing_ok=True)
                removed += 1
        return removed


def attachment(filename: str) -> str:
    """Content-Disposition for a Chinese file name (RFC 6266 / 5987: ASCII fallback + UTF-8)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def install(server: Flask, store: DownloadStore | None = None) -> DownloadStore:
    """Register GET /_atlas-download/<token> on `server`."""
    store = store or DownloadStore()

    def download(token: str) -> Response:
        found = store.get(token)
        if found is None:
            abort(404)
        content, filename, suffix = found
        response = Response(content, mimetype=TYPES[suffix].split(";")[0])
        if ";" in TYPES[suffix]:
            response.headers["Content-Type"] = TYPES[suffix]
        response.headers["Content-Disposition"] = attachment(filename)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "sandbox"  # an SVG never runs as a page
        return response

    server.add_url_rule(f"{ROUTE}<token>", "atlas_download", download, methods=["GET"])
    return store
