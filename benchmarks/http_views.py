"""The 进度 and 对比 views over HTTP: what Chromium sends for each of their interactions,
replayed against this tree and a "before" checkout (e.g. main) in the same run.

For each corpus size, with a store of eight quarters of demonstration returns (2023Q1..2024Q4,
`task-atlas progress demo`, shared by both servers through $TASK_ATLAS_DB):

1. each checkout runs under gunicorn on 127.0.0.1 (same worker count, preloaded);
2. a headless Chromium opens `/#progress`, changes the quarter, ticks a status, switches the
   map's metric, sorts the task grid by 进度 and turns to its next page (the grid asks the
   server for each page; its request goes in the same round as the view's answer); then
   opens `/#compare` (the two latest yearly plans), picks another plan pair and
   clicks the largest district of the change map. Every callback POST of each interaction is
   recorded with its body and grouped in rounds (http_bench.record);
3. the recorded requests are replayed `--replays` times, alternating the two servers so both
   see the same machine load (http_bench.replay_both, after one warm-up replay each).

Printed per interaction: requests / rounds, p50 / p95 over HTTP, Chromium's wire bytes and the
replay's compressed response bodies, this tree beside the before checkout.

Called at the end of benchmarks/http_bench.py (its --views-before option), or alone:
Run: .venv/bin/python benchmarks/http_views.py [--sizes 1,10] [--replays 30] [--workers 2]
     [--before /work/main]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import http_bench as hb
import wire
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

QUARTERS = "2023Q1..2024Q4"
STATUS_BOX = "#progress-status input[value='滞后']"
METRIC_BUTTON = "#progress-metric input[value='behind']"
#: The task grid pages on the server: ready once a row of its page holds a task (the infinite
#: row model draws empty "loading" rows first).
PROGRESS_READY = (
    "const gd = document.querySelector('#progress-map .js-plotly-plot');"
    "const cell = document.querySelector('#progress-tasks .ag-cell[col-id=\"任务编号\"]');"
    "return !!(gd && gd.data && gd.data.some(t => t.z) && cell && cell.textContent);"
)
GRID_SORT = "#progress-tasks .ag-header-cell[col-id='进度'] .ag-header-cell-label"
COMPARE_READY = (
    "const gd = document.querySelector('#compare-map .js-plotly-plot');"
    "return !!(gd && gd.data && gd.data.length && document.querySelector('#compare-panel li'));"
)


def demo_store(n: int, data: Path, work: Path, python: str) -> str:
    """A SQLite store of eight demo quarters for the corpus ×n, filled once and kept."""
    path = work / f"progress-x{n}.db"
    url = f"sqlite:///{path}"
    if not path.is_file():
        argv = [python, "-m", "cli.main", "progress", "demo", "--quarters", QUARTERS]
        argv += ["--data", str(data), "--db", url]
        subprocess.run(argv, cwd=hb.REPO, env=hb._env(hb.REPO), check=True)
    return url


def _pick(dropdown_id: str, value: str) -> Callable[[WebDriver], None]:
    """Open a Dash dropdown and choose the first option whose value starts with `value` (the
    corpus copies' plan ids carry a suffix: fyp15-0, fyp15-1 …)."""

    def act(driver: WebDriver) -> None:
        driver.find_element(By.ID, dropdown_id).click()
        option = WebDriverWait(driver, 30).until(
            lambda d: d.find_element(
                By.CSS_SELECTOR, f".dash-dropdown-content input[value^='{value}']"
            )
        )
        label = option.find_element(By.XPATH, "./ancestor::label")
        # typed into the search box, as a user would: the list then holds just this option
        search = driver.find_element(By.CSS_SELECTOR, ".dash-dropdown-content input[type=search]")
        search.send_keys(label.text)
        ActionChains(driver).pause(0.3).send_keys(Keys.ENTER).perform()
        if driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content"):
            ActionChains(driver).send_keys(Keys.ESCAPE).perform()

    return act


def _tick(selector: str) -> Callable[[WebDriver], None]:
    def act(driver: WebDriver) -> None:
        driver.find_element(By.CSS_SELECTOR, selector).click()

    return act


def _next_page(driver: WebDriver) -> None:
    """The task grid's 下一页 (its paging buttons: first, previous, next, last)."""
    driver.execute_script(
        "document.querySelectorAll('#progress-tasks .ag-paging-button')[2].click();"
    )


def _click_largest(map_id: str) -> Callable[[WebDriver], None]:
    def act(driver: WebDriver) -> None:
        path = driver.execute_script(
            f"const ps = Array.from(document.querySelectorAll("
            f"'#{map_id} path.choroplethlocation'));"
            "const area = p => { const b = p.getBoundingClientRect(); return b.width * b.height; };"
            "return ps.reduce((a, b) => area(a) >= area(b) ? a : b);"
        )
        ActionChains(driver).move_to_element(path).pause(0.2).click().perform()

    return act


def _open(driver: WebDriver, url: str, ready: str) -> None:
    wire.drain(driver, wire.Capture())
    driver.get(url)
    WebDriverWait(driver, 300).until(lambda d: d.execute_script(ready))
    wire.settle(driver, wire.Capture(), lambda d: True, timeout=120)


def browse_views(url: str, figures: hb.AppFigures) -> None:
    """Open each view in Chromium and record its interactions."""
    profile = Path(tempfile.mkdtemp(prefix="atlas-chromium-"))
    try:
        driver = wire.chromium(profile)
        try:
            _open(driver, f"{url}/#progress", PROGRESS_READY)
            figures.interactions = [
                hb.record(driver, "进度: quarter change", _pick("progress-quarter", "2023Q1")),
                hb.record(driver, "进度: status filter", _tick(STATUS_BOX)),
                hb.record(driver, "进度: metric change", _tick(METRIC_BUTTON)),
                # the grid's own page requests (server-paged since issue 13; a checkout whose
                # grid sorts and pages in the browser sends none: recorded as none)
                hb.record(driver, "进度: task grid sort", _tick(GRID_SORT), none_after=3),
                hb.record(driver, "进度: task grid next page", _next_page, none_after=3),
            ]
            _open(driver, f"{url}/#compare", COMPARE_READY)  # the default pair
            figures.interactions += [
                hb.record(driver, "对比: plan-pair change", _pick("compare-to", "fyp14")),
                hb.record(driver, "对比: place click", _click_largest("compare-map")),
            ]
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def report(n: int, tasks: int, apps: list[hb.AppFigures], workers: int) -> None:
    def row(label: str, *cells: str) -> None:
        print(f"  {label:<44}" + "".join(f" {c:>22}" for c in cells))

    print(f"\n进度 / 对比 views, corpus ×{n}: {tasks} tasks, {QUARTERS} demo returns; "
          f"gunicorn --preload -w {workers}")  # fmt: skip
    row("", *(a.label for a in apps))
    for name in (i.name for i in apps[0].interactions):
        inter = [next(i for i in a.interactions if i.name == name) for a in apps]
        row(f"{name}: requests / rounds", *(f"{i.requests} / {len(i.rounds)}" for i in inter))
        row(
            f"{name}: p50 / p95",
            *(f"{statistics.median(a.times[name]):.1f} / {hb.p95(a.times[name]):.1f} ms"
              for a in apps),
        )  # fmt: skip
        row(f"{name}: bytes (Chromium wire)", *(f"{i.wire_bytes / hb.KB:.1f} KB" for i in inter))
        row(
            f"{name}: response bodies (replay)",
            *(f"{statistics.median(a.replay_bytes[name]) / hb.KB:.1f} KB" for a in apps),
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  machine load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs")


def run(sizes: list[int], replays: int, workers: int, work: Path, before: Path | None) -> None:
    """Measure the two views at each size, this tree beside `before` (when given)."""
    python = sys.executable
    checkouts = [("this tree", hb.REPO)] + ([("before", before.resolve())] if before else [])
    for label, src in checkouts:
        commit = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()  # fmt: skip
        print(f"{label}: {src} at {commit or '?'}")
    for n in sizes:
        data = hb.corpus_data(n, work, python, hb.REPO)
        tasks = sum(1 for _ in (data / "tasks.csv").open(encoding="utf-8")) - 1
        os.environ["TASK_ATLAS_DB"] = demo_store(n, data, work, python)  # both servers read it
        apps = [hb.AppFigures(label) for label, _src in checkouts]
        servers = [hb.gunicorn(hb.atlas_entry(src, data), src, workers, python)
                   for _label, src in checkouts]  # fmt: skip
        urls = [server.__enter__() for server in servers]
        try:
            for app, (url, _pid) in zip(apps, urls, strict=True):
                browse_views(url, app)
            hb.replay_both(apps, replays)
        finally:
            for server in reversed(servers):
                server.__exit__(None, None, None)
        report(n, tasks, apps, workers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--replays", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--before", type=Path, help="another checkout to measure (e.g. main)")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "task-atlas-http-bench"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    run([int(s) for s in args.sizes.split(",")], args.replays, args.workers, args.work,
        args.before)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
