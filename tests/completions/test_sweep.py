"""Sweep planning, value parsing, concurrent runs (against the fake server) and differences."""

from __future__ import annotations

import threading
import time

import pytest

from playground.completions.sweep import (
    MAX_CELLS,
    DiffSegment,
    parse_sweep_values,
    plan_sweep,
    refuses_completions,
    run_sweep,
    sweep_estimate,
    word_differences,
)
from tests.fake_xai import FakeXai, load_json
from xai_core import ModelPrices, XaiClient


def test_values_are_parsed_checked_and_deduplicated() -> None:
    assert parse_sweep_values("temperature", "0, 0.5 1.0;1.5, 0.5") == [0.0, 0.5, 1.0, 1.5]
    assert parse_sweep_values("max_tokens", "8, 16.0") == [8, 16]
    assert all(isinstance(v, int) for v in parse_sweep_values("seed", "1 2 3"))


@pytest.mark.parametrize(
    ("parameter", "text", "message"),
    [
        ("temperature", "0, 3", "at most 2"),
        ("temperature", "0, hot", "'hot' is not a number"),
        ("temperature", "  ", "at least one value"),
        ("max_tokens", "8.5", "whole number"),
        ("top_p", "-0.1", "at least 0"),
        ("logit_bias", "1", "cannot be swept"),
    ],
)
def test_bad_values_get_a_clear_message(parameter: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sweep_values(parameter, text)


def test_plan_is_values_times_samples_on_top_of_the_base_parameters() -> None:
    base = {"max_tokens": 8, "temperature": 0.2, "n": 3, "best_of": 4, "echo": True, "seed": None}
    cells = plan_sweep(base, "temperature", [0.0, 0.5, 1.0], samples=2)
    assert len(cells) == 6
    assert [(c.value, c.sample) for c in cells] == [
        (0.0, 1), (0.0, 2), (0.5, 1), (0.5, 2), (1.0, 1), (1.0, 2),
    ]  # fmt: skip
    assert cells[2].params == {"max_tokens": 8, "temperature": 0.5}  # n/best_of/echo/None gone
    assert cells[0].params is not cells[1].params


def test_plan_refuses_oversized_or_empty_sweeps() -> None:
    with pytest.raises(ValueError, match=f"the limit is {MAX_CELLS}"):
        plan_sweep({}, "seed", list(range(13)), samples=2)
    with pytest.raises(ValueError, match="at least one value"):
        plan_sweep({}, "temperature", [])
    with pytest.raises(ValueError, match="between 1 and 5"):
        plan_sweep({}, "temperature", [0.5], samples=0)
    with pytest.raises(ValueError, match="cannot be swept"):
        plan_sweep({}, "stop", ["x"])  # type: ignore[list-item]


def test_run_sweep_sends_each_cell_concurrently_and_keeps_cell_order(fake_xai: FakeXai) -> None:
    fake_xai.fail_next(
        500, {"code": "bad", "error": "nope"}, path="/v1/completions", delay=0.3
    )  # the first request fails (slowly, not a refusal); the others must still come back
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, max_retries=0)
    cells = plan_sweep({"max_tokens": 4}, "temperature", [0.0, 0.5, 1.0], samples=2)
    progress: list[tuple[int, int]] = []
    caller = threading.get_ident()
    threads: set[int] = set()

    def on_done(done: int, total: int) -> None:
        threads.add(threading.get_ident())
        progress.append((done, total))

    prices = ModelPrices(input=2000, output=5000)
    results = run_sweep(client, "grok-4.3", "Hi", cells, prices, max_workers=3, on_done=on_done)
    assert [r.cell for r in results] == cells
    assert progress[-1] == (6, 6) and len(progress) == 6
    assert threads == {caller}  # progress is reported on the caller's thread
    failed = [r for r in results if r.error]
    assert len(failed) == 1 and failed[0].error == "nope"
    ok = [r for r in results if not r.error]
    assert all(r.text == " the quick brown fox" and r.completion_tokens == 4 for r in ok)
    assert all(r.finish_reason == "length" and r.latency_s is not None for r in ok)
    # the billed ticks the answer carries win over the prices' estimate (4 x 2000 + 4 x 5000)
    billed = load_json("completion.json")["usage"]["cost_in_usd_ticks"]
    assert ok[0].cost_usd == pytest.approx(billed / 1e10) != (4 * 2000 + 4 * 5000) / 1e10
    sent = sorted(r.body["temperature"] for r in fake_xai.requests if r.path == "/v1/completions")
    assert sent == [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]


def test_word_differences_mark_added_and_removed_words() -> None:
    segments = word_differences("the quick brown fox", "the slow brown fox jumps")
    assert segments == [
        DiffSegment("same", "the "),
        DiffSegment("removed", "quick"),
        DiffSegment("added", "slow"),
        DiffSegment("same", " brown fox"),
        DiffSegment("added", " jumps"),
    ]
    assert word_differences("same text", "same text") == [DiffSegment("same", "same text")]


def test_an_interrupted_sweep_sends_no_further_requests(fake_xai: FakeXai) -> None:
    fake_xai.fail_next(500, path="/v1/completions", times=None, delay=0.2)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, max_retries=0)
    cells = plan_sweep({}, "seed", list(range(12)))

    def stop(done: int, total: int) -> None:
        if done > 1:  # after the first cell, which goes alone
            raise KeyboardInterrupt  # what a rerun looks like to the loop: a BaseException

    with pytest.raises(KeyboardInterrupt):
        run_sweep(client, "grok-4.3", "Hi", cells, max_workers=2, on_done=stop)
    time.sleep(0.6)  # let the requests already running finish
    sent = [r for r in fake_xai.requests if r.path == "/v1/completions"]
    assert 2 <= len(sent) <= 4  # the running ones, not all twelve


def test_a_refused_first_cell_ends_the_sweep_instead_of_the_same_400_everywhere(
    fake_xai: FakeXai,
) -> None:
    refusal = {"code": "bad", "error": "This model does not support the completions endpoint"}
    fake_xai.fail_next(400, refusal, path="/v1/completions", times=None)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    cells = plan_sweep({"max_tokens": 4}, "temperature", [0.0, 0.5, 1.0], samples=2)
    progress: list[tuple[int, int]] = []
    results = run_sweep(
        client, "grok-4.3", "Hi", cells, on_done=lambda d, t: progress.append((d, t))
    )
    assert len(results) == 1 and refuses_completions(results[0])
    assert results[0].refused and "does not support" in (results[0].error or "")
    assert len([r for r in fake_xai.requests if r.path == "/v1/completions"]) == 1
    assert progress == [(1, 6)]


def test_an_emulated_sweep_sends_every_cell_as_a_chat_continuation(fake_xai: FakeXai) -> None:
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    cells = plan_sweep({"max_tokens": 4}, "temperature", [0.0, 1.0])
    results = run_sweep(client, "grok-4.3", "Once upon", cells, emulate=True)
    chats = [r.body for r in fake_xai.requests if r.path == "/v1/chat/completions"]
    assert sorted(body["temperature"] for body in chats) == [0.0, 1.0]
    assert all(body["messages"][-1] == {"role": "user", "content": "Once upon"} for body in chats)
    assert all(body["max_completion_tokens"] == 4 for body in chats)
    assert not [r for r in fake_xai.requests if r.path == "/v1/completions"]
    assert all(r.text and not r.error for r in results)


def test_the_estimate_bounds_the_cost_before_anything_is_sent() -> None:
    prices = ModelPrices(input=2000, output=5000)  # ticks per token
    cells = plan_sweep({"max_tokens": 10}, "temperature", [0.0, 0.5, 1.0], samples=2)
    estimate = sweep_estimate(cells, 100, prices)
    assert (estimate.requests, estimate.prompt_tokens, estimate.output_tokens) == (6, 600, 60)
    assert estimate.cost_usd == pytest.approx((600 * 2000 + 60 * 5000) / 1e10)
    assert estimate.bounded and not estimate.free
    unbounded = sweep_estimate(plan_sweep({}, "seed", [1, 2]), 100, prices)
    assert not unbounded.bounded and unbounded.output_tokens is None
    assert unbounded.cost_usd == pytest.approx(200 * 2000 / 1e10)
    assert sweep_estimate(cells, 100, None).cost_usd is None
    assert sweep_estimate(cells, 100, ModelPrices(input=0, output=0)).free


def test_a_first_cell_refused_for_its_own_value_does_not_end_the_sweep(fake_xai: FakeXai) -> None:
    out_of_range = {"code": "bad", "error": "temperature above 1.2 is not supported"}
    fake_xai.fail_next(400, out_of_range, path="/v1/completions")
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    cells = plan_sweep({"max_tokens": 4}, "temperature", [1.5, 0.5, 1.0])
    results = run_sweep(client, "grok-4.3", "Hi", cells)
    assert len(results) == 3 and results[0].error and results[0].refused
    assert not refuses_completions(results[0], ["temperature"])
    assert all(r.text and not r.error for r in results[1:])
