"""Typed account and model-catalog responses: ``/api-key``, ``/models``, ``/language-models``,
``/embedding-models``, tolerant of fields a server adds (as every model in
:mod:`xai_core._types`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from xai_core._base import XaiModel
from xai_core.pricing import ModelPrices

__all__ = ["ApiKeyInfo", "EmbeddingModel", "LanguageModel", "Model", "ModelCapabilities"]


# --- account and models -------------------------------------------------------------------------


class ApiKeyInfo(XaiModel):
    """``GET /v1/api-key``: what the key is, never the key itself."""

    redacted_api_key: str | None = None
    user_id: str | None = None
    name: str | None = None
    create_time: str | None = None
    modify_time: str | None = None
    modified_by: str | None = None
    team_id: str | None = None
    acls: list[str] = Field(default_factory=list)
    api_key_id: str | None = None
    team_blocked: bool = False
    api_key_blocked: bool = False
    api_key_disabled: bool = False

    @property
    def usable(self) -> bool:
        """False when the key or its team is blocked or disabled."""
        return not (self.team_blocked or self.api_key_blocked or self.api_key_disabled)


class ModelCapabilities(XaiModel):
    """What a model can do, when the server says: xAI's ``capabilities`` object (the reasoning
    efforts it takes, its default one) plus the local backend's ``tools`` (structured tool calls:
    ``False`` when the model writes calls as text, ``None`` when not said)."""

    reasoning_effort: list[str] = Field(default_factory=list)
    default_reasoning_effort: str | None = None
    tools: bool | None = None


class Model(XaiModel):
    """An entry of ``GET /v1/models``: id, aliases and, when the server gives them (xAI since June
    2026), the context (tokens), prices (USD cents per 100M tokens, see :mod:`xai_core.pricing`)
    with the long-context tier, and capabilities; plus what other servers add: its ``kind`` (the
    local backend: ``chat``, ``base`` or ``embedding``) and a one-line ``description``."""

    id: str
    aliases: list[str] = Field(default_factory=list)
    created: int | None = None
    object: str = "model"
    owned_by: str | None = None
    context_length: int | None = None
    prompt_text_token_price: int | None = None
    cached_prompt_text_token_price: int | None = None
    prompt_image_token_price: int | None = None
    completion_text_token_price: int | None = None
    prompt_text_token_price_long_context: int | None = None
    cached_prompt_text_token_price_long_context: int | None = None
    completion_text_token_price_long_context: int | None = None
    #: Prompt tokens at or above which the long-context prices apply.
    long_context_threshold: int | None = None
    #: Ticks per generated image (image models).
    image_price: int | None = None
    #: Image models' prices by quality and resolution (``price_per_image`` in ticks).
    pricing: list[dict[str, Any]] | None = None
    capabilities: ModelCapabilities | None = None
    kind: str | None = None
    description: str | None = None

    @property
    def prices(self) -> ModelPrices:
        """This model's token prices with its long-context tier (a long price of 0 is "no tier",
        as ``/v1/language-models`` says it), ready for :func:`xai_core.pricing.cost_in_usd`."""
        longs = (
            self.prompt_text_token_price_long_context or None,
            self.cached_prompt_text_token_price_long_context or None,
            self.completion_text_token_price_long_context or None,
        )
        tiered = any(longs) and bool(self.long_context_threshold)
        return ModelPrices(
            input=self.prompt_text_token_price,
            cached_input=self.cached_prompt_text_token_price,
            output=self.completion_text_token_price,
            image_input=self.prompt_image_token_price,
            input_long_context=longs[0] if tiered else None,
            cached_input_long_context=longs[1] if tiered else None,
            output_long_context=longs[2] if tiered else None,
            long_context_threshold=self.long_context_threshold if tiered else None,
        )


class _DescribedModel(Model):
    fingerprint: str | None = None
    version: str | None = None
    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)


class LanguageModel(_DescribedModel):
    """An entry of ``GET /v1/language-models``; prices are cents per 100M tokens (see pricing),
    long-context prices of 0 mean the model has no such tier."""

    search_price: int | None = None
    max_prompt_length: int | None = None


class EmbeddingModel(_DescribedModel):
    """An entry of ``GET /v1/embedding-models``."""

    @property
    def prices(self) -> ModelPrices:
        """Embedding models bill input tokens only."""
        return ModelPrices(
            input=self.prompt_text_token_price,
            output=0,
            image_input=self.prompt_image_token_price,
        )
