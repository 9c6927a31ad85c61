"""Bad input at the boundary: each case gets a clear one-line error naming the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assignments.reading import SourceError, read_source

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
