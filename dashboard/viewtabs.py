"""Which view tab is open, kept in the URL hash: `#compare…` opens 计划对比, `#progress…` 进度.

The URL names the tab on load and on back/forward; a click on a tab rewrites the hash (the
`?query` filters stay: they belong to every view). Leaving a view remembers its last hash, so
coming back restores its state. The switch runs in the browser (assets/viewtabs.js,
`atlas.syncTab`); `tab_for_hash` / `hash_for_tab` below are the same rule in Python, tested
directly and against the JavaScript in the browser tests.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType

from dash import ClientsideFunction, Dash, Input, Output, State

from dashboard.ids import Id


@dataclass(frozen=True)
class ViewTab:
    """A tab's value (the dcc.Tab value) and the URL hash prefix of its view ("" = none)."""

    value: str
    hash: str


def view_tabs(views: Sequence[ModuleType]) -> list[ViewTab]:
    """One tab per view; a view's `HASH` ("#compare") names its tab, the others get view-i."""
    tabs = []
    for i, view in enumerate(views):
        prefix = str(getattr(view, "HASH", ""))
        tabs.append(ViewTab(prefix.lstrip("#") or f"view-{i}", prefix))
    return tabs


def owns(prefix: str, fragment: str) -> bool:
    """True when `fragment` is this view's hash: `#compare` or `#compare?…`, not `#comparex`."""
    return bool(prefix) and (fragment == prefix or fragment.startswith(prefix + "?"))


def tab_for_hash(tabs: Sequence[ViewTab], fragment: str | None) -> str:
    """The tab a URL hash opens: the view that owns it, else the first (the map)."""
    return next((t.value for t in tabs if owns(t.hash, fragment or "")), tabs[0].value)


def hash_for_tab(
    tabs: Sequence[ViewTab], value: str, remembered: Mapping[str, str] | None = None
) -> str:
    """The hash a click on tab `value` sets: its last hash, else its bare prefix ("" = none)."""
    tab = next((t for t in tabs if t.value == value), tabs[0])
    return (remembered or {}).get(tab.value) or tab.hash


def register_callbacks(
    app: Dash, tabs: Sequence[ViewTab], views: Sequence[ModuleType] = ()
) -> None:
    """URL hash ↔ open tab, in the browser (no server round trip for a tab click); and the
    filter gate of each view that declares `FILTERS` (see `filter_gate`)."""
    for tab, view in zip(tabs, views, strict=False):
        if getattr(view, "FILTERS", None):
            filter_gate(app, tab.value, str(view.FILTERS))
    app.clientside_callback(
        ClientsideFunction(namespace="atlas", function_name="syncTab"),
        Output(Id.VIEW_TABS, "value"),
        Output(Id.URL, "hash", allow_duplicate=True),
        Output(Id.TAB_MEMORY, "data"),
        Input(Id.URL, "hash"),
        Input(Id.VIEW_TABS, "value"),
        State(Id.TAB_MEMORY, "data"),
        # the URL hash is written by the views too; one Location, so search and hash agree
        prevent_initial_call="initial_duplicate",
    )


def initial_memory(tabs: Sequence[ViewTab]) -> dict[str, object]:
    """The browser-side state: the tabs' hash prefixes and each view's last hash."""
    return {"tabs_id": str(Id.VIEW_TABS), "tabs": [[t.value, t.hash] for t in tabs], "last": {}}


def filter_gate(app: Dash, tab: str, store: str) -> None:
    """Hand the page's filters (the URL ?query) to a view's `store` only while its tab is open,
    and only when they changed since it last saw them: a hidden tab sends no request when the
    map's filters or selection change, and catches up once when it is opened (issue 13)."""
    app.clientside_callback(
        "function (search, value, seen) {"
        f" if (value !== {json.dumps(tab)} || search === seen) {{"
        "  return window.dash_clientside.no_update; }"
        " return search; }",
        Output(store, "data"),
        Input(Id.URL, "search"),
        Input(Id.VIEW_TABS, "value"),
        State(store, "data"),
    )
