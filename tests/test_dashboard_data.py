"""Loading the data folder: the fixture loads; broken folders fail naming the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard.data import DataFolderError, load_atlas, place_table
from tests.helpers import FIXTURE


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    return target


def test_fixture_loads_as_strings_with_all_places() -> None:
    data = load_atlas(FIXTURE)
    assert len(data.tasks) == 30
    assert data.tasks["item_no"].map(type).eq(str).all()
    places = place_table(data)
    assert places["kind"].value_counts().to_dict() == {"district": 13, "zone": 5}
    assert places["approximate"].tolist() == [False] * 13 + [True] * 5
    assert len(data.built_at) == 10


@pytest.mark.parametrize("name", ["plans.csv", "tasks.csv", "task_places.csv", "places.geojson"])
def test_missing_file_is_named(data_copy: Path, name: str) -> None:
    (data_copy / name).unlink()
    with pytest.raises(DataFolderError, match=name):
        load_atlas(data_copy)


def test_missing_column_is_named(data_copy: Path) -> None:
    path = data_copy / "task_places.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines), encoding="utf-8")
    with pytest.raises(DataFolderError, match=r"task_places\.csv: missing column\(s\) precision"):
        load_atlas(data_copy)


def test_missing_folder_and_bad_geojson(data_copy: Path, tmp_path: Path) -> None:
    with pytest.raises(DataFolderError, match="data folder not found"):
        load_atlas(tmp_path / "nope")
    doc = json.loads((data_copy / "places.geojson").read_text(encoding="utf-8"))
    del doc["features"][0]["properties"]["label_lon"]
    (data_copy / "places.geojson").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataFolderError, match="label_lon"):
        load_atlas(data_copy)
    (data_copy / "places.geojson").write_bytes(b"\xff\xfe not json")
    with pytest.raises(DataFolderError, match="not valid GeoJSON"):
        load_atlas(data_copy)
