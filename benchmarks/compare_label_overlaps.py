"""Overlapping ± labels on the 对比 map in headless Chromium at 1024×768, 1366×768 and
1920×1080, for this tree and (with --baseline) another checkout of the project, in one run.

Run: .venv/bin/python benchmarks/compare_label_overlaps.py --data DIR [--baseline /path/to/old]
Each tree is served in a subprocess (its own dashboard code and assets) on a free local port.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1024, 768), (1366, 768), (1920, 1080))
CHROME_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--lang=zh-CN")  # fmt: skip
LABELS_JS = (
    "const gd = document.querySelector('#compare-map .js-plotly-plot');"
    "return Array.from(gd.querySelectorAll('.scattergeo text')).filter(t => t.textContent.trim())"
    ".map(t => { const r = t.getBoundingClientRect();"
    " return [t.textContent, r.left, r.top, r.right, r.bottom]; });"
)
READY_JS = (
    "const gd = document.querySelector('#compare-map .js-plotly-plot');"
    "return !!(gd && gd._fullLayout && gd.querySelectorAll('.scattergeo text').length >= 13);"
)


def overlaps(rects: list[list[object]]) -> list[str]:
    return [
        f"{a[0]} × {b[0]}"
        for i, a in enumerate(rects)
        for b in rects[i + 1 :]
        if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1  # type: ignore[operator]
    ]


def measure(data: Path) -> None:
    """Serve `data` with the dashboard importable here and print the overlaps per size."""
    import threading

    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.data import load_atlas

    server = make_server("127.0.0.1", 0, create_app(load_atlas(data)).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = Options()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options)
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/#compare?from=wr2023&to=wr2024")
        for width, height in SIZES:
            driver.set_window_size(width, height)
            WebDriverWait(driver, 30).until(lambda d: d.execute_script(READY_JS))
            _previous.clear()  # plotly redraws after a resize: read until two readings agree
            WebDriverWait(driver, 30, 0.5).until(_settled)
            pairs = overlaps(driver.execute_script(LABELS_JS))
            print(f"  {width}×{height}: {len(pairs)} overlapping pairs {pairs[:4]}")
    finally:
        driver.quit()
        server.shutdown()


_previous: dict[str, object] = {}


def _settled(driver: object) -> bool:
    now = driver.execute_script(LABELS_JS)  # type: ignore[attr-defined]
    same = _previous.get("rects") == now
    _previous["rects"] = now
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, help="another checkout to measure beside this")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.data)
        return 0
    for label, tree in (("this tree", ROOT), ("baseline", args.baseline)):
        if tree is None:
            continue
        print(f"{label} ({tree}):", flush=True)
        env = {**os.environ, "PYTHONPATH": str(tree)}
        cmd = [sys.executable, __file__, "--data", str(args.data.resolve()), "--measure"]
        subprocess.run(cmd, env=env, cwd=tree, check=True, stderr=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
