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
