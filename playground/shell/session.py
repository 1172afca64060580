"""The session's connection and client (Streamlit side).

The one ``httpx.Client`` is shared by every session through ``st.cache_resource``; it holds no key.
Each run builds a cheap :class:`XaiClient` carrying this session's key, so keys never meet.
The local backend is one child process per app server, shared by its sessions, started on first use
(its model files prepared first, with a progress bar in the sidebar). Its URL and key are written to
:func:`local_env_file` (owner-only) so that "View code" snippets run in a terminal on this machine.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shlex
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import streamlit as st

from local_backend.launcher import (
    LocalBackendError,
    LocalBackendProcess,
    prepare_model_files,
    start_local_backend,
)
from playground.core.connection import (
    BACKEND_LOCAL,
    BackendPolicy,
    Connection,
    ConnectionStatus,
    backend_policy,
    check_connection,
    choose_backend,
    local_connection,
    problem_status,
    resolve_connection,
)
from playground.shell.cache import forget_session_cache, session_cached
from xai_core import XaiClient, new_http_client

__all__ = [
    "connection_status",
    "current_connection",
    "deployment_policy",
    "forget_connection_status",
    "get_client",
    "local_backend",
    "local_endpoint",
    "local_env_file",
    "local_model_problems",
    "offer_local_backend",
    "prepare_local_models",
    "require_client",
    "secrets_or_empty",
    "session_backend",
    "session_client",
    "shared_http_client",
    "use_local_backend",
]

# Widget keys of the connection panel, read by every page.
BACKEND_KEY = "backend"
CUSTOM_URL_KEY = "custom_base_url"
API_KEY_KEY = "api_key"
#: Where a typed key lives once entered: this session's state only. The "API key" field is
#: emptied right away, so the key is not sent back to the browser with every page.
TYPED_KEY_KEY = "_typed_api_key"
#: The per-session cache holding the connection check.
_STATUS_CACHE = "connection_status"


@st.cache_resource(show_spinner=False)
def shared_http_client() -> httpx.Client:
    """One connection pool for the whole app server; keys travel per request, never here."""
    return new_http_client()


@dataclass
class _ModelFiles:
    """The app server's one preparation of the local model files, and the problems it found."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    problems: list[str] | None = None  # None: not prepared yet


@st.cache_resource(show_spinner=False)
def _model_files() -> _ModelFiles:
    return _ModelFiles()


def _prepare_with_progress() -> list[str]:
    """Assemble the missing model files, a sidebar progress bar saying which model and how far."""
    bar = st.sidebar.empty()
    shown: dict[str, int] = {}

    def on_progress(model_id: str, done: int, total: int) -> None:
        percent = min(100, 100 * done // total) if total > 0 else 100
        if shown.get(model_id) != percent:
            shown[model_id] = percent
            text = f"Preparing the local model {model_id} (first start only): {percent}%"
            bar.progress(percent / 100, text=text)

    try:
        problems = prepare_model_files(on_progress)
    except Exception as exc:  # whatever went wrong, the app and the other models keep working
        problems = [f"Could not prepare the local model files: {exc}"]
    bar.empty()
    return problems


def prepare_local_models() -> list[str]:
    """Prepare the local model files once per app server (other sessions wait for it); returns
    the problems found, as plain messages."""
    files = _model_files()
    with files.lock:
        if files.problems is None:
            files.problems = _prepare_with_progress()
        return list(files.problems)


def local_model_problems() -> list[str]:
    """What the preparation of the local model files could not do (nothing before it ran)."""
    return list(_model_files().problems or [])


def local_env_file() -> Path:
    """Where the app writes its own local backend's URL and key (``export`` lines, owner-only),
    for terminals on this machine: ``. <file>`` sets ``LOCAL_BACKEND_URL`` and ``LOCAL_API_KEY``."""
    cache = os.environ.get("LOCAL_BACKEND_CACHE") or Path.home() / ".cache/xai-playground"
    return Path(cache) / "local-backend.env"


def _write_env_file(path: Path, base_url: str, api_key: str) -> None:
    """Write the backend's URL and key to ``path`` (mode 0600); removed when the app ends."""
    text = (
        f"export LOCAL_BACKEND_URL={shlex.quote(base_url)}\n"
        f"export LOCAL_API_KEY={shlex.quote(api_key)}\n"
    )
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        atexit.register(_remove_env_file, path, text)


def _remove_env_file(path: Path, text: str) -> None:
    """Remove ``path`` if it still holds this app's backend (another app may have replaced it)."""
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            path.unlink()


@st.cache_resource(show_spinner="Starting the local backend (small models on this machine)…")
def local_backend() -> LocalBackendProcess:
    """The app server's local backend, started once; it ends with the app."""
    backend = start_local_backend()
    atexit.register(backend.stop)
    _write_env_file(local_env_file(), backend.base_url, backend.api_key)
    return backend


def local_endpoint() -> tuple[str, str]:
    """Base URL and key of the local backend: ``LOCAL_BACKEND_URL`` (+ ``LOCAL_API_KEY``) when one
    runs already, else the app server's own child process, started on first use (its model files
    prepared first)."""
    external = os.environ.get("LOCAL_BACKEND_URL")
    if external:
        return external.rstrip("/"), os.environ.get("LOCAL_API_KEY", "")
    prepare_local_models()
    backend = local_backend()
    if not backend.running:  # it crashed or was killed: start a new one
        local_backend.clear()
        backend = local_backend()
    return backend.base_url, backend.api_key


def secrets_or_empty() -> Mapping[str, str]:
    """``st.secrets`` as a plain mapping, or empty when there is no secrets file."""
    try:
        return {key: str(value) for key, value in st.secrets.items() if isinstance(value, str)}
    except (FileNotFoundError, KeyError, ValueError, st.errors.StreamlitAPIException):
        return {}


def deployment_policy() -> BackendPolicy:
    """The backends this deployment offers (``PLAYGROUND_BACKENDS``) and where the Custom one
    may go (``PLAYGROUND_CUSTOM_URL_PREFIXES``)."""
    return backend_policy(os.environ)


def session_backend(
    policy: BackendPolicy | None = None, secrets: Mapping[str, str] | None = None
) -> str:
    """This session's backend: its sidebar choice when the deployment allows it, else the default
    (xAI when the operator configured it, else the local backend, of those allowed). A stale or
    forged session value never picks a backend the deployment does not offer."""
    return choose_backend(
        st.session_state.get(BACKEND_KEY),
        env=os.environ,
        secrets=secrets_or_empty() if secrets is None else secrets,
        policy=deployment_policy() if policy is None else policy,
    )


def current_connection() -> Connection:
    """The connection chosen in this session's sidebar (defaults before it was rendered)."""
    state = st.session_state
    policy, secrets = deployment_policy(), secrets_or_empty()
    backend = session_backend(policy, secrets)
    if backend == BACKEND_LOCAL:
        try:
            base_url, key = local_endpoint()
        except LocalBackendError as exc:
            return local_connection(None, None, f"The local backend could not start. {exc}")
        return local_connection(base_url, key, None)
    return resolve_connection(
        backend,
        typed_key=state.get(TYPED_KEY_KEY),
        custom_base_url=state.get(CUSTOM_URL_KEY),
        env=os.environ,
        secrets=secrets,
        policy=policy,
    )


def get_client(connection: Connection | None = None) -> XaiClient:
    """A client for this session's connection, on the shared connection pool."""
    conn = connection or current_connection()
    return XaiClient(
        api_key=conn.api_key or "", base_url=conn.base_url, http_client=shared_http_client()
    )


def connection_status(connection: Connection) -> ConnectionStatus:
    """The server's word on ``connection``, asked once and kept in this session's state."""
    return session_cached(_STATUS_CACHE, connection.cache_key, lambda: _ask_status(connection))


def _ask_status(connection: Connection) -> ConnectionStatus:
    problem = problem_status(connection)
    if problem is not None:
        return problem
    with st.spinner("Checking the connection…"):
        return check_connection(get_client(connection), connection.backend)


def forget_connection_status() -> None:
    """Ask the server again on the next run."""
    forget_session_cache(_STATUS_CACHE)


def use_local_backend() -> None:
    """Callback: switch this session to the local backend (the run the click starts uses it)."""
    st.session_state[BACKEND_KEY] = BACKEND_LOCAL


def offer_local_backend(connection: Connection) -> None:
    """A "Use Local (offline)" button, when the session is on another backend and the deployment
    offers the local one."""
    if connection.backend != BACKEND_LOCAL and BACKEND_LOCAL in deployment_policy().allowed:
        st.button(
            "Use Local (offline)",
            key="_use_local_backend",
            icon=":material/computer:",
            on_click=use_local_backend,
            help="Small models on this machine: no key, no network.",
        )


def _explain(connection: Connection, status: ConnectionStatus, lead: str) -> None:
    """Why the connection cannot be used, on the page, with the way back to the local backend."""
    show = st.error if status.level == "error" else st.info
    show(f"{lead}: {status.headline}", icon=":material/link_off:")
    offer_local_backend(connection)


def session_client(lead: str) -> tuple[XaiClient, bool]:
    """For a page that keeps its work in view without a server (Chat): the session's client and
    whether it can be used. When it cannot (no key, a refused key, a server away), the page
    says why in place, starting with ``lead``, and offers the local backend; it goes on."""
    connection = current_connection()
    status = connection_status(connection)
    if not status.usable:
        _explain(connection, status, lead)
    return get_client(connection), status.usable


def require_client() -> XaiClient:
    """The session's client; or, when the connection is not usable, a plain note saying why (and
    a switch to the local backend) and the page stops there."""
    connection = current_connection()
    status = connection_status(connection)
    if not status.usable:
        _explain(connection, status, "Connect to a server to use this page")
        st.stop()
    return get_client(connection)
