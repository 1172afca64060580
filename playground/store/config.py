"""Where the workspace store lives, and the ids it hands out (pure: no Streamlit)."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url

#: The kinds of item the store keeps.
KINDS = ("conversation", "prompt", "preset", "map")
#: The SQLite file's name inside the data folder.
DB_FILE = "workspace.db"


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$PLAYGROUND_DATA_DIR``, else ``$XDG_DATA_HOME/xai-playground``, else
    ``~/.local/share/xai-playground``."""
    chosen = environ.get("PLAYGROUND_DATA_DIR", "").strip()
    if chosen:
        return Path(chosen).expanduser()
    xdg = environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "xai-playground"


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    """``$PLAYGROUND_DB_URL`` when set, else ``sqlite:///<data dir>/workspace.db``."""
    chosen = environ.get("PLAYGROUND_DB_URL", "").strip()
    if chosen:
        return chosen
    return f"sqlite:///{data_dir(environ) / DB_FILE}"


def new_item_id() -> str:
    """A fresh item id (uuid4, 32 hex digits), made by the caller so a URL can name it at once."""
    return uuid.uuid4().hex


def new_workspace_id() -> str:
    """A fresh unguessable workspace id (``secrets.token_urlsafe(24)``, 32 characters)."""
    return secrets.token_urlsafe(24)


def display_url(url: str) -> str:
    """``url`` with its password (if any) shown as ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL: show none of it, it may hold a secret
        return "(an unreadable database URL)"


def sqlite_file(url: str) -> Path | None:
    """The file of an ``sqlite://`` URL (None for other databases and in-memory SQLite)."""
    try:
        parsed = make_url(url)
    except Exception:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    name = parsed.database
    if name == ":memory:" or name.startswith("file::memory:"):
        return None
    if name.startswith("file:"):  # an SQLite URI (``?uri=true``)
        name = name.removeprefix("file:").split("?", 1)[0]
    return Path(name)


def where(url: str) -> str:
    """How a message names the database: ``the file /path/workspace.db`` or the redacted URL."""
    path = sqlite_file(url)
    return f"the file {path}" if path is not None else display_url(url)
