"""The request boundary: every callback request is bounded and checked before Dash runs it.

Dash trusts the envelope of a POST to /_dash-update-component (which callback, which
inputs) and leaves the values to the callback; a malformed envelope there is a KeyError or
TypeError, i.e. a 500. Here the envelope is checked against `app.callback_map` (the known
callback, exactly its inputs and state, its outputs) and the body size is capped, so anything
else is a 400/413 with a one-line reason. The values themselves are checked by the callbacks
(`viewstate.state_from_controls` and friends raise `BadInput`, answered here with a 400).
"""

from __future__ import annotations

from typing import Any

from dash import Dash
from flask import Response, jsonify, request

from dashboard.fieldkinds import BadInput

#: A filter change posts a few kB; the cap leaves room for a small upload (a view that takes
#: workbooks can pass its own `max_bytes` to `guard`).
MAX_REQUEST_BYTES = 1024 * 1024
UPDATE_PATH = "_dash-update-component"


class BadEnvelope(ValueError):
    """A callback request that does not match any declared callback."""


def _prop(spec: Any) -> tuple[Any, str]:
    """(id, property) of a request entry or a declared dependency, `@hash` suffix dropped."""
    if isinstance(spec, dict):
        prop = spec.get("property")
        if not isinstance(prop, str):
            raise BadEnvelope("entry without a property")
        return spec.get("id"), prop.split("@")[0]
    return spec.component_id, str(spec.component_property).split("@")[0]


def _same(sent: Any, declared: list[Any], what: str, with_value: bool) -> None:
    if not isinstance(sent, list) or len(sent) != len(declared):
        raise BadEnvelope(f"{what}: expected a list of {len(declared)}")
    for entry, spec in zip(sent, declared, strict=True):
        if not isinstance(entry, dict) or _prop(entry) != _prop(spec):
            raise BadEnvelope(f"{what}: expected {_prop(spec)}")
        if with_value and set(entry) - {"id", "property", "value"}:
            raise BadEnvelope(f"{what}: unexpected keys")


def check_envelope(body: Any, callback_map: dict[str, Any]) -> None:
    """Raise BadEnvelope unless `body` is a request for one declared callback, exactly."""
    if not isinstance(body, dict):
        raise BadEnvelope("body is not a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadEnvelope("unknown callback output")
    spec = callback_map[output]
    declared = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    outputs = body.get("outputs")
    _same(outputs if isinstance(outputs, list) else [outputs], declared, "outputs", False)
    _same(body.get("inputs"), spec["inputs"], "inputs", True)
    _same(body.get("state", []), spec["state"], "state", True)
    changed = body.get("changedPropIds", [])
    names = {f"{i['id']}.{i['property']}" for i in spec["inputs"]}
    if not isinstance(changed, list) or not all(c in names for c in changed):
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
