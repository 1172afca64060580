"""What the local backend says about its models and its key, in xAI's shapes.

Every function takes the registry entry it describes and ``created``, the Unix time the server
started (the models' ``created`` and the key's ``create_time``).
"""

from __future__ import annotations

import time
from typing import Any

from local_backend.registry import ModelEntry

__all__ = [
    "FREE_TEXT_PRICES",
    "api_key_info",
    "capabilities",
    "embedding_model",
    "language_model",
    "model_card",
    "redact",
]

OWNER = "local"


def redact(key: str) -> str:
    """Like xAI's ``redacted_api_key``: the first and last characters only."""
    return f"{key[:4]}...{key[-4:]}" if len(key) > 12 else "***"


def capabilities(entry: ModelEntry) -> dict[str, Any]:
    """xAI's ModelCapabilities (no reasoning effort) plus whether the model takes ``tools``."""
    return {"reasoning_effort": [], "default_reasoning_effort": None, "tools": entry.tools}


def _what(entry: ModelEntry) -> dict[str, Any]:
    """What the model is for: its kind, a line for the picker, and for a text model what it can
    do (these extend xAI's shapes, which allow extra properties)."""
    what: dict[str, Any] = {"kind": entry.kind, "description": entry.description}
    return what | {"capabilities": capabilities(entry)} if entry.is_text else what


#: A language model's prices: all zero (the local models are free); a long-context threshold of 0
#: means no long-context tier (xAI's ``LanguageModel`` requires every field).
FREE_TEXT_PRICES: dict[str, int] = {
    "prompt_text_token_price": 0,
    "cached_prompt_text_token_price": 0,
    "prompt_image_token_price": 0,
    "completion_text_token_price": 0,
    "prompt_text_token_price_long_context": 0,
    "cached_prompt_text_token_price_long_context": 0,
    "completion_text_token_price_long_context": 0,
    "long_context_threshold": 0,
}


def model_card(entry: ModelEntry, created: int) -> dict[str, Any]:
    """A ``/v1/models`` entry (xAI's ``Model``; a text model's context and zero prices)."""
    card: dict[str, Any] = {"id": entry.id, "aliases": [], "created": created}
    card |= {"object": "model", "owned_by": OWNER}
    if entry.is_text:
        card["context_length"] = entry.context_length
        card |= FREE_TEXT_PRICES
    return card | _what(entry)


def _described(entry: ModelEntry, created: int) -> dict[str, Any]:
    version = entry.version or entry.id
    return _what(entry) | {
        "id": entry.id,
        "fingerprint": f"fp_local_{version}",
        "created": created,
        "object": "model",
        "owned_by": OWNER,
        "version": version,
        "aliases": [],
        "input_modalities": list(entry.input_modalities),
        "output_modalities": list(entry.output_modalities),
    }


def language_model(entry: ModelEntry, created: int) -> dict[str, Any]:
    """A ``/v1/language-models`` entry: free, with the entry's context as its prompt limit."""
    return {
        **_described(entry, created),
        **FREE_TEXT_PRICES,
        "search_price": 0,
        "max_prompt_length": entry.context_length,
        "context_length": entry.context_length,
    }


def embedding_model(entry: ModelEntry, created: int) -> dict[str, Any]:
    """A ``/v1/embedding-models`` entry: free."""
    return {
        **_described(entry, created),
        "prompt_text_token_price": 0,
        "prompt_image_token_price": 0,
    }


def api_key_info(key: str, created: int) -> dict[str, Any]:
    """``/v1/api-key``: the local key described as xAI describes a key (redacted)."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created))
    return {
        "redacted_api_key": redact(key),
        "user_id": "local",
        "name": "Local backend (offline)",
        "create_time": stamp,
        "modify_time": stamp,
        "modified_by": "local",
        "team_id": "local",
        "acls": ["api-key:model:*", "api-key:endpoint:*"],
        "api_key_id": "local",
        "team_blocked": False,
        "api_key_blocked": False,
        "api_key_disabled": False,
    }
