"""Which server the app talks to, with which key, and what that server says about the key.

Pure: no Streamlit. The sidebar (``playground.sidebar``) renders what these functions decide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from xai_core import DEFAULT_BASE_URL, NotFoundError, XaiClient, XaiError

__all__ = [
    "BACKEND_CUSTOM",
    "BACKEND_LOCAL",
    "BACKEND_XAI",
    "Connection",
    "ConnectionStatus",
    "check_connection",
    "default_backend",
    "key_fingerprint",
    "redact_key",
    "resolve_connection",
]

BACKEND_LOCAL = "local"
BACKEND_XAI = "xai"
BACKEND_CUSTOM = "custom"
KeySource = Literal["typed", "environment", "secrets", "local", "none"]


@dataclass(frozen=True)
class Connection:
    """Where requests go and with which key. The key never shows in ``repr``."""

    backend: str
    base_url: str
    api_key: str | None = field(default=None, repr=False)
    key_source: KeySource = "none"
    #: Why the backend cannot be used (e.g. the local backend failed to start).
    unavailable: str | None = None

    @property
    def problem(self) -> str | None:
        """Why no request can be made yet, in words for the user; ``None`` when ready."""
        if self.unavailable:
            return self.unavailable
        if not self.base_url:
            return "Enter the server's base URL, e.g. http://127.0.0.1:8000/v1"
        if self.backend == BACKEND_XAI and not self.api_key:
            return "Enter an xAI API key in the sidebar to connect to api.x.ai"
        return None

    @property
    def cache_key(self) -> tuple[str, str, str]:
        """Identifies this connection without holding the key (for per-session caches)."""
        return (self.backend, self.base_url, key_fingerprint(self.api_key))


def key_fingerprint(api_key: str | None) -> str:
    """A short one-way digest of a key: tells keys apart without keeping them."""
    if not api_key:
        return ""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


def redact_key(api_key: str | None) -> str:
    """``xai-…b7Qx``: enough to recognise a key, never enough to use it."""
    if not api_key:
        return "none"
    if len(api_key) <= 10:
        return "…" + api_key[-2:]
    return f"{api_key[:4]}…{api_key[-4:]}"


def default_backend(env: Mapping[str, str], secrets: Mapping[str, str]) -> str:
    """xAI when the operator configured it (a key, or ``XAI_BASE_URL``), else the local backend."""
    if env.get("XAI_API_KEY") or env.get("XAI_BASE_URL") or secrets.get("XAI_API_KEY"):
        return BACKEND_XAI
    return BACKEND_LOCAL


def local_connection(base_url: str | None, api_key: str | None, error: str | None) -> Connection:
    """The local backend's connection: its own URL and key, or why it is not running."""
    if error or not base_url:
        return Connection(
            BACKEND_LOCAL, "", None, "none", error or "The local backend is not running."
        )
    return Connection(BACKEND_LOCAL, base_url, api_key, "local")


def resolve_connection(
    backend: str,
    *,
    typed_key: str | None,
    custom_base_url: str | None,
    env: Mapping[str, str],
    secrets: Mapping[str, str],
) -> Connection:
    """Decide the base URL and key for the xAI or a custom backend (the local one: see
    :func:`local_connection`).

    A typed key wins. The operator's ``XAI_API_KEY`` (environment, then ``.streamlit/secrets.toml``)
    is used for the xAI backend only, whose URL the operator sets (``XAI_BASE_URL``, default
    api.x.ai): it is never sent to a custom URL that a visitor typed.
    """
    if backend == BACKEND_CUSTOM:
        base_url = (custom_base_url or "").strip().rstrip("/")
    else:
        base_url = (env.get("XAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    typed = (typed_key or "").strip()
    if typed:
        return Connection(backend, base_url, typed, "typed")
    if backend != BACKEND_XAI:
        return Connection(backend, base_url, None, "none")
    if env.get("XAI_API_KEY"):
        return Connection(backend, base_url, env["XAI_API_KEY"], "environment")
    if secrets.get("XAI_API_KEY"):
        return Connection(backend, base_url, secrets["XAI_API_KEY"], "secrets")
    return Connection(backend, base_url, None, "none")


@dataclass(frozen=True)
class ConnectionStatus:
    """What the sidebar shows: a level, a headline and detail lines, all plain text."""

    level: Literal["success", "warning", "error", "info"]
    headline: str
    details: tuple[str, ...] = ()


def check_connection(client: XaiClient, backend: str = BACKEND_XAI) -> ConnectionStatus:
    """Ask the server about the key (``/api-key``); servers without that route list their models.

    Never raises for the server's sake: every failure becomes a status with the server's words.
    """
    if backend == BACKEND_LOCAL:
        return _local_status(client)
    try:
        info = client.get_api_key()
    except NotFoundError:
        return _count_models(client)
    except XaiError as exc:
        return ConnectionStatus("error", exc.message)
    details = [f"Key {info.redacted_api_key or 'redacted'}"]
    if info.team_id:
        details.append(f"Team {info.team_id}")
    flags = [
        label
        for label, on in (
            ("team blocked", info.team_blocked),
            ("key blocked", info.api_key_blocked),
            ("key disabled", info.api_key_disabled),
        )
        if on
    ]
    name = info.name or "unnamed key"
    if flags:
        return ConnectionStatus("warning", f"{name}: {', '.join(flags)}", tuple(details))
    return ConnectionStatus("success", f"Connected as {name}", tuple(details))


def _count_models(client: XaiClient) -> ConnectionStatus:
    try:
        models = client.list_models()
    except XaiError as exc:
        return ConnectionStatus("error", exc.message)
    noun = "model" if len(models) == 1 else "models"
    return ConnectionStatus("success", f"Connected: {len(models)} {noun} available")


def _local_status(client: XaiClient) -> ConnectionStatus:
    try:
        models = client.list_models()
    except XaiError as exc:
        return ConnectionStatus("error", f"The local backend does not answer: {exc.message}")
    return ConnectionStatus(
        "success",
        "Local (offline)",
        (
            "Models: " + ", ".join(m.id for m in models),
            "Small demo models on this machine: expect rough answers. "
            "Enter an xAI API key to use Grok.",
        ),
    )
