"""Superseded by benchmarks/http_bench.py (issue 13); kept so the old command still works.

The old script timed one of the three requests a filter change sends, in-process, against a
"naive" app that reused the optimised filtering, and so reported 9× where the honest figure
was 5.8×. This runs the honest harness at corpus ×1; pass http_bench.py's options through.

Run: .venv/bin/python benchmarks/dashboard_bench.py [--replays 100] [--sizes 1,10,50]
"""

from __future__ import annotations

import sys

import http_bench

if __name__ == "__main__":
    if not any(a.startswith("--sizes") for a in sys.argv[1:]):
        sys.argv += ["--sizes", "1"]
    sys.exit(http_bench.main())
