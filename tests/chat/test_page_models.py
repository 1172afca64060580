"""The chat page priced and parametrised per model, as the Models page prices it: a long prompt
without ticks costs the calculator's long-context price; compare sends each model only what it
takes and says what it left out; the reasoning effort offers the model's own efforts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from playground.core.catalog import fetch_catalog
from playground.models.choice import choose_prices
from playground.models.compute import UsageProfile, estimate_cost
from playground.models.data.snapshot import load_snapshot
from tests.apptest import texts
from tests.chat.test_page import chat_app
from tests.chat.test_page_flow import text_stream
from tests.fake_xai import FakeXai
from xai_core import XaiClient

#: The issue's request: 250,000 prompt tokens and 100 out on grok-4.3, no cost_in_usd_ticks.
LONG_USAGE = {"prompt_tokens": 250_000, "completion_tokens": 100, "total_tokens": 250_100}
#: grok-4.3 lists its efforts; the fast non-reasoning model lists none (it rejects the effort).
CATALOG: list[dict[str, Any]] = [
    {
        "id": "grok-4.3",
        "capabilities": {
            "reasoning_effort": ["none", "low", "medium", "high"],
            "default_reasoning_effort": "low",
        },
    },
    {"id": "grok-4-fast-non-reasoning", "capabilities": {"reasoning_effort": []}},
]


@pytest.fixture
def client(fake_xai: FakeXai) -> Iterator[XaiClient]:
    with XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, max_retries=0) as c:
        yield c


def chat_bodies(fake: FakeXai) -> list[dict[str, Any]]:
    return [r.body for r in fake.requests if r.path == "/v1/chat/completions"]


def test_a_long_prompt_without_ticks_costs_the_calculator_price(
    env_fake: FakeXai, client: XaiClient
) -> None:
    catalog = fetch_catalog(client)  # the fake lists no tier: both take the snapshot's
    prices = choose_prices(catalog, load_snapshot(), env_fake.base_url)
    grok = next(m for m in prices.models if m.id == "grok-4.3")
    calculator = estimate_cost(grok, UsageProfile(250_000, 0.0, 100, 1))
    assert calculator is not None and calculator.per_request_usd == pytest.approx(0.6255)
    at = chat_app()
    at.sidebar.selectbox(key="chat_model").set_value("grok-4.3").run()
    env_fake.set_stream_script(text_stream(["Long ", "read."], usage=LONG_USAGE))
    at.chat_input[0].set_value("a very long document").run()
    assert not at.exception, [e.value for e in at.exception]
    stats = " ".join(texts(at.chat_message[1].caption))
    assert "250,000 in" in stats and "$0.626 estimated" in stats  # not the standard $0.313


def test_compare_never_sends_an_effort_to_a_model_that_rejects_it(env_fake: FakeXai) -> None:
    env_fake.set_catalog(CATALOG)
    at = chat_app()
    at.sidebar.selectbox(key="chat_model").set_value("grok-4.3").run()
    effort = at.sidebar.selectbox(key="chat_reasoning_effort")
    assert not effort.disabled
    assert effort.options == ["low (default)", "none", "low", "medium", "high"]
    assert "Unset: low (this model's default)." in str(effort.help)
    effort.set_value("high").run()
    at.sidebar.toggle(key="chat_compare").set_value(True).run()
    at.sidebar.multiselect(key="chat_compare_with").set_value(["grok-4-fast-non-reasoning"]).run()
    note = "grok-4-fast-non-reasoning: left out: reasoning_effort "
    note += "(grok-4-fast-non-reasoning does not take it)"
    assert any(note in t.replace("\\", "") for t in texts(at.sidebar.caption))
    at.chat_input[0].set_value("hello both").run()
    assert not at.exception, [e.value for e in at.exception]
    sent = {b["model"]: b for b in chat_bodies(env_fake)}
    assert sent["grok-4.3"]["reasoning_effort"] == "high"
    assert "reasoning_effort" not in sent["grok-4-fast-non-reasoning"]


def test_a_model_without_efforts_has_the_effort_disabled(env_fake: FakeXai) -> None:
    env_fake.set_catalog(CATALOG)
    at = chat_app()
    at.sidebar.selectbox(key="chat_model").set_value("grok-4-fast-non-reasoning").run()
    assert at.sidebar.selectbox(key="chat_reasoning_effort").disabled
    at.sidebar.selectbox(key="chat_model").set_value("grok-4.3").run()
    assert not at.sidebar.selectbox(key="chat_reasoning_effort").disabled
