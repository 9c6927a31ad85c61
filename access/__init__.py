"""Who may write: users, roles, password hashing, login sessions and server-side guards.

Pure of dash: the Flask hooks in `access.web` take any Flask server, so the dashboard wires them
into `app.server` and the command line manages users through `access.store`.
"""
