"""A model described for people, and the models only /v1/models lists (pure)."""

from __future__ import annotations

from playground.core.catalog import ModelInfo
from playground.models.details import dollars, model_facts, other_models
from xai_core import Model, ModelPrices


def test_dollars_keep_the_digits_a_price_has() -> None:
    assert [dollars(x) for x in (1.25, 0.075, 0.0375, 25.0, 1204.5)] == [
        "$1.25",
        "$0.075",
        "$0.0375",
        "$25.00",
        "$1,204.50",
    ]


def test_model_facts_read_in_dollars_per_million_and_dates() -> None:
    model = ModelInfo(
        "grok-4.3",
        aliases=("grok-4.3-latest",),
        input_modalities=("text", "image"),
        context_length=1_000_000,
        prices=ModelPrices(
            input=12500,
            cached_input=2000,
            output=25000,
            input_long_context=25000,
            output_long_context=50000,
            long_context_threshold=200_000,
        ),
        created=1775001600,
    )
    facts = dict(model_facts(model, "snapshot 2026-11-25"))
    assert facts["input price"] == "$1.25 per 1M tokens"
    assert facts["cached input price"] == "$0.20 per 1M tokens"
    assert facts["long-context prices"].startswith("from 200,000 prompt tokens: input $2.50")
    assert facts["context"] == "1,000,000 tokens"
    assert facts["created"] == "2026-04-01"
    assert facts["source"] == "snapshot 2026-11-25"
    assert "version" not in facts  # not given: left out, never "None"


def test_other_models_are_the_ones_no_priced_list_has() -> None:
    known = [ModelInfo("grok-3-mini", aliases=("grok-3-mini-latest",))]
    listed = [
        Model(id="grok-3-mini"),
        Model(id="grok-3-mini-latest-2", aliases=["grok-3-mini-latest"]),
        Model(id="grok-2-image-1212", image_price=700_000_000),
        Model(
            id="grok-imagine-image",
            pricing=[{"price_per_image": 200_000_000}, {"price_per_image": 500_000_000}],
        ),
        Model(id="mystery"),
    ]
    others = {m.id: m for m in other_models(listed, known)}
    assert set(others) == {"grok-2-image-1212", "grok-imagine-image", "mystery"}
    assert (others["grok-2-image-1212"].kind, others["grok-2-image-1212"].price) == (
        "image",
        "$0.07 per image",
    )
    assert others["grok-imagine-image"].price == "from $0.02 per image"
    assert (others["mystery"].kind, others["mystery"].price) == ("other", "no price listed")
