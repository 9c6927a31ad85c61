"""Task Atlas against a really naive Dash app, over HTTP, with what Chromium really sends.

For each corpus size (×1, ×10, ×50 copies of the bundled documents, built once):

1. both apps run under gunicorn on 127.0.0.1 (same worker count, preloaded);
2. a headless Chromium opens each app (first-load bytes), then a second Chromium on the same
   profile opens it again (repeat-visit bytes), picks the first plan in the plan filter (a
   filter change) and clicks the largest district on the map (a place click); every callback
   POST of each interaction is recorded with its body, and grouped in rounds (a round waits for
   the previous one's answers, as Dash's renderer does; recorded with 400 ms of emulated
   latency, so the rounds show what waits for what, not this machine's speed);
3. the recorded requests are replayed with a plain HTTP client `--replays` times, alternating
   the two apps so both see the same machine load; a round's requests go out concurrently.

Printed: p50/p95 per interaction, requests and rounds per interaction, bytes per interaction
(Chromium's wire count, and the replay's compressed response bodies), first-load and
repeat-visit bytes, gunicorn memory per worker (RSS and PSS: RSS counts pages shared with the
master in full), and Chromium's memory (all its processes).

Nothing here names a callback or its position: whatever the pages send is what is measured.
The only things assumed are the component ids of the plan filter and the map (dashboard/ids.py;
the naive app uses the same ids).

Run: .venv/bin/python benchmarks/http_bench.py [--sizes 1,10,50] [--replays 100] [--workers 2]
     [--atlas-src DIR]  (another checkout of Task Atlas to measure, e.g. main, for "before")
     [--views-before DIR]  (then the 进度 and 对比 views, benchmarks/http_views.py)
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import wire
from build_bench import corpus_copies
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PLAN_FILTER, MAP = "filter-plans", "district-map"  # dashboard/ids.py: Id.PLANS, Id.MAP
ACCEPT = {"Accept-Encoding": "gzip, deflate, br", "Content-Type": "application/json"}
KB, MB = 1024, 1024 * 1024


@dataclass
class Interaction:
    """One user action as the browser sent it: rounds of (url, body), and its wire bytes."""

    name: str
    rounds: list[list[tuple[str, str]]]
    wire_bytes: int

    @property
    def requests(self) -> int:
        return sum(len(r) for r in self.rounds)


@dataclass
class AppFigures:
    label: str
    first_load: int = 0
    repeat_visit: int = 0
    hosts: set[str] = field(default_factory=set)
    interactions: list[Interaction] = field(default_factory=list)
    times: dict[str, list[float]] = field(default_factory=dict)
    replay_bytes: dict[str, list[int]] = field(default_factory=dict)
    worker_rss: list[int] = field(default_factory=list)
    worker_pss: list[int] = field(default_factory=list)
    chromium_rss: int = 0
    chromium_pss: int = 0


# --- data -------------------------------------------------------------------------------------


def corpus_data(n: int, work: Path, python: str, src: Path) -> Path:
    """The data folder of the corpus ×n, built once with `task-atlas build` and kept in `work`."""
    out = work / f"data-x{n}"
    if (out / "build_report.json").is_file():
        return out
    folders = corpus_copies(n, Path(tempfile.mkdtemp(prefix="atlas-copies-", dir=work)))
    argv = [python, "-m", "cli.main", "build", "--out", str(out)]
    for folder in folders:
        argv += ["--sources", str(folder)]
    subprocess.run(argv, cwd=src, env=_env(src), check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(folders[0].parent)
    return out


# --- servers ----------------------------------------------------------------------------------


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(entry: str, cwd: Path, workers: int, python: str) -> Iterator[tuple[str, int]]:
    """`gunicorn --preload -w workers entry` on a free port: yields (url, master pid)."""
    port = _free_port()
    argv = [python, "-m", "gunicorn", "--preload", "-w", str(workers), "--timeout", "300"]
    argv += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", entry]
    proc = subprocess.Popen(argv, cwd=cwd, env=_env(cwd))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                requests.get(f"{url}/_dash-dependencies", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)  # the server is still loading the data: nothing to wait on
        if proc.poll() is not None:
            raise RuntimeError(f"{entry} did not start")
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def atlas_entry(src: Path, data: Path) -> str:
    if (src / "dashboard" / "production.py").is_file():
        return f'dashboard.production:wsgi_app("{data}")'
    return f'dashboard.serve:create_server("{data}")'  # before issue 13


def pss(pid: int) -> int:
    """Proportional set size (shared pages divided among their sharers), bytes."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# --- the browser ------------------------------------------------------------------------------


def pick_first_plan(driver: WebDriver) -> None:
    driver.find_element(By.ID, PLAN_FILTER).click()
    option = driver.find_element(By.CSS_SELECTOR, ".dash-dropdown-content label input")
    option.find_element(By.XPATH, "./ancestor::label").click()
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()


def click_largest_district(driver: WebDriver) -> None:
    """Click the middle of the district with the largest drawn area (a point inside it)."""
    path = driver.execute_script(
        f"const ps = Array.from(document.querySelectorAll('#{MAP} path.choroplethlocation'));"
        "const area = p => { const b = p.getBoundingClientRect(); return b.width * b.height; };"
        "return ps.reduce((a, b) => area(a) >= area(b) ? a : b);"
    )
    ActionChains(driver).move_to_element(path).pause(0.2).click().perform()


#: Emulated network latency (ms per request) while an interaction is recorded: a request that
#: needs another's answer then starts at least this long after it, and one that does not
#: leaves within the browser's own delays (AG Grid asks for its page from a timer, behind
#: whatever the page is drawing: 30–70 ms here, more on a loaded machine), so the rounds say
#: what depends on what, not how fast this machine is. The replay sends without it.
RECORD_LATENCY_MS = 400


def _latency(driver: WebDriver, ms: int) -> None:
    conditions = {"offline": False, "latency": ms, "downloadThroughput": -1, "uploadThroughput": -1}
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)


def record(
    driver: WebDriver, name: str, action: Any, none_after: float | None = None
) -> Interaction:
    """Do `action`, wait for the page to settle, keep the callback POSTs it caused; with
    `none_after`, an interaction that sent none within that many seconds is recorded as none
    (a checkout that does it in the browser, e.g. a grid paged client-side)."""
    wire.drain(driver, wire.Capture())
    capture = wire.Capture()
    _latency(driver, RECORD_LATENCY_MS)
    try:
        start = time.monotonic()
        action(driver)

        def sent(_d: WebDriver) -> bool:
            waited = time.monotonic() - start
            return bool(capture.posts()) or (none_after is not None and waited >= none_after)

        wire.settle(driver, capture, sent, timeout=120)
    finally:
        _latency(driver, 0)
    rounds = [[(x.url, wire.post_body(driver, x)) for x in r] for r in wire.rounds(capture)]
    return Interaction(name, rounds, capture.wire_bytes)


def browse(url: str, figures: AppFigures) -> None:
    """First load, repeat visit, and the two recorded interactions, in real Chromium."""
    profile = Path(tempfile.mkdtemp(prefix="atlas-chromium-"))
    try:
        driver = wire.chromium(profile)
        try:
            first = wire.load(driver, f"{url}/", timeout=300)
        finally:
            driver.quit()
        driver = wire.chromium(profile)
        try:
            repeat = wire.load(driver, f"{url}/", timeout=300)
            figures.first_load, figures.repeat_visit = first.wire_bytes, repeat.wire_bytes
            figures.hosts = {x.url.split("/")[2] for x in [*first.exchanges.values()]}
            figures.interactions = [
                record(driver, "filter change", pick_first_plan),
                record(driver, "place click", click_largest_district),
            ]
            procs = wire.descendants(driver.service.process.pid)[1:]  # chromium, not the driver
            figures.chromium_rss = wire.process_rss(procs)
            figures.chromium_pss = sum(pss(p) for p in procs)
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# --- replay -----------------------------------------------------------------------------------


def _send(session: requests.Session, url: str, body: str) -> int:
    response = session.post(url, data=body.encode(), headers=ACCEPT, stream=True, timeout=300)
    raw = response.raw.read(decode_content=False)
    if response.status_code not in (200, 204):
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return len(raw)


def replay(interaction: Interaction, sessions: list[requests.Session]) -> tuple[float, int]:
    """One replay: rounds in order, each round's requests concurrently. (ms, response bytes)."""
    received = 0
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        for round_ in interaction.rounds:
            sizes = pool.map(lambda pair: _send(sessions[pair[0]], *pair[1]), enumerate(round_))
            received += sum(sizes)
    return (time.perf_counter() - start) * 1000, received


def replay_both(apps: list[AppFigures], replays: int) -> None:
    """Alternate the apps request by request so a busy machine slows both alike."""
    sessions = {a.label: [requests.Session() for _ in range(8)] for a in apps}
    for a in apps:  # warm-up: connections, first-call caches
        for inter in a.interactions:
            replay(inter, sessions[a.label])
    for _ in range(replays):
        for a in apps:
            for inter in a.interactions:
                ms, size = replay(inter, sessions[a.label])
                a.times.setdefault(inter.name, []).append(ms)
                a.replay_bytes.setdefault(inter.name, []).append(size)


def worker_memory(master: int, figures: AppFigures) -> None:
    workers = wire.descendants(master)[1:]
    figures.worker_rss = [wire.process_rss([w]) for w in workers]
    figures.worker_pss = [pss(w) for w in workers]


# --- report -----------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def report(n: int, tasks: int, atlas: AppFigures, naive: AppFigures, workers: int) -> None:
    def row(label: str, a: str, b: str, ratio: str = "") -> None:
        print(f"  {label:<40} {a:>18} {b:>18} {ratio:>14}")

    print(f"\ncorpus ×{n}: {tasks} tasks; gunicorn --preload -w {workers} for each app")
    row("", atlas.label, naive.label, "naive/atlas")
    row(
        "first load (Chromium wire bytes)",
        f"{atlas.first_load / MB:.2f} MB",
        f"{naive.first_load / MB:.2f} MB",
        f"{naive.first_load / atlas.first_load:.1f}×",
    )
    row(
        "repeat visit (same profile)",
        f"{atlas.repeat_visit / KB:.0f} KB",
        f"{naive.repeat_visit / KB:.0f} KB",
        f"{naive.repeat_visit / max(atlas.repeat_visit, 1):.1f}×",
    )
    for i, name in enumerate(i.name for i in atlas.interactions):
        a_i, n_i = atlas.interactions[i], naive.interactions[i]
        row(
            f"{name}: requests / rounds",
            f"{a_i.requests} / {len(a_i.rounds)}",
            f"{n_i.requests} / {len(n_i.rounds)}",
        )
        ta, tn = atlas.times[name], naive.times[name]
        row(
            f"{name}: p50 / p95 over HTTP",
            f"{statistics.median(ta):.1f} / {p95(ta):.1f} ms",
            f"{statistics.median(tn):.1f} / {p95(tn):.1f} ms",
            f"{statistics.median(tn) / statistics.median(ta):.1f}× / {p95(tn) / p95(ta):.1f}×",
        )
        row(
            f"{name}: bytes (Chromium wire)",
            f"{a_i.wire_bytes / KB:.1f} KB",
            f"{n_i.wire_bytes / KB:.1f} KB",
            f"{n_i.wire_bytes / max(a_i.wire_bytes, 1):.1f}×",
        )
        ba, bn = atlas.replay_bytes[name], naive.replay_bytes[name]
        row(
            f"{name}: response bodies (replay)",
            f"{statistics.median(ba) / KB:.1f} KB",
            f"{statistics.median(bn) / KB:.1f} KB",
        )
    row(
        "memory per worker RSS / PSS",
        f"{_mean_mb(atlas.worker_rss)} / {_mean_mb(atlas.worker_pss)} MB",
        f"{_mean_mb(naive.worker_rss)} / {_mean_mb(naive.worker_pss)} MB",
    )
    row(
        "Chromium, all processes RSS / PSS",
        f"{atlas.chromium_rss / MB:.0f} / {atlas.chromium_pss / MB:.0f} MB",
        f"{naive.chromium_rss / MB:.0f} / {naive.chromium_pss / MB:.0f} MB",
    )
    hosts = sorted(atlas.hosts | naive.hosts)
    print(f"  hosts requested on first load: {', '.join(hosts)}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  machine load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs")


def _mean_mb(values: list[int]) -> str:
    return f"{statistics.fmean(values) / MB:.0f}" if values else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--replays", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--atlas-src", type=Path, default=REPO, help="Task Atlas checkout")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "task-atlas-http-bench"
    )
    parser.add_argument("--views-before", type=Path, help="also measure the 进度 and 对比 views "
                        "(benchmarks/http_views.py), this tree beside this checkout")  # fmt: skip
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    src = args.atlas_src.resolve()
    print(f"Task Atlas from {src}; naive app: benchmarks/naive_app.py; {args.replays} replays")
    for n in (int(s) for s in args.sizes.split(",")):
        data = corpus_data(n, args.work, python, REPO)
        tasks = sum(1 for _ in (data / "tasks.csv").open(encoding="utf-8")) - 1
        atlas, naive = AppFigures("Task Atlas"), AppFigures("naive")
        with (
            gunicorn(atlas_entry(src, data), src, args.workers, python) as (a_url, a_pid),
            gunicorn(f'naive_app:wsgi("{data}")', BENCH, args.workers, python) as (n_url, n_pid),
        ):
            browse(a_url, atlas)
            browse(n_url, naive)
            replay_both([atlas, naive], args.replays)
            worker_memory(a_pid, atlas)
            worker_memory(n_pid, naive)
        report(n, tasks, atlas, naive, args.workers)
    if args.views_before:
        import http_views

        sizes = [int(s) for s in args.sizes.split(",")]
        http_views.run(sizes, args.replays, args.workers, args.work, args.views_before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
