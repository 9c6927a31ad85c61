"""Read a source document from disk, validating it at the boundary."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

#: The file names a source folder's documents end with (any case).
SOURCE_SUFFIXES = (".txt", ".text", ".md")
#: Plan documents are well under 1 MB; anything this large is not one.
MAX_BYTES = 16 * 1024 * 1024
#: More bad bytes than this and a file is not "UTF-8 with a stray byte".
MAX_STRAY_BYTES = 20


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
    raw = read_regular_file(path)
    warnings: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_unicode(path, raw) or _decode_legacy(path, raw)
        warnings.append(f"{path.name}: not UTF-8, read as {encoding}; please save it as UTF-8")
    if _looks_binary(text):
        raise SourceError(f"{path}: looks like a binary file, not a text document")
    if not text.strip():
        raise SourceError(f"{path}: the file is empty")
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceText(path=path, lines=lines, encoding=encoding, warnings=tuple(warnings))


def absent_reason(path: Path) -> str:
    """Why `path` cannot be opened, in words: a link loop and a broken link are not "no such
    file" (the user sees the name in the folder and would not believe it)."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if path.is_symlink():
            return f"a broken symbolic link (to {os.readlink(path)})"
        return "no such file or folder" if exc.errno == errno.ENOENT else str(exc.strerror)
    return "exists"


def read_regular_file(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; SourceError naming the file otherwise.

    The file is opened first and checked on its descriptor, so a device (a link to /dev/zero) or
    a FIFO named `.txt` is refused without reading from it or waiting on it, and the read is
    bounded even if the file grows after the check.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        broken = " (a broken symbolic link)" if path.is_symlink() else ""
        raise SourceError(f"{path}: no such file{broken}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SourceError(f"{path}: a symbolic link loop, not a document") from None
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise SourceError(f"{path}: is a directory, not a document")
        raise SourceError(
            f"{path}: not a regular file (a device, pipe or socket); only files are read"
        )
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        size = max(path.stat().st_size, len(data))
        raise SourceError(
            f"{path}: {size / 2**20:.1f} MB is far larger than a plan document "
            f"(limit {limit // (1024 * 1024)} MB)"
        )
    return data


#: Byte-order marks of the other Unicode encodings (Windows Notepad's "Unicode" is UTF-16 LE);
#: the UTF-32 ones first, as UTF-32 LE's mark begins with UTF-16 LE's.
_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _decode_unicode(path: Path, raw: bytes) -> tuple[str, str] | None:
    """Text saved as UTF-16/32 with its byte-order mark (it was "a binary file" before)."""
    encoding = next((enc for bom, enc in _UNICODE_BOMS if raw.startswith(bom)), None)
    if encoding is None:
        return None
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: {encoding.upper()} text with an invalid character at byte offset {exc.start}"
        ) from None


def _decode_legacy(path: Path, raw: bytes) -> tuple[str, str]:
    if b"\x00" in raw:
        raise SourceError(f"{path}: looks like a binary file, not a text document")
    stray = _stray_bytes(raw)
    if stray is not None:
        offset, count = stray
        line = raw[:offset].count(b"\n") + 1
        more = f" and {count - 1} more" if count > 1 else ""
        raise SourceError(
            f"{path}: UTF-8 text with an invalid byte 0x{raw[offset]:02x} at line {line} "
            f"(byte offset {offset}){more}; fix or delete it and save the file as UTF-8"
        )
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"{path}: neither UTF-8 nor GB18030 text (first bad byte at line {line}, "
            f"byte offset {exc.start})"
        ) from None


def _stray_bytes(raw: bytes) -> tuple[int, int] | None:
    """(offset of the first bad byte, number of bad sequences) when `raw` is UTF-8 text with a
    few stray bytes: far more valid multi-byte characters than bad bytes. A GB18030 file read
    as UTF-8 fails on nearly every Chinese character, so it never looks like this."""
    bad: list[int] = []
    multibyte = pos = 0
    while len(bad) <= MAX_STRAY_BYTES:
        try:
            multibyte += _non_ascii(raw[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            multibyte += _non_ascii(raw[pos : pos + exc.start].decode("utf-8"))
            bad.append(pos + exc.start)
            pos += exc.end
    if bad and len(bad) <= MAX_STRAY_BYTES and multibyte >= 10 * len(bad):
        return bad[0], len(bad)
    return None


def _non_ascii(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 0x7F)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(8, len(sample) // 100)
