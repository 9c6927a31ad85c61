"""What goes over the wire for static files: compressed once, cached by the browser when versioned.

Dash sends its JavaScript uncompressed and plotly.js without a long cache header; a first visit
was 6.1 MB, a repeat visit re-sent the layout (issue 13). This layer sits after every Flask
response and

- compresses each static body (Dash's component suites, assets, the index page, the layout and
  dependency JSON) once with brotli or gzip, as the request's Accept-Encoding allows, and keeps
  the result in memory: the same bytes are never compressed twice;
- marks versioned URLs (component suites with Dash's fingerprint, assets with Dash's `?m=`
  modification stamp) `immutable` for a year, and everything else `no-cache` with an ETag, so a
  repeat visit revalidates with a 304 instead of downloading;
- compresses callback responses (different every time) quickly, without caching them.

`warm` compresses the page's scripts ahead of the first visitor; under gunicorn's preload it runs
in the master, so every worker shares the compressed bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import brotli
from dash import Dash
from dash.fingerprint import check_fingerprint
from flask import Request, Response, request

MIN_SIZE = 1024  # smaller bodies are not worth a Content-Encoding header
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
CACHE_ENTRIES = 256  # distinct static bodies kept compressed (the app has about 30)
STATIC_LEVELS = {"br": 9, "gzip": 9}  # once per body; br 11 would take ~5 s on plotly.js
DYNAMIC_LEVELS = {"br": 4, "gzip": 5}  # every callback: stay under a millisecond for ~20 KB
# GETs this layer handles (under the app's prefix); anything else, e.g. a file download with
# no-store, passes through untouched and is never kept in memory.
STATIC_PREFIXES = ("_dash-component-suites/", "assets/", "_dash-layout", "_dash-dependencies")
EXTENSION = "task_atlas_static_assets"  # the cache's key in Flask's `server.extensions`
SCRIPT_SRC = re.compile(r'<script src="([^"]+)"')


@dataclass(frozen=True)
class Variants:
    """One static body in every encoding, and the ETag of its identity form."""

    etag: str
    bodies: dict[str, bytes]  # "identity", "br", "gzip"


def compress(body: bytes, encoding: str, levels: dict[str, int]) -> bytes:
    """`body` in `encoding` ("br" or "gzip") at the level `levels` gives it."""
    if encoding == "br":
        return bytes(brotli.compress(body, quality=levels["br"]))
    return gzip.compress(body, compresslevel=levels["gzip"], mtime=0)


def choose_encoding(accept_encoding: str | None) -> str:
    """The best encoding the client accepts: br, then gzip, else identity (RFC 9110 q-values)."""
    accepted: dict[str, float] = {}
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if name:
            accepted[name.strip().lower()] = q
    for encoding in ("br", "gzip"):
        if accepted.get(encoding, accepted.get("*", 0.0)) > 0:
            return encoding
    return "identity"


class VariantCache:
    """Compressed variants of static bodies, built once each, bounded, safe across threads."""

    def __init__(self, max_entries: int = CACHE_ENTRIES) -> None:
        self._entries: OrderedDict[str, Variants] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()
        self.compressions = 0  # how many bodies were compressed (tests: never twice)

    def get(self, body: bytes) -> Variants:
        """The variants of `body`, keyed by its content: a made-up query string (`?m=1`,
        `?m=2`, …) finds the same entry instead of costing a compression (hashing: ~1 ms/MB)."""
        key = hashlib.blake2b(body, digest_size=16).hexdigest()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        variants = Variants(
            etag=key,
            bodies={
                "identity": body,
                **{enc: compress(body, enc, STATIC_LEVELS) for enc in ("br", "gzip")},
            },
        )
        with self._lock:
            self.compressions += 1
            self._entries[key] = variants
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return variants


def is_versioned(req: Request, prefix: str) -> bool:
    """A URL whose content never changes: Dash's fingerprinted suites or `assets/...?m=`."""
    path = req.path
    if path.startswith(f"{prefix}_dash-component-suites/"):
        return bool(check_fingerprint(path.rsplit("/", 1)[-1])[1])
    return path.startswith(f"{prefix}assets/") and "m" in req.args


def is_static(req: Request, prefix: str) -> bool:
    """The index page, Dash's scripts, the assets, the layout and the dependency list."""
    rest = req.path[len(prefix) :] if req.path.startswith(prefix) else None
    return rest is not None and (rest == "" or rest.startswith(STATIC_PREFIXES))


def _compressible(response: Response) -> bool:
    return (
        response.status_code == 200
        and "Content-Encoding" not in response.headers
        and (response.mimetype or "").startswith(COMPRESSIBLE)
    )


def finish_static(response: Response, req: Request, cache: VariantCache, prefix: str) -> Response:
    """A GET response served from its compressed variants, with caching headers (or a 304)."""
    response.direct_passthrough = False  # send_file streams; read the body once here
    body = response.get_data()
    versioned = is_versioned(req, prefix)
    variants = cache.get(body)
    encoding = choose_encoding(req.headers.get("Accept-Encoding"))
    if len(body) < MIN_SIZE:
        encoding = "identity"
    etag = variants.etag if encoding == "identity" else f"{variants.etag}-{encoding}"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
    response.set_etag(etag)
    if etag in req.if_none_match:
        response.status_code = 304
        response.set_data(b"")
        response.headers.pop("Content-Length", None)
        return response
    response.set_data(variants.bodies[encoding])
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    return response


def finish_dynamic(response: Response, req: Request) -> Response:
    """A callback response compressed on the fly (its body differs every time)."""
    body = response.get_data()
    response.headers["Vary"] = "Accept-Encoding"
    encoding = choose_encoding(req.headers.get("Accept-Encoding"))
    if len(body) >= MIN_SIZE and encoding != "identity":
        response.set_data(compress(body, encoding, DYNAMIC_LEVELS))
        response.headers["Content-Encoding"] = encoding
    return response


def finish_response(response: Response, req: Request, cache: VariantCache, prefix: str) -> Response:
    """Route a finished response: static GETs through the cache, callback POSTs on the fly."""
    if not _compressible(response):
        return response
    if req.method == "GET" and is_static(req, prefix):
        return finish_static(response, req, cache, prefix)
    if req.method == "POST" and req.path.startswith(f"{prefix}_dash-update-component"):
        return finish_dynamic(response, req)
    return response


def install(app: Dash) -> VariantCache:
    """Hook the layer into `app`'s Flask server; its cache is `server.extensions[EXTENSION]`."""
    cache = VariantCache()
    app.server.extensions[EXTENSION] = cache
    prefix = str(app.config.requests_pathname_prefix)

    def _after(response: Response) -> Response:
        return finish_response(response, request, cache, prefix)

    app.server.after_request(_after)
    return cache


def warm(server: Any) -> int:
    """Request the index page and every script it names, so they are compressed before anyone
    asks (before gunicorn forks its workers, when preloading). Returns how many were fetched."""
    client = server.test_client()
    headers = {"Accept-Encoding": "br"}
    index = client.get("/", headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    urls = ["/", "/_dash-layout", "/_dash-dependencies", *SCRIPT_SRC.findall(index)]
    for url in urls:
        client.get(url, headers=headers)
    return len(urls)
