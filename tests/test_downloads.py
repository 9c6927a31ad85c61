"""Exported files through GET /_atlas-download/<token> (dashboard/downloads.py), not base64 JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from dashboard import downloads
from dashboard.downloads import DownloadStore

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def _client(store: DownloadStore):  # type: ignore[no-untyped-def]
    server = Flask(__name__)
    downloads.install(server, store)
    return server.test_client()


def test_a_stored_file_downloads_with_its_chinese_name(tmp_path: Path) -> None:
    store = DownloadStore(tmp_path / "dl")
    url = store.put(PNG, "任务地图_2026-11-27.png")
    response = _client(store).get(url)
    assert response.status_code == 200
    assert response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E5%9C%B0%E5%9B%BE_2026-11-27.png" in disposition
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == "sandbox"


def test_another_worker_serves_the_same_file(tmp_path: Path) -> None:
    url = DownloadStore(tmp_path).put(b"<svg/>", "map.svg")
    other = DownloadStore(tmp_path)  # a second gunicorn worker: same folder, new object
    assert _client(other).get(url).data == b"<svg/>"


@pytest.mark.parametrize("token", ["nope", "../../etc/passwd", "A" * 31, "A" * 32, "%2e%2e"])
def test_unknown_or_malformed_tokens_are_404(tmp_path: Path, token: str) -> None:
    DownloadStore(tmp_path).put(PNG, "a.png")
    assert _client(DownloadStore(tmp_path)).get(f"/_atlas-download/{token}").status_code == 404


def test_expired_links_are_gone_and_cleaned_up(tmp_path: Path) -> None:
    store = DownloadStore(tmp_path, ttl_s=0.0)
    url = store.put(PNG, "a.png")
    assert _client(store).get(url).status_code == 404
    (tmp_path / "notes.txt").write_text("not ours")
    assert store.expire() == 2  # the png and its name file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # nothing else touched


def test_only_known_file_types_are_offered(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.html"):
        DownloadStore(tmp_path).put(b"<script>", "x.html")
