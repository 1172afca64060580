"""Where the store lives, and the ids it hands out."""

from __future__ import annotations

from pathlib import Path

from playground.store import database_url, new_item_id, new_workspace_id
from playground.store.config import data_dir, display_url, sqlite_file, where


def test_database_url_prefers_playground_db_url() -> None:
    env = {"PLAYGROUND_DB_URL": "postgresql+psycopg://app@db:5432/pg", "PLAYGROUND_DATA_DIR": "/x"}
    assert database_url(env) == "postgresql+psycopg://app@db:5432/pg"


def test_database_url_defaults_to_a_file_in_the_data_dir(tmp_path: Path) -> None:
    assert (
        database_url({"PLAYGROUND_DATA_DIR": str(tmp_path)}) == f"sqlite:///{tmp_path}/workspace.db"
    )
    assert database_url({"XDG_DATA_HOME": "/xdg"}) == "sqlite:////xdg/xai-playground/workspace.db"
    home = Path.home() / ".local" / "share" / "xai-playground"
    assert database_url({}) == f"sqlite:///{home}/workspace.db"
    assert data_dir({"PLAYGROUND_DATA_DIR": "  ", "XDG_DATA_HOME": ""}) == home
    assert database_url({"PLAYGROUND_DB_URL": " "}) == f"sqlite:///{home}/workspace.db"


def test_ids() -> None:
    items = {new_item_id() for _ in range(100)}
    assert len(items) == 100 and all(len(i) == 32 and int(i, 16) >= 0 for i in items)
    workspaces = {new_workspace_id() for _ in range(100)}
    assert len(workspaces) == 100 and all(len(w) == 32 for w in workspaces)
    assert all(
        set(w) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for w in workspaces
    )


def test_display_url_hides_the_password() -> None:
    shown = display_url("postgresql+psycopg://app:hunter2@db.example:5432/playground")
    assert (
        "hunter2" not in shown
        and shown == "postgresql+psycopg://app:***@db.example:5432/playground"
    )
    assert display_url("sqlite:////data/workspace.db") == "sqlite:////data/workspace.db"
    assert "secret" not in display_url("::not a url with secret::")


def test_where_names_the_file() -> None:
    assert where("sqlite:////data/workspace.db") == "the file /data/workspace.db"
    assert where("sqlite:///file:/data/w.db?mode=ro&uri=true") == "the file /data/w.db"
    assert sqlite_file("sqlite://") is None and sqlite_file("sqlite:///:memory:") is None
    assert where("postgresql+psycopg://u:pw@h/db") == "postgresql+psycopg://u:***@h/db"
