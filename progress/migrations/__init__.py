"""Alembic migrations of the progress store, run programmatically by progress.db.migrate."""
