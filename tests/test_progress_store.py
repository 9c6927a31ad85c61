"""The store on SQLite and PostgreSQL: two writers at once, history, change log, demo isolation."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from progress.db import DB_ENV, StoreError, current_revision, open_store, resolve_url
from progress.demo import DEMO_USER, fill_demo
from progress.quarters import parse_quarter, parse_quarter_range
from progress.service import vanished_tasks, write_templates
from progress.store import (
    KIND_DEMO,
    ReturnRow,
    change_log,
    current_returns,
    record_edit,
    record_returns,
    store_kind,
)
from progress.tasks import read_task_tables
from tests.progress_fixtures import fill_workbook

REPO = Path(__file__).resolve().parent.parent
Q2 = parse_quarter("2024Q2")


def _filled_templates(atlas_dir: Path, url: str, out: Path) -> list[Path]:
    store = open_store(url)
    written = write_templates(read_task_tables(atlas_dir), store, Q2, out)
    store.close()
    paths = []
    for unit, path, _n in written:
        ids = [
            r[0].value
            for r in __import__("openpyxl").load_workbook(path)["任务进度"].iter_rows(min_row=2)
        ]
        fill_workbook(
            path, {t: {"完成状态": "序时推进", "完成进度(%)": 50, "进展情况": unit} for t in ids}
        )
        paths.append(path)
    return paths


def _import_process(atlas_dir: Path, url: str, files: list[Path]) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "cli.main", "progress", "import", *map(str, files)]
    cmd += ["--quarter", "2024Q2", "--data", str(atlas_dir), "--db", url]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_imports_at_once_lose_nothing(atlas_dir: Path, store_url: str, tmp_path: Path) -> None:
    files = _filled_templates(atlas_dir, store_url, tmp_path / "t")
    half = len(files) // 2
    procs = [_import_process(atlas_dir, store_url, part) for part in (files[:half], files[half:])]
    # and the same file imported by both processes at once is recorded once
    procs.append(_import_process(atlas_dir, store_url, files[:1]))
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    store = open_store(store_url)
    stored = current_returns(store)
    n_pairs = 21  # 20 tasks in force, one of them led by two units
    assert len(stored) == n_pairs and stored["task_id"].nunique() == 20
    assert len(change_log(store)) == n_pairs  # the duplicate import wrote nothing
    store.close()


def test_edit_supersedes_and_the_change_log_keeps_both(store_url: str) -> None:
    store = open_store(store_url)
    row = ReturnRow("wr2024-2.2.2", "市交通运输局", "滞后", 30.0, "开工")
    record_returns(
        store, [row], quarter=Q2, entered_by="导入员", source="a.xlsx", unit=row.unit, digest="d1"
    )
    fixed = ReturnRow("wr2024-2.2.2", "市交通运输局", "序时推进", 50.0, "开工,已追上")
    record_edit(store, fixed, quarter=Q2, entered_by="督查室王五")
    log = change_log(store)
    assert log["entered_by"].tolist() == ["督查室王五", "导入员"]  # newest first
    assert log["action"].tolist() == ["edit", "import"]
    assert (
        json.loads(log["before"][0])["percent"] == 30.0
        and json.loads(log["after"][0])["percent"] == 50.0
    )
    assert pd.isna(log["before"][1]) and log["source"].tolist() == ["edit", "a.xlsx"]
    assert current_returns(store)["percent"].tolist() == [50.0]
    store.close()


def test_demo_data_never_mixes_with_real_returns(atlas_dir: Path, tmp_path: Path) -> None:
    tables = read_task_tables(atlas_dir)
    demo = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    results = fill_demo(tables, demo, parse_quarter_range("2024Q1..2024Q4"))
    assert [str(q) for q, _ in results] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert store_kind(demo) == KIND_DEMO
    stored = current_returns(demo)
    assert stored["is_demo"].all() and set(stored["entered_by"]) == {DEMO_USER}
    assert 0.8 < len(stored[stored["quarter"] == "2024Q2"]) / 21 <= 1  # some units miss a quarter
    again = fill_demo(tables, demo, parse_quarter_range("2024Q1..2024Q4"))
    assert all(r.already_imported for _, r in again)  # seeded: same data, nothing new
    with pytest.raises(StoreError, match="演示数据"):
        record_returns(
            demo,
            [ReturnRow("wr2024-2.2.2", "市交通运输局", "滞后", 30.0)],
            quarter=Q2,
            entered_by="x",
            source="f",
        )
    real = open_store(f"sqlite:///{tmp_path / 'real.db'}")
    record_returns(
        real,
        [ReturnRow("wr2024-2.2.2", "市交通运输局", "滞后", 30.0)],
        quarter=Q2,
        entered_by="x",
        source="f",
    )
    with pytest.raises(StoreError, match="real returns"):
        fill_demo(tables, real, [Q2])
    assert (
        main(
            ["progress", "demo", "--quarters", "2024Q1", "--data", str(atlas_dir), "--db", real.url]
        )
        == 1
    )


def test_same_demo_seed_gives_the_same_returns(atlas_dir: Path, tmp_path: Path) -> None:
    tables = read_task_tables(atlas_dir)
    frames = []
    for name in ("a", "b"):
        store = open_store(f"sqlite:///{tmp_path / name}.db")
        fill_demo(tables, store, [Q2], seed=7)
        frames.append(
            current_returns(store)[["task_id", "unit", "status", "percent", "progress_text"]]
        )
    pd.testing.assert_frame_equal(*frames)


def test_a_rebuild_that_drops_a_task_keeps_its_progress_and_reports_it(
    atlas_dir: Path, sqlite_store: object, capsys: pytest.CaptureFixture[str]
) -> None:
    store = sqlite_store
    record_returns(
        store,
        [ReturnRow("wr2024-2.2.2", "市交通运输局", "滞后", 30.0)],
        quarter=Q2,
        entered_by="x",
        source="f",
    )  # type: ignore[arg-type]
    tasks = pd.read_csv(atlas_dir / "tasks.csv", dtype=str, keep_default_na=False)
    tasks[tasks["task_id"] != "wr2024-2.2.2"].to_csv(atlas_dir / "tasks.csv", index=False)
    gone = vanished_tasks(read_task_tables(atlas_dir), store)  # type: ignore[arg-type]
    assert gone[["task_id", "quarters"]].values.tolist() == [["wr2024-2.2.2", "2024Q2"]]
    out = atlas_dir.parent / "x.csv"
    assert (
        main(
            [
                "progress",
                "export",
                "--quarter",
                "2024Q2",
                "--data",
                str(atlas_dir),
                "--db",
                store.url,
                "--out",
                str(out),
            ]
        )
        == 0
    )  # type: ignore[attr-defined]
    assert (
        "1 task(s) with stored progress are no longer in the data folder: wr2024-2.2.2"
        in capsys.readouterr().err
    )
    assert len(current_returns(store)) == 1  # type: ignore[arg-type]


def test_store_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'task-atlas.db'}"
    monkeypatch.setenv(DB_ENV, "postgresql://u:p@h/db")
    assert resolve_url(None) == "postgresql+psycopg://u:p@h/db"
    assert resolve_url("other.db") == f"sqlite:///{tmp_path / 'other.db'}"


def test_migrate_command_and_bad_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["progress", "migrate", "--db", url]) == 0
    assert "schema at revision 0001" in capsys.readouterr().out
    assert current_revision(open_store(url, upgrade=False).engine) == "0001"
    assert main(["progress", "migrate", "--db", str(tmp_path / "no" / "such" / "s.db")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["progress", "migrate", "--db", "mysql://x/y"]) == 1
    assert "unsupported store URL" in capsys.readouterr().err


def test_postgresql_down_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    env_url = "postgresql://nobody@127.0.0.1:1/none"
    assert main(["progress", "migrate", "--db", env_url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1 and "cannot open the progress store" in err[0] and "Traceback" not in err[0]
    )


def test_an_open_reader_never_blocks_a_write_on_sqlite(tmp_path: Path) -> None:
    """The dashboard holds read transactions; an import must not wait for them (WAL)."""
    from sqlalchemy import text

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    with store.engine.connect() as reader:
        reader.execute(text("SELECT count(*) FROM progress_returns")).scalar()
        assert reader.in_transaction()
        start = time.perf_counter()
        row = ReturnRow("wr2024-2.2.2", "市交通运输局", "滞后", 30.0)
        record_returns(store, [row], quarter=Q2, entered_by="x", source="f")
        assert time.perf_counter() - start < 5  # far below the 30 s busy timeout
    assert len(current_returns(store)) == 1
