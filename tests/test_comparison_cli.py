"""`task-atlas compare` on the bundled corpus: the CSV, reviewer overrides, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from assignments.corpus import build_tables
from cli.main import main
from comparison.command import compare_plans
from comparison.model import COMPARE_COLUMNS, Relation
from comparison.overrides import load_overrides
from comparison.targets import target_groups


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """plans.csv and tasks.csv of the bundled corpus (all that compare reads)."""
    folder = tmp_path_factory.mktemp("data")
    corpus = build_tables()
    corpus.plans.to_csv(folder / "plans.csv", index=False)
    corpus.tasks.to_csv(folder / "tasks.csv", index=False)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_writes_every_task_once_or_more(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp.csv"
    code, stdout, _ = run(
        capsys, "compare", "--from", "wr2023", "--to", "wr2024", "--data", str(data_dir),
        "--out", str(out),
    )  # fmt: skip
    assert code == 0 and "wr2023 → wr2024" in stdout
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert tuple(table.columns) == COMPARE_COLUMNS
    tasks = pd.read_csv(data_dir / "tasks.csv", dtype=str, keep_default_na=False)
    assert set(table["from_task_id"]) - {""} == set(
        tasks.loc[tasks["plan_id"] == "wr2023", "task_id"]
    )
    assert set(table["to_task_id"]) - {""} == set(
        tasks.loc[tasks["plan_id"] == "wr2024", "task_id"]
    )
    assert set(table["relation"]) == {r.value for r in Relation}
    # the annual 主要预期目标 carry over item by item
    targets = table[table["from_task_id"].str.startswith("wr2023-1.0.")]
    assert dict(zip(targets["from_task_id"], targets["to_task_id"], strict=True)) == {
        f"wr2023-1.0.{n}": f"wr2024-1.0.{n}" for n in range(1, 6)
    }
    linked = table[(table["from_task_id"] != "") & (table["to_task_id"] != "")]
    # a target stated twice in one plan (same_target) is one successor / predecessor
    target = {t: g[0] for g in target_groups(tasks) for t in g}
    linked = linked.assign(
        from_target=linked["from_task_id"].map(target), to_target=linked["to_task_id"].map(target)
    )
    assert linked.groupby("from_task_id")["to_target"].nunique().max() <= 2
    assert linked.groupby("to_task_id")["from_target"].nunique().max() <= 2
    assert linked["evidence"].str.contains("共同").all()


def test_identical_people_livelihood_item_links_both_headings(data_dir: Path) -> None:
    table = compare_plans(data_dir, "wr2023", "wr2024")
    # wr2024 says 筹集建设保障性租赁住房5.1万套(间) under 重点工作 and 民生实事 (near-identical)
    pairs = table[table["to_task_id"].isin(["wr2024-2.9.192", "wr2024-4.6.17"])]
    assert (pairs["from_task_id"] != "").all()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "wr2023", "--to", "wr2099"],
            "unknown plan 'wr2099' (known: fyp14, fyp15, wr2023, wr2024)",
        ),
        (["--from", "wr2023", "--to", "wr2023"], "name two different plans"),
        (
            ["--from", "wr2023", "--to", "wr2024", "--data", "/nonexistent/data"],
            "data folder not found",
        ),
        (
            ["--from", "wr2023", "--to", "wr2024", "--overrides", "/nonexistent.csv"],
            "overrides file not found",
        ),
    ],
)
def test_errors_are_one_line(
    argv: list[str], message: str, data_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    args = ["compare", "--data", str(data_dir), "--out", str(tmp_path / "x.csv"), *argv]
    code, _, err = run(capsys, *args)
    assert code == 1
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_missing_tasks_file_and_bad_out_are_named(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plans.csv").write_text((data_dir / "plans.csv").read_text("utf-8"), "utf-8")
    code, _, err = run(capsys, "compare", "--from", "wr2023", "--to", "wr2024", "--data",
                       str(tmp_path), "--out", str(tmp_path / "x.csv"))  # fmt: skip
    assert code == 1 and "tasks.csv: file missing" in err
    code, _, err = run(capsys, "compare", "--from", "wr2023", "--to", "wr2024", "--data",
                       str(data_dir), "--out", str(tmp_path / "no" / "x.csv"))  # fmt: skip
    assert code == 1 and "folder not found for --out" in err


def test_failed_write_keeps_the_old_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    out = tmp_path / "cmp.csv"
    out.write_text("old\n", "utf-8")

    def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    code, _, err = run(capsys, "compare", "--from", "wr2023", "--to", "wr2024", "--data",
                       str(data_dir), "--out", str(out))  # fmt: skip
    assert code == 1 and "disk full" in err
    assert out.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cmp.csv"]


def test_overrides_win_over_the_matcher(data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("from_task_id,to_task_id,decision,relation,reason\n", "utf-8")
    plain = compare_plans(data_dir, "wr2023", "wr2024", empty)
    linked = plain[(plain["from_task_id"] != "") & (plain["to_task_id"] != "")].iloc[0]
    dropped = plain[plain["to_task_id"] == ""].iloc[0]
    new = plain[plain["from_task_id"] == ""].iloc[0]
    reviewed = tmp_path / "overrides.csv"
    reviewed.write_text(
        "from_task_id,to_task_id,decision,relation,reason\n"
        f"{linked.from_task_id},{linked.to_task_id},reject,,not the same line (test)\n"
        f"{dropped.from_task_id},{new.to_task_id},confirm,调整,same programme renamed (test)\n",
        "utf-8",
    )
    table = compare_plans(data_dir, "wr2023", "wr2024", reviewed)
    pairs = set(zip(table["from_task_id"], table["to_task_id"], strict=True))
    assert (linked.from_task_id, linked.to_task_id) not in pairs
    row = table[(table["from_task_id"] == dropped.from_task_id)
                & (table["to_task_id"] == new.to_task_id)]  # fmt: skip
    assert row["relation"].tolist() == ["调整"]
    assert row["evidence"].iloc[0] == "复核确认:same programme renamed (test)"


def test_shipped_overrides_are_valid_and_apply(data_dir: Path) -> None:
    overrides = load_overrides()
    assert overrides and all(o.reason for o in overrides)
    table = compare_plans(data_dir, "wr2023", "wr2024")
    pairs = set(zip(table["from_task_id"], table["to_task_id"], strict=True))
    rejected = {(o.from_task_id, o.to_task_id) for o in overrides if o.decision == "reject"}
    assert not pairs & rejected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("a,b,maybe,,why", "decision must be confirm or reject"),
        ("a,b,confirm,新增,why", "relation must be 延续, 调整 or empty"),
        ("a,b,reject,,", "a reason is needed"),
        (",b,reject,,why", "from_task_id and to_task_id are both needed"),
    ],
)
def test_bad_override_rows_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "o.csv"
    path.write_text("from_task_id,to_task_id,decision,relation,reason\n" + line + "\n", "utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_overrides(path)
    assert "line 2" in str(info.value)
