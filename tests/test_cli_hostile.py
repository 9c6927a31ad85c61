"""A hostile user at the command line: every bad input is one line, the right exit code, no
traceback, no hang, and nothing the user had is lost (issue 7 "Folders and files", "Clear
errors"; issue 8 "one home for the build"). Each test here failed on the code before it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from cli.main import main
from geodata.boundaries import FULL_FILE, read_custom_boundaries

REPO = Path(__file__).resolve().parent.parent
FORUM_DOC = REPO / "assignments" / "sources" / "2024-work-report-tasks_forum-repost.txt"


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in a fresh process (warnings and tracebacks reach stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd or REPO,
    )


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return gpd.read_file(FULL_FILE)


def _district(districts: gpd.GeoDataFrame, code: str) -> object:
    return districts.loc[districts["id"] == code, "geometry"].iloc[0]


# ---- boundary files ---------------------------------------------------------------------------


def test_boundary_name_and_code_of_different_places_is_refused(
    tmp_path: Path, districts: gpd.GeoDataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    """江岸区's polygon with 江夏区's code was silently drawn as 江夏区."""
    path = tmp_path / "conflict.geojson"
    frame = gpd.GeoDataFrame(
        {"name": ["江岸区"], "code": ["420115"]},
        geometry=[_district(districts, "420102")],
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    assert main(["build", "--boundaries", str(path), "--out", str(tmp_path / "d")]) == 1
    err = _error_line(capsys)
    assert "conflict.geojson" in err and "江岸区" in err and "420115" in err
    assert not (tmp_path / "d").exists()


def test_boundary_name_that_is_a_list_names_the_file(
    tmp_path: Path, districts: gpd.GeoDataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    """A list-valued name was "The truth value of an array … is ambiguous", no file named."""
    feature = {
        "type": "Feature",
        "properties": {"name": ["江岸区", "江汉区"]},
        "geometry": json.loads(gpd.GeoSeries([_district(districts, "420102")]).to_json())[
            "features"
        ][0]["geometry"],
    }
    path = tmp_path / "list.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    assert main(["build", "--boundaries", str(path), "--out", str(tmp_path / "d")]) == 1
    err = _error_line(capsys)
    assert "list.geojson" in err and "match no district" in err


def test_boundary_open_ring_is_one_line_without_library_warnings(tmp_path: Path) -> None:
    """GDAL's RuntimeWarning (with a source path and code line) leaked onto stderr."""
    ring = [[114.3, 30.6], [114.4, 30.6], [114.4, 30.7]]  # not closed
    feature = {
        "type": "Feature",
        "properties": {"name": "江岸区"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path = tmp_path / "open.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    run = _cli("build", "--boundaries", str(path), "--out", str(tmp_path / "d"))
    assert run.returncode == 1
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "open.geojson" in run.stderr and "Warning" not in run.stderr


def test_geopackage_with_several_layers_is_refused_naming_them(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    """A second layer was silently ignored (and pyogrio's UserWarning leaked onto stderr)."""
    path = tmp_path / "two.gpkg"
    frame = districts[["name", "geometry"]]
    pyogrio.write_dataframe(frame, path, layer="districts", driver="GPKG")
    pyogrio.write_dataframe(frame.head(2), path, layer="old_districts", driver="GPKG")
    run = _cli("build", "--boundaries", str(path), "--out", str(tmp_path / "d"))
    assert run.returncode == 1
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "districts" in run.stderr and "old_districts" in run.stderr
    assert not (tmp_path / "d").exists()


def test_absurd_coordinates_are_printed_short(tmp_path: Path) -> None:
    """A 1e300 coordinate was printed as a 300-digit number."""
    ring = [[114.3, 30.6], [1e300, 30.6], [114.4, 30.7], [114.3, 30.6]]
    feature = {
        "type": "Feature",
        "properties": {"name": "江岸区"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path = tmp_path / "far.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    with pytest.raises(ValueError, match=r"far\.geojson") as info:
        read_custom_boundaries(path)
    assert len(str(info.value)) < 400
