"""Models & pricing page (AppTest): live tables, no-prices servers, the offline snapshot, the
diff against it, the calculator, model details and the API key panel."""

from __future__ import annotations

import json
import socket

import pytest

from local_backend.launcher import LocalBackendProcess
from playground.models.compute import BLENDED
from playground.models.data.snapshot import load_snapshot
from tests.apptest import texts
from tests.fake_xai import FakeXai, Fault, flat_error, load_json
from tests.models.models_page import (
    SNAPSHOT_LABEL,
    everything,
    frame_with,
    frames,
    open_models_page,
    open_tab,
)


def test_live_tables_show_usd_per_million(env_fake: FakeXai) -> None:
    at = open_models_page()
    language = frame_with(at, "cached input $/1M").set_index("model")
    assert set(language["source"]) == {"live"}  # with live prices, no snapshot rows
    assert language.loc["grok-3-mini", "input $/1M"] == 0.3
    assert language.loc["grok-3-mini", "cached input $/1M"] == 0.075
    assert language.loc["grok-4.20-0309-reasoning", "output $/1M"] == 6.0
    assert language.loc["grok-4.3", "search $/1K sources"] == 25.0
    assert language.loc["grok-4.3", "context"] == 1_000_000
    assert language.loc["grok-4.3", "long context from"] == 200_000  # the snapshot's tier,
    assert language.loc["grok-4.3", "long input $/1M"] == 2.5  # as prices: x2 of $1.25
    assert language.loc["grok-4.3", "long output $/1M"] == 5.0
    embedding = frames(at)[1]
    assert embedding["model"].tolist() == ["v1"]
    assert embedding["input $/1M"].tolist() == [0.1]
    assert "live prices from" in everything(at)
    assert [b.key for b in at.get("download_button")] == [
        "models_download_language",
        "models_download_embedding",
    ]


def test_filter_narrows_the_table(env_fake: FakeXai) -> None:
    at = open_models_page()
    at.text_input(key="models_filter").input("4.20").run()
    assert frames(at)[0]["model"].tolist() == [
        "grok-4.20-0309-reasoning",
        "grok-4.20-0309-non-reasoning",
    ]
    at.text_input(key="models_filter").input("").run()
    at.selectbox(key="models_modality").select("image").run()
    assert "grok-3-mini" not in frames(at)[0]["model"].tolist()


def test_diff_against_snapshot_lists_removed_and_repriced(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "Snapshot")
    diff = frame_with(at, "change")
    assert diff[diff["change"] == "removed"]["model"].tolist() == ["grok-4.6"]
    repriced = diff[diff["change"] == "re-priced"]
    row = repriced[
        (repriced["model"] == "grok-4.20-0309-reasoning") & (repriced["price"] == "input")
    ]
    assert row[["snapshot $/1M", "live $/1M"]].values.tolist() == [[1.25, 2.0]]
    assert "0** new, **1** removed, **2** re-priced" in everything(at)


def test_diff_shows_a_new_model(env_fake: FakeXai) -> None:
    listing = load_json("language_models.json")
    listing["models"].append({**listing["models"][-1], "id": "grok-9", "aliases": []})
    env_fake.enqueue(Fault(status=200, body=listing, path="/v1/language-models", times=None))
    at = open_tab(open_models_page(), "Snapshot")
    diff = frame_with(at, "change")
    assert diff[diff["change"] == "new"]["model"].tolist() == ["grok-9"]


def test_server_without_language_models_says_prices_are_not_provided(env_fake: FakeXai) -> None:
    env_fake.fail_next(
        404, flat_error("Not Found", "no route"), path="/v1/language-models", times=None
    )
    listing = load_json("models.json")  # as llama.cpp or vLLM list models: ids, no prices
    keep = ("id", "aliases", "created", "object", "owned_by")
    plain = {**listing, "data": [{k: m[k] for k in keep if k in m} for m in listing["data"]]}
    env_fake.answer_next(plain, path="/v1/models", times=None)
    at = open_models_page()
    assert any("does not provide prices" in t for t in texts(at.info))
    listed = frames(at)[0]
    assert "grok-2-image-1212" in listed["model"].tolist()
    assert "input $/1M" not in listed.columns  # no empty price columns
    # the calculator falls back to the labelled snapshot
    assert SNAPSHOT_LABEL in everything(at)
    open_tab(at, "Cost calculator")
    results = frame_with(at, "per request $")
    assert set(results["model"]) == {m.id for m in load_snapshot().current_models}


def test_local_backend_shows_local_models_and_the_labelled_snapshot(
    env_local: LocalBackendProcess,
) -> None:
    at = open_models_page()
    language, embedding = frames(at)[:2]
    local = ["qwen2.5-coder-0.5b-instruct", "gemma-3-270m"]
    assert language["model"].tolist()[:2] == local
    assert language["input $/1M"].tolist()[:2] == [0.0, 0.0]
    assert language["source"].tolist()[:2] == ["local", "local"]
    # xAI's models beside them, from the snapshot and marked with its date: prices compare offline
    marked = language[language["source"] == f"snapshot {load_snapshot().as_of.isoformat()}"]
    assert marked["model"].tolist() == [m.id for m in load_snapshot().current_models]
    assert marked.set_index("model").loc["grok-4.3", "input $/1M"] == 1.25
    assert embedding["model"].tolist() == ["all-minilm-l6-v2"]
    assert any("local backend's models are free" in t for t in texts(at.info))
    assert SNAPSHOT_LABEL in everything(at)
    open_tab(at, "Snapshot")
    assert f"xAI prices: {SNAPSHOT_LABEL}" in texts(at.subheader)
    snapshot_table = frame_with(at, "status")
    assert "grok-4.3" in snapshot_table["model"].tolist()
    assert set(snapshot_table["status"]) == {"current"}
    # the calculator compares the free local models with xAI's from the snapshot, each marked
    open_tab(at, "Cost calculator")
    results = frame_with(at, "per request $").set_index("model")
    assert results.loc["gemma-3-270m", "source"] == "local"
    assert results.loc["gemma-3-270m", "per request $"] == 0
    assert results.loc["grok-4.3", "source"] == f"snapshot {load_snapshot().as_of.isoformat()}"
    assert results.loc["grok-4.3", "per request $"] > 0
    # the charts too: the cost curve starts on xAI's priced models, the free ones are named
    open_tab(at, "Charts")
    picked = at.multiselect(key="chart_curve_models")
    assert "gemma-3-270m" in picked.options and "grok-4.3" in picked.options
    assert "gemma-3-270m" not in picked.value
    assert any("Free, so not on these log scales: " in t for t in texts(at.caption))
    open_tab(at, "API key")
    assert "The local backend's own key" in everything(at)
    assert env_local.api_key not in json.dumps([list(map(str, f.values)) for f in frames(at)])


def test_retired_models_are_shown_on_request(env_local: LocalBackendProcess) -> None:
    at = open_tab(open_models_page(), "Snapshot")
    at.toggle(key="snapshot_retired").set_value(True).run()
    snapshot_table = frame_with(at, "status").set_index("model")
    assert snapshot_table.loc["grok-3", "status"] == "retired"
    assert snapshot_table.loc["grok-3", "output $/1M"] == 15.0


def test_no_key_shows_the_snapshot(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai) -> None:
    monkeypatch.setenv("XAI_BASE_URL", fake_xai.base_url)
    at = open_models_page()
    assert any("No live data" in t for t in texts(at.warning))
    assert SNAPSHOT_LABEL in everything(at)
    open_tab(at, "Cost calculator")
    assert "grok-4.3" in frame_with(at, "per request $")["model"].tolist()
    assert not fake_xai.requests


def test_unreachable_server_shows_the_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("XAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("XAI_API_KEY", "xai-unreachable-0123456789")
    at = open_models_page()
    assert any("No live data" in t for t in texts(at.warning))
    assert SNAPSHOT_LABEL in everything(at)
    assert "xai-unreachable-0123456789" not in everything(at)


def test_calculator_arithmetic_on_the_page(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "Cost calculator")
    at.number_input(key="calc_prompt_tokens").set_value(10_000)
    at.slider(key="calc_cached").set_value(40)
    at.number_input(key="calc_output").set_value(1_000)
    at.number_input(key="calc_per_day").set_value(250).run()
    results = frame_with(at, "per request $")
    assert results["model"].iloc[0] == "grok-3-mini"  # cheapest first
    mini = results.set_index("model").loc["grok-3-mini"]
    # 6,000 x $0.30/M + 4,000 x $0.075/M + 1,000 x $0.50/M = $0.0026 per request
    assert mini["per request $"] == pytest.approx(0.0026)
    assert mini["per day $"] == pytest.approx(0.65)
    assert mini["per month $"] == pytest.approx(19.5)
    assert mini[BLENDED] == pytest.approx(0.35)
    assert list(results["per request $"]) == sorted(results["per request $"])
    assert [b.key for b in at.get("download_button")] == ["calc_download"]


def test_long_prompts_are_billed_at_the_long_context_rate(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "Cost calculator")
    at.number_input(key="calc_prompt_tokens").set_value(200_000).run()
    flagged = frame_with(at, "long-context rate").set_index("model")["long-context rate"]
    assert flagged["grok-4.3"] and not flagged["grok-3-mini"]


def test_the_issue_request_costs_the_long_price_and_marks_a_context_too_small(
    env_fake: FakeXai,
) -> None:
    at = open_tab(open_models_page(), "Cost calculator")
    at.number_input(key="calc_prompt_tokens").set_value(250_000)
    at.number_input(key="calc_output").set_value(100).run()
    results = frame_with(at, "fits context")
    by_model = results.set_index("model")
    assert by_model.loc["grok-4.3", "per request $"] == pytest.approx(0.6255)  # as on Chat
    # grok-3-mini (131,072 tokens) would be cheapest, but cannot take the prompt: listed last
    assert not by_model.loc["grok-3-mini", "fits context"]
    assert results["model"].iloc[-1] == "grok-3-mini" and results["model"].iloc[0] != "grok-3-mini"
    assert "cannot take a 250,000-token prompt" in everything(at)
    at.number_input(key="calc_searches").set_value(2).run()
    with_search = frame_with(at, "tool fees $/request").set_index("model").loc["grok-4.3"]
    assert with_search["tool fees $/request"] == pytest.approx(0.01)
    assert with_search["per request $"] == pytest.approx(0.6355)


def test_calculator_bar_chart_follows_the_period(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "Cost calculator")
    (chart,) = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["layout"]["title"]["text"] == "Cost per month"
    results = frame_with(at, "per month $")
    assert spec["data"][0]["y"] == results["model"].tolist()
    assert spec["data"][0]["x"] == pytest.approx(results["per month $"].tolist())


def test_charts_are_drawn_from_the_prices(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "Charts")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) == 2
    scatter = next(s for s in specs if s["layout"]["xaxis"].get("type") == "log")
    # one labelled point per price pair: the two grok-4.20 models share one, neither hidden
    assert [t["name"] for t in scatter["data"]] == [
        "grok-4.3",
        "grok-4.20-0309-reasoning, grok-4.20-0309-non-reasoning",
        "grok-build-0.1",
        "grok-3-mini",
    ]
    assert all(t["mode"] == "markers+text" for t in scatter["data"])
    assert scatter["data"][1]["text"] == [
        "grok-4.20-0309-reasoning<br>grok-4.20-0309-non-reasoning"
    ]
    assert scatter["layout"]["yaxis"]["type"] == "log"
    curve = next(s for s in specs if "prompt length" in s["layout"]["title"]["text"])
    # three models with different prices by default: three distinct lines, not one drawn thrice
    assert len(curve["data"]) == 3
    assert len({tuple(t["y"]) for t in curve["data"]}) == 3


def test_selecting_a_row_shows_details_and_opens_chat(env_fake: FakeXai) -> None:
    at = open_models_page()
    row = frames(at)[0]["model"].tolist().index("grok-3-mini")
    at.session_state["models_language_table"] = {
        "selection": {"rows": [row], "columns": [], "cells": []}
    }
    at.run()
    assert not at.exception
    assert "#### Model `grok-3-mini`" in texts(at.markdown)
    # read first: dollars per 1M tokens and dates, not cents per 100M and epoch seconds
    facts = frame_with(at, "field").set_index("field")["value"]
    assert facts["output price"] == "$0.50 per 1M tokens"
    assert facts["cached input price"] == "$0.075 per 1M tokens"
    assert facts["context"] == "131,072 tokens" and facts["created"] == "2025-04-04"
    assert "5000" not in " ".join(facts.tolist())
    # the server's own JSON stays one click away, collapsed
    raw = next(e for e in at.expander if e.label == "Raw JSON from the server")
    assert not raw.proto.expanded
    detail = json.loads(raw.json[0].value)
    assert detail["id"] == "grok-3-mini" and detail["completion_text_token_price"] == 5000
    assert "/v1/language-models/grok-3-mini" in [r.path for r in env_fake.requests]
    at.button(key="models_open_chat").click().run()
    assert not at.exception
    assert "Chat" in texts(at.title)
    assert at.sidebar.selectbox(key="chat_model").value == "grok-3-mini"


def test_api_key_panel_describes_the_key(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "API key")
    table = frame_with(at, "field").set_index("field")
    assert table.loc["name", "value"] == "playground-test-key"
    assert table.loc["key", "value"] == "xai-...b7Qx"
    assert table.loc["permissions (ACLs)", "value"] == "api-key:model:*, api-key:endpoint:*"
    assert not [w for w in texts(at.warning) if "blocked" in w]
    assert env_fake.api_key not in everything(at) + table.to_string()


def test_blocked_key_gets_a_plain_warning(env_fake: FakeXai) -> None:
    blocked = {**load_json("api_key.json"), "api_key_blocked": True, "team_blocked": True}
    env_fake.enqueue(Fault(status=200, body=blocked, path="/v1/api-key", times=None))
    at = open_tab(open_models_page(), "API key")
    warnings = texts(at.warning)
    assert any(w.startswith("This API key is blocked") for w in warnings), warnings
    assert any(w.startswith("Your team is blocked") for w in warnings), warnings
    assert frame_with(at, "field").set_index("field").loc["key blocked", "value"] == "yes"


def test_server_without_api_key_route_says_so(env_fake: FakeXai) -> None:
    env_fake.fail_next(404, flat_error("Not Found", "no route"), path="/v1/api-key", times=None)
    at = open_tab(open_models_page(), "API key")
    assert any("does not describe API keys" in t for t in texts(at.info))


def test_reruns_do_not_ask_the_server_again(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "Cost calculator")
    before = [r.path for r in env_fake.requests].count("/v1/language-models")
    at.number_input(key="calc_per_day").set_value(5).run()
    assert [r.path for r in env_fake.requests].count("/v1/language-models") == before
    at.button(key="models_refresh").click().run()
    assert [r.path for r in env_fake.requests].count("/v1/language-models") == before + 1
