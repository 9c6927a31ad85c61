"""`create_app`: the Dash app over one read-only data folder, with no global mutable state.

Views. The page is a shell (URL, header, notices; layout.build_page) around a list of views.
A view is a module exposing

    TITLE: str                                       # its tab label
    layout(data: AtlasData) -> Component             # its part of the page
    register_callbacks(app: Dash, data: AtlasData)   # its callbacks, wired by name

and is added by appending the module to `VIEWS`. With one view the page shows it directly;
with several they sit in tabs. Views share the URL and the selected place (ids in ids.py).
A view that keeps its state in the URL hash names it by `HASH` ("#compare"): that hash opens
its tab (dashboard/viewtabs.py). A view whose `register_callbacks` takes a `source` keyword
gets the app's progress store (one per app, opened from `store_url`).

Requests. Every callback request is bounded and checked before a callback runs
(dashboard/boundary.py): a malformed or oversized request is answered with a 4xx, never a 500.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType

from dash import Dash

from access.writes import badge_blueprint
from dashboard import (
    boundary,
    compare_view,
    downloads,
    map_view,
    progress_view,
    static_assets,
    viewtabs,
)
from dashboard.data import AtlasData
from dashboard.layout import build_page
from progress.provider import ProgressSource

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
VIEWS: tuple[ModuleType, ...] = (map_view, compare_view, progress_view)


def _wire(view: ModuleType, app: Dash, data: AtlasData, source: ProgressSource) -> None:
    """register_callbacks(app, data), plus the progress source where the view asks for it."""
    wants = "source" in inspect.signature(view.register_callbacks).parameters
    view.register_callbacks(app, data, **({"source": source} if wants else {}))


def create_app(
    data: AtlasData, views: tuple[ModuleType, ...] = VIEWS, *, store_url: str | None = None
) -> Dash:
    """A Dash app serving `data`; everything per-user lives in the browser (URL, dcc.Store).

    `store_url` is the progress store (`serve --db`); None: $TASK_ATLAS_DB, else
    ./task-atlas.db if it exists, else no store (the 进度 view says so, the panel has no lights).
    """
    app = Dash(
        __name__,
        title="武汉市任务地图",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,  # Dash and plotly.js come from this server, never a CDN
        update_title=None,  # type: ignore[arg-type]  # None: never retitle while loading
    )
    static_assets.install(app)  # compressed, cached static files (issue 13)
    downloads.install(app.server)  # GET /_atlas-download/<token>: exports without base64
    tabs = viewtabs.view_tabs(views)
    app.layout = build_page(
        [(tab.value, view.TITLE, view.layout(data)) for tab, view in zip(tabs, views, strict=True)],
        viewtabs.initial_memory(tabs),
    )
    source = progress_view.default_source(data, store_url)
    for view in views:
        _wire(view, app, data, source)
    if len(views) > 1:
        viewtabs.register_callbacks(app, tabs, views)
    boundary.guard(app)
    app.server.register_blueprint(badge_blueprint())  # /account-badge: 登录/退出 in the header
    return app
