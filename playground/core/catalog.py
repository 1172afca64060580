"""The models a server offers, one type for every page (pure, no Streamlit).

:class:`ModelInfo` is one model whichever endpoint (or the offline snapshot) described it: id,
kind, prices as the API's raw integers (:class:`xai_core.ModelPrices`, converted only through
:mod:`xai_core.pricing`), context length, modalities, what the server says it is for and can do,
and the facts the tables show. :func:`fetch_catalog` is the one place that asks
``/v1/language-models`` and falls back to the plain ``/v1/models`` list on servers without it;
:func:`with_known_tiers` gives models the server lists without a long-context tier the one a
known list (the price snapshot) has for them.

:func:`rejected_parameters` and :func:`reasoning_efforts` are the one place that decides which
request parameters (and reasoning efforts) a model takes: from its capabilities when the server
lists them, else from xAI's model names; :func:`unaccepted` is what a set of parameters loses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    "reasoning_efforts",
    "rejected_parameters",
    "unaccepted",
    "with_known_tiers",
]

#: Which endpoint listed a model: ``listed`` is a plain ``/v1/models`` entry (kind unknown).
ModelKind = Literal["language", "embedding", "listed"]


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
    #: Its prices, with the long-context tier when one is known.
    prices: ModelPrices = field(default_factory=ModelPrices)
    #: Ticks per search source.
    search_price: int | None = None
    created: int | None = None
    version: str | None = None
    fingerprint: str | None = None
    owned_by: str | None = None
    #: ``current`` or ``retired`` for snapshot entries; ``None`` for live ones.
    status: str | None = None
    #: What the server says the model is for (its ``kind``): ``chat``, ``base``, ``embedding``.
    purpose: str | None = None
    #: One line for people (the local backend's models say what they are for).
    description: str | None = None
    #: The reasoning efforts it takes; ``None`` when the server does not say.
    reasoning_efforts: tuple[str, ...] | None = None
    #: The effort it uses when none is sent; ``None`` when the server does not say.
    default_reasoning_effort: str | None = None
    #: Whether it makes structured tool calls; ``None`` when the server does not say.
    takes_tools: bool | None = None

    @property
    def accepts_images(self) -> bool:
        """True when the model takes images as input."""
        return "image" in self.input_modalities


def _with_said(info: ModelInfo, model: Model) -> ModelInfo:
    """``info`` with what every entry may say about itself: aliases, when and by whom it was made,
    purpose, description and capabilities (and, for the described endpoints, its modalities,
    version and fingerprint)."""
    said = replace(
        info,
        aliases=tuple(model.aliases),
        created=model.created,
        owned_by=model.owned_by,
        purpose=model.kind,
        description=model.description,
    )
    if isinstance(model, LanguageModel | EmbeddingModel):
        said = replace(
            said,
            input_modalities=tuple(model.input_modalities),
            output_modalities=tuple(model.output_modalities),
            version=model.version,
            fingerprint=model.fingerprint,
        )
    capabilities: ModelCapabilities | None = model.capabilities
    if capabilities is None:
        return said
    return replace(
        said,
        reasoning_efforts=tuple(capabilities.reasoning_effort),
        default_reasoning_effort=capabilities.default_reasoning_effort,
        takes_tools=capabilities.tools,
    )


def from_language_model(model: LanguageModel, *, status: str | None = None) -> ModelInfo:
    """A ``/v1/language-models`` entry (or a snapshot entry of the same shape)."""
    info = ModelInfo(
        id=model.id,
        kind="language",
        context_length=model.max_prompt_length or model.context_length,
        prices=model.prices,
        search_price=model.search_price,
        status=status,
    )
    return _with_said(info, model)


def from_embedding_model(model: EmbeddingModel) -> ModelInfo:
    """A ``/v1/embedding-models`` entry: input prices only."""
    prices = ModelPrices(
        input=model.prompt_text_token_price, image_input=model.prompt_image_token_price
    )
    return _with_said(ModelInfo(id=model.id, kind="embedding", prices=prices), model)


def from_listed_model(model: Model) -> ModelInfo:
    """A plain ``/v1/models`` entry: an id and an owner (and, when the server adds them, its
    aliases, context, prices, purpose, description and capabilities)."""
    info = ModelInfo(
        id=model.id, kind="listed", context_length=model.context_length, prices=model.prices
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
    """The server's language models with prices, or the ``/v1/models`` list when it has no
    ``/v1/language-models`` (404/403); that list has prices when its entries carry them (xAI's
    2026 ``/v1/models`` does, llama.cpp's and vLLM's do not). With ``embeddings``, also
    ``/v1/embedding-models`` (none when the server refuses it: xAI lists none for most teams).
    Other errors propagate (``XaiError``)."""
    try:
        language = _text_models(from_language_model(m) for m in client.list_language_models())
    except (NotFoundError, PermissionDeniedError):
        listed = _text_models(from_listed_model(m) for m in client.list_models())
        said = any(m.prices.input is not None or m.prices.output is not None for m in listed)
        return Catalog(listed, (), has_prices=said)
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


def with_known_tiers(models: Iterable[ModelInfo], known: Sequence[ModelInfo]) -> list[ModelInfo]:
    """``models``, each one the server lists without a long-context tier given the tier of the
    ``known`` model of the same id (or alias), scaled to its own prices
    (:meth:`xai_core.ModelPrices.with_tier_of`). Free models (every price 0) stay free."""
    by_name = {name: k for k in known for name in (k.id, *k.aliases)}
    result = []
    for model in models:
        match = by_name.get(model.id)
        if match is None or not (model.prices.input or model.prices.output):
            result.append(model)
        else:
            result.append(replace(model, prices=model.prices.with_tier_of(match.prices)))
    return result


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
#: What xAI's reasoning models refuse.
REASONING_REJECTED = ("presence_penalty", "frequency_penalty", "stop")
_REASONING_REJECTS = "reasoning models reject it"
_REASONING_FAMILIES = ("grok-3-mini", "grok-4-", "grok-4.", "grok-code", "grok-build")
#: xAI's reasoning models that take an effort, by name (docs.x.ai reasoning; the first match
#: wins); the other reasoning ones reject every value. Only a fallback: ``capabilities`` wins.
_EFFORTS_BY_NAME = (
    ("grok-3-mini", ("low", "high")),
    ("grok-4.20-multi-agent", ("low", "medium", "high", "xhigh")),
    ("grok-4.6", ("low", "medium", "high", "xhigh")),
    ("grok-4.3", ("none", "low", "medium", "high")),
    ("grok-latest", ("none", "low", "medium", "high")),
)
_EFFORTS_OF_ALIASES = {"grok-4": "grok-4.3"}  # grok-4 resolves to grok-4.3 since June 2026


def _is_xai_reasoning(model: ModelInfo) -> bool | None:
    """True/False for xAI models whose reasoning is known; None when the model is not known."""
    name = model.id.lower()
    if not name.startswith("grok-"):
        return None
    if "non-reasoning" in name:
        return False
    if model.reasoning_efforts:  # the server lists efforts: it reasons
        return True
    if "reasoning" in name or name in ("grok-4", "grok-latest"):
        return True
    return True if name.startswith(_REASONING_FAMILIES) else None


def _efforts_by_name(model: ModelInfo) -> tuple[str, ...] | None:
    reasoning = _is_xai_reasoning(model)
    if reasoning is None:
        return None
    if not reasoning:
        return ()
    name = model.id.lower()
    name = _EFFORTS_OF_ALIASES.get(name, name)
    return next((efforts for prefix, efforts in _EFFORTS_BY_NAME if name.startswith(prefix)), ())


def reasoning_efforts(model: ModelInfo) -> tuple[str, ...] | None:
    """The reasoning efforts ``model`` takes: what its capabilities list, else xAI's rules by
    name. ``()`` means it rejects ``reasoning_effort`` (any value, even ``none``); ``None`` that
    nothing is known (every effort is offered and the server decides)."""
    if model.reasoning_efforts is not None:
        return model.reasoning_efforts
    return _efforts_by_name(model)


def rejected_parameters(model: ModelInfo) -> dict[str, str]:
    """``{parameter: one-line reason}`` for the parameters ``model`` does not take.

    A reasoning effort follows :func:`reasoning_efforts`; xAI's reasoning models (by name, or a
    ``grok-`` model whose capabilities list efforts) reject penalties and stop; capabilities
    saying ``tools: false`` reject tools and the tool choice. A model nothing is known about has
    nothing disabled: the server's own 400 and the page's "retry without it" cover the rest.
    """
    rejected: dict[str, str] = {}
    if _is_xai_reasoning(model):
        rejected = dict.fromkeys(REASONING_REJECTED, _REASONING_REJECTS)
    if reasoning_efforts(model) == ():
        rejected["reasoning_effort"] = f"{model.id} does not take it"
    if model.takes_tools is False:
        rejected["tools"] = rejected["tool_choice"] = TOOLS_REJECTED
    return rejected


def unaccepted(model: ModelInfo, params: Mapping[str, object]) -> dict[str, str]:
    """``{parameter: why}`` for what of ``params`` (set ones) ``model`` would not accept: the
    parameters it rejects, and a reasoning effort it does not list."""
    rejected = rejected_parameters(model)
    set_names = [name for name, value in params.items() if value is not None]
    left_out = {name: rejected[name] for name in set_names if name in rejected}
    effort, efforts = params.get("reasoning_effort"), reasoning_efforts(model)
    if effort is not None and efforts and effort not in efforts:
        left_out["reasoning_effort"] = f"{model.id} takes {', '.join(efforts)}, not {effort}"
    return left_out


def _effort_field(field: Field, model: ModelInfo) -> Field:
    """The reasoning effort field offering ``model``'s efforts and saying its default."""
    efforts, default = reasoning_efforts(model), model.default_reasoning_effort
    return replace(
        field,
        options=efforts or field.options,
        default=f"{default} (this model's default)" if default else field.default,
        unset=default or field.unset,
    )


def fields_for_model(endpoint: Endpoint, model: ModelInfo | None) -> list[Field]:
    """``endpoint``'s fields as ``model`` takes them: a reasoning effort offers only the values
    it takes (all of them when nothing is known) and says its default when the server does."""
    shown = list(fields(endpoint).values())
    if model is None:
        return shown
    return [_effort_field(f, model) if f.name == "reasoning_effort" else f for f in shown]
