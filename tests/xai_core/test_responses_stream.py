"""Responses streams on recorded and hand-written event streams: every event type of the notes,
unknown types, SSE framing, and each way a stream ends (the partial result always kept)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.xai_core.conftest import (
    API_KEY,
    ByteChunks,
    fixture_bytes,
    fixture_json,
    split_events,
    sse_body,
    sse_response,
)
from xai_core import (
    APIConnectionError,
    APIStreamError,
    InvalidResponseError,
    ReasoningItem,
    ResponseEvent,
    ResponseIncompleteError,
    ResponseItemEvent,
    ResponseLifecycleEvent,
    ResponseTextDeltaEvent,
    ResponseToolProgressEvent,
    UnknownItem,
)


def stream_of(name: str, *, chunk_size: int | None = None):
    body = fixture_bytes(f"responses/{name}")
    return lambda request: sse_response(body, chunk_size=chunk_size)


def events_in(name: str) -> list[dict]:
    body = fixture_bytes(f"responses/{name}")
    return [json.loads(e[6:]) for e in split_events(body) if e.startswith(b"data: {")]


def open_stream(serve, name: str, **kwargs):
    return serve(stream_of(name, **kwargs)).client().stream_response(model="grok-4.3", input="Hi")


def test_recorded_grok43_stream_yields_typed_events_and_adds_up(serve):
    recorder = serve(stream_of("grok43_stream.sse", chunk_size=97))
    with recorder.client().stream_response(model="grok-4", input="Hi", store=True) as stream:
        events = list(stream)
    assert recorder.last_body == {"model": "grok-4", "input": "Hi", "stream": True, "store": True}
    assert recorder.requests[0].headers["accept"] == "text/event-stream"
    assert len(events) == 25
    assert [e.sequence_number for e in events] == list(range(25))
    assert isinstance(events[0], ResponseLifecycleEvent) and events[0].response.usage is None
    assert isinstance(events[2], ResponseItemEvent) and isinstance(events[2].item, ReasoningItem)
    assert isinstance(events[4], ResponseTextDeltaEvent) and events[4].delta == "The"
    result = stream.result
    assert stream.done and not stream.stopped and stream.error is None
    assert result.output_text == "hello"
    assert result.reasoning_summary == 'The user says: "Reply with exactly: hello"'
    assert result.usage is not None and result.usage.cost_in_usd_ticks == 5421500
    assert result.completed_at == 1785220809
    assert stream.stats.generated_tokens == 199  # output tokens from the usage


def test_text_stream_gives_only_answer_text(serve):
    with open_stream(serve, "grok43_stream.sse") as stream:
        assert list(stream.text_stream()) == ["hello"]


def test_partial_result_while_streaming_in_order(serve):
    stream = open_stream(serve, "grok43_stream.sse")
    seen = []
    for event in stream:
        if event.type in ("response.reasoning_summary_text.delta", "response.output_text.delta"):
            seen.append((stream.result.reasoning_summary, stream.result.output_text))
    assert seen[0] == ("The", "")
    assert seen[10] == ('The user says: "Reply with exactly: hello"', "")
    assert seen[-1][1] == "hello"
    assert stream.result.output[0].status == "completed"


def test_web_search_stream_progress_sources_citations_and_cost(serve):
    stream = open_stream(serve, "web_search_stream.sse")
    phases = []
    for event in stream:
        if isinstance(event, ResponseToolProgressEvent):
            phases.append((event.output_index, event.phase))
            call = stream.result.server_tool_calls[event.output_index]
            assert call.status == event.phase  # live progress on the partial result
        if event.type == "response.output_item.done" and event.output_index == 0:
            assert stream.result.server_tool_calls[0].sources[:2] == [
                "https://x.ai/",
                "https://x.ai/grok",
            ]
    assert phases == [
        (0, "in_progress"),
        (0, "searching"),
        (1, "in_progress"),
        (1, "searching"),
        (0, "completed"),
        (1, "completed"),
    ]
    result = stream.result
    first, second = result.server_tool_calls
    assert (first.kind, first.query) == ("web_search", "current title of https://x.ai site:x.ai")
    assert second.query == "https://x.ai"
    assert len(first.sources) == 9  # the terminal response's (fuller) list wins
    assert [c.url for c in result.citations][:2] == ["https://x.ai/", "https://x.ai/news"]
    assert len(result.citations) == 9 and result.citations[0].title == "https://x.ai/"
    assert result.output_text == "**xAI**"
    usage = result.usage
    assert usage is not None and usage.server_side_tool_usage_details is not None
    assert usage.server_side_tool_usage_details["web_search_calls"] == 2
    assert usage.as_usage().cost_in_usd_ticks == 132_865_000


def test_annotations_build_up_before_the_part_is_done(serve):
    stream = open_stream(serve, "web_search_stream.sse")
    for event in stream:
        if event.type == "response.output_text.done":
            break
    assert len(stream.result.citations) == 9
    stream.close()
    assert stream.stopped and stream.error is None


def test_x_search_stream_custom_tool_calls_and_out_of_order_items(serve):
    stream = open_stream(serve, "x_search_stream.sse")
    kinds_during = None
    for event in stream:
        if event.type == "response.custom_tool_call_input.delta" and event.output_index == 0:
            kinds_during = [(c.kind, c.name, c.query) for c in stream.result.server_tool_calls]
    assert kinds_during == [("x_search", "x_keyword_search", "from:xai filter:media")]
    result = stream.result
    assert [item.type for item in result.output] == [
        "custom_tool_call",
        "custom_tool_call",
        *["web_search_call"] * 4,
        "message",
    ]
    calls = result.server_tool_calls
    assert [c.kind for c in calls] == ["x_search", "x_search", *["web_search"] * 4]
    assert calls[1].name == "view_x_video" and calls[1].query.startswith("https://video.twimg")
    assert calls[0].arguments == {"query": "from:xai filter:media", "limit": 20, "mode": "Latest"}
    assert len(result.citations) == 20 and result.citations[0].title is None
    assert result.output_text.startswith("### Latest Videos and Images from xAI on X")


def test_out_of_order_item_completion_before_the_terminal_event(serve):
    lines = events_in("x_search_stream.sse")[:30]  # up to the last tool item's .done
    body = sse_body(lines, done=False)
    stream = (
        serve(lambda request: sse_response(body)).client().stream_response(model="m", input="Hi")
    )
    with pytest.raises(APIStreamError, match="ended before the response was complete"):
        list(stream)
    statuses = [c.status for c in stream.result.server_tool_calls]
    assert statuses == ["completed"] * 6
    assert stream.result.status == "in_progress"


def test_store_false_encrypted_reasoning_comes_from_the_done_item(serve):
    stream = open_stream(serve, "store_false_stream.sse")
    for event in stream:
        if event.type == "response.output_item.added" and event.output_index == 1:
            reasoning = stream.result.output[0]
            assert isinstance(reasoning, ReasoningItem) and reasoning.encrypted_content
    result = stream.result
    assert result.store is False
    items = result.replay_items()
    assert [item["type"] for item in items] == ["reasoning", "message"]
    assert items[0]["encrypted_content"] == result.output[0].encrypted_content
    assert result.usage is not None and result.usage.cost_in_usd_ticks is None


def test_function_call_arguments_stream_in_pieces(serve):
    stream = open_stream(serve, "function_call_stream.sse")
    partial = []
    for event in stream:
        if event.type == "response.function_call_arguments.delta" and event.output_index == 1:
            partial.append(stream.result.function_calls[0].arguments)
    assert partial == ['{"loc', '{"location":', '{"location":"Paris"}']
    calls = stream.result.function_calls
    assert [(c.call_id, c.name, json.loads(c.arguments)) for c in calls] == [
        ("call-5faadddf-0", "get_temperature", {"location": "Paris"}),
        ("call-5faadddf-1", "get_temperature", {"location": "London"}),
    ]
    assert stream.result.server_tool_calls == []
    assert stream.result.usage is not None and stream.result.usage.cost_in_usd_ticks == 6_000_000


def test_image_generation_progress(serve):
    stream = open_stream(serve, "image_generation_stream.sse")
    phases = [e.phase for e in stream if isinstance(e, ResponseToolProgressEvent)]
    assert phases == ["in_progress", "generating", "completed"]
    (call,) = stream.result.server_tool_calls
    assert call.kind == "image_generation" and call.outputs == ["ZmFrZUltYWdlQmFzZTY0RGF0YQ=="]


def test_event_lines_comments_pings_crlf_and_multiline_data(serve):
    stream = open_stream(serve, "event_lines_stream.sse", chunk_size=7)
    events = list(stream)
    assert [e.type for e in events].count("ping") == 1
    assert len(events) == 26
    assert stream.done and stream.result.output_text == "hello"
    assert stream.result.reasoning_summary.startswith("The user says")


def test_unknown_event_and_item_types_are_yielded_and_kept(serve):
    stream = open_stream(serve, "unknown_types_stream.sse")
    events = list(stream)
    spinning = next(e for e in events if e.type == "response.future_widget_call.spinning")
    assert isinstance(spinning, ResponseToolProgressEvent) and spinning.model_extra == {"speed": 9}
    unknown = stream.result.output[0]
    assert isinstance(unknown, UnknownItem)
    assert unknown.raw["widget"] == {"size": 4}
    assert stream.result.output_text == "Done."
    brand_new = {"type": "response.brand_new", "sequence_number": 0, "stuff": [1]}
    body = sse_body([brand_new, *events_in("grok43_stream.sse")])
    stream = serve(lambda r: sse_response(body)).client().stream_response(model="m", input="x")
    first = next(iter(stream))
    assert type(first) is ResponseEvent and first.model_extra == {"stuff": [1]}
    assert stream.until_done().output_text == "hello"


def test_incomplete_raises_with_its_reason_and_keeps_the_text(serve):
    stream = open_stream(serve, "incomplete_stream.sse")
    with pytest.raises(ResponseIncompleteError) as caught:
        list(stream)
    assert caught.value.reason == "max_output_tokens"
    assert stream.error is caught.value and not stream.done
    assert stream.result.output_text == "Once upon a time"
    assert stream.result.status == "incomplete"
    assert stream.result.usage is not None and stream.result.usage.output_tokens == 8


def test_failed_raises_the_servers_message_and_keeps_the_streamed_text(serve):
    stream = open_stream(serve, "failed_stream.sse")
    with pytest.raises(APIStreamError, match="The model failed to generate a response") as caught:
        list(stream)
    assert caught.value.code == "server_error"
    assert stream.error is caught.value
    assert stream.result.output_text == "Partial answer"  # the failed response has it too
    failed = events_in("failed_stream.sse")
    failed[-1]["response"]["output"] = []  # a failed response without output: what streamed stays
    body = sse_body(failed)
    stream = serve(lambda r: sse_response(body)).client().stream_response(model="m", input="x")
    with pytest.raises(APIStreamError):
        list(stream)
    assert stream.result.output_text == "Partial answer" and stream.result.status == "failed"


def test_error_event_raises_and_keeps_the_text(serve):
    stream = open_stream(serve, "error_event_stream.sse")
    with pytest.raises(APIStreamError, match="overloaded") as caught:
        list(stream)
    assert caught.value.code == "overloaded"
    assert stream.result.output_text == "Partial answer"
    assert stream.error is caught.value


def test_a_stream_without_a_terminal_event_raises(serve):
    stream = open_stream(serve, "cut_stream.sse")
    with pytest.raises(APIStreamError, match="ended before the response was complete"):
        list(stream)
    assert stream.result.output_text == "hello" and not stream.done
    body = sse_body(events_in("cut_stream.sse"))  # [DONE] without a terminal event: the same
    stream = serve(lambda r: sse_response(body)).client().stream_response(model="m", input="x")
    with pytest.raises(APIStreamError):
        list(stream)


def test_a_dropped_connection_keeps_the_partial_result(serve):
    pieces = split_events(fixture_bytes("responses/grok43_stream.sse"))[:21]

    def handler(request: httpx.Request) -> httpx.Response:
        fail = httpx.RemoteProtocolError("peer closed connection")
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            stream=ByteChunks(pieces, fail_with=fail),
        )

    stream = serve(handler).client().stream_response(model="m", input="x")
    with pytest.raises(APIConnectionError, match="dropped"):
        list(stream)
    assert stream.result.output_text == "hello"


def test_a_json_answer_to_a_stream_request_is_the_whole_response(serve):
    payload = fixture_json("responses/grok43_response.json")
    stream = (
        serve(lambda r: httpx.Response(200, json=payload))
        .client()
        .stream_response(model="m", input="x")
    )
    (event,) = list(stream)
    assert event.type == "response.completed" and stream.done
    assert stream.result.output_text == "hello" and stream.result.usage is not None
    incomplete = {**payload, "status": "incomplete",
                  "incomplete_details": {"reason": "max_output_tokens"}}  # fmt: skip
    stream = (
        serve(lambda r: httpx.Response(200, json=incomplete))
        .client()
        .stream_response(model="m", input="x")
    )
    with pytest.raises(ResponseIncompleteError):
        list(stream)
    assert stream.result.output_text == "hello"
    bad = serve(lambda r: httpx.Response(200, json={"choices": []})).client()
    with pytest.raises(InvalidResponseError, match="not a response"):
        list(bad.stream_response(model="m", input="x"))


def test_a_malformed_event_and_an_echoed_key_are_errors_without_the_key(serve):
    start = sse_body(events_in("grok43_stream.sse")[:3], done=False)
    body = start + b"data: {not json " + API_KEY.encode()
    stream = (
        serve(lambda r: sse_response(body + b"\n\n")).client().stream_response(model="m", input="x")
    )
    with pytest.raises(InvalidResponseError) as caught:
        list(stream)
    assert API_KEY not in str(caught.value)
    leak = sse_body([{"type": "error", "message": f"bad key {API_KEY}"}], done=False)
    stream = serve(lambda r: sse_response(leak)).client().stream_response(model="m", input="x")
    with pytest.raises(APIStreamError) as caught:
        list(stream)
    assert API_KEY not in str(caught.value) and API_KEY not in json.dumps(caught.value.body)


def test_the_byte_cap_applies_to_a_responses_stream(serve):
    recorder = serve(stream_of("x_search_stream.sse", chunk_size=4096))
    stream = recorder.client(max_response_bytes=50_000).stream_response(model="m", input="x")
    with pytest.raises(InvalidResponseError, match="larger than"):
        list(stream)
    assert stream.result.output_text  # what arrived before the cap stays


def test_spec_only_events_reasoning_text_code_mcp_and_refusal(serve):
    """Events only the official SDK or vercel's schema list (never seen in a recording)."""
    code = {"type": "code_interpreter_call", "id": "ci_1", "status": "in_progress", "code": ""}
    mcp = {"type": "mcp_call", "id": "mcp_1", "name": "lookup", "server_label": "docs",
           "arguments": "", "output": ""}  # fmt: skip
    events = [
        {"type": "response.created", "response": {"id": "r1", "status": "in_progress"}},
        {"type": "response.output_item.added", "output_index": 0,
         "item": {"type": "reasoning", "id": "rs_1", "summary": []}},
        {"type": "response.reasoning_text.delta", "item_id": "rs_1", "output_index": 0,
         "content_index": 0, "delta": "Let me"},
        {"type": "response.reasoning_text.delta", "item_id": "rs_1", "output_index": 0,
         "content_index": 0, "delta": " think."},
        {"type": "response.output_item.added", "output_index": 1, "item": code},
        {"type": "response.code_interpreter_call.interpreting", "item_id": "ci_1",
         "output_index": 1},
        {"type": "response.code_interpreter_call_code.delta", "item_id": "ci_1",
         "output_index": 1, "delta": "print("},
        {"type": "response.code_interpreter_call_code.delta", "item_id": "ci_1",
         "output_index": 1, "delta": "42)"},
        {"type": "response.output_item.added", "output_index": 2, "item": mcp},
        {"type": "response.mcp_call_arguments.delta", "item_id": "mcp_1", "output_index": 2,
         "delta": '{"q": "x"}'},
        {"type": "response.mcp_call.executing", "item_id": "mcp_1", "output_index": 2},
        {"type": "response.mcp_call_output.delta", "item_id": "mcp_1", "output_index": 2,
         "delta": "found"},
        {"type": "response.output_item.added", "output_index": 3,
         "item": {"type": "message", "id": "m1", "role": "assistant", "content": []}},
        {"type": "response.refusal.delta", "item_id": "m1", "output_index": 3,
         "content_index": 0, "delta": "I can't"},
    ]  # fmt: skip
    body = sse_body(events, done=False)
    stream = serve(lambda r: sse_response(body)).client().stream_response(model="m", input="x")
    with pytest.raises(APIStreamError):
        list(stream)
    result = stream.result
    reasoning = result.output[0]
    assert isinstance(reasoning, ReasoningItem) and reasoning.content is not None
    assert reasoning.content[0].text == "Let me think."
    code_call, mcp_call = result.server_tool_calls
    assert (code_call.status, code_call.arguments) == ("interpreting", {"code": "print(42)"})
    assert (mcp_call.status, mcp_call.arguments, mcp_call.query) == (
        "executing",
        {"q": "x"},
        "x",
    )
    assert result.refusal == "I can't" and result.output_text == ""
