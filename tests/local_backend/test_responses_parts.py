"""The pure parts of ``local_backend.responses``: the store's bounds, the request's translation,
the events' order and endings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from local_backend.errors import ApiError
from local_backend.responses.events import ResponseEvents
from local_backend.responses.objects import ResponseDraft, responses_usage, with_ids
from local_backend.responses.request import ResponseRequest, chat_messages
from local_backend.responses.store import NOT_FOUND, ResponseStore, StoredResponse


def stored(rid: str, text: str = "x") -> StoredResponse:
    return StoredResponse({"id": rid, "output": [text]}, [], [{"role": "user"}], None)


def test_the_store_drops_the_least_recently_used_past_its_count() -> None:
    store = ResponseStore(max_responses=2)
    store.put(stored("a"))
    store.put(stored("b"))
    store.get("a")  # a is now the most recently used
    store.put(stored("c"))
    assert len(store) == 2 and store.get("a") and store.get("c")
    with pytest.raises(ApiError) as raised:
        store.get("b")
    assert (raised.value.status, raised.value.message) == (404, NOT_FOUND)


def test_the_store_is_bounded_in_size_too() -> None:
    one = stored("a", "y" * 100).size()
    store = ResponseStore(max_chars=one * 2 + 10)
    for rid in "abc":
        store.put(stored(rid, "y" * 100))
    assert len(store) == 2
    store.put(stored("huge", "y" * 10 * one))  # larger than the whole bound: not kept
    assert len(store) == 2
    store.delete("c")
    with pytest.raises(ApiError):
        store.delete("c")


def test_a_continuation_starts_from_history_input_and_output() -> None:
    entry = StoredResponse({"id": "r", "output": [{"o": 1}]}, [{"h": 1}], [{"i": 1}], "sys")
    assert entry.conversation == [{"h": 1}, {"i": 1}, {"o": 1}]


def test_input_becomes_chat_messages() -> None:
    request = ResponseRequest.model_validate(
        {
            "model": "m",
            "input": [
                {"role": "developer", "content": "Be brief."},
                {
                    "role": "user",
                    "content": [
                        {"type": "input_text", "text": "a"},
                        {"type": "input_text", "text": "b"},
                    ],
                },
                {"type": "reasoning", "summary": []},
                {"type": "function_call", "call_id": "1", "name": "f", "arguments": "{}"},
                {"type": "function_call", "call_id": "2", "name": "g", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "1", "output": "ok"},
            ],
        }
    )
    messages = chat_messages("Hi.", request.items())
    assert [m["role"] for m in messages] == ["system", "system", "user", "assistant", "tool"]
    assert messages[2]["content"] == "ab"
    assert [c["id"] for c in messages[3]["tool_calls"]] == ["1", "2"]
    assert chat_messages(None, ResponseRequest(model="m", input="hi").items()) == [
        {"role": "user", "content": "hi"}
    ]


def test_the_request_knows_its_shapes() -> None:
    with pytest.raises(ValidationError):
        ResponseRequest.model_validate({"model": "m", "input": [{"type": "nonsense"}]})
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    request = ResponseRequest.model_validate(
        {"model": "m", "input": "x", "text": {"format": {"type": "json_schema", "schema": schema}}}
    )
    body = request.chat_body([{"role": "user", "content": "x"}])
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "response", "schema": schema},
    }
    assert body["max_tokens"] == 512 and "tools" not in body
    assert request.text_format()["schema"] == schema


def test_usage_in_the_responses_shape() -> None:
    usage = responses_usage({"prompt_tokens": 10, "completion_tokens": 4})
    assert usage["input_tokens"] == 10 and usage["output_tokens"] == 4
    assert usage["total_tokens"] == 14 and usage["cost_in_usd_ticks"] == 0
    assert usage["input_tokens_details"] == {"cached_tokens": 0}


def test_input_items_get_ids_and_a_shape_only_one_spec_branch_takes() -> None:
    items = [
        {"role": "assistant", "content": [{"type": "output_text", "text": "a"}]},
        {"type": "reasoning", "summary": [], "encrypted_content": "secret"},
        {"id": "mine", "role": "user", "content": "b"},
    ]
    listed = with_ids(items, "r")
    assert [item["id"] for item in listed] == ["item_r_0", "item_r_1", "mine"]
    assert listed[0]["content"] == "a" and "encrypted_content" not in listed[1]


def events_for(chunks: list[dict], done: bool = True) -> tuple[list[dict], list[dict]]:
    kept: list[dict] = []
    frame = ResponseEvents(
        ResponseDraft(ResponseRequest(model="m", input="x"), "m", None), kept.append
    )
    events = frame.open()
    for chunk in chunks:
        events += frame.chunk(chunk)
    events += frame.close() if done else frame.fail(ApiError(500, "boom"))
    return events, kept


def delta(text: str, finish: str | None = None) -> dict:
    return {
        "choices": [{"delta": {"content": text}} | ({"finish_reason": finish} if finish else {})]
    }


def test_events_number_themselves_and_end_as_the_reply_ended() -> None:
    events, kept = events_for(
        [
            delta("Hi"),
            delta(""),
            delta(" you", "stop"),
            {"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 2}},
        ]
    )
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    assert [e["delta"] for e in events if e["type"].endswith(".delta")] == ["Hi", " you"]
    assert events[-1]["type"] == "response.completed" and kept == [events[-1]["response"]]
    assert events[-1]["response"]["usage"]["total_tokens"] == 5
    cut, _ = events_for([delta("Hi", "length")])
    assert cut[-1]["type"] == "response.incomplete"
    failed, kept = events_for([delta("Hi")], done=False)
    assert failed[-1]["type"] == "response.failed" and kept == []
    assert failed[-1]["response"]["error"]["message"] == "boom"
    assert failed[-1]["response"]["output"][0]["content"][0]["text"] == "Hi"
