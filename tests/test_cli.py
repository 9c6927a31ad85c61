"""The command line end to end: build, parse and their errors (one line, no traceback)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from assignments.corpus import CorpusTables, bundled_sources
from assignments.schema import COVERAGE_COLUMNS, PLANS_COLUMNS, TASKS_COLUMNS
from cli.main import main

pytestmark = pytest.mark.slow

NEW_DOC = """市人民政府关于印发2030年市《政府工作报告》目标任务责任分解方案的通知
武政〔2030〕1号
2030年1月20日
2030年市《政府工作报告》目标任务责任分解方案
一、重点工作
1、推进汉正街转型升级。［牵头单位：市商务局，配合单位：硚口区人民政府］
2、建设光谷科学岛。
牵头单位:东湖高新区管委会;责任单位:市科技局。
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, check=False
    )


def test_build_writes_the_contract(built: Path) -> None:
    plans = pd.read_csv(built / "plans.csv", dtype=str)
    tasks = pd.read_csv(built / "tasks.csv", dtype=str, keep_default_na=False)
    coverage = pd.read_csv(built / "coverage.csv", dtype=str)
    assert list(plans.columns[: len(PLANS_COLUMNS)]) == list(PLANS_COLUMNS)
    assert list(tasks.columns) == list(TASKS_COLUMNS)
    assert list(coverage.columns) == list(COVERAGE_COLUMNS)
    assert sorted(plans["plan_id"]) == ["fyp14", "fyp15", "wr2023", "wr2024"]
    assert plans.set_index("plan_id")["n_tasks"].astype(int).sum() == len(tasks)
    assert tasks["task_id"].is_unique
    report = json.loads((built / "build_report.json").read_text("utf-8"))
    assert set(report["plans"]) == set(plans["plan_id"])


def test_task_ids_are_stable_across_runs(built: Path, corpus: CorpusTables) -> None:
    first = pd.read_csv(built / "tasks.csv", dtype=str)["task_id"].tolist()
    assert corpus.tasks["task_id"].tolist() == first  # a second, independent parse


def test_new_document_without_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "next-year"
    folder.mkdir()
    (folder / "2030.txt").write_text(NEW_DOC, encoding="utf-8")
    out = tmp_path / "data"
    assert main(["build", "--sources", str(folder), "--out", str(out)]) == 0
    tasks = pd.read_csv(out / "tasks.csv", dtype=str, keep_default_na=False)
    assert tasks["task_id"].tolist() == ["wr2030-1.0.1", "wr2030-1.0.2"]
    assert tasks["lead_units"].tolist() == ["市商务局", "东湖高新区管委会"]
    plans = pd.read_csv(out / "plans.csv", dtype=str, keep_default_na=False)
    assert plans.loc[0, "doc_no"] == "武政〔2030〕1号"
    assert "wr2030: 2 tasks" in capsys.readouterr().out


def test_parse_prints_what_it_found(tmp_path: Path) -> None:
    path = tmp_path / "2030.txt"
    path.write_text(NEW_DOC, encoding="utf-8")
    res = _run("parse", str(path))
    assert res.returncode == 0, res.stderr
    assert "plan_id:   wr2030" in res.stdout and "tasks: 2" in res.stdout
    js = json.loads(_run("parse", str(path), "--json").stdout)
    assert [t["item_no"] for t in js["tasks"]] == ["1", "2"]
    assert js["meta"]["issued_on"] == "2030-01-20"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 8, "binary"),
        ("只是一段没有任何编号的文字。\n".encode(), "no numbered items"),
    ],
)
def test_bad_source_keeps_existing_output(
    built: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    out = tmp_path / "data"
    shutil.copytree(built, out)
    before = (out / "tasks.csv").read_bytes()
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "doc.txt").write_bytes(content)
    res = _run("build", "--sources", str(folder), "--out", str(out))
    assert res.returncode == 1
    assert message in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert (out / "tasks.csv").read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["bad", "data"]  # no temp left


def test_missing_and_directory_inputs(tmp_path: Path) -> None:
    res = _run("parse", str(tmp_path / "nope.txt"))
    assert res.returncode == 1 and "no such file" in res.stderr and "Traceback" not in res.stderr
    res = _run("parse", str(tmp_path))
    assert res.returncode == 1 and "is a directory" in res.stderr


def test_gbk_document_parses_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(NEW_DOC.encode("gbk"))
    res = _run("parse", str(path))
    assert res.returncode == 0
    assert "not UTF-8" in res.stdout and "tasks: 2" in res.stdout


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    res = _run("build", "--out", str(out))
    assert res.returncode == 1 and "not a Task Atlas data folder" in res.stderr
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_bundled_sources_are_the_seeds_byte_for_byte() -> None:
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    for seed in seeds.iterdir():
        assert (bundled_sources() / seed.name).read_bytes() == seed.read_bytes()


def test_build_with_official_boundaries(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    from geodata.boundaries import load_full_districts

    districts = load_full_districts()
    jiangxia = districts[districts["name"] == "江夏区"].copy()
    jiangxia["geometry"] = [box(*jiangxia.total_bounds)]  # an unmistakable replacement shape
    jiangxia = jiangxia.rename(columns={"name": "NAME"})[["NAME", "geometry"]]
    jiangxia["NAME"] = "武汉市江夏区"
    path = tmp_path / "official.gpkg"
    jiangxia.to_file(path, driver="GPKG")
    out = tmp_path / "data"
    assert main(["build", "--boundaries", str(path), "--out", str(out)]) == 0
    places = gpd.read_file(out / "places.geojson")
    row = places[places["name"] == "江夏区"].iloc[0]
    assert row.geometry.equals_exact(box(*jiangxia.total_bounds), tolerance=1e-3)


def test_bad_boundary_file_is_one_line_and_keeps_output(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "data"
    shutil.copytree(built, out)
    before = (out / "places.geojson").read_bytes()
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"label": "x"}, "geometry": {"type": "Point", '
        '"coordinates": [114.3, 30.5]}}]}',
        encoding="utf-8",
    )
    res = _run("build", "--boundaries", str(bad), "--out", str(out))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "bad.geojson" in res.stderr and "name" in res.stderr
    assert (out / "places.geojson").read_bytes() == before


def test_device_link_in_a_source_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "2030.txt").write_text(NEW_DOC, encoding="utf-8")
    (folder / "zero.txt").symlink_to("/dev/zero")
    res = _run("build", "--sources", str(folder), "--out", str(tmp_path / "data"))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "zero.txt: not a regular file" in res.stderr
    assert not (tmp_path / "data").exists()


def test_manifest_mistake_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "2030.txt").write_text(NEW_DOC, encoding="utf-8")
    (folder / "manifest.toml").write_text("plan = [1, 2]\n", encoding="utf-8")
    res = _run("build", "--sources", str(folder), "--out", str(tmp_path / "data"))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip().endswith("plan #1 is 1, not a table (write each plan as [[plan]])")


def _user_build(tmp_path: Path, out: Path) -> Path:
    folder = tmp_path / "next-year"
    folder.mkdir(exist_ok=True)
    (folder / "2030.txt").write_text(NEW_DOC, encoding="utf-8")
    assert main(["build", "--sources", str(folder), "--out", str(out)]) == 0
    return folder


def _plan_ids(folder: Path) -> list[str]:
    return pd.read_csv(folder / "plans.csv", dtype=str)["plan_id"].tolist()


@pytest.mark.parametrize("command", ["serve", "export"])
def test_a_named_data_folder_that_is_missing_is_not_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """`--data /typo` used to build the bundled corpus into /typo and serve it."""
    typo = tmp_path / "typo"
    extra = ["--out", str(tmp_path / "m.png")] if command == "export" else []
    assert main([command, "--data", str(typo), *extra]) == 1
    err = capsys.readouterr().err
    assert f"{typo}: data folder not found" in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_swap_is_recovered_not_rebuilt_from_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A crash between the renames left only .data.old; serve rebuilt the bundled corpus into
    ./data and deleted .data.old, the only copy of the user's own build."""
    from cli.main import _prepare_data

    monkeypatch.chdir(tmp_path)
    _user_build(tmp_path, Path("data"))
    Path("data").rename(".data.old")  # the state the crash leaves
    _prepare_data(Path("data"))
    assert _plan_ids(tmp_path / "data") == ["wr2030"]
    assert "restored" in capsys.readouterr().err


def test_a_stale_default_folder_is_rebuilt_from_its_recorded_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli.main import _prepare_data

    monkeypatch.chdir(tmp_path)
    folder = _user_build(tmp_path, Path("data"))
    doc = folder / "2030.txt"
    doc.write_text(doc.read_text("utf-8") + "3、建设武汉新港。\n", encoding="utf-8")
    _prepare_data(Path("data"))
    tasks = pd.read_csv(tmp_path / "data" / "tasks.csv", dtype=str)
    assert tasks["task_id"].tolist() == ["wr2030-1.0.1", "wr2030-1.0.2", "wr2030-1.0.3"]


def test_a_stale_named_folder_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.main import _prepare_data

    out = tmp_path / "mine"
    folder = _user_build(tmp_path, out)
    before = (out / "tasks.csv").read_bytes()
    (folder / "2030.txt").write_text(NEW_DOC + "3、建设武汉新港。\n", encoding="utf-8")
    _prepare_data(out)
    assert (out / "tasks.csv").read_bytes() == before
    assert (
        f"`task-atlas build --sources {folder} --out {out}` refreshes it" in capsys.readouterr().err
    )


def test_out_dot_fails_at_once_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--out", "."]) == 1
    assert "is the current folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_source_folder_symlink_loop_is_named(tmp_path: Path) -> None:
    loop = tmp_path / "docs"
    loop.symlink_to(loop)
    res = _run("build", "--sources", str(loop), "--out", str(tmp_path / "data"))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip().endswith("docs: a symbolic link loop")


def test_fifo_in_recorded_sources_does_not_hang_the_freshness_check(tmp_path: Path) -> None:
    import os

    from pipeline.build import is_fresh

    out = tmp_path / "data"
    folder = _user_build(tmp_path, out)
    os.mkfifo(folder / "later.txt")  # appeared after the build: the folder is stale
    assert is_fresh(out) is False


def test_serve_data_dot_inside_a_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out .` is refused, but reading the folder one is in must still work."""
    from cli.main import _prepare_data

    out = tmp_path / "mine"
    _user_build(tmp_path, out)
    monkeypatch.chdir(out)
    _prepare_data(Path("."))  # fresh: nothing to do, and no "current folder" refusal


def test_a_stale_default_folder_with_a_user_file_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.main import _prepare_data

    monkeypatch.chdir(tmp_path)
    folder = _user_build(tmp_path, Path("data"))
    (tmp_path / "data" / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "2030.txt").write_text(NEW_DOC + "3、建设武汉新港。\n", encoding="utf-8")
    _prepare_data(Path("data"))
    assert (tmp_path / "data" / "notes.txt").read_text("utf-8") == "mine"
    assert "not rebuilt, used as it is" in capsys.readouterr().err


def test_every_command_shares_the_default_folder_and_exit_codes() -> None:
    import argparse

    from dashboard.export_cli import add_export_arguments
    from dashboard.serve import add_serve_arguments, create_server
    from pipeline.defaults import DEFAULT_DATA_DIR, EXIT_USAGE

    defaults = []
    for add in (add_serve_arguments, add_export_arguments):
        parser = argparse.ArgumentParser()
        add(parser)
        defaults.append(
            parser.parse_args(["--out", "m.png"] if add is add_export_arguments else []).data
        )
    assert defaults == [DEFAULT_DATA_DIR, DEFAULT_DATA_DIR]
    assert create_server.__defaults__ == (str(DEFAULT_DATA_DIR),)
    with pytest.raises(SystemExit) as usage:
        main(["build", "--no-such-option"])
    assert usage.value.code == EXIT_USAGE


def test_build_reports_a_repaired_boundary(tmp_path: Path) -> None:
    import geopandas as gpd
    import shapely

    bowtie = shapely.Polygon([(114.2, 30.2), (114.4, 30.4), (114.4, 30.2), (114.2, 30.4)])
    path = tmp_path / "b.gpkg"
    gpd.GeoDataFrame({"name": ["江夏区"]}, geometry=[bowtie], crs="EPSG:4326").to_file(path)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "2030.txt").write_text(NEW_DOC, encoding="utf-8")
    res = _run(
        "build",
        "--sources",
        str(folder),
        "--boundaries",
        str(path),
        "--out",
        str(tmp_path / "data"),
    )
    assert res.returncode == 0, res.stderr
    assert "warning: b.gpkg: 江夏区: invalid polygon (Self-intersection" in res.stderr
    report = json.loads((tmp_path / "data" / "build_report.json").read_text("utf-8"))
    assert len(report["boundary_warnings"]) == 1
