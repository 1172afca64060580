"""The models a server offers, one type for every page (pure, no Streamlit).

:class:`ModelInfo` is one model whichever endpoint (or the offline snapshot) described it: id,
kind, prices as the API's raw integers (:class:`xai_core.ModelPrices`, converted only through
:mod:`xai_core.pricing`), context length, modalities, what the server says it is for and can do,
and the facts the tables show. :func:`fetch_catalog` is the one place that asks
``/v1/language-models`` and falls back to the plain ``/v1/models`` list on servers without it.

:func:`rejected_parameters` is the one place that decides which request parameters a model does
not take: from its capabilities when the server lists them, else from xAI's model names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from playground.core.params import Endpoint, Field, fields
from xai_core import (
    EmbeddingModel,
    LanguageModel,
    Model,
    ModelCapabilities,
    ModelPrices,
    NotFoundError,
    PermissionDeniedError,
    XaiClient,
    usd_per_million,
)

__all__ = [
    "REASONING_REJECTED",
    "TOOLS_REJECTED",
    "Catalog",
    "LongContextStep",
    "ModelInfo",
    "ModelKind",
    "default_model",
    "describe_model",
    "fetch_catalog",
    "fields_for_model",
    "from_embedding_model",
    "from_language_model",
    "from_listed_model",
    "price_label",
    "rejected_parameters",
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
    #: What the server says the model is for (its ``kind``): ``chat``, ``base``, ``embedding``.
    purpose: str | None = None
    #: One line for people (the local backend's models say what they are for).
    description: str | None = None
    #: The reasoning efforts it takes; ``None`` when the server does not say.
    reasoning_efforts: tuple[str, ...] | None = None
    #: Whether it makes structured tool calls; ``None`` when the server does not say.
    takes_tools: bool | None = None

    @property
    def accepts_images(self) -> bool:
        """True when the model takes images as input."""
        return "image" in self.input_modalities

    def with_long_context(self, step: LongContextStep | None) -> ModelInfo:
        """This model with ``step`` as its long-context price step."""
        return replace(self, long_context=step)


def _with_said(info: ModelInfo, model: Model) -> ModelInfo:
    """``info`` with what the entry says about itself: purpose, description and capabilities."""
    capabilities: ModelCapabilities | None = model.capabilities
    return replace(
        info,
        purpose=model.kind,
        description=model.description,
        reasoning_efforts=None if capabilities is None else tuple(capabilities.reasoning_effort),
        takes_tools=None if capabilities is None else capabilities.tools,
    )


def from_language_model(
    model: LanguageModel, *, status: str | None = None, long_context: LongContextStep | None = None
) -> ModelInfo:
    """A ``/v1/language-models`` entry (or a snapshot entry of the same shape)."""
    info = ModelInfo(
        id=model.id,
        kind="language",
        aliases=tuple(model.aliases),
        input_modalities=tuple(model.input_modalities),
        output_modalities=tuple(model.output_modalities),
        context_length=model.max_prompt_length or model.context_length,
        prices=model.prices,
        search_price=model.search_price,
        created=model.created,
        version=model.version,
        fingerprint=model.fingerprint,
        owned_by=model.owned_by,
        status=status,
        long_context=long_context,
    )
    return _with_said(info, model)


def from_embedding_model(model: EmbeddingModel) -> ModelInfo:
    """A ``/v1/embedding-models`` entry: input prices only."""
    info = ModelInfo(
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
    return _with_said(info, model)


def from_listed_model(model: Model) -> ModelInfo:
    """A plain ``/v1/models`` entry: an id and an owner, no prices (and, when the server adds
    them, its context, purpose, description and capabilities)."""
    info = ModelInfo(
        id=model.id,
        kind="listed",
        created=model.created,
        owned_by=model.owned_by,
        context_length=model.context_length,
    )
    return _with_said(info, model)


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
        language = _text_models(from_language_model(m) for m in client.list_language_models())
    except (NotFoundError, PermissionDeniedError):
        listed = [from_listed_model(m) for m in client.list_models()]
        return Catalog(_text_models(listed), (), has_prices=False)
    embedding: tuple[ModelInfo, ...] = ()
    if embeddings:
        try:
            embedding = tuple(from_embedding_model(m) for m in client.list_embedding_models())
        except (NotFoundError, PermissionDeniedError):
            embedding = ()
    return Catalog(language, embedding, has_prices=True)


def _text_models(models: Iterable[ModelInfo]) -> tuple[ModelInfo, ...]:
    """The models that write text: the ones the server calls embedding models are left out."""
    return tuple(m for m in models if m.purpose != "embedding")


def default_model(models: list[ModelInfo], purpose: str) -> ModelInfo:
    """The first model the server says is for ``purpose`` (``chat``, ``base``), else the first."""
    return next((m for m in models if m.purpose == purpose), models[0])


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


# --- what a model takes ---------------------------------------------------------------------------

TOOLS_REJECTED = "this model does not make tool calls (the local models write them as text)"
_NO_EFFORT = "this model does not take a reasoning effort"
_REASONING_REJECTS = "reasoning models reject it"
#: What xAI's reasoning models refuse.
REASONING_REJECTED = ("presence_penalty", "frequency_penalty", "stop")
_REASONING_FAMILIES = ("grok-3-mini", "grok-4-", "grok-code")  # grok-4-0709, grok-4-fast-*, ...


def _is_xai_reasoning(model_id: str) -> bool | None:
    """True/False for xAI models whose reasoning is known; None when the model is not known."""
    name = model_id.lower()
    if not name.startswith("grok-"):
        return None
    if "non-reasoning" in name:
        return False
    if "reasoning" in name or name == "grok-4" or name.startswith(_REASONING_FAMILIES):
        return True
    return None


def _rejected_by_name(model_id: str) -> dict[str, str]:
    """xAI's rules by model name: reasoning models reject penalties and stop; of them only
    grok-3-mini takes a reasoning effort, and models that do not reason take none."""
    reasoning = _is_xai_reasoning(model_id)
    if reasoning is None:
        return {}
    if not reasoning:
        return {"reasoning_effort": _NO_EFFORT}
    rejected = dict.fromkeys(REASONING_REJECTED, _REASONING_REJECTS)
    if not model_id.lower().startswith("grok-3-mini"):
        rejected["reasoning_effort"] = "only grok-3-mini takes a reasoning effort"
    return rejected


def rejected_parameters(model: ModelInfo) -> dict[str, str]:
    """``{parameter: one-line reason}`` for the parameters ``model`` does not take.

    What the server's capabilities say wins (tools false: no tools nor tool choice; an empty
    list of reasoning efforts: no reasoning effort); what they leave unsaid follows xAI's model
    names. A model nothing is known about has nothing disabled: the server's own 400 and the
    page's "retry without it" cover the rest.
    """
    rejected = _rejected_by_name(model.id)
    if model.reasoning_efforts is not None:
        rejected.pop("reasoning_effort", None)
        if not model.reasoning_efforts:
            rejected["reasoning_effort"] = _NO_EFFORT
    if model.takes_tools is False:
        rejected["tools"] = rejected["tool_choice"] = TOOLS_REJECTED
    return rejected


def fields_for_model(endpoint: Endpoint, model: ModelInfo | None) -> list[Field]:
    """``endpoint``'s fields as ``model`` takes them: a reasoning effort offers only the values
    the server lists for it (all of them when it lists none or says nothing)."""
    shown = list(fields(endpoint).values())
    efforts = model.reasoning_efforts if model is not None else None
    if not efforts:
        return shown
    return [
        replace(f, options=tuple(efforts)) if f.name == "reasoning_effort" else f for f in shown
    ]
