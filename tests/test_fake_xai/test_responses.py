"""The fake's Responses API: each scenario's output and stream order, continuation, the store,
rejections, faults, tokenize-text; every answer and event validated against xAI's spec."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.fake_xai import TOOL_FEE_TICKS, FakeXai, count_tokens, response_text_events
from tests.openapi_contract import validate_answer, validate_events
from tests.test_fake_xai.conftest import sse_data

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


def create(client: httpx.Client, **body: Any) -> dict[str, Any]:
    r = client.post("/responses", json={"model": "grok-4.3", **body})
    validate_answer("POST", "/v1/responses", r.status_code, r.json())
    assert r.status_code == 200, r.text
    return dict(r.json())


def stream(client: httpx.Client, **body: Any) -> list[dict[str, Any]]:
    r = client.post("/responses", json={"model": "grok-4.3", **body, "stream": True})
    assert r.headers["content-type"].startswith("text/event-stream")
    data = sse_data(r.text)
    assert data[-1] == "[DONE]"
    events = [json.loads(d) for d in data[:-1]]
    validate_events(events)
    return events


def kinds(events: list[dict[str, Any]]) -> list[str]:
    """Event types without the ``response.`` prefix, runs of deltas collapsed to one."""
    out: list[str] = []
    for event in events:
        kind = event["type"].removeprefix("response.")
        if not (kind.endswith(".delta") and out and out[-1] == kind):
            out.append(kind)
    return out


def text(response: dict[str, Any]) -> str:
    return "".join(
        part["text"]
        for item in response["output"]
        if item["type"] == "message"
        for part in item["content"]
    )


def test_plain_reply_with_reasoning_in_the_recorded_order(client: httpx.Client) -> None:
    events = stream(client, input="Reply with hello")
    assert kinds(events) == [
        "created",
        "in_progress",
        "output_item.added",
        "reasoning_summary_part.added",
        "reasoning_summary_text.delta",
        "reasoning_summary_text.done",
        "reasoning_summary_part.done",
        "output_item.done",
        "output_item.added",
        "content_part.added",
        "output_text.delta",
        "output_text.done",
        "content_part.done",
        "output_item.done",
        "completed",
    ]
    assert events[0]["response"]["usage"] is None and events[0]["response"]["output"] == []
    deltas = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    final = events[-1]["response"]
    assert deltas == text(final) == "You said: Reply with hello"
    assert [i["type"] for i in final["output"]] == ["reasoning", "message"]
    whole = create(client, input="Reply with hello")  # the JSON answer: the same reply
    assert [i["type"] for i in whole["output"]] == ["reasoning", "message"]
    assert text(whole) == text(final) and whole["usage"] == final["usage"]


def test_usage_and_ticks_follow_the_model_prices(client: httpx.Client) -> None:
    usage = create(client, input="Reply with hello")["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert 0 < usage["output_tokens_details"]["reasoning_tokens"] < usage["output_tokens"]
    # grok-4.3: 12500 / 2000 / 25000 ticks per token, nothing cached on a first turn
    expected = usage["input_tokens"] * 12500 + usage["output_tokens"] * 25000
    assert usage["cost_in_usd_ticks"] == expected
    plain = create(client, model="grok-4.20-0309-non-reasoning", input="hi")
    assert [i["type"] for i in plain["output"]] == ["message"]
    assert plain["usage"]["output_tokens_details"]["reasoning_tokens"] == 0
    assert [i["type"] for i in create(client, input="hi", reasoning_effort="none")["output"]] == [
        "message"
    ]


def test_long_context_prices_apply_from_the_threshold(client: httpx.Client) -> None:
    words = " word" * 200_000
    usage = create(client, model="grok-4.20-0309-non-reasoning", input=words)["usage"]
    assert usage["input_tokens"] >= 200_000
    assert (
        usage["cost_in_usd_ticks"] == usage["input_tokens"] * 20000 + usage["output_tokens"] * 60000
    )
    usage = create(client, input=words, reasoning_effort="none")["usage"]  # grok-4.3: doubled
    assert (
        usage["cost_in_usd_ticks"] == usage["input_tokens"] * 25000 + usage["output_tokens"] * 50000
    )


def test_web_search_progress_sources_citations_and_fees(client: httpx.Client) -> None:
    body = {"input": "what is xAI", "tools": [{"type": "web_search"}]}
    events = stream(client, **body)
    order = kinds(events)
    search = [
        "output_item.added",
        "web_search_call.in_progress",
        "web_search_call.searching",
        "web_search_call.completed",
        "output_item.done",
    ]
    assert order[8:18] == search + search  # two searches, after the reasoning item
    assert order[-7:] == [
        "output_text.delta",
        "output_text.annotation.added",
        "output_text.annotation.added",
        "output_text.done",
        "content_part.done",
        "output_item.done",
        "completed",
    ]
    final = events[-1]["response"]
    calls = [i for i in final["output"] if i["type"] == "web_search_call"]
    assert calls[0]["action"]["query"] == "what is xAI"
    assert [s["url"] for s in calls[0]["action"]["sources"]] == [
        "https://x.ai/",
        "https://docs.x.ai/",
    ]
    assert "[[1]](https://x.ai/)" in text(final)
    annotations = final["output"][-1]["content"][0]["annotations"]
    assert [a["url"] for a in annotations] == ["https://x.ai/", "https://docs.x.ai/"]
    usage = final["usage"]
    assert usage["server_side_tool_usage_details"]["web_search_calls"] == 2
    assert usage["num_server_side_tools_used"] == 2
    tokens = usage["input_tokens"] * 12500 + usage["output_tokens"] * 25000
    assert usage["cost_in_usd_ticks"] == tokens + 2 * TOOL_FEE_TICKS
    quiet = create(client, **body, include=["no_inline_citations"])
    assert "[[1]]" not in text(quiet) and quiet["output"][-1]["content"][0]["annotations"]


def test_x_search_and_code_execution(client: httpx.Client) -> None:
    tools = [{"type": "x_search"}, {"type": "code_interpreter"}]
    events = stream(client, input="posts by xai", tools=tools, reasoning_effort="none")
    assert kinds(events)[2:12] == [
        "output_item.added",
        "custom_tool_call_input.delta",
        "custom_tool_call_input.done",
        "output_item.done",
        "output_item.added",
        "code_interpreter_call.in_progress",
        "code_interpreter_call_code.delta",
        "code_interpreter_call_code.done",
        "code_interpreter_call.interpreting",
        "code_interpreter_call.completed",
    ]
    x_call, code, _ = events[-1]["response"]["output"]
    assert (x_call["type"], x_call["name"]) == ("custom_tool_call", "x_keyword_search")
    assert json.loads(x_call["input"])["query"] == "posts by xai"
    assert code["outputs"] == [{"type": "logs", "logs": "12\n"}]
    details = events[-1]["response"]["usage"]["server_side_tool_usage_details"]
    assert (details["x_search_calls"], details["code_interpreter_calls"]) == (1, 1)


def test_function_call_then_its_output(client: httpx.Client) -> None:
    events = stream(client, input="weather?", tools=[WEATHER], reasoning_effort="none")
    assert kinds(events)[2:] == [
        "output_item.added",
        "function_call_arguments.delta",
        "function_call_arguments.done",
        "output_item.done",
        "completed",
    ]
    call = events[-1]["response"]["output"][-1]
    assert (call["type"], call["name"], json.loads(call["arguments"])) == (
        "function_call",
        "get_weather",
        {"city": "Lisbon"},
    )
    answer = {"type": "function_call_output", "call_id": call["call_id"], "output": "15 C"}
    reply = create(
        client, input=[answer], tools=[WEATHER], previous_response_id=events[-1]["response"]["id"]
    )
    assert text(reply) == "The tool said: 15 C"


def test_encrypted_reasoning_only_when_included(client: httpx.Client) -> None:
    assert "encrypted_content" not in create(client, input="hi")["output"][0]
    events = stream(client, input="hi", store=False, include=["reasoning.encrypted_content"])
    added = events[2]["item"]
    done = next(e for e in events if e["type"] == "response.output_item.done")["item"]
    assert "encrypted_content" not in added and done["encrypted_content"]


def test_continuation_by_previous_response_id(client: httpx.Client, fake: FakeXai) -> None:
    first = create(client, input="What is 101*3?")
    second = create(client, input="Now times 2?", previous_response_id=first["id"])
    assert text(second) == "You said: Now times 2? Before that: What is 101*3?"
    assert second["previous_response_id"] == first["id"]
    assert (
        second["usage"]["input_tokens_details"]["cached_tokens"] == first["usage"]["total_tokens"]
    )
    stateless = create(
        client,
        store=False,
        input=[
            {"role": "user", "content": "What is 101*3?"},
            *first["output"],
            {"role": "user", "content": "x"},
        ],
    )
    assert text(stateless) == "You said: x Before that: What is 101*3?"
    assert client.get(f"/responses/{stateless['id']}").status_code == 404  # store: false


def test_unknown_previous_response_is_404(client: httpx.Client) -> None:
    r = client.post(
        "/responses", json={"model": "grok-4.3", "input": "x", "previous_response_id": "nope"}
    )
    assert r.status_code == 404
    assert r.json() == {
        "code": "Some requested entity was not found",
        "error": "No responses could be found with the given response_id.",
    }


def test_get_input_items_and_delete(client: httpx.Client) -> None:
    items = [{"role": "user", "content": f"m{n}"} for n in range(5)]
    stored = create(client, input=items)
    assert client.get(f"/responses/{stored['id']}").json() == stored
    page = client.get(f"/responses/{stored['id']}/input_items", params={"limit": 2}).json()
    assert [i["content"] for i in page["data"]] == ["m0", "m1"] and page["has_more"]
    rest = client.get(
        f"/responses/{stored['id']}/input_items", params={"after": page["last_id"], "order": "asc"}
    ).json()
    assert [i["content"] for i in rest["data"]] == ["m2", "m3", "m4"] and not rest["has_more"]
    desc = client.get(f"/responses/{stored['id']}/input_items", params={"order": "desc"}).json()
    assert desc["first_id"] == rest["last_id"]
    assert (
        client.get(f"/responses/{stored['id']}/input_items", params={"limit": 0}).status_code == 400
    )
    gone = client.delete(f"/responses/{stored['id']}")
    assert gone.json() == {"id": stored["id"], "object": "response", "deleted": True}
    assert client.get(f"/responses/{stored['id']}").status_code == 404
    assert client.delete(f"/responses/{stored['id']}").status_code == 404


def test_incomplete_and_failed_endings(client: httpx.Client) -> None:
    events = stream(client, input="tell me [[incomplete]] a long story", reasoning_effort="none")
    assert kinds(events)[-4:] == [
        "output_text.done",
        "content_part.done",
        "output_item.done",
        "incomplete",
    ]
    final = events[-1]["response"]
    assert final["status"] == "incomplete" and final["incomplete_details"] == {
        "reason": "max_output_tokens"
    }
    assert text(final) and text(final) in "You said: tell me [[incomplete]] a long story"
    failed = stream(client, input="go [[failed]] now please", reasoning_effort="none")
    assert (
        failed[-1]["type"] == "response.failed"
        and failed[-2]["type"] == "response.output_text.delta"
    )
    error = failed[-1]["response"]["error"]
    assert error["message"] and failed[-1]["response"]["status"] == "failed"
    partial = "".join(e["delta"] for e in failed if e["type"] == "response.output_text.delta")
    assert text(failed[-1]["response"]) == partial and partial
    r = client.post("/responses", json={"model": "grok-4.3", "input": "[[failed]]"})
    assert r.status_code == 500 and set(r.json()) == {"code", "error"}


def test_max_output_tokens_cuts_the_reply(client: httpx.Client) -> None:
    reply = create(client, input="one two three four five", max_output_tokens=3)
    assert reply["status"] == "incomplete" and count_tokens(text(reply)) == 3


def test_cut_marker_drops_the_connection_mid_text(client: httpx.Client) -> None:
    received = b""
    body = {"model": "grok-4.3", "input": "please [[cut]] here", "stream": True}
    with (
        pytest.raises(httpx.RemoteProtocolError),
        client.stream("POST", "/responses", json=body) as r,
    ):
        for piece in r.iter_bytes():
            received += piece
    events = [json.loads(d) for d in sse_data(received.decode())]
    assert events[-1]["type"] == "response.output_text.delta"
    assert not any(e["type"].startswith("response.completed") for e in events)
    with pytest.raises(httpx.RemoteProtocolError):  # not streamed: no answer at all
        client.post("/responses", json={**body, "stream": False})


def test_faults_and_scripts_hit_responses_too(client: httpx.Client, fake: FakeXai) -> None:
    fake.fail_next(429, path="/v1/responses")
    assert client.post("/responses", json={"model": "grok-4.3", "input": "x"}).status_code == 429
    events = response_text_events("Hello there, friend")
    validate_events([json.loads(d) for d in sse_data("".join(events))[:-1]])
    fake.cut_stream(events, after=5)
    received = b""
    body = {"model": "grok-4.3", "input": "x", "stream": True}
    with (
        pytest.raises(httpx.RemoteProtocolError),
        client.stream("POST", "/responses", json=body) as r,
    ):
        for piece in r.iter_bytes():
            received += piece
    assert received == "".join(events[:5]).encode()
    fake.stall_stream(events, after=2, seconds=0.2)
    assert sse_data(client.post("/responses", json=body).text)[-1] == "[DONE]"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"model": "grok-4.20-0309-reasoning", "reasoning": {"effort": "high"}},
            "Model grok-4.20-0309-reasoning does not support parameter reasoningEffort.",
        ),
        (
            {"model": "grok-4.20-0309-non-reasoning", "reasoning_effort": "none"},
            "does not support parameter reasoningEffort",
        ),
        ({"model": "grok-3-mini", "reasoning_effort": "medium"}, "medium"),
        (
            {"tools": [{"type": "web_search", "search_context_size": "medium"}]},
            "search_context_size",
        ),
        (
            {"tools": [{"type": "web_search", "allowed_domains": [f"d{n}.com" for n in range(6)]}]},
            "maximum of 5",
        ),
        (
            {
                "tools": [
                    {
                        "type": "web_search",
                        "allowed_domains": ["a.com"],
                        "excluded_domains": ["b.com"],
                    }
                ]
            },
            "together",
        ),
        (
            {"tools": [{"type": "x_search", "from_date": "2026-05-01", "to_date": "2026-04-01"}]},
            "from_date",
        ),
        ({"tools": [{"type": "x_search", "from_date": "01/05/2026"}]}, "YYYY-MM-DD"),
        ({"tools": [{"type": "x_search", "allowed_x_handles": ["a"] * 11}]}, "maximum of 10"),
        ({"tools": [{"type": "code_interpreter", "container": "c1"}]}, "container"),
    ],
)
def test_rejections_as_xai(client: httpx.Client, body: dict[str, Any], message: str) -> None:
    r = client.post("/responses", json={"model": "grok-4.3", "input": "x", **body})
    validate_answer("POST", "/v1/responses", r.status_code, r.json())
    assert r.status_code == 400 and r.json()["code"] == "Client specified an invalid argument"
    assert message in r.json()["error"]


def test_accepted_efforts_and_aliases(client: httpx.Client) -> None:
    assert (
        create(client, model="grok-3-mini", input="x", reasoning_effort="high")["model"]
        == "grok-3-mini"
    )
    assert create(client, model="grok-4.3-latest", input="x")["model"] == "grok-4.3"
    r = client.post("/responses", json={"model": "grok-4.3"})
    assert r.status_code == 422 and "input" in r.json()["error"]


def test_tokenize_text(client: httpx.Client) -> None:
    r = client.post("/tokenize-text", json={"text": "Hello world!", "model": "grok-4.3"})
    validate_answer("POST", "/v1/tokenize-text", 200, r.json())
    tokens = r.json()["token_ids"]
    assert [t["string_token"] for t in tokens] == ["Hello", " world", "!"]
    assert tokens[1]["token_bytes"] == list(b" world")
    again = client.post("/tokenize-text", json={"text": "Hello world!", "model": "grok-4.3"})
    assert again.json() == r.json()  # deterministic
    assert client.post("/tokenize-text", json={"text": "héllo  wörld"}).json()["token_ids"][0][
        "token_bytes"
    ] == list("héllo".encode())
