"""A hostile probe of every callback: malformed and wrong-typed POSTs to /_dash-update-component.

The requests are generated from the app's own callback declarations (/_dash-dependencies,
the same list `app.callback_map` holds), so a new callback is probed without an edit here.
For each callback: every input and state value replaced by each of BAD_VALUES (once per
triggering input), then envelope faults (unknown output, missing or reshaped inputs, not JSON,
an oversized body). Used by tests/test_dashboard_probe.py; run it directly for the figures:

    .venv/bin/python -m tests.callback_probe
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

BAD_VALUES: tuple[Any, ...] = (
    "bogus",
    123,
    None,
    1.5,
    True,
    {"a": 1},
    ["bogus", 7],
    [[1]],
    "a/b:c*?[d]",
    "光" * 5_000,
    ["x"] * 2_000,
)
PATH = "/_dash-update-component"
MAX_RESPONSE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Probe:
    """One request: what it tries, and its body (a dict sent as JSON, or raw bytes)."""

    label: str
    body: dict[str, Any] | bytes


def _outputs(output: str) -> list[dict[str, str]] | dict[str, str]:
    specs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in output.strip(".").split("...")
    ]
    return specs if output.startswith("..") else specs[0]


def base_body(dep: dict[str, Any], trigger: int = 0) -> dict[str, Any]:
    """A well-formed request for `dep` with every value None (a cleared control)."""
    inputs = [{**i, "value": None} for i in dep["inputs"]]
    trig = dep["inputs"][trigger]
    return {
        "output": dep["output"],
        "outputs": _outputs(dep["output"]),
        "inputs": inputs,
        "state": [{**s, "value": None} for s in dep["state"]],
        "changedPropIds": [f"{trig['id']}.{trig['property']}"],
    }


def _triggers(dep: dict[str, Any]) -> list[int]:
    """Which inputs to name as the trigger: each of them (the map view's one callback branches
    on URL vs 清除全部 vs the selected place vs another control; downloads on CSV vs Excel)."""
    return list(range(len(dep["inputs"])))


def _value_probes(dep: dict[str, Any]) -> Iterator[Probe]:
    for trigger in _triggers(dep):
        body = base_body(dep, trigger)
        for group in ("inputs", "state"):
            for i, entry in enumerate(body[group]):
                for bad in BAD_VALUES:
                    mutated = copy.deepcopy(body)
                    mutated[group][i]["value"] = bad
                    label = f"{entry['id']}.{entry['property']}={str(bad)[:20]!r}"
                    yield Probe(f"{dep['output'][:40]} {label}", mutated)


def _envelope_probes(dep: dict[str, Any]) -> Iterator[Probe]:
    body = base_body(dep)
    faults: dict[str, Any] = {
        "unknown output": {**body, "output": "..nope.value.."},
        "no output": {k: v for k, v in body.items() if k != "output"},
        "no inputs": {k: v for k, v in body.items() if k != "inputs"},
        "inputs not a list": {**body, "inputs": "x"},
        "input not a dict": {**body, "inputs": [1] * len(body["inputs"])},
        "one input short": {**body, "inputs": body["inputs"][:-1]},
        "wrong outputs": {**body, "outputs": [{"id": "x", "property": "y"}]},
        "state not a list": {**body, "state": {"a": 1}},
        "unknown trigger": {**body, "changedPropIds": ["nope.value"]},
    }
    for label, fault in faults.items():
        yield Probe(f"{dep['output'][:40]} {label}", fault)


def probes(dependencies: list[dict[str, Any]]) -> Iterator[Probe]:
    """Every probe for every declared callback, then whole-request faults."""
    for dep in dependencies:
        yield from _value_probes(dep)
        yield from _envelope_probes(dep)
    yield Probe("not JSON", b"{not json")
    yield Probe("a JSON list", b"[1, 2]")
    yield Probe("empty body", b"")
    big = base_body(dependencies[0])
    big["inputs"][0]["value"] = "x" * 10_000_000
    yield Probe("10 MB value", big)


@dataclass
class Result:
    """Counts of one probe run."""

    tried: int = 0
    refused: int = 0  # 4xx
    errors: int = 0  # 5xx
    largest: int = 0  # response bytes
    statuses: Counter[int] | None = None
    failures: list[str] | None = None


def run(client: Any) -> Result:
    """Send every probe through a Flask test client; count refusals and server errors."""
    deps = client.get("/_dash-dependencies").get_json()
    result = Result(statuses=Counter(), failures=[])
    for probe in probes(deps):
        if isinstance(probe.body, bytes):
            response = client.post(PATH, data=probe.body, content_type="application/json")
        else:
            response = client.post(PATH, json=probe.body)
        result.tried += 1
        result.statuses[response.status_code] += 1  # type: ignore[index]
        result.largest = max(result.largest, len(response.data))
        if 400 <= response.status_code < 500:
            result.refused += 1
        elif response.status_code >= 500:
            result.errors += 1
            result.failures.append(f"{response.status_code} {probe.label}")  # type: ignore[union-attr]
    return result


def main() -> None:
    import logging

    from dashboard.app import create_app
    from dashboard.data import load_atlas
    from tests.helpers import FIXTURE

    logging.disable(logging.CRITICAL)  # the old code logs a traceback per 500
    app = create_app(load_atlas(FIXTURE))
    app.server.config["PROPAGATE_EXCEPTIONS"] = False
    result = run(app.server.test_client())
    print(
        f"probes tried {result.tried}, refused (4xx) {result.refused}, server errors (5xx) "
        f"{result.errors}, largest response {result.largest / 1024:.1f} KB"
    )
    print("statuses:", json.dumps(dict(sorted((result.statuses or {}).items()))))
    for line in (result.failures or [])[:15]:
        print("  ", line)


if __name__ == "__main__":
    main()
