"""A hostile user at the command line: every bad input is one line, the right exit code, no
traceback, no hang, and nothing the user had is lost (issue 7 "Folders and files", "Clear
errors"; issue 8 "one home for the build"). Each test here failed on the code before it."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from assignments.schema import DATA_FILES
from cli.main import main
from geodata.boundaries import FULL_FILE, read_custom_boundaries
from pipeline.build import recorded_inputs
from pipeline.defaults import error_text
from pipeline.folder import MARKER_FILE, OutputError, write_folder

REPO = Path(__file__).resolve().parent.parent
ATLAS_FIXTURE = REPO / "tests" / "fixtures" / "atlas_data"
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


# ---- the data folder: concurrent builds, crashes, full disks ----------------------------------


def _fill(folder: Path) -> None:
    """What a build writes, in small: every data file, one line each."""
    for name in DATA_FILES:
        (folder / name).write_text("x\n", encoding="utf-8")


def test_a_second_build_into_the_same_folder_waits_for_the_first(tmp_path: Path) -> None:
    """Two builds at once pulled each other's folders away: one failed with a raw
    '[Errno 2] … .data.new-… -> …/data' after a false 'restored from an interrupted build'."""
    sources = tmp_path / "src"
    sources.mkdir()
    shutil.copy(FORUM_DOC, sources)
    out = tmp_path / "data"
    write_folder(out, _fill)
    second: list[subprocess.Popen[str]] = []

    def slow_write(folder: Path) -> None:
        second.append(
            subprocess.Popen(
                [sys.executable, "-m", "cli.main", "build", "--sources", str(sources),
                 "--out", str(out)],
                cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
        )  # fmt: skip
        assert second[0].stderr is not None
        note = second[0].stderr.readline()  # the second build says it waits (EOF if it does not)
        assert "waiting for another build" in note, note
        _fill(folder)

    write_folder(out, slow_write)
    _, err = second[0].communicate(timeout=120)
    assert second[0].returncode == 0, err
    assert "Errno" not in err and "restored" not in err
    assert (out / "tasks.csv").stat().st_size > 1000  # the second build's tasks, complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "src"]


def test_a_crash_while_removing_the_old_copy_does_not_block_later_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marker could be deleted first: the half-removed `.data.old` was then 'in the way
    and not a leftover of build' for every later build."""
    out = tmp_path / "data"
    write_folder(out, _fill)
    write_folder(out, _fill)  # a previous copy to remove
    shutil.copytree(out, tmp_path / ".data.old")
    real_unlink = Path.unlink

    def crash_at_marker(self: Path, missing_ok: bool = False) -> None:
        real_unlink(self, missing_ok=missing_ok)
        if self.name == MARKER_FILE and self.parent.name == ".data.old":
            raise KeyboardInterrupt  # the process dies here (kill -9 runs no handler either)

    monkeypatch.setattr(Path, "unlink", crash_at_marker)
    with pytest.raises(KeyboardInterrupt):
        write_folder(out, _fill)
    monkeypatch.undo()
    assert write_folder(out, _fill) == out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_folder_half_written_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    """kill -9 while writing left `.data.new-…` (1 MB each time) that no build ever removed."""
    out = tmp_path / "data"
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from pipeline.folder import write_folder\n"
        "def write(folder):\n"
        "    (folder / 'tasks.csv').write_text('half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "write_folder(Path(sys.argv[1]), write)\n"
    )
    run = subprocess.run([sys.executable, "-c", script, str(out)], cwd=REPO, check=False)
    assert run.returncode == -9
    assert [p.name.startswith(".data.new-") for p in tmp_path.iterdir()] == [True]
    write_folder(out, _fill)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_full_disk_names_the_data_folder_and_keeps_the_old_one(tmp_path: Path) -> None:
    """A full disk or read-only folder was '[Errno 28] …' or named the temporary folder."""
    out = tmp_path / "data"
    write_folder(out, _fill)

    def full(folder: Path) -> None:
        (folder / "tasks.csv").write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputError) as info:
        write_folder(out, full)
    message = str(info.value)
    assert message.startswith(f"{out}: ") and "No space left on device" in message
    assert ".new-" not in message and "Errno" not in message
    assert (out / "tasks.csv").read_text("utf-8") == "x\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_an_out_folder_under_a_file_is_one_line_without_errno(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    out = tmp_path / "notes.txt" / "data"
    assert main(["build", "--out", str(out)]) == 1
    err = _error_line(capsys)
    assert "notes.txt" in err and "Errno" not in err
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"


# ---- serve and export -------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_serve_on_an_impossible_port_is_a_usage_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--port 99999 was Flask's AssertionError with a traceback, after loading the data."""
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", port, "--data", "/nonexistent"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "1–65535" in err.splitlines()[-1]


@pytest.mark.parametrize("out", [".", "adir", "/"])
def test_export_out_a_folder_is_one_line_naming_it(
    out: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export --out .` was '[Errno 16] Device or resource busy: …/..3wc_1npn.part' -> '.'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    assert main(["export", "--data", str(ATLAS_FIXTURE), "--out", out]) == 1
    err = _error_line(capsys)
    assert f"{out}: is a folder" in err and "Errno" not in err and ".part" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]


def test_export_each_district_into_a_file_is_refused_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It rendered a map first, then failed with '[Errno 17] File exists'."""
    target = tmp_path / "maps"
    target.write_text("mine", encoding="utf-8")
    assert main(["export", "--data", str(ATLAS_FIXTURE), "--each-district", str(target)]) == 1
    err = _error_line(capsys)
    assert "maps: exists and is not a folder" in err and "Errno" not in err
    assert target.read_text("utf-8") == "mine"


# ---- manifests ---------------------------------------------------------------------------------

PLAN = '[[plan]]\nplan_id = "{id}"\ntitle = "{title}"\nkind = "年度政府工作报告任务分解"\n'


@pytest.mark.parametrize(
    ("manifest", "named"),
    [
        # a listed file outside the folder, or not a document, was accepted and never matched
        (PLAN.format(id="x", title="t") + 'sources = [{file = "/etc/passwd"}]', "/etc/passwd"),
        (
            PLAN.format(id="x", title="t") + 'sources = [{file = "../s/doc.txt"}]',
            "without a folder",
        ),
        (PLAN.format(id="x", title="t") + 'sources = [{file = "manifest.toml"}]', "not a document"),
        # an empty plan_id made task ids such as "-1.0.1"
        (PLAN.format(id="", title="t") + 'sources = [{file = "doc.txt"}]', "'plan_id' is empty"),
        (PLAN.format(id="x", title=" ") + 'sources = [{file = "doc.txt"}]', "'title' is empty"),
        # one file in two plans: the second silently won
        (
            PLAN.format(id="a", title="t")
            + 'sources = [{file = "doc.txt"}]\n'
            + PLAN.format(id="b", title="t")
            + 'sources = [{file = "doc.txt"}]',
            "already listed by plan #1",
        ),
        (
            PLAN.format(id="a", title="t")
            + 'sources = [{file = "doc.txt"}]\n'
            + PLAN.format(id="a", title="t")
            + 'sources = [{file = "other.txt"}]',
            "plan_id 'a' of plan #1",
        ),
        # keys that are ignored are mistakes the user cannot see
        ('sources = ["doc.txt"]', "unknown key(s) 'sources'"),
        (PLAN.format(id="x", title="t") + 'yaer = 2024\nsources = [{file = "doc.txt"}]', "'yaer'"),
        (PLAN.format(id="x", title="t") + 'sources = [{file = "doc.txt", note = "n"}]', "'note'"),
    ],
    ids=[
        "absolute-path",
        "relative-path",
        "not-a-document",
        "empty-plan-id",
        "blank-title",
        "file-in-two-plans",
        "plan-id-twice",
        "top-level-sources",
        "plan-key-typo",
        "source-key-typo",
    ],
)
def test_manifest_mistakes_are_one_line_naming_them(
    manifest: str, named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "s"
    sources.mkdir()
    shutil.copy(FORUM_DOC, sources / "doc.txt")
    shutil.copy(FORUM_DOC, sources / "other.txt")
    (sources / "manifest.toml").write_text(manifest + "\n", encoding="utf-8")
    assert main(["build", "--sources", str(sources), "--out", str(tmp_path / "d")]) == 1
    err = _error_line(capsys)
    assert "manifest.toml" in err and named in err, err
    assert not (tmp_path / "d").exists()


# ---- source folders ----------------------------------------------------------------------------


@pytest.mark.parametrize("again", ["{s}", "{s}/./", "{s}/doc.txt", "{link}"])
def test_a_document_given_twice_is_refused(
    again: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--sources s --sources s` built the plan from 'doc.txt + doc.txt', two copies of itself."""
    sources = tmp_path / "s"
    sources.mkdir()
    shutil.copy(FORUM_DOC, sources / "doc.txt")
    (tmp_path / "link").symlink_to(sources)
    second = again.format(s=sources, link=tmp_path / "link")
    args = ["build", "--sources", str(sources), "--sources", second, "--out", str(tmp_path / "d")]
    assert main(args) == 1
    err = _error_line(capsys)
    assert "doc.txt: the same document as" in err
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_unicode_document_with_a_byte_order_mark_is_read(
    encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad's "Unicode" (UTF-16 with a BOM) was 'looks like a binary file'."""
    text = FORUM_DOC.read_text("utf-8")
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")  # utf-16 and utf-32 write their own
    path = tmp_path / "doc.txt"
    path.write_bytes((bom + text).encode(encoding))
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "tasks: 302" in out and "read as utf-" in out


# ---- a damaged data folder ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "inputs",
    [5, [], {"sources": 5}, {"sources": [5]}, {"sources": [None]}, {"boundaries": 7}, "x"],
)
def test_a_damaged_build_report_is_a_note_not_a_traceback(
    inputs: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """serve/export on the default folder read the report's `inputs` unchecked: TypeError and
    AttributeError tracebacks for a hand-edited or damaged build_report.json."""
    monkeypatch.chdir(tmp_path)
    write_folder(Path("data"), lambda folder: _copy_fixture(folder, inputs))
    assert recorded_inputs(Path("data")) is None
    assert main(["export", "--out", "map.svg"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "build report is unreadable" in err
    assert (tmp_path / "map.svg").stat().st_size > 1000


def _copy_fixture(folder: Path, inputs: object) -> None:
    for path in ATLAS_FIXTURE.iterdir():
        shutil.copy(path, folder / path.name)
    report = {"fingerprint": "0", "inputs": inputs, "plans": {}}
    (folder / "build_report.json").write_text(json.dumps(report), encoding="utf-8")


@pytest.mark.parametrize(
    "features",
    [
        [1, 2],
        {"a": 1},
        [{"id": "x", "properties": [1]}],
        [{"properties": {"id": "x", "name": "n", "kind": "district", "approximate": False,
                         "label_lon": 114.3, "label_lat": 30.6}, "geometry": None}],
        [{"properties": {"id": "x", "name": "n", "kind": "district", "approximate": False,
                         "label_lon": "a", "label_lat": 30.6},
          "geometry": {"type": "Polygon", "coordinates": []}}],
    ],
    ids=["numbers", "a-table", "list-properties", "no-geometry", "text-label"],
)  # fmt: skip
def test_a_damaged_places_file_is_one_line(
    features: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A places.geojson whose features are not features was an AttributeError/TypeError."""
    data = tmp_path / "d"
    shutil.copytree(ATLAS_FIXTURE, data)
    collection = {"type": "FeatureCollection", "features": features}
    (data / "places.geojson").write_text(json.dumps(collection), encoding="utf-8")
    assert main(["export", "--data", str(data), "--out", str(tmp_path / "m.png")]) == 1
    assert "places.geojson" in _error_line(capsys)


@pytest.mark.parametrize("command", [["serve"], ["export", "--out", "m.png"]])
def test_a_data_folder_that_is_a_file_is_named_as_such(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was 'data folder not found' for a file the user can see."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert main([*command, "--data", str(tmp_path / "afile")]) == 1
    assert "afile: is a file, not a data folder" in _error_line(capsys)


@pytest.mark.parametrize("out", ["loop", "loop/data"])
def test_out_a_symbolic_link_loop_is_one_line(
    out: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out loop` (a link to itself) was RuntimeError 'Symlink loop from …' with a traceback."""
    monkeypatch.chdir(tmp_path)
    Path("loop").symlink_to("loop")
    assert main(["build", "--out", out]) == 1
    assert "symbolic link loop" in _error_line(capsys)
    assert [p.name for p in tmp_path.iterdir()] == ["loop"]


def test_a_link_loop_among_the_sources_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "s"
    sources.mkdir()
    shutil.copy(FORUM_DOC, sources / "doc.txt")
    (sources / "loop.txt").symlink_to("loop.txt")
    assert main(["build", "--sources", str(sources), "--out", str(tmp_path / "d")]) == 1
    assert "loop.txt: a symbolic link loop" in _error_line(capsys)


def test_an_export_that_cannot_be_written_names_the_image_not_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only or full disk named `.map.png.x1y2.part`, a file the user never asked for."""
    from dashboard import export_cli

    def full(src: str, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), src)  # as the OS names it

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError) as info:
        export_cli.write_atomic(tmp_path / "map.png", b"x" * 100_000)
    monkeypatch.undo()
    assert info.value.filename == str(tmp_path / "map.png")
    assert error_text(info.value) == f"{tmp_path / 'map.png'}: No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_serve_on_a_port_in_use_or_an_unknown_host_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Werkzeug printed 'Address already in use' / 'Name or service not known' and exited on
    its own: two lines, no command name, no address (and the sharing caution first)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--data", str(ATLAS_FIXTURE), "--port", str(port)]) == 1
        err = _error_line(capsys)
        assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in err
    args = ["serve", "--data", str(ATLAS_FIXTURE), "--host", "no-such-host.invalid"]
    assert main(args) == 1
    assert "cannot listen on no-such-host.invalid:8050" in _error_line(capsys)
