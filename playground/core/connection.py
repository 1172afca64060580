"""Which server the app talks to, with which key, and what that server says about the key.

Pure: no Streamlit. The sidebar (``playground.shell.sidebar``) renders what these functions decide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from xai_core import (
    DEFAULT_BASE_URL,
    APIConnectionError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    XaiClient,
    XaiError,
    redact_secret,
)

__all__ = [
    "ALL_BACKENDS",
    "BACKENDS_SETTING",
    "BACKEND_CUSTOM",
    "BACKEND_LABELS",
    "BACKEND_LOCAL",
    "BACKEND_XAI",
    "CUSTOM_URL_PREFIXES_SETTING",
    "BackendPolicy",
    "Connection",
    "ConnectionStatus",
    "backend_policy",
    "check_connection",
    "choose_backend",
    "default_backend",
    "key_fingerprint",
    "problem_status",
    "redact_key",
    "resolve_connection",
    "status_line",
]

BACKEND_LOCAL = "local"
BACKEND_XAI = "xai"
BACKEND_CUSTOM = "custom"
ALL_BACKENDS = (BACKEND_LOCAL, BACKEND_XAI, BACKEND_CUSTOM)
#: How the backend choice names each backend.
BACKEND_LABELS = {
    BACKEND_LOCAL: "Local (offline)",
    BACKEND_XAI: "xAI",
    BACKEND_CUSTOM: "Custom (OpenAI-compatible)",
}
#: The same, short: for the one-line connection status.
_SHORT_LABELS = {BACKEND_LOCAL: "Local (offline)", BACKEND_XAI: "xAI", BACKEND_CUSTOM: "Custom"}
#: Deployment settings (environment): which backends the sidebar offers, and where "Custom" may go.
BACKENDS_SETTING = "PLAYGROUND_BACKENDS"
CUSTOM_URL_PREFIXES_SETTING = "PLAYGROUND_CUSTOM_URL_PREFIXES"
KeySource = Literal["typed", "environment", "secrets", "local", "none"]


@dataclass(frozen=True)
class BackendPolicy:
    """What a deployment lets its visitors connect to.

    ``allowed`` lists the backends on offer (in the sidebar's order); ``custom_url_prefixes``, when
    not empty, are the only URLs the Custom backend may use; ``problems`` say, in plain words, what
    was wrong with the settings (the policy is then the most restrictive reading of them).
    """

    allowed: tuple[str, ...] = ALL_BACKENDS
    custom_url_prefixes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def allows_custom_url(self, base_url: str) -> bool:
        """True when ``base_url`` is under one of ``custom_url_prefixes`` (or there are none):
        same scheme, host and port, and a path that starts with the prefix's path segments."""
        if not self.custom_url_prefixes:
            return True
        return any(_url_under(base_url, prefix) for prefix in self.custom_url_prefixes)


def _split_setting(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _url_parts(url: str) -> tuple[str, str, int | None, tuple[str, ...]] | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    segments = tuple(s for s in parts.path.split("/") if s)
    return parts.scheme, parts.hostname, port, segments


def _url_under(url: str, prefix: str) -> bool:
    candidate, allowed = _url_parts(url), _url_parts(prefix)
    if candidate is None or allowed is None:
        return False
    return candidate[:3] == allowed[:3] and candidate[3][: len(allowed[3])] == allowed[3]


def backend_policy(env: Mapping[str, str]) -> BackendPolicy:
    """Read ``PLAYGROUND_BACKENDS`` (comma-separated subset of ``local,xai,custom``; default all)
    and ``PLAYGROUND_CUSTOM_URL_PREFIXES`` (comma-separated URLs; default: any URL).

    Never raises. A wrong value is reported in ``problems`` and read restrictively: unknown names
    are dropped, and when no known name is left the Custom backend (the one that goes to any URL)
    is not offered.
    """
    problems: list[str] = []
    allowed: tuple[str, ...] = ALL_BACKENDS
    raw = env.get(BACKENDS_SETTING)
    if raw is not None:
        names = [name.lower() for name in _split_setting(raw)]
        unknown = [name for name in names if name not in ALL_BACKENDS]
        allowed = tuple(b for b in ALL_BACKENDS if b in names)
        if unknown or not allowed:
            listed = ", ".join(unknown) if unknown else "nothing"
            problems.append(
                f"{BACKENDS_SETTING} must list some of local, xai, custom (comma-separated); "
                f"it lists {listed}."
            )
        if not allowed:
            allowed = (BACKEND_LOCAL, BACKEND_XAI)
    prefixes = tuple(_split_setting(env.get(CUSTOM_URL_PREFIXES_SETTING) or ""))
    bad = [prefix for prefix in prefixes if _url_parts(prefix) is None]
    if bad:
        problems.append(
            f"{CUSTOM_URL_PREFIXES_SETTING} must hold http(s) URLs; ignoring {', '.join(bad)}."
        )
        prefixes = tuple(p for p in prefixes if p not in bad)
        if not prefixes:  # nothing valid left: the Custom backend may go nowhere
            allowed = tuple(b for b in allowed if b != BACKEND_CUSTOM) or (BACKEND_XAI,)
    return BackendPolicy(allowed, prefixes, tuple(problems))


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
            return "Enter an xAI API key in the sidebar's connection settings to use api.x.ai"
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
    """``xai-…b7Qx`` (the client's own redaction, as in its error messages), or ``none``."""
    return redact_secret(api_key) if api_key else "none"


def default_backend(
    env: Mapping[str, str], secrets: Mapping[str, str], policy: BackendPolicy | None = None
) -> str:
    """xAI when the operator configured it (a key, or ``XAI_BASE_URL``), else the local backend;
    of those, the first the ``policy`` allows."""
    allowed = (policy or BackendPolicy()).allowed
    configured = env.get("XAI_API_KEY") or env.get("XAI_BASE_URL") or secrets.get("XAI_API_KEY")
    preference = (BACKEND_XAI, BACKEND_LOCAL) if configured else (BACKEND_LOCAL, BACKEND_XAI)
    for backend in (*preference, *allowed):
        if backend in allowed:
            return backend
    return BACKEND_XAI  # unreachable: a policy always allows some backend


def choose_backend(
    requested: object,
    *,
    env: Mapping[str, str],
    secrets: Mapping[str, str],
    policy: BackendPolicy,
) -> str:
    """The session's backend: ``requested`` (its sidebar choice) when the deployment allows it,
    else the default one. A stale or forged session value never picks a disallowed backend."""
    if isinstance(requested, str) and requested in policy.allowed:
        return requested
    return default_backend(env, secrets, policy)


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
    policy: BackendPolicy | None = None,
) -> Connection:
    """Decide the base URL and key for the xAI or a custom backend (the local one: see
    :func:`local_connection`).

    A typed key wins. The operator's ``XAI_API_KEY`` (environment, then ``.streamlit/secrets.toml``)
    is used for the xAI backend only, whose URL the operator sets (``XAI_BASE_URL``, default
    api.x.ai): it is never sent to a custom URL that a visitor typed. A backend or custom URL the
    deployment's ``policy`` does not allow gets no URL, only a reason (``unavailable``).
    """
    policy = policy or BackendPolicy()
    if backend not in policy.allowed:
        return Connection(backend, "", None, "none", "This deployment does not offer that backend.")
    if backend == BACKEND_CUSTOM:
        base_url = (custom_base_url or "").strip().rstrip("/")
        if base_url and not policy.allows_custom_url(base_url):
            allowed = ", ".join(policy.custom_url_prefixes)
            reason = f"This deployment only allows custom base URLs under {allowed}."
            return Connection(backend, "", None, "none", reason)
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
    """What the sidebar shows: a level, a headline and detail lines, all plain text, and a word or
    two for the one-line status (``short``: "key ok", "key refused", "unreachable"...)."""

    level: Literal["success", "warning", "error", "info"]
    headline: str
    details: tuple[str, ...] = ()
    short: str = ""

    @property
    def usable(self) -> bool:
        """False when no request can work: no key or URL yet, a refused key, a server away."""
        return self.level not in ("info", "error")


def status_line(backend: str, status: ConnectionStatus) -> str:
    """The one-line connection status: ``Local (offline) · ready``, ``xAI · key refused``."""
    name = _SHORT_LABELS.get(backend, backend)
    return f"{name} · {status.short}" if status.short else name


def problem_status(connection: Connection) -> ConnectionStatus | None:
    """Why no request can be made on ``connection`` yet (no key, no URL, a backend that is not
    running or not allowed), as a status; ``None`` when it is ready to ask the server."""
    problem = connection.problem
    if problem is None:
        return None
    if connection.unavailable:
        short = "not running" if connection.backend == BACKEND_LOCAL else "not allowed"
    else:
        short = "no URL" if not connection.base_url else "no key"
    return ConnectionStatus("info", problem, short=short)


def _failure(exc: XaiError) -> ConnectionStatus:
    """The status for a request that failed: the server's words, and in short what went wrong."""
    if isinstance(exc, AuthenticationError):
        short = "key refused"
    elif isinstance(exc, PermissionDeniedError):
        short = "access denied"
    elif isinstance(exc, APIConnectionError):
        short = "unreachable"
    else:
        short = "error"
    return ConnectionStatus("error", exc.message, short=short)


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
        return _failure(exc)
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
        joined = ", ".join(flags)
        return ConnectionStatus("warning", f"{name}: {joined}", tuple(details), short=joined)
    return ConnectionStatus("success", f"Connected as {name}", tuple(details), short="key ok")


def _count_models(client: XaiClient) -> ConnectionStatus:
    try:
        models = client.list_models()
    except XaiError as exc:
        return _failure(exc)
    noun = "model" if len(models) == 1 else "models"
    count = f"{len(models)} {noun}"
    return ConnectionStatus("success", f"Connected: {count} available", short=count)


def _local_status(client: XaiClient) -> ConnectionStatus:
    try:
        models = client.list_models()
    except XaiError as exc:
        headline = f"The local backend does not answer: {exc.message}"
        return ConnectionStatus("error", headline, short="not answering")
    return ConnectionStatus(
        "success",
        "Local (offline)",
        (
            "Models: " + ", ".join(m.id for m in models),
            "Small models running on this machine: quick to try, sometimes wrong. "
            "Enter an xAI API key to use Grok.",
        ),
        short="ready",
    )
