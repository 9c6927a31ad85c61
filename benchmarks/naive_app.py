"""The baseline of benchmarks/http_bench.py: the dashboard as a first Dash app would write it.

Really naive, on purpose, and independent of the dashboard's code: the CSVs read with pandas,
one callback that filters with string `isin` and rebuilds the whole map figure with the
full-resolution district geometry (geodata/data/districts.geojson), the agency chart and the
task list on every change and every click; no Patch, no compression, the full plotly.js.

Run alone: .venv/bin/python benchmarks/naive_app.py --data DIR --port 8060 [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

REPO = Path(__file__).resolve().parents[1]
FULL_DISTRICTS = REPO / "geodata" / "data" / "districts.geojson"
SPECIFIC = ("lead", "responsible", "mention")
# Same ids as the dashboard's plan filter and map, so one browser script drives both apps.
PLANS, SECTORS, MAP, BAR, PANEL = (
    "filter-plans",
    "filter-sectors",
    "district-map",
    "agency-bar",
    "place-panel",
)


def read_data(data_dir: Path) -> dict[str, Any]:
    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(data_dir / name, dtype=str, keep_default_na=False)

    places = json.loads((data_dir / "places.geojson").read_text(encoding="utf-8"))
    districts = json.loads(FULL_DISTRICTS.read_text(encoding="utf-8"))["features"]
    zones = [f for f in places["features"] if f["properties"]["kind"] == "zone"]
    return {
        "plans": csv("plans.csv"),
        "tasks": csv("tasks.csv"),
        "task_places": csv("task_places.csv"),
        "task_units": csv("task_units.csv"),
        "geometry": {"type": "FeatureCollection", "features": districts + zones},
    }


def naive_figures(
    data: dict[str, Any], plans: list[str], sectors: list[str], place: str | None
) -> tuple[go.Figure, go.Figure, list[Any]]:
    """Everything from scratch: filter, count, full map, agency bar, task list."""
    tasks = data["tasks"]
    if plans:
        tasks = tasks[tasks["plan_id"].isin(plans)]
    if sectors:
        tasks = tasks[tasks["sector"].isin(sectors)]
    links = data["task_places"]
    links = links[links["task_id"].isin(tasks["task_id"]) & links["link"].isin(SPECIFIC)]
    counts = links.groupby("place")["task_id"].nunique()
    features = data["geometry"]["features"]
    names = [f["properties"]["name"] for f in features]
    fig = go.Figure(
        [
            go.Scattergeo(  # lon/lat first: plotly.js would fetch a world topojson otherwise
                lon=[f["properties"].get("label_lon") for f in features],
                lat=[f["properties"].get("label_lat") for f in features],
                text=[f"{n} {int(counts.get(n, 0))}" for n in names],
                mode="text",
                hoverinfo="skip",
            ),
            go.Choropleth(
                geojson=data["geometry"],
                featureidkey="properties.name",
                locations=names,
                z=[int(counts.get(n, 0)) for n in names],
                customdata=names,
                colorscale="Blues",
                marker_line_color="red" if place else "white",
            ),
        ]
    )
    fig.update_geos(fitbounds="locations", visible=False)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=520)
    units = data["task_units"]
    top = units[units["task_id"].isin(tasks["task_id"])]["unit"].value_counts().head(10)
    bar = go.Figure(go.Bar(x=top.to_numpy(), y=top.index, orientation="h"))
    chosen = links[links["place"] == place]["task_id"] if place else pd.Series(dtype=str)
    rows = tasks[tasks["task_id"].isin(chosen)]
    panel = [html.Li(f"{r.task_id} {r.text}") for r in rows.itertuples()]
    return fig, bar, panel


def naive_app(data_dir: Path) -> Dash:
    data = read_data(data_dir)
    plans = sorted(data["plans"]["plan_id"])
    sectors = sorted(set(data["tasks"]["sector"]))
    app = Dash(__name__, title="naive", serve_locally=True)
    app.layout = html.Div(
        [
            dcc.Dropdown(plans, [], id=PLANS, multi=True),
            dcc.Dropdown(sectors, [], id=SECTORS, multi=True),
            dcc.Graph(id=MAP),
            dcc.Graph(id=BAR),
            html.Ul(id=PANEL),
        ]
    )

    @app.callback(
        Output(MAP, "figure"),
        Output(BAR, "figure"),
        Output(PANEL, "children"),
        Input(PLANS, "value"),
        Input(SECTORS, "value"),
        Input(MAP, "clickData"),
    )
    def redraw(plans: list[str] | None, sectors: list[str] | None, click: Any) -> Any:
        place = click["points"][0].get("location") if click else None
        return naive_figures(data, plans or [], sectors or [], place)

    return app


def wsgi(data_dir: str) -> Any:
    """WSGI entry for gunicorn (benchmarks/http_bench.py starts it like the dashboard)."""
    return naive_app(Path(data_dir)).server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8060)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from dashboard.production import serve

    return serve(
        naive_app(args.data).server, host="127.0.0.1", port=args.port, workers=args.workers
    )


if __name__ == "__main__":
    sys.exit(main())
