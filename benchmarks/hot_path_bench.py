"""Server work per interaction on the map view, before and after issue 13's hot path.

Times the pure functions a request runs (everything but Dash's JSON encoding), on random view
states, at ×1 (the bundled corpus) and ×N (the corpus built N times with distinct plan ids, as
benchmarks/build_bench.py does), and prints p50/p95 side by side:

  before  what main ran per interaction: a filter change ran sync_state, update_view and
          update_panel (3 requests); a map click select_place and then those three again. The
          numbers came from pandas string `isin` on task ids, the tasks filtered twice (map and
          agency chart). Re-implemented below from git history (dashboard/filters.py,
          counting.py, city_summary.py, agency_ranking.py before issue 13).
  after   the one request that remains (callbacks.on_view): masks and bincounts over
          indexes.TaskIndex, filtered once. "after" computes every state afresh; "after, memo"
          is the same state again (map_view.py memoises view_numbers per app on Filters).
          "over HTTP" is that one request through the real app (boundary, callback, JSON) with
          Flask's test client (no socket), new states each time.

Run: .venv/bin/python benchmarks/hot_path_bench.py [--repeat 50] [--states 200]
Prints figures; asserts nothing beyond before and after agreeing on the numbers.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from dash import Patch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import corpus_copies
from pandas_filter import pandas_filter_tasks

from dashboard import callbacks as cb
from dashboard.agency_bar import agency_bar_spec
from dashboard.app import create_app
from dashboard.city_summary import CitySummary
from dashboard.data import AtlasData, load_atlas, place_table
from dashboard.describe import describe_filters
from dashboard.fieldkinds import vocabulary
from dashboard.figures import apply_updates, map_updates
from dashboard.filters import effective_links
from dashboard.ids import Id
from dashboard.indexes import (
    agency_rows,
    mapped_links,
    outside_links,
    task_flags,
    task_index,
)
from dashboard.options import ALL_LINKS, MODE_LABELS, AgencyRole, CountMode
from dashboard.panel import place_task_rows, render_panel
from dashboard.urlstate import sync_url
from dashboard.viewstate import FIELDS, Filters, controls_from_state
from pipeline.build import build_all, write_data_folder

# --- before: main's pandas path, kept here as the baseline --------------------------------


old_filter_tasks = pandas_filter_tasks  # main's filter, shared with the hot-path test


def old_count_by_place(
    data: AtlasData, task_ids: Iterable[str], mode: CountMode, links: Iterable[str] = ()
) -> pd.DataFrame:
    rows = mapped_links(data)
    wanted = [ALL_LINKS.index(link) for link in effective_links(links, mode)]
    keep = rows["task_id"].isin(pd.Index(task_ids)) & rows["link_code"].isin(wanted)
    place = rows["place_code"].to_numpy()[keep.to_numpy()]
    link = rows["link_code"].to_numpy()[keep.to_numpy()]
    task = rows["task_code"].to_numpy()[keep.to_numpy()]
    places = place_table(data)
    n_places, n_links, n_tasks = len(places), len(ALL_LINKS), max(len(data.tasks), 1)
    per_link = np.bincount(place * n_links + link, minlength=n_places * n_links)
    pairs = np.unique(place * n_tasks + task)
    out = pd.DataFrame(
        {
            "place_id": places["id"].to_numpy(),
            "place": places["name"].to_numpy(),
            "place_kind": places["kind"].to_numpy(),
        }
    )
    for i, name in enumerate(ALL_LINKS):
        out[str(name)] = per_link.reshape(n_places, n_links)[:, i]
    out["total"] = np.bincount(pairs // n_tasks, minlength=n_places)
    return out


def old_summary(data: AtlasData, task_ids: Iterable[str]) -> CitySummary:
    ids = pd.Index(task_ids).unique()
    flags = task_flags(data)
    flags = flags[flags.index.isin(ids)]
    specific = flags["specific"]
    group_only = flags["group"] & ~specific
    related = flags["related"] & ~specific & ~flags["group"]
    outside = outside_links(data)
    per_place = outside.loc[outside["task_id"].isin(ids), "place"].value_counts()
    return CitySummary(
        n_tasks=len(ids),
        n_specific=int(specific.sum()),
        n_group_only=int(group_only.sum()),
        n_no_place=len(ids) - int(specific.sum()) - int(group_only.sum()),
        n_related=int(related.sum()),
        outside=tuple((str(p), int(n)) for p, n in per_place.items()),
    )


def old_top_agencies(data: AtlasData, task_ids: Iterable[str], role: AgencyRole) -> pd.DataFrame:
    rows = agency_rows(data, AgencyRole(role))
    counts = rows.loc[rows["task_id"].isin(pd.Index(task_ids)), "unit"].value_counts()
    frame = counts.rename("n_tasks").rename_axis("unit").reset_index()
    return frame.sort_values(["n_tasks", "unit"], ascending=[False, True]).head(10)


def old_view(data: AtlasData, f: Filters) -> dict[str, Any]:
    """main's update_view: filter, count, summarise, filter again for the agency chart."""
    task_ids = old_filter_tasks(data, f)["task_id"]
    counts = old_count_by_place(data, task_ids, f.mode, f.links)
    updates = map_updates(
        counts, data.places_geojson, mode=f.mode, show_zones=f.show_zones, selected=f.place
    )
    summary = old_summary(data, task_ids)
    bar_ids = old_filter_tasks(data, replace(f, agency=None))["task_id"]
    bar = agency_bar_spec(
        old_top_agencies(data, bar_ids, f.agency_role), selected=f.agency, role=f.agency_role
    )
    caption = f"{describe_filters(replace(f, place=None), data)} · 计数口径:{MODE_LABELS[f.mode]}"
    return {
        "map": apply_updates(Patch(), updates),
        "bar": bar,
        "summary": cb._summary(summary, f.mode),
        "counts": counts,
        "n": len(task_ids),
        "caption": caption,
    }


def old_panel(data: AtlasData, f: Filters) -> Any:
    """main's update_panel."""
    if not f.place:
        return None
    ids = old_filter_tasks(data, f)["task_id"]
    return render_panel(place_task_rows(data, ids, f.place, f.mode, f.links))


def before(data: AtlasData, f: Filters, click: bool) -> dict[str, Any]:
    """All server work of one interaction on main (3 requests; 4 for a click)."""
    if click:
        cb.on_map_click(data, {"points": [{"customdata": [f.place]}]}, None)  # select_place
    sync_url("", f, vocabulary(data), from_url=False, clear=False)  # sync_state
    out = old_view(data, f)  # update_view
    old_panel(data, f)  # update_panel
    return out


def after(
    data: AtlasData, f: Filters, click: bool, numbers: Callable[[Filters], cb.ViewNumbers] | None
) -> dict[str, Any]:
    """All server work of one interaction now (one request)."""
    return cb.on_view(data, f, click, numbers)


# --- harness --------------------------------------------------------------------------------


def random_state(data: AtlasData, rng: random.Random, place: str | None) -> Filters:
    """A plausible view state: some plans and sectors, maybe an agency or keyword, either mode."""
    return Filters(
        plans=tuple(rng.sample(sorted(set(data.plans["plan_id"])), rng.randint(0, 2))),
        sectors=tuple(rng.sample(sorted(set(data.tasks["sector"])), rng.randint(0, 2))),
        agency=rng.choice([None, None, *data.task_units["unit"].value_counts().index[:20]]),
        agency_role=rng.choice(list(AgencyRole)),
        keyword=rng.choice(["", "", "", "建设", "推进", "光谷"]),
        mode=rng.choice(list(CountMode)),
        place=place,
    )


def times(fn: Callable[[Filters], object], states: list[Filters]) -> list[float]:
    out = []
    for f in states:
        t0 = time.perf_counter()
        fn(f)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def http_times(data: AtlasData, states: list[Filters], click: bool) -> tuple[list[float], int]:
    """The one request per interaction through the real app (request boundary, callback, Dash's
    JSON) with Flask's test client: (milliseconds per request, median response bytes)."""
    client = create_app(data).server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith("..district-map.figure"))
    outputs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in dep["output"].strip(".").split("...")
    ]
    trigger = f"{Id.SELECTED_PLACE}.data" if click else f"{Id.PLANS}.value"
    by_control = {(str(spec.control), spec.prop): name for name, spec in FIELDS.items()}
    out, sizes = [], []
    for f in states:
        values = controls_from_state(f)
        inputs = [
            {**i, "value": values.get(by_control.get((i["id"], i["property"]), ""), None)}
            for i in dep["inputs"]
        ]
        body = {
            "output": dep["output"],
            "outputs": outputs,
            "inputs": inputs,
            "changedPropIds": [trigger],
        }
        t0 = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        out.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.data[:200]
        sizes.append(len(response.data))
    return out, int(statistics.median(sizes))


def pct(values: list[float], q: int) -> float:
    return float(np.percentile(values, q))


def load_corpus(repeat: int, tmp: Path) -> AtlasData:
    """The bundled corpus built `repeat` times (plan ids suffixed), as the dashboard loads it."""
    sources = None if repeat == 1 else corpus_copies(repeat, tmp / "sources")
    return load_atlas(write_data_folder(build_all(sources), tmp / f"data{repeat}"))


def bench(data: AtlasData, label: str, n_states: int) -> None:
    rng = random.Random(13)
    districts = place_table(data)
    districts = districts.loc[districts["kind"] == "district", "name"].tolist()
    t0 = time.perf_counter()
    task_index(data)  # built once per app, at start-up
    built = (time.perf_counter() - t0) * 1000
    print(f"\n{label}: {len(data.tasks)} tasks; TaskIndex built once in {built:.0f} ms")
    print(f"  {'interaction':<14}{'before p50/p95':>18}{'after p50/p95':>18}{'after, memo':>16}")
    for kind, click in (("filter change", False), ("map click", True)):
        states = [
            random_state(data, rng, rng.choice(districts) if click else None)
            for _ in range(n_states)
        ]
        for f in states[:3]:  # warm imports and the indexes both paths share
            before(data, f, click), after(data, f, click, None)
        for f in states:  # same numbers before and after
            old, new = old_view(data, f), cb.view_numbers(data, f)
            pd.testing.assert_frame_equal(old["counts"], new.counts)
            assert old["n"] == new.n_tasks
        memo = functools.lru_cache(maxsize=256)(functools.partial(cb.view_numbers, data))
        old_t = times(lambda f, c=click: before(data, f, c), states)
        new_t = times(lambda f, c=click: after(data, f, c, None), states)
        for f in states:
            memo(f)
        memo_t = times(lambda f, c=click, m=memo: after(data, f, c, m), states)
        print(
            f"  {kind:<14}{pct(old_t, 50):>9.1f} /{pct(old_t, 95):>6.1f}"
            f"{pct(new_t, 50):>11.1f} /{pct(new_t, 95):>6.1f}"
            f"{pct(memo_t, 50):>9.1f} /{pct(memo_t, 95):>5.1f} ms"
            f"   ({statistics.median(old_t) / statistics.median(new_t):.1f}× at p50)"
        )
        http_t, size = http_times(data, states, click)
        print(
            f"  {'':<14}{'requests: 4' if click else 'requests: 3':>18}{'requests: 1':>18}"
            f"   over HTTP (test client): p50 {pct(http_t, 50):.1f} / p95 {pct(http_t, 95):.1f} ms,"
            f" {size / 1024:.1f} KB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50, help="copies of the corpus (×N)")
    parser.add_argument("--states", type=int, default=200, help="random view states timed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(load_corpus(1, Path(tmp)), "×1", args.states)
        bench(load_corpus(args.repeat, Path(tmp)), f"×{args.repeat}", args.states)


if __name__ == "__main__":
    main()
