"""Alembic's script folder for the workspace store (run in code by ``playground.store.engine``)."""
