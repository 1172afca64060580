"""What the local backend says about its models and its key, in xAI's shapes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

__all__ = ["LocalCatalog", "redact"]

OWNER = "local"


def redact(key: str) -> str:
    """Like xAI's ``redacted_api_key``: the first and last characters only."""
    return f"{key[:4]}...{key[-4:]}" if len(key) > 12 else "***"


@dataclass(frozen=True)
class LocalCatalog:
    """The two local models and the local key, described as xAI describes its own."""

    llm_id: str
    llm_version: str
    context_length: int
    embedding_id: str
    embedding_dimensions: int
    created: int

    @classmethod
    def now(cls, **kwargs: Any) -> LocalCatalog:
        return cls(created=int(time.time()), **kwargs)

    def _common(self, model_id: str, version: str) -> dict[str, Any]:
        return {
            "id": model_id,
            "fingerprint": f"fp_local_{version}",
            "created": self.created,
            "object": "model",
            "owned_by": OWNER,
            "version": version,
            "aliases": [],
        }

    def language_model(self) -> dict[str, Any]:
        return {
            **self._common(self.llm_id, self.llm_version),
            "input_modalities": ["text"],
            "output_modalities": ["text"],
            "prompt_text_token_price": 0,
            "cached_prompt_text_token_price": 0,
            "prompt_image_token_price": 0,
            "completion_text_token_price": 0,
            "search_price": 0,
            "max_prompt_length": self.context_length,
        }

    def embedding_model(self) -> dict[str, Any]:
        return {
            **self._common(self.embedding_id, f"{self.embedding_dimensions}d-int8"),
            "input_modalities": ["text"],
            "output_modalities": ["embedding"],
            "prompt_text_token_price": 0,
            "prompt_image_token_price": 0,
        }

    def models(self) -> list[dict[str, Any]]:
        """``/v1/models`` entries (OpenAI shape)."""
        return [
            {"id": m, "created": self.created, "object": "model", "owned_by": OWNER}
            for m in (self.llm_id, self.embedding_id)
        ]

    def api_key(self, key: str) -> dict[str, Any]:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.created))
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
