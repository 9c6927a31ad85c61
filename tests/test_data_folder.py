"""pipeline.folder: a data folder is replaced only when build wrote it, and never lost in a swap."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.folder import MARKER_FILE, OutputError, recover, write_folder


def _writer(text: str):  # type: ignore[no-untyped-def]
    def write(folder: Path) -> None:
        (folder / "plans.csv").write_text(text, encoding="utf-8")
        (folder / "tasks.csv").write_text(text, encoding="utf-8")

    return write


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_the_marker_listing_the_files(tmp_path: Path) -> None:
    out = tmp_path / "data"
    write_folder(out, _writer("v1"))
    marker = json.loads((out / MARKER_FILE).read_text("utf-8"))
    assert marker["format"] == 1 and marker["files"] == ["plans.csv", "tasks.csv"]
    assert _names(tmp_path) == ["data"]


def test_a_user_folder_holding_a_plans_csv_is_not_replaced(tmp_path: Path) -> None:
    """The old marker was plans.csv itself: this folder and everything in it was deleted."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "plans.csv").write_text("my own plans", encoding="utf-8")
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(OutputError, match=r"not a Task Atlas data folder .*plans.csv, thesis.docx"):
        write_folder(out, _writer("v1"))
    assert (out / "thesis.docx").read_text("utf-8") == "precious"
    assert _names(tmp_path) == ["mine"]


def test_a_file_the_user_added_to_a_data_folder_is_never_deleted(tmp_path: Path) -> None:
    out = tmp_path / "data"
    write_folder(out, _writer("v1"))
    (out / "my-notes.txt").write_text("notes", encoding="utf-8")
    with pytest.raises(OutputError, match=r"did not write \(my-notes.txt\)"):
        write_folder(out, _writer("v2"))
    assert (out / "my-notes.txt").read_text("utf-8") == "notes"
    assert (out / "plans.csv").read_text("utf-8") == "v1"
    assert _names(tmp_path) == ["data"]


def test_rebuild_replaces_its_own_folder(tmp_path: Path) -> None:
    out = tmp_path / "data"
    write_folder(out, _writer("v1"))
    write_folder(out, _writer("v2"))
    assert (out / "plans.csv").read_text("utf-8") == "v2"
    assert _names(tmp_path) == ["data"]


def test_crash_between_the_two_renames_is_recovered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate the process dying after `data` → `.data.old` and before the new folder moves in."""
    out = tmp_path / "data"
    write_folder(out, _writer("v1"))
    real_rename = Path.rename

    def crash_on_second(self: Path, target: Path) -> Path:  # type: ignore[override]
        if self.name.startswith(".data.new-"):
            raise KeyboardInterrupt  # the process is gone: no cleanup code of ours may run
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        write_folder(out, _writer("v2"))
    monkeypatch.undo()
    assert not out.exists() and (tmp_path / ".data.old" / "plans.csv").is_file()
    assert recover(out) is True
    assert (out / "plans.csv").read_text("utf-8") == "v1"
    write_folder(out, _writer("v3"))  # the next build cleans up what the crash left
    assert (out / "plans.csv").read_text("utf-8") == "v3"
    assert _names(tmp_path) == ["data"]


def test_the_next_build_after_a_crash_keeps_the_old_copy_until_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "data"
    write_folder(out, _writer("v1"))
    (out).rename(tmp_path / ".data.old")  # the state a crash leaves

    def failing(folder: Path) -> None:
        raise ValueError("bad source")

    with pytest.raises(ValueError, match="bad source"):
        write_folder(out, failing)
    assert (out / "plans.csv").read_text("utf-8") == "v1"  # recovered, not deleted
    assert _names(tmp_path) == ["data"]


def test_out_dot_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    for out in (Path("."), Path(".."), tmp_path):
        with pytest.raises(OutputError, match="is the current folder"):
            write_folder(out, _writer("v1"))
    assert _names(tmp_path) == ["keep.txt"]


def test_out_symlink_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "store" / "atlas"
    link = tmp_path / "data"
    write_folder(real, _writer("v1"))
    link.symlink_to(real)
    write_folder(link, _writer("v2"))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (link / "plans.csv").read_text("utf-8") == "v2"
    assert _names(tmp_path / "store") == ["atlas"]


def test_out_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        write_folder(out, _writer("v1"))
    assert out.read_text("utf-8") == "x"


def test_a_folder_of_an_older_version_is_named_as_such(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    for name in ("plans.csv", "tasks.csv", "build_report.json"):
        (out / name).write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match=r"older task-atlas .* delete it yourself"):
        write_folder(out, _writer("v1"))
    assert (out / "plans.csv").read_text("utf-8") == "old"


def test_a_failed_swap_leaves_no_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "data"
    write_folder(out, _writer("v1"))
    real_rename = Path.rename

    def refuse_new(self: Path, target: Path) -> Path:  # type: ignore[override]
        if self.name.startswith(".data.new-"):
            raise PermissionError(13, "Permission denied")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_new)
    with pytest.raises(
        OutputError, match=r"data: cannot write the data folder \(Permission denied\)"
    ):
        write_folder(out, _writer("v2"))
    monkeypatch.undo()
    assert (out / "plans.csv").read_text("utf-8") == "v1"  # the old copy is put back at once
    assert _names(tmp_path) == ["data"]


def test_a_file_system_without_locks_still_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writers' lock is a courtesy: where flock is not supported the build goes ahead."""
    import fcntl

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(37, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    write_folder(tmp_path / "data", _writer("v1"))
    assert (tmp_path / "data" / "plans.csv").read_text("utf-8") == "v1"
