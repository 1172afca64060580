"""Logprobs → probabilities, entropy, mean log-probability, colours and the escaped token HTML."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from playground.core.token_html import tokens_html
from playground.core.token_probabilities import (
    mean_logprob,
    perplexity,
    probability_colour,
    token_probabilities,
    top_k_entropy,
)
from xai_core import Completion, CompletionLogprobs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_logprobs() -> CompletionLogprobs:
    completion = Completion.model_validate(json.loads((FIXTURES / "completion.json").read_text()))
    logprobs = completion.choices[0].logprobs
    assert logprobs is not None
    return logprobs


def test_rows_follow_the_tokens_with_probabilities_and_ranked_alternatives() -> None:
    rows = token_probabilities(fixture_logprobs())
    assert [r.token for r in rows] == [" the", " quick", " brown", " fox"]
    assert rows[1].probability == pytest.approx(math.exp(-1.25))
    assert [alt for alt, _ in rows[3].alternatives] == [" fox", " dog"]
    assert rows[3].alternatives[1][1] == pytest.approx(math.exp(-1.0))
    assert rows[3].alternatives_text() == "' fox' 60.7% · ' dog' 36.8%"


def test_alternatives_are_sorted_most_likely_first_whatever_the_server_order() -> None:
    logprobs = CompletionLogprobs(
        tokens=["b"], token_logprobs=[-2.0], top_logprobs=[{"b": -2.0, "a": -0.2}]
    )
    (row,) = token_probabilities(logprobs)
    assert [alt for alt, _ in row.alternatives] == ["a", "b"]


def test_entropy_counts_the_unlisted_mass_as_one_outcome() -> None:
    # Two alternatives of 1/2 each: exactly 1 bit, nothing left over.
    assert top_k_entropy({"a": math.log(0.5), "b": math.log(0.5)}) == pytest.approx(1.0)
    # One alternative of 1/2, the other half unlisted: still 1 bit.
    assert top_k_entropy({"a": math.log(0.5)}) == pytest.approx(1.0)
    # A certain token: 0 bits.
    assert top_k_entropy({"a": 0.0}) == pytest.approx(0.0)
    assert top_k_entropy({}) is None
    assert top_k_entropy(None) is None


def test_mean_logprob_and_perplexity_skip_tokens_without_a_logprob() -> None:
    logprobs = CompletionLogprobs(tokens=["Hi", " there"], token_logprobs=[None, -0.5])
    assert mean_logprob(logprobs) == pytest.approx(-0.5)
    assert perplexity(logprobs) == pytest.approx(math.exp(0.5))
    assert mean_logprob(fixture_logprobs()) == pytest.approx((-0.3125 - 1.25 - 0.0625 - 0.5) / 4)
    assert mean_logprob(CompletionLogprobs()) is None
    assert perplexity(CompletionLogprobs()) is None


def test_missing_top_logprobs_give_rows_without_alternatives() -> None:
    logprobs = CompletionLogprobs(tokens=["x", "y"], token_logprobs=[-0.1], top_logprobs=None)
    rows = token_probabilities(logprobs)
    assert rows[0].alternatives == () and rows[0].entropy_bits is None
    assert rows[1].logprob is None and rows[1].probability is None


def test_colours_run_from_red_through_amber_to_green() -> None:
    assert probability_colour(0.0) == "#f8b4b4"
    assert probability_colour(0.5) == "#fae2a0"
    assert probability_colour(1.0) == "#beeabe"
    assert probability_colour(None) == "#e6e6e6"
    assert probability_colour(1.7) == probability_colour(1.0)  # clamped


def test_token_html_escapes_every_token_and_tooltip() -> None:
    logprobs = CompletionLogprobs(
        tokens=["<script>alert(1)</script>", '" onmouseover="x'],
        token_logprobs=[-0.1, -2.0],
        top_logprobs=[{"<script>alert(1)</script>": -0.1, "<b>": -3.0}, {'"': -2.0}],
    )
    markup = tokens_html("<img src=x onerror=alert(1)>", token_probabilities(logprobs))
    assert "<script>" not in markup and "<img" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert 'onmouseover="x' not in markup  # the quote cannot close the title attribute
    assert markup.count('class="token"') == 2
    assert "top: " in markup and "&lt;b&gt;" in markup  # alternatives in the tooltip, escaped
