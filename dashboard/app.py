"""`create_app`: the Dash app over one read-only data folder, with no global mutable state.

Views. The page is a shell (URL, header, notices; layout.build_page) around a list of views.
A view is a module exposing

    TITLE: str                                       # its tab label
    layout(data: AtlasData) -> Component             # its part of the page
    register_callbacks(app: Dash, data: AtlasData)   # its callbacks, wired by name

and is added by appending the module to `VIEWS`. With one view the page shows it directly;
with several they sit in tabs. Views share the URL and the selected place (ids in ids.py).

Requests. Every callback request is bounded and checked before a callback runs
(dashboard/boundary.py): a malformed or oversized request is answered with a 4xx, never a 500.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from dash import Dash

from access.writes import badge_blueprint
from dashboard import boundary, compare_view, downloads, map_view, static_assets
from dashboard.data import AtlasData
from dashboard.layout import build_page

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
VIEWS: tuple[ModuleType, ...] = (map_view, compare_view)


def create_app(
    data: AtlasData, views: tuple[ModuleType, ...] = VIEWS, db: str | None = None
) -> Dash:
    """A Dash app serving `data`; everything per-user lives in the browser (URL, dcc.Store)."""
    app = Dash(
        __name__,
        title="武汉市任务地图",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,  # Dash and plotly.js come from this server, never a CDN
        update_title=None,  # type: ignore[arg-type]  # None: never retitle while loading
    )
    static_assets.install(app)  # compressed, cached static files (issue 13)
    downloads.install(app.server)  # GET /_atlas-download/<token>: exports without base64
    app.layout = build_page([(view.TITLE, view.layout(data)) for view in views])
    for view in views:
        view.register_callbacks(app, data)
    boundary.guard(app)
    app.server.register_blueprint(badge_blueprint())  # /account-badge: 登录/退出 in the header
    from dashboard import progress_view  # the 进度 view (issue 10): one self-contained hook

    progress_view.attach(app, data, db=db)  # db: serve --db, the logins' store too
    return app
