"""Dashboard latency while image exports run: the real server, before and after the export queue.

Starts the dashboard under gunicorn with the README's sync workers (or werkzeug's threaded
server when gunicorn is not installed: `pip install -e ".[production]"`), fires N concurrent A3 PNG
exports at it and, while they run, times ordinary dashboard updates (the map/bars/caption
callback). The same run measures the baseline — the tree of `--baseline-rev` (default: main
before the export queue), extracted with `git archive` — and the current tree, and prints both.

Run: .venv/bin/python benchmarks/export_contention.py [--exports 20] [--workers 4]
     [--size a3] [--data DIR] [--baseline-rev eeb2016]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BASELINE_REV = "eeb2016"  # main before the export queue (issue 7)
UPDATE = "/_dash-update-component"
VALUES: dict[str, Any] = {
    "filter-sectors.value": [],
    "filter-agency.value": None,
    "filter-agency-role.value": "any",
    "filter-links.value": [],
    "filter-keyword.value": "",
    "filter-mode.value": "specific",
    "filter-zones.value": ["show"],
    "selected-place.data": None,
    "export-format.value": "png",
    "export-button.n_clicks": 1,
}
UPDATE_EVERY_S = 0.25
PLAN_CHOICES: list[list[str]] = [[], ["wr2024"], ["wr2023"], ["fyp14"], ["wr2024", "fyp14"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict[str, Any], timeout: float) -> tuple[float, int, bytes]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    except (TimeoutError, urllib.error.URLError):
        status, payload = 0, b""
    return (time.perf_counter() - start) * 1000, status, payload


def _body(dep: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    def entries(specs: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in specs]

    output = dep["output"]
    outputs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in output.strip(".").split("...")
    ]
    first = dep["inputs"][0]
    return {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": entries(dep["inputs"]),
        "state": entries(dep["state"]),
        "changedPropIds": [f"{first['id']}.{first['property']}"],
    }


@contextlib.contextmanager
def serve(tree: Path, data: Path, workers: int) -> Iterator[str]:
    """The dashboard of `tree` on a free local port: gunicorn sync workers, else werkzeug."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    app = f'dashboard.serve:create_server("{data}")'
    if _has("gunicorn"):
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--timeout", "300"]
        cmd += ["-b", f"127.0.0.1:{port}", app]
    else:
        code = (
            "from werkzeug.serving import run_simple; from dashboard.serve import create_server;"
            f"run_simple('127.0.0.1', {port}, create_server({str(data)!r}), threaded=True)"
        )
        cmd = [sys.executable, "-c", code]
    proc = subprocess.Popen(
        cmd,
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _ready(url):
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}: {' '.join(cmd)}")
            time.sleep(0.5)  # polling a starting server; not a test
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_dash-layout", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@dataclass
class Figures:
    """Latencies of dashboard updates (ms) and the fate of the exports."""

    idle: list[float] = field(default_factory=list)
    loaded: list[float] = field(default_factory=list)
    exports_done: int = 0
    exports_busy: int = 0
    exports_other: int = 0
    export_wall_s: float = 0.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def measure(url: str, n_exports: int, size: str, idle_calls: int, workers: int) -> Figures:
    deps = json.loads(urllib.request.urlopen(url + "/_dash-dependencies", timeout=30).read())
    view = next(d for d in deps if d["output"].startswith("..district-map.figure"))
    export = next(d for d in deps if "export-download.data" in d["output"])
    figures = Figures()

    def update(i: int) -> float:
        values = {**VALUES, "filter-plans.value": PLAN_CHOICES[i % len(PLAN_CHOICES)]}
        ms, status, _ = _post(url + UPDATE, _body(view, values), timeout=120)
        if status != 200:
            raise RuntimeError(f"dashboard update answered {status}")
        return ms

    for i in range(3 * workers):  # each worker builds its memoised indexes on first use
        update(i)
    for i in range(idle_calls):
        figures.idle.append(update(i))
    export_body = _body(export, {**VALUES, "export-size.value": size})
    results: list[tuple[int, bytes]] = []

    def one_export() -> None:
        _, status, payload = _post(url + UPDATE, export_body, timeout=600)
        results.append((status, payload))

    def timed_update(i: int) -> None:
        figures.loaded.append(update(i))

    threads = [threading.Thread(target=one_export) for _ in range(n_exports)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    # Open loop: a dashboard update every UPDATE_EVERY_S, whether or not the last one returned,
    # as users keep clicking; a stall is then sampled as often as it lasts.
    updates: list[threading.Thread] = []
    i = 0
    while any(t.is_alive() for t in threads):
        updates.append(threading.Thread(target=timed_update, args=(i,)))
        updates[-1].start()
        i += 1
        time.sleep(UPDATE_EVERY_S)
    for thread in updates:
        thread.join()
    figures.export_wall_s = time.perf_counter() - start
    for status, payload in results:
        outputs = json.loads(payload).get("response", {}) if status == 200 else {}
        notice = outputs.get("export-notice", {}).get("children")
        if "base64" in str(outputs.get("export-download", {}).get("data", "")):
            figures.exports_done += 1
        elif notice and "导出繁忙" in notice:
            figures.exports_busy += 1
        else:
            figures.exports_other += 1
    return figures


def baseline_tree(rev: str, into: Path) -> Path:
    """The repository at `rev`, extracted with `git archive` (no checkout is touched)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def report(label: str, f: Figures) -> None:
    print(
        f"  {label:<28} idle p95 {p95(f.idle):7.0f} ms   with exports: p95 {p95(f.loaded):7.0f}"
        f" ms, max {max(f.loaded, default=float('nan')):7.0f} ms ({len(f.loaded)} updates)   "
        f"exports: {f.exports_done} rendered, {f.exports_busy} busy, {f.exports_other} other,"
        f" {f.export_wall_s:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exports", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--size", default="a3")
    parser.add_argument("--idle-calls", type=int, default=40)
    parser.add_argument("--data", type=Path, default=None, help="default: build the corpus")
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="atlas-contention-"))
    if args.data is None:
        sys.path.insert(0, str(REPO))
        from pipeline.build import build_all, write_data_folder

        args.data = work / "data"
        write_data_folder(build_all(), args.data)
    server = "gunicorn sync workers" if _has("gunicorn") else "werkzeug threaded"
    print(
        f"{args.exports} concurrent {args.size} PNG exports; {server} (-w {args.workers}); "
        f"data {args.data}"
    )
    runs = [
        (f"before ({args.baseline_rev})", baseline_tree(args.baseline_rev, work / "baseline")),
        ("after (this tree)", REPO),
    ]
    for label, tree in runs:
        with serve(tree, args.data.resolve(), args.workers) as url:
            report(label, measure(url, args.exports, args.size, args.idle_calls, args.workers))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
