"""The view state in the URL query: pure parse and serialise, validated at the boundary.

Both are generic over the fields `viewstate.Filters` declares, so a new filter is in the URL
as soon as it is declared. A URL is typed by people and pasted from chats: anything unknown
falls back to the default and comes back as a notice, never an error.

The browser keeps URL and controls in step itself (assets/urlsync.js, no server round trip:
issue 13); `browser_spec` hands it these rules as data, and `sync_url` is the same step in
Python, the reference the JavaScript is tested against.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

from dash import no_update

from dashboard.fieldkinds import NOTICES, Vocabulary
from dashboard.viewstate import FIELDS, Filters, controls_from_state

KNOWN_KEYS = tuple(spec.url_key for spec in FIELDS.values())
#: The rest of the notices' wording (fieldkinds.NOTICES has the per-field part).
URL_NOTICES = {
    "unknown_keys": "未知参数：{keys}，已忽略",
    "lead": "链接参数有误：",
    "sep": "；",
    "list": "、",
}


def parse_query(search: str | None, vocab: Vocabulary) -> tuple[Filters, tuple[str, ...]]:
    """Filters named by `?plan=…&sector=…`; invalid parts fall back to defaults, with notices."""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    notices: list[str] = []
    unknown = [k for k in query if k not in KNOWN_KEYS]
    if unknown:
        notices.append(URL_NOTICES["unknown_keys"].format(keys=URL_NOTICES["list"].join(unknown)))
    values: dict[str, Any] = {
        name: spec.kind.from_url(query.get(spec.url_key, []), vocab, spec.label, notices)
        for name, spec in FIELDS.items()
    }
    return Filters(**values), tuple(notices)


def to_query(filters: Filters) -> str:
    """`?…` for the non-default parts of `filters` ("" when everything is default)."""
    pairs = [
        (spec.url_key, value)
        for name, spec in FIELDS.items()
        for value in spec.kind.to_url(getattr(filters, name))
    ]
    return "?" + urlencode(pairs) if pairs else ""


def notice_text(notices: tuple[str, ...] | list[str]) -> str:
    """The line shown above the page for a URL's notices ("" when there are none)."""
    return URL_NOTICES["lead"] + URL_NOTICES["sep"].join(notices) if notices else ""


def sync_url(
    search: str | None, state: Filters, vocab: Vocabulary, *, from_url: bool, clear: bool
) -> dict[str, Any]:
    """One step of keeping URL and controls in step: a URL (load, back/forward) sets the
    controls (and is rewritten in its canonical form), a control change rewrites the URL,
    清除全部筛选 resets both. Keys: "controls" (field → control value), "search", "notice";
    dash.no_update where nothing changes. assets/urlsync.js `syncUrl` does the same."""
    if clear:
        return {"controls": controls_from_state(Filters()), "search": "", "notice": ""}
    if from_url:
        parsed, notices = parse_query(search, vocab)
        fixed = to_query(parsed)
        return {
            "controls": controls_from_state(parsed),
            "search": fixed if fixed != (search or "") else no_update,
            "notice": notice_text(notices),
        }
    query = to_query(state)
    return {
        "controls": {name: no_update for name in FIELDS},
        "search": query if query != (search or "") else no_update,
        "notice": no_update,
    }


def browser_spec(vocab: Vocabulary) -> dict[str, Any]:
    """What assets/urlsync.js needs to read and write the URL exactly as `parse_query` and
    `to_query` do: each field's URL key, label and kind (with its allowed values), the
    notices' wording, and the controls' prop ids ("id.prop"), which tell a control change
    from a URL change. A few kB, in the page once; the page adds its own wiring."""
    return {
        "fields": [
            {"name": name, "key": spec.url_key, "label": spec.label, **spec.kind.browser(vocab)}
            for name, spec in FIELDS.items()
        ],
        "controls": [f"{spec.control}.{spec.prop}" for spec in FIELDS.values()],
        "notices": {**NOTICES, **URL_NOTICES},
    }
