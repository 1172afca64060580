"""The models a server offers, one type for every page (pure, no Streamlit).

:class:`ModelInfo` is one model whichever endpoint (or the offline snapshot) described it: id,
kind, prices as the API's raw integers (:class:`xai_core.ModelPrices`, converted only through
:mod:`xai_core.pricing`), context length, modalities and the facts the tables show.
:func:`fetch_catalog` is the one place that asks ``/v1/language-models`` and falls back to the
plain ``/v1/models`` list on servers without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from xai_core import (
    EmbeddingModel,
    LanguageModel,
    Model,
    ModelPrices,
    NotFoundError,
    PermissionDeniedError,
    XaiClient,
    usd_per_million,
)

__all__ = [
    "Catalog",
    "LongContextStep",
    "ModelInfo",
    "ModelKind",
    "describe_model",
    "fetch_catalog",
    "from_embedding_model",
    "from_language_model",
    "from_listed_model",
    "price_label",
]

#: Which endpoint listed a model: ``listed`` is a plain ``/v1/models`` entry (kind unknown).
ModelKind = Literal["language", "embedding", "listed"]


@dataclass(frozen=True)
class LongContextStep:
    """From ``threshold_tokens`` prompt tokens on, every token price of the request is
    multiplied by ``multiplier`` (xAI: 200K tokens, x2)."""

    threshold_tokens: int
    multiplier: int


@dataclass(frozen=True)
class ModelInfo:
    """One model: its id, prices (raw API integers), limits and facts, when the server says."""

    id: str
    kind: ModelKind = "language"
    aliases: tuple[str, ...] = ()
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    #: The longest prompt, in tokens (``max_prompt_length``).
    context_length: int | None = None
    prices: ModelPrices = field(default_factory=ModelPrices)
    #: Ticks per search source.
    search_price: int | None = None
    created: int | None = None
    version: str | None = None
    fingerprint: str | None = None
    owned_by: str | None = None
    #: ``current`` or ``retired`` for snapshot entries; ``None`` for live ones.
    status: str | None = None
    long_context: LongContextStep | None = None

    @property
    def accepts_images(self) -> bool:
        """True when the model takes images as input."""
        return "image" in self.input_modalities

    def with_long_context(self, step: LongContextStep | None) -> ModelInfo:
        """This model with ``step`` as its long-context price step."""
        return replace(self, long_context=step)


def from_language_model(
    model: LanguageModel, *, status: str | None = None, long_context: LongContextStep | None = None
) -> ModelInfo:
    """A ``/v1/language-models`` entry (or a snapshot entry of the same shape)."""
    return ModelInfo(
        id=model.id,
        kind="language",
        aliases=tuple(model.aliases),
        input_modalities=tuple(model.input_modalities),
        output_modalities=tuple(model.output_modalities),
        context_length=model.max_prompt_length,
        prices=model.prices,
        search_price=model.search_price,
        created=model.created,
        version=model.version,
        fingerprint=model.fingerprint,
        owned_by=model.owned_by,
        status=status,
        long_context=long_context,
    )


def from_embedding_model(model: EmbeddingModel) -> ModelInfo:
    """A ``/v1/embedding-models`` entry: input prices only."""
    return ModelInfo(
        id=model.id,
        kind="embedding",
        aliases=tuple(model.aliases),
        input_modalities=tuple(model.input_modalities),
        output_modalities=tuple(model.output_modalities),
        prices=ModelPrices(
            input=model.prompt_text_token_price, image_input=model.prompt_image_token_price
        ),
        created=model.created,
        version=model.version,
        fingerprint=model.fingerprint,
        owned_by=model.owned_by,
    )


def from_listed_model(model: Model) -> ModelInfo:
    """A plain ``/v1/models`` entry: an id and an owner, no prices."""
    return ModelInfo(id=model.id, kind="listed", created=model.created, owned_by=model.owned_by)


@dataclass(frozen=True)
class Catalog:
    """The server's models. ``has_prices`` is False when it has no ``/v1/language-models``."""

    language: tuple[ModelInfo, ...]
    embedding: tuple[ModelInfo, ...]
    has_prices: bool

    @property
    def priced(self) -> bool:
        """True when some language model has a non-zero input or output price (xAI), False for
        servers without prices and the local backend (every price 0)."""
        return any((m.prices.input or 0) > 0 or (m.prices.output or 0) > 0 for m in self.language)


def fetch_catalog(client: XaiClient, *, embeddings: bool = False) -> Catalog:
    """The server's language models with prices, or the plain ``/v1/models`` list when it has no
    ``/v1/language-models`` (404/403). With ``embeddings``, also ``/v1/embedding-models`` (none
    when the server refuses it: xAI lists none for most teams). Other errors propagate
    (``XaiError``)."""
    try:
        language = tuple(from_language_model(m) for m in client.list_language_models())
    except (NotFoundError, PermissionDeniedError):
        listed = tuple(from_listed_model(m) for m in client.list_models())
        return Catalog(listed, (), has_prices=False)
    embedding: tuple[ModelInfo, ...] = ()
    if embeddings:
        try:
            embedding = tuple(from_embedding_model(m) for m in client.list_embedding_models())
        except (NotFoundError, PermissionDeniedError):
            embedding = ()
    return Catalog(language, embedding, has_prices=True)


def describe_model(client: XaiClient, model: ModelInfo) -> LanguageModel | EmbeddingModel | Model:
    """The server's full description of one model, from the endpoint that listed it."""
    if model.kind == "language":
        return client.get_language_model(model.id)
    if model.kind == "embedding":
        return client.get_embedding_model(model.id)
    return client.get_model(model.id)


def price_label(model: ModelInfo) -> str:
    """``grok-3-mini · $0.30 / $0.50 per 1M`` (input / output), or just the id when unknown."""
    prices = model.prices
    if prices.input is None or prices.output is None:
        return model.id
    return (
        f"{model.id} · ${usd_per_million(prices.input):.2f} / "
        f"${usd_per_million(prices.output):.2f} per 1M"
    )
