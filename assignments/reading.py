"""Read a source document from disk, validating it at the boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Plan documents are well under 1 MB; anything this large is not one.
MAX_BYTES = 16 * 1024 * 1024


class SourceError(ValueError):
    """A source document that cannot be read; the message names the file."""


@dataclass(frozen=True)
class SourceText:
    """A decoded document: its lines (1-based line numbers are index + 1) and how it was read."""

    path: Path
    lines: tuple[str, ...]
    encoding: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.path.name


def read_source(path: Path) -> SourceText:
    """Read `path` as UTF-8 (BOM and CRLF tolerated), falling back to GB18030 with a warning."""
    raw = _read_bytes(path)
    warnings: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(path, raw)
        warnings.append(f"{path.name}: not UTF-8, read as {encoding}; please save it as UTF-8")
    if _looks_binary(text):
        raise SourceError(f"{path}: looks like a binary file, not a text document")
    if not text.strip():
        raise SourceError(f"{path}: the file is empty")
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceText(path=path, lines=lines, encoding=encoding, warnings=tuple(warnings))


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        raise SourceError(f"{path}: is a directory, not a document")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(
            f"{path}: {size / 2**20:.1f} MB is far larger than a plan document "
            f"(limit {MAX_BYTES // (1024 * 1024)} MB)"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None


def _decode_legacy(path: Path, raw: bytes) -> tuple[str, str]:
    if b"\x00" in raw:
        raise SourceError(f"{path}: looks like a binary file, not a text document")
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise SourceError(f"{path}: neither UTF-8 nor GB18030 text") from None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(8, len(sample) // 100)
