"""Cluster labels written by a chat model: the plan and its estimate, the requests against the
fake xAI server (one failing), the parameters for reasoning models, and the cleaning of replies."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from playground.core.catalog import ModelInfo
from playground.embeddings.compute.labels import ClusterLabel
from playground.embeddings.compute.naming import (
    EXAMPLE_CHARS,
    MAX_NAME_CHARS,
    NAME_TOKENS,
    REASONING_TOKENS,
    SYSTEM_PROMPT,
    clean_name,
    name_clusters,
    naming_params,
    naming_plan,
    representative_rows,
)
from tests.fake_xai import FakeXai
from xai_core import ModelPrices, XaiClient

CHAT = "/v1/chat/completions"
LABELS = [
    ClusterLabel(0, 3, ("pasta", "garlic", "sauce"), "pasta · garlic · sauce"),
    ClusterLabel(1, 2, ("goal", "striker"), "goal · striker"),
    ClusterLabel(2, 2, ("orbit",), "orbit"),
]
TEXTS = [
    "Simmer the sauce with garlic.",
    "Boil the pasta.",
    "x" * 500,
    "The striker scored a goal.",
    "The striker scored a goal.",
    "A rocket reached orbit.",
    "Planets orbit the sun.",
]
CLUSTERS = np.array([0, 0, 0, 1, 1, 2, 2])


def reply(
    content: str,
    *,
    prompt: int = 100,
    completion: int = 4,
    ticks: int | None = None,
    finish: str = "stop",
) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if ticks is not None:
        usage["cost_in_usd_ticks"] = ticks
    return {
        "id": "r",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
            }
        ],
        "usage": usage,
    }


def test_representative_rows_are_nearest_the_cluster_mean() -> None:
    points = np.array([[0, 0], [1, 0], [2, 0], [10, 10], [3, 3], [-1, -1]], dtype=np.float32)
    rows = representative_rows(points, np.array([0, 0, 0, -1, 1, 1]), per_cluster=2)
    assert rows == {0: [1, 0], 1: [4, 5]}  # cluster 0's mean is (1, 0); 0 before 2 (a tie)
    with pytest.raises(ValueError):
        representative_rows(points, np.array([0]))


def test_the_plan_has_one_request_per_cluster_with_keywords_and_examples() -> None:
    rows = representative_rows(np.arange(7, dtype=np.float32)[:, None], CLUSTERS)
    plan = naming_plan(LABELS, TEXTS, rows, ModelPrices(input=20_000, output=100_000))
    assert [r.cluster for r in plan.requests] == [0, 1, 2]
    first = plan.requests[0].messages
    assert first[0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert "2 to 5 words" in SYSTEM_PROMPT
    user = first[1]["content"]
    assert "Keywords: pasta, garlic, sauce" in user
    assert "- Boil the pasta." in user and "- Simmer the sauce with garlic." in user
    assert "x" * (EXAMPLE_CHARS - 1) + "…" in user and "x" * EXAMPLE_CHARS not in user  # cut
    assert plan.requests[1].messages[1]["content"].count("The striker scored") == 1  # no twins
    assert plan.input_tokens == sum(r.input_tokens for r in plan.requests) > 3 * 40
    assert plan.output_tokens == 3 * 12
    # $2 per 1M in, $10 per 1M out
    assert plan.cost_usd == pytest.approx(plan.input_tokens * 2e-6 + plan.output_tokens * 1e-5)
    free = naming_plan(LABELS, TEXTS, rows, ModelPrices(input=0, output=0))
    assert free.cost_usd == 0
    assert naming_plan(LABELS, TEXTS, rows, None).cost_usd is None
    assert naming_plan(LABELS, TEXTS, rows, ModelPrices()).cost_usd is None


def test_clusters_are_named_one_request_each_and_a_failure_does_not_stop_the_rest(
    fake_xai: FakeXai,
) -> None:
    rows = representative_rows(np.arange(7, dtype=np.float32)[:, None], CLUSTERS)
    plan = naming_plan(LABELS, TEXTS, rows, ModelPrices(input=20_000, output=100_000))
    fake_xai.answer_next(reply('"Italian cooking."', ticks=1_000_000), path=CHAT)
    fake_xai.fail_next(400, path=CHAT)
    fake_xai.answer_next(reply("**Label:** Space <b>travel</b>", prompt=50), path=CHAT)
    seen: list[tuple[int, int, int]] = []
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    result = name_clusters(client, "grok-x", plan, lambda *step: seen.append(step))
    assert result.names == {0: "Italian cooking", 2: "Space travel"}
    assert list(result.failures) == [1] and "400" in result.failures[1]
    assert seen == [(1, 3, 0), (2, 3, 1), (3, 3, 2)]
    assert (result.input_tokens, result.output_tokens) == (150, 8)
    # the first reply's own ticks ($0.0001), the other from the prices
    assert result.cost_usd == pytest.approx(1e-4 + 50 * 2e-6 + 4 * 1e-5)
    sent = [r.body for r in fake_xai.requests if r.path == CHAT]
    assert len(sent) == 3
    assert sent[0]["model"] == "grok-x" and not sent[0].get("stream")
    assert sent[0]["temperature"] == 0 and sent[0]["max_completion_tokens"] == NAME_TOKENS
    assert sent[0]["messages"] == list(plan.requests[0].messages)


def test_a_cut_or_empty_reply_is_a_failure_and_an_unknown_cost_is_none(
    fake_xai: FakeXai,
) -> None:
    plan = naming_plan(LABELS[:2], TEXTS, {}, None)
    fake_xai.answer_next(reply("", finish="length"), path=CHAT)
    fake_xai.answer_next(reply("  \n ``` \n"), path=CHAT)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    result = name_clusters(client, "m", plan)
    assert result.names == {}
    assert result.failures == {
        0: "the reply was cut before the label",
        1: "the reply held no label",
    }
    assert result.cost_usd is None


def test_parameters_for_plain_local_and_reasoning_models() -> None:
    plain = {"temperature": 0.0, "max_completion_tokens": NAME_TOKENS}
    assert naming_params(None) == plain
    local = ModelInfo("qwen2.5-coder-0.5b-instruct", reasoning_efforts=())
    assert naming_params(local) == plain
    mini = naming_params(ModelInfo("grok-3-mini"))
    assert mini == {
        "temperature": 0.0,
        "max_completion_tokens": REASONING_TOKENS,
        "reasoning_effort": "low",
    }
    latest = naming_params(ModelInfo("grok-4.3", reasoning_efforts=("none", "low", "high")))
    assert latest["reasoning_effort"] == "none"
    fast = naming_params(ModelInfo("grok-4-fast-reasoning"))  # reasons, takes no effort
    assert fast == {"temperature": 0.0, "max_completion_tokens": REASONING_TOKENS}
    assert naming_params(ModelInfo("grok-4-fast-non-reasoning")) == plain


@pytest.mark.parametrize(
    ("reply_text", "name"),
    [
        ("Italian cooking", "Italian cooking"),
        ('"Italian Cooking."', "Italian Cooking"),
        ("Label: Football matches\nBecause the texts...", "Football matches"),
        ("**Topic label:** `Space` travel", "Space travel"),
        ("<think>hmm, food?</think>\n\nHome baking", "Home baking"),
        ("- Personal finance!", "Personal finance"),
        ("1. Garden care", "Garden care"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("Tab\tand\x00 nul\x1b[31m", "Tab and nul 31m"),
        ("", ""),
        ("...", ""),
        ("«Médecine générale»", "Médecine générale"),
    ],
)
def test_clean_name(reply_text: str, name: str) -> None:
    assert clean_name(reply_text) == name


def test_a_long_name_is_cut_at_a_word() -> None:
    long = "Very long label about many different things in the world of cooking and more"
    cleaned = clean_name(long)
    assert (
        len(cleaned) <= MAX_NAME_CHARS
        and long.startswith(cleaned)
        and " " not in long[len(cleaned) : len(cleaned) + 1].strip()
    )
    assert len(clean_name("x" * 100)) == MAX_NAME_CHARS
