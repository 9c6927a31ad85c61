"""Dashboard figures: callback server time, bytes per filter change, cold start, beside a naive app.

The callbacks are driven through Flask's test client with the same JSON Dash's renderer posts,
so the times include serialisation and the byte counts are what would go over the wire.
The naive app rebuilds the full figure, with full-resolution district geometry, on every change.

Run: .venv/bin/python benchmarks/dashboard_bench.py [--data DIR] [--calls 200]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

from dashboard.app import create_app
from dashboard.callbacks import FILTER_INPUTS, filters_from_values
from dashboard.data import AtlasData, load_atlas
from dashboard.figures import build_district_map
from dashboard.filters import count_by_place, filter_tasks
from dashboard.ids import Id
from pipeline.build import build_all, write_data_folder

REPO = Path(__file__).resolve().parent.parent
FULL_DISTRICTS = REPO / "geodata" / "data" / "districts.geojson"
VIEW_OUTPUTS = "..district-map.figure...agency-bar.figure...city-summary.children...headline.children...filters-caption.children.."  # noqa: E501
PANEL_OUTPUTS = "..place-panel-title.children...place-panel.children...clear-selection.disabled...download-csv.disabled...download-xlsx.disabled.."  # noqa: E501


def random_values(data: AtlasData, rng: random.Random) -> list[Any]:
    """A plausible filter state: some plans, sectors, maybe an agency or keyword, either mode."""
    plans = rng.sample(sorted(set(data.plans["plan_id"])), rng.randint(0, 2))
    sectors = rng.sample(sorted(set(data.tasks["sector"])), rng.randint(0, 2))
    agency = rng.choice([None, None, *data.task_units["unit"].value_counts().index[:20]])
    keyword = rng.choice(["", "", "", "建设", "推进", "光谷"])
    mode = rng.choice(["specific", "citywide"])
    return [plans, sectors, agency, rng.choice(["any", "lead"]), [], keyword, mode, ["show"]]


def post(client: Any, output: str, values: list[Any], place: str | None) -> tuple[float, int]:
    """One callback round trip: (milliseconds, response bytes)."""
    inputs = [
        {"id": str(cid), "property": prop, "value": v}
        for (cid, prop), v in zip(FILTER_INPUTS, values, strict=True)
    ]
    inputs.append({"id": str(Id.SELECTED_PLACE), "property": "data", "value": place})
    body = {
        "output": output,
        "outputs": _outputs(output),
        "inputs": inputs,
        "changedPropIds": [f"{Id.PLANS}.value"],
        "state": [],
    }
    start = time.perf_counter()
    response = client.post("/_dash-update-component", json=body)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.data[:300]
    return elapsed, len(response.data)


TABLE_OUTPUTS = "..task-table.getRowsResponse...task-table-count.children.."


def post_table(client: Any, values: list[Any], place: str | None) -> tuple[float, int]:
    """The task table's page request after a filter change (15 rows, served by the server)."""
    state = [{"id": "task-table-search", "property": "value", "value": ""}]
    state += [
        {"id": str(cid), "property": prop, "value": v}
        for (cid, prop), v in zip(FILTER_INPUTS, values, strict=True)
    ]
    state.append({"id": str(Id.SELECTED_PLACE), "property": "data", "value": place})
    request = {"startRow": 0, "endRow": 15, "sortModel": [], "filterModel": {}}
    body = {
        "output": TABLE_OUTPUTS,
        "outputs": _outputs(TABLE_OUTPUTS),
        "inputs": [{"id": "task-table", "property": "getRowsRequest", "value": request}],
        "changedPropIds": ["task-table.getRowsRequest"],
        "state": state,
    }
    start = time.perf_counter()
    response = client.post("/_dash-update-component", json=body)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.data[:300]
    return elapsed, len(response.data)


def _outputs(output: str) -> list[dict[str, str]] | dict[str, str]:
    """Dash's `outputs` field: a list for multi-output callbacks (`..a.b...c.d..`), else one."""
    specs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in output.strip(".").split("...")
    ]
    return specs if output.startswith("..") else specs[0]


def naive_app(data: AtlasData, geometry: dict[str, Any]) -> Dash:
    """The naive version: one callback returning a freshly built full-resolution figure."""
    app = Dash(__name__)
    app.layout = html.Div(
        [
            dcc.Graph(id="naive-map"),
            *[dcc.Store(id=str(c)) for c, _ in FILTER_INPUTS],
            dcc.Store(id=str(Id.SELECTED_PLACE)),
        ]
    )

    @app.callback(
        Output("naive-map", "figure"),
        *[Input(str(c), "data") for c, _ in FILTER_INPUTS],
        Input(str(Id.SELECTED_PLACE), "data"),
    )
    def redraw(*values: Any) -> go.Figure:
        f = filters_from_values(values[:-1], values[-1])
        counts = count_by_place(data, filter_tasks(data, f)["task_id"], f.mode)
        return build_district_map(counts, geometry, mode=f.mode, selected=f.place)

    return app


def full_geometry(data: AtlasData) -> dict[str, Any]:
    """Full-resolution districts (geodata/data/districts.geojson) plus the data's zones."""
    if not FULL_DISTRICTS.is_file():
        return data.places_geojson
    districts = json.loads(FULL_DISTRICTS.read_text(encoding="utf-8"))["features"]
    zones = [f for f in data.places_geojson["features"] if f["properties"]["kind"] == "zone"]
    return {"type": "FeatureCollection", "features": districts + zones}


def measure(label: str, call: Callable[[], tuple[float, int]], n: int) -> None:
    call()  # warm-up
    runs = [call() for _ in range(n)]
    times = sorted(ms for ms, _ in runs)
    sizes = [b for _, b in runs]
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"  {label:<34} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{statistics.mean(sizes) / 1024:8.1f} KB/response"
    )


def cold_start(data_dir: Path) -> float:
    """Seconds from a fresh interpreter to the first served layout (imports included)."""
    code = (
        "import time,sys; t=time.perf_counter();"
        "from pathlib import Path; from dashboard.app import create_app;"
        "from dashboard.data import load_atlas;"
        f"c=create_app(load_atlas(Path({str(data_dir)!r}))).server.test_client();"
        "assert c.get('/').status_code==200 and c.get('/_dash-layout').status_code==200;"
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=None, help="data folder (default: build the bundled corpus)"
    )
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    if args.data is None:  # measure on the real corpus, not the small test fixture
        args.data = Path(tempfile.mkdtemp(prefix="atlas-bench-")) / "data"
        write_data_folder(build_all(), args.data)
    data = load_atlas(args.data)
    print(f"data: {args.data} ({len(data.tasks)} tasks, {len(data.task_places)} place tags)")
    rng = random.Random(4)
    states = [random_values(data, rng) for _ in range(args.calls + 1)]
    places = [str(p) for p in data.task_places["place"].value_counts().index[:10]]
    it = iter(states * 8)
    client = create_app(data).server.test_client()
    geometry = full_geometry(data)
    naive = naive_app(data, geometry).server.test_client()
    layout_kb = len(client.get("/_dash-layout").data) / 1024
    print(f"\ninitial layout (geometry sent once): {layout_kb:.1f} KB")
    print(f"\ncallbacks, {args.calls} calls each:")
    measure("filter change (Patch)", lambda: post(client, VIEW_OUTPUTS, next(it), None), args.calls)
    measure(
        "click a place: panel",
        lambda: post(client, PANEL_OUTPUTS, next(it), rng.choice(places)),
        args.calls,
    )
    measure("task table: first page", lambda: post_table(client, next(it), None), args.calls)
    measure(
        "task table: page for a place",
        lambda: post_table(client, next(it), rng.choice(places)),
        args.calls,
    )
    measure(
        "naive: full figure, full geometry",
        lambda: post(naive, "naive-map.figure", next(it), None),
        args.calls,
    )
    geo_kb = len(json.dumps(geometry, ensure_ascii=False).encode()) / 1024
    print(f"  (naive geometry: {geo_kb:.0f} KB of GeoJSON re-sent on every change)")
    starts = [cold_start(args.data) for _ in range(3)]
    print(
        f"\ncold start (new interpreter → first layout served): "
        f"median {statistics.median(starts):.2f} s of {len(starts)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
