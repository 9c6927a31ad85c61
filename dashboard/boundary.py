"""The request boundary: every callback request is bounded and checked before Dash runs it.

Dash trusts the envelope of a POST to /_dash-update-component (which callback, which
inputs) and leaves the values to the callback; a malformed envelope there is a KeyError or
TypeError, i.e. a 500. Here the envelope is checked against `app.callback_map` (the known
callback, exactly its inputs and state, its outputs) and the body size is capped, so anything
else is a 400/413 with a one-line reason. The values themselves are checked by the callbacks
(`viewstate.state_from_controls` and friends raise `BadInput`, answered here with a 400).
"""

from __future__ import annotations

import json
from typing import Any

from dash import Dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from dashboard.fieldkinds import BadInput

#: A filter change posts a few kB; the cap leaves room for a small upload (a view that takes
#: workbooks can pass its own `max_bytes` to `guard`).
MAX_REQUEST_BYTES = 1024 * 1024
UPDATE_PATH = "_dash-update-component"


class BadEnvelope(ValueError):
    """A callback request that does not match any declared callback."""


MAX_PATTERN_ITEMS = 1000  # components one ALL/ALLSMALLER wildcard may stand for


def _declared(spec: Any) -> tuple[Any, str]:
    """(id, property) of a declared dependency; a pattern id (MATCH/ALL) as its dict, with
    wildcards as ["MATCH"] / ["ALL"]; the `@hash` of allow_duplicate dropped."""
    entry = spec if isinstance(spec, dict) else spec.to_dict()
    cid, prop = entry["id"], str(entry["property"]).split("@")[0]
    return (json.loads(cid) if isinstance(cid, str) and cid.startswith("{") else cid), prop


def _matches(entry: Any, cid: Any, prop: str) -> bool:
    """Whether a request entry is the declared dependency (a concrete id for a pattern)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("property"), str):
        return False
    if entry["property"].split("@")[0] != prop:
        return False
    if not isinstance(cid, dict):
        return bool(entry.get("id") == cid)
    sent = entry.get("id")
    return (
        isinstance(sent, dict)
        and set(sent) == set(cid)
        and all(isinstance(v, list) or sent[k] == v for k, v in cid.items())
    )


def _same(sent: Any, declared: list[Any], what: str, with_value: bool) -> None:
    if not isinstance(sent, list) or len(sent) != len(declared):
        raise BadEnvelope(f"{what}: expected a list of {len(declared)}")
    for entry, spec in zip(sent, declared, strict=True):
        cid, prop = _declared(spec)
        group = entry if isinstance(entry, list) and isinstance(cid, dict) else [entry]
        if len(group) > MAX_PATTERN_ITEMS or not all(_matches(e, cid, prop) for e in group):
            raise BadEnvelope(f"{what}: expected {cid}.{prop}")
        if with_value and any(set(e) - {"id", "property", "value"} for e in group):
            raise BadEnvelope(f"{what}: unexpected keys")


def _changed_ok(changed: Any, inputs: list[dict[str, Any]]) -> bool:
    """changedPropIds name inputs of this callback (a pattern input by any concrete id)."""
    if not isinstance(changed, list) or len(changed) > MAX_PATTERN_ITEMS:
        return False
    declared = [_declared(i) for i in inputs]
    plain = {f"{cid}.{prop}" for cid, prop in declared if not isinstance(cid, dict)}
    patterns = {prop for cid, prop in declared if isinstance(cid, dict)}
    return all(
        isinstance(c, str)
        and (c in plain or (c.startswith("{") and c.rsplit(".", 1)[-1] in patterns))
        for c in changed
    )


def check_envelope(body: Any, callback_map: dict[str, Any]) -> None:
    """Raise BadEnvelope unless `body` is a request for one declared callback, exactly."""
    if not isinstance(body, dict):
        raise BadEnvelope("body is not a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadEnvelope("unknown callback output")
    if "callback" not in callback_map[output]:  # a clientside callback: runs in the browser
        raise BadEnvelope("callback runs in the browser")
    spec = callback_map[output]
    declared = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    outputs = body.get("outputs")
    _same(outputs if isinstance(spec["output"], list) else [outputs], declared, "outputs", False)
    _same(body.get("inputs"), spec["inputs"], "inputs", True)
    _same(body.get("state", []), spec["state"], "state", True)
    if not _changed_ok(body.get("changedPropIds", []), spec["inputs"]):
        raise BadEnvelope("changedPropIds: not inputs of this callback")


def _refuse(status: int, reason: str) -> Response:
    response = jsonify({"error": reason})
    response.status_code = status
    return response


def guard(app: Dash, max_bytes: int = MAX_REQUEST_BYTES) -> None:
    """Cap request bodies and check every callback request before Dash dispatches it."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_bytes
    path = app.config.routes_pathname_prefix + UPDATE_PATH

    @server.before_request
    def _check() -> Response | None:
        if request.path != path or request.method != "POST":
            return None
        body = request.get_json(silent=True)  # oversized bodies raise 413 here
        try:
            check_envelope(body, app.callback_map)
        except BadEnvelope as exc:
            return _refuse(400, f"bad callback request: {exc}")
        return None

    @server.errorhandler(BadInput)
    def _bad_input(exc: BadInput) -> Response:
        return _refuse(400, f"bad callback input: {exc}")

    @server.errorhandler(Exception)
    def _callback_failed(exc: Exception) -> Any:
        """Last line of the boundary: a callback that fails on what a request sent (a value of
        the wrong type or shape that its own checks missed) answers 400, never 500; the
        traceback goes to the server log so a real bug is still seen."""
        if isinstance(exc, HTTPException):
            return exc
        if request.path != path:
            raise exc  # not a callback: Flask's own handling, as before
        server.logger.warning("callback failed on its input: %s", exc, exc_info=exc)
        return _refuse(400, f"bad callback input: {type(exc).__name__}")
