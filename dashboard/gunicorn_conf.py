"""gunicorn settings shared by `task-atlas serve` and gunicorn's own command line.

`gunicorn -c python:dashboard.gunicorn_conf -w N 'dashboard.production:wsgi_app("DIR")'` gets
what `task-atlas serve --workers N` gets: the app loaded once before the fork, time for an
export, and each worker's export Chromium closed when idle (dashboard/export_browser.py).
"""

from __future__ import annotations

from dashboard import export_browser

preload_app = True
timeout = 120  # a server-side export (Chromium start + render) can take seconds
post_worker_init = export_browser.on_worker_start
worker_exit = export_browser.on_worker_exit
