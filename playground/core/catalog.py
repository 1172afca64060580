"""The models a server offers, with what the pages need to know of each (pure, no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xai_core import ModelPrices, NotFoundError, PermissionDeniedError, XaiClient, usd_per_million

__all__ = ["ModelInfo", "list_language_models", "price_label"]


@dataclass(frozen=True)
class ModelInfo:
    """One language model: its id, prices (raw API integers) and limits, when the server says."""

    id: str
    prices: ModelPrices = field(default_factory=ModelPrices)
    context_length: int | None = None
    input_modalities: tuple[str, ...] = ("text",)

    @property
    def accepts_images(self) -> bool:
        return "image" in self.input_modalities


def list_language_models(client: XaiClient) -> list[ModelInfo]:
    """``/language-models`` when the server has it (xAI, the local backend), else ``/models``."""
    try:
        described = client.list_language_models()
    except (NotFoundError, PermissionDeniedError):
        return [ModelInfo(m.id) for m in client.list_models()]
    return [
        ModelInfo(
            m.id,
            m.prices,
            m.max_prompt_length,
            tuple(m.input_modalities) or ("text",),
        )
        for m in described
    ]


def price_label(model: ModelInfo) -> str:
    """``grok-3-mini · $0.30 / $0.50 per 1M`` (input / output), or just the id when unknown."""
    prices = model.prices
    if prices.input is None or prices.output is None:
        return model.id
    return (
        f"{model.id} · ${usd_per_million(prices.input):.2f} / "
        f"${usd_per_million(prices.output):.2f} per 1M"
    )
