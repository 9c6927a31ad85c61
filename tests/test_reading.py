"""Bad input at the boundary: each case gets a clear one-line error naming the file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from assignments.reading import SourceError, read_regular_file, read_source

GOOD = "一、重点工作\n1.推进汉正街转型升级。(牵头单位:市商务局)\n"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory"):
        read_source(tmp_path)


def test_empty(write_doc: Callable[..., Path]) -> None:
    with pytest.raises(SourceError, match="empty"):
        read_source(write_doc("  \n\n"))


def test_binary(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(SourceError, match="binary"):
        read_source(path)


def test_gbk_is_read_with_a_warning(write_doc: Callable[..., Path]) -> None:
    src = read_source(write_doc(GOOD, encoding="gbk"))
    assert src.encoding == "gb18030"
    assert src.lines[1].startswith("1.推进汉正街")
    assert "not UTF-8" in src.warnings[0]


def test_bom_and_crlf(write_doc: Callable[..., Path]) -> None:
    src = read_source(write_doc("\ufeff" + GOOD.replace("\n", "\r\n")))
    assert src.lines == ("一、重点工作", "1.推进汉正街转型升级。(牵头单位:市商务局)")


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(SourceError, match=r"50\.0 MB"):
        read_source(path)


def test_link_to_a_device_is_refused_without_reading(tmp_path: Path) -> None:
    """/dev/zero reports size 0 and never ends: it passed the size check and read until
    MemoryError."""
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(link)


def test_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    """A FIFO with no writer blocked `parse` forever (the test would hang on the old code)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(fifo)


def test_symlink_loop_is_named_as_such(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(SourceError, match="symbolic link loop"):
        read_source(loop)


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "moved-away.txt")
    with pytest.raises(SourceError, match=r"no such file \(a broken symbolic link\)"):
        read_source(link)


def test_one_stray_byte_in_utf8_names_its_line_and_offset(tmp_path: Path) -> None:
    good = (GOOD * 5).encode()
    offset = len(GOOD.encode()) * 3  # the start of line 7
    path = tmp_path / "stray.txt"
    path.write_bytes(good[:offset] + b"\xff" + good[offset:])
    with pytest.raises(SourceError) as info:
        read_source(path)
    message = str(info.value)
    assert "neither UTF-8 nor GB18030" not in message
    assert f"invalid byte 0xff at line 7 (byte offset {offset})" in message


def test_read_is_bounded_even_when_the_size_lies(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(SourceError, match="far larger"):
        read_regular_file(path, limit=1024)
