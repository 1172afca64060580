"""Which API the chat page talks to: Responses or Chat Completions (pure, no Streamlit).

Responses is xAI's recommended API and the default for xAI and the local backend; Chat
Completions stays for servers without it (the default for a custom base URL, where Responses is
offered too). For xAI it is labelled legacy, as xAI's own docs call it "(Deprecated)".
"""

from __future__ import annotations

from playground.core.connection import BACKEND_CUSTOM, BACKEND_XAI
from xai_core import APIStatusError, XaiError

__all__ = [
    "CHAT_COMPLETIONS",
    "RESPONSES",
    "api_label",
    "api_options",
    "default_api",
    "responses_unserved",
]

RESPONSES = "responses"
CHAT_COMPLETIONS = "chat"


def default_api(backend: str) -> str:
    """Responses for xAI and the local backend; Chat Completions for a custom base URL."""
    return CHAT_COMPLETIONS if backend == BACKEND_CUSTOM else RESPONSES


def api_options(backend: str) -> list[str]:
    """Both APIs, the backend's default first."""
    first = default_api(backend)
    return [first, RESPONSES if first == CHAT_COMPLETIONS else CHAT_COMPLETIONS]


def api_label(api: str, backend: str) -> str:
    """``Responses`` or ``Chat Completions`` (``(legacy)`` on xAI)."""
    if api == RESPONSES:
        return "Responses"
    return "Chat Completions (legacy)" if backend == BACKEND_XAI else "Chat Completions"


def responses_unserved(error: XaiError | None, continued: bool) -> bool:
    """True when ``error`` says the server does not serve ``/v1/responses`` at all: a 404 or 405
    to a request that named no stored response (a 404 to one that did means that response is
    unknown or expired; one that names the model is about the model)."""
    if not isinstance(error, APIStatusError):
        return False
    status = error.status_code
    about_model = "model" in error.message.lower()
    return status == 405 or (status == 404 and not continued and not about_model)
