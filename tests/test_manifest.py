"""manifest.toml at the boundary: every mistake is a ManifestError naming the plan and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from assignments.metadata import ManifestError, read_manifest

PLAN = """[[plan]]
plan_id = "wr2030"
title = "2030年市《政府工作报告》目标任务责任分解方案"
kind = "年度政府工作报告任务分解"
{extra}
"""
GOOD_SOURCES = 'sources = [{ file = "doc.txt", notes = "" }]'


def _folder(tmp_path: Path, manifest: str) -> Path:
    (tmp_path / "doc.txt").write_text("1.推进汉正街转型升级。\n", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(manifest, encoding="utf-8")
    return tmp_path


def test_a_good_manifest(tmp_path: Path) -> None:
    entries = read_manifest(_folder(tmp_path, PLAN.format(extra=f"year = 2030\n{GOOD_SOURCES}")))
    assert entries["doc.txt"].meta.year == 2030
    assert entries["doc.txt"].files == ("doc.txt",)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (PLAN.format(extra='sources = ["doc.txt"]'), r"plan #1: source #1 must be a table"),
        (PLAN.format(extra='sources = [{ notes = "x" }]'), r"plan #1: source #1 must be a table"),
        ("plan = [1, 2]", r"plan #1 is 1, not a table"),
        ('[plan]\nplan_id = "x"', r"'plan' must be a list"),
        (PLAN.format(extra=f'year = "去年"\n{GOOD_SOURCES}'), r"year must be a year"),
        (PLAN.format(extra=f"year = 20300\n{GOOD_SOURCES}"), r"year must be a year"),
        (PLAN.format(extra=f"year = true\n{GOOD_SOURCES}"), r"year must be a year"),
        (
            PLAN.format(extra='sources = [{ file = "dco.txt" }]'),
            r"lists 'dco.txt', which is not in",
        ),
        (PLAN.format(extra=f"doc_no = 12\n{GOOD_SOURCES}"), r"'doc_no' must be text"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, manifest: str, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        read_manifest(_folder(tmp_path, manifest))


def test_a_manifest_that_is_a_device_is_refused_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").symlink_to("/dev/zero")
    with pytest.raises(ValueError, match=r"manifest\.toml: not a regular file"):
        read_manifest(tmp_path)
