"""What the connected server says about its models and prices (pure: no Streamlit).

xAI and the local backend describe their models with prices (``/v1/language-models``,
``/v1/embedding-models``); other OpenAI-compatible servers only list ``/v1/models``.
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.models.compute import (
    PricedModel,
    from_embedding_model,
    from_language_model,
    from_listed_model,
)
from xai_core import (
    EmbeddingModel,
    LanguageModel,
    Model,
    NotFoundError,
    PermissionDeniedError,
    XaiClient,
)

__all__ = ["LiveCatalog", "describe_model", "fetch_live_catalog"]


@dataclass(frozen=True)
class LiveCatalog:
    """The server's models. ``has_prices`` is False when it has no ``/v1/language-models``."""

    language: tuple[PricedModel, ...]
    embedding: tuple[PricedModel, ...]
    has_prices: bool

    @property
    def priced(self) -> bool:
        """True when some language model has a non-zero input or output price (xAI), False for
        servers without prices and the local backend (every price 0)."""
        return any((m.prices.input or 0) > 0 or (m.prices.output or 0) > 0 for m in self.language)


def fetch_live_catalog(client: XaiClient) -> LiveCatalog:
    """Language and embedding models with prices, or the plain ``/v1/models`` list when the
    server has no ``/v1/language-models`` (404/403). Other errors propagate (``XaiError``)."""
    try:
        language = [from_language_model(m) for m in client.list_language_models()]
    except (NotFoundError, PermissionDeniedError):
        listed = [from_listed_model(m) for m in client.list_models()]
        return LiveCatalog(tuple(listed), (), has_prices=False)
    try:
        embedding = [from_embedding_model(m) for m in client.list_embedding_models()]
    except (NotFoundError, PermissionDeniedError):  # xAI lists none for most teams
        embedding = []
    return LiveCatalog(tuple(language), tuple(embedding), has_prices=True)


def describe_model(client: XaiClient, model: PricedModel) -> LanguageModel | EmbeddingModel | Model:
    """The server's full description of one model, from the endpoint that listed it."""
    if model.kind == "language":
        return client.get_language_model(model.id)
    if model.kind == "embedding":
        return client.get_embedding_model(model.id)
    return client.get_model(model.id)
