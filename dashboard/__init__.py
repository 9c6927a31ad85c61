"""The Dash app, its figures and image export; also the `task-atlas` command line."""
