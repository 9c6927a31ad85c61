"""What a real Chromium sends and receives: bytes on the wire per response, and request bodies.

Reads Chrome's performance log (CDP Network events through chromedriver): `encodedDataLength`
of `Network.loadingFinished` is what crossed the wire for a response (headers included,
compressed body, 0 when served from the browser's cache). Used by benchmarks/http_bench.py and
the browser test of issue 13 (tests/browser/test_wire_bytes.py).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,768",
    "--lang=zh-CN",
)
# The map has drawn its districts with their counts and the caption is filled in.
READY_JS = (
    "const gd = document.querySelector('#district-map .js-plotly-plot');"
    "return !!(gd && gd.data && gd.data.some(t => t.type === 'choropleth' && t.z));"
)
IDLE_SECONDS = 0.5  # no request in flight for this long: the page has settled


@dataclass
class Exchange:
    """One request and its response as Chromium saw them."""

    request_id: str
    url: str
    method: str
    started: float
    post_data: str | None = None
    status: int | None = None
    encoding: str = ""
    from_cache: bool = False
    wire_bytes: int = 0
    finished: float | None = None


@dataclass
class Capture:
    """Every exchange since the log was last drained, in order."""

    exchanges: dict[str, Exchange] = field(default_factory=dict)
    last_event: float = 0.0  # time.monotonic() of the last Network event drained

    @property
    def wire_bytes(self) -> int:
        return sum(x.wire_bytes for x in self.exchanges.values())

    def in_flight(self) -> int:
        return sum(1 for x in self.exchanges.values() if x.finished is None)

    def posts(self, path: str = "/_dash-update-component") -> list[Exchange]:
        return [x for x in self.exchanges.values() if x.method == "POST" and path in x.url]


def chromium(user_data_dir: Path | None = None) -> WebDriver:
    """Headless Chromium with the performance log on (Network events)."""
    if not shutil.which("chromedriver"):
        raise RuntimeError("chromedriver not installed (apt-get install chromium-driver)")
    options = Options()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    if user_data_dir is not None:  # a profile on disk: a second browser sees the first's cache
        options.add_argument(f"--user-data-dir={user_data_dir}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(options=options)


def drain(driver: WebDriver, capture: Capture) -> Capture:
    """Fold the performance log's new Network events into `capture`."""
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message["method"], message.get("params", {})
        rid = params.get("requestId", "")
        stamp = float(params.get("timestamp", 0.0))  # CDP's monotonic clock, seconds
        if method.startswith("Network."):
            capture.last_event = time.monotonic()
        if method == "Network.requestWillBeSent":
            req = params["request"]
            if not req["url"].startswith(("http:", "https:")):
                continue  # chrome:// pages of the browser itself, data: URLs
            capture.exchanges[rid] = Exchange(
                rid, req["url"], req["method"], stamp, req.get("postData")
            )
        elif rid not in capture.exchanges:
            continue
        elif method == "Network.responseReceived":
            resp = params["response"]
            headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
            capture.exchanges[rid].status = int(resp["status"])
            capture.exchanges[rid].encoding = headers.get("content-encoding", "")
            capture.exchanges[rid].from_cache |= bool(resp.get("fromDiskCache"))
        elif method == "Network.requestServedFromCache":
            capture.exchanges[rid].from_cache = True
        elif method == "Network.loadingFinished":
            capture.exchanges[rid].wire_bytes = int(params.get("encodedDataLength", 0))
            capture.exchanges[rid].finished = stamp
        elif method == "Network.loadingFailed":
            capture.exchanges[rid].finished = stamp
    return capture


def settle(
    driver: WebDriver,
    capture: Capture,
    ready: Callable[[WebDriver], bool],
    timeout: float = 60,
) -> Capture:
    """Wait until `ready` holds and no request has been in flight for IDLE_SECONDS."""

    def _settled(d: WebDriver) -> bool:
        drain(d, capture)
        quiet = time.monotonic() - capture.last_event >= IDLE_SECONDS
        return bool(ready(d)) and capture.in_flight() == 0 and quiet

    WebDriverWait(driver, timeout, poll_frequency=0.1).until(_settled)
    return capture


def page_ready(driver: WebDriver) -> bool:
    return bool(driver.execute_script(READY_JS))


def load(driver: WebDriver, url: str, timeout: float = 60) -> Capture:
    """Open `url` and capture everything until the map is drawn and the network is idle."""
    drain(driver, Capture())  # discard what came before
    driver.get(url)
    return settle(driver, Capture(), page_ready, timeout)


def post_body(driver: WebDriver, exchange: Exchange) -> str:
    """The request body as sent (Chrome leaves large bodies out of the log: ask for them)."""
    if exchange.post_data is not None:
        return exchange.post_data
    cdp = {"requestId": exchange.request_id}
    return str(driver.execute_cdp_cmd("Network.getRequestPostData", cdp)["postData"])


def rounds(capture: Capture) -> list[list[Exchange]]:
    """Callback POSTs grouped into rounds: a round starts when nothing earlier is still pending."""
    grouped: list[list[Exchange]] = []
    for x in sorted(capture.posts(), key=lambda e: e.started):
        pending = grouped and any((p.finished or 0) > x.started for p in grouped[-1])
        if pending:
            grouped[-1].append(x)
        else:
            grouped.append([x])
    return grouped


def process_rss(pids: list[int]) -> int:
    """Resident memory of these processes, bytes (/proc/PID/status VmRSS)."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc/*/stat parent ids)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out
