"""The Responses API without streaming: typed items on recorded answers, usage and cost, replay
items, request bodies, and the stored-response routes (retrieve, delete, input items, tokenize)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.xai_core.conftest import fixture_json
from xai_core import (
    Citation,
    CodeInterpreterCallItem,
    DeletedResponse,
    FileSearchCallItem,
    InputItemList,
    MessageItem,
    NotFoundError,
    ReasoningItem,
    Response,
    ResponseUsage,
    TextToken,
    UnknownItem,
    WebSearchCallItem,
    XSearchCallItem,
    responses_body,
)
from xai_core.pricing import ticks_to_usd

GROK43 = "responses/grok43_response.json"
WEB_USAGE = {
    "input_tokens": 4144,
    "input_tokens_details": {"cached_tokens": 1920},
    "output_tokens": 49,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 4193,
    "num_sources_used": 0,
    "num_server_side_tools_used": 2,
    "cost_in_usd_ticks": 132865000,
    "server_side_tool_usage_details": {
        "web_search_calls": 2,
        "x_search_calls": 0,
        "code_interpreter_calls": 0,
        "file_search_calls": 0,
        "mcp_calls": 0,
        "document_search_calls": 0,
    },
    "context_details": {"input_tokens": 3153, "output_tokens": 8},
}


def answer(payload, status=200):
    return lambda request: httpx.Response(status, json=payload)


def test_create_response_reads_the_recorded_grok43_answer(serve):
    recorder = serve(answer(fixture_json(GROK43)))
    response = recorder.client().create_response(model="grok-4", input="Reply with exactly: hello")
    assert recorder.requests[0].url.path == "/v1/responses"
    assert recorder.last_body == {"model": "grok-4", "input": "Reply with exactly: hello"}
    assert response.model == "grok-4.3"  # the alias resolved by the server
    assert response.status == "completed" and response.store is True
    assert [type(item) for item in response.output] == [ReasoningItem, MessageItem]
    assert response.output_text == "hello"
    assert response.reasoning_summary == 'The user says: "Reply with exactly: hello"'
    assert response.refusal is None and response.function_calls == []
    assert response.server_tool_calls == [] and response.citations == []
    assert response.completed_at == 1785220807
    assert response.metadata == {"system_fingerprint": "fp_eb3c003fc66c14ed"}  # extra field kept


def test_usage_counts_reasoning_inside_output_and_keeps_ticks():
    usage = Response.model_validate(fixture_json(GROK43)).usage
    assert usage is not None
    assert (usage.input_tokens, usage.cached_tokens) == (197, 128)
    assert (usage.output_tokens, usage.reasoning_tokens, usage.total_tokens) == (111, 110, 308)
    chat = usage.as_usage()
    assert (chat.prompt_tokens, chat.completion_tokens, chat.total_tokens) == (197, 111, 308)
    assert chat.cached_tokens == 128 and chat.reasoning_tokens == 110
    assert chat.output_tokens == 111  # reasoning counted once
    assert chat.answer_tokens == 1
    assert chat.cost_in_usd_ticks == 3893500


def test_web_search_usage_passes_its_ticks_and_tool_counts_to_the_chat_usage():
    chat = ResponseUsage.model_validate(WEB_USAGE).as_usage()
    assert chat.cost_in_usd_ticks == 132_865_000
    assert ticks_to_usd(chat.cost_in_usd_ticks) == pytest.approx(0.0132865)
    dumped = chat.model_dump()
    assert dumped["server_side_tool_usage_details"]["web_search_calls"] == 2
    assert dumped["num_server_side_tools_used"] == 2
    assert (chat.prompt_tokens, chat.cached_tokens, chat.completion_tokens) == (4144, 1920, 49)


def test_2025_tool_shapes_parse_into_server_tool_calls():
    web = Response.model_validate(fixture_json("responses/web_search_2025_response.json"))
    assert isinstance(web.output[0], WebSearchCallItem)
    (call,) = web.server_tool_calls
    assert (call.kind, call.name, call.status) == ("web_search", "web_search", "completed")
    assert call.query == "what is xAI"
    assert call.arguments == {"query": "what is xAI", "num_results": 5}
    assert web.citations[1] == Citation(url="https://x.ai/company")
    assert len(web.citations) == 5

    x_search = Response.model_validate(fixture_json("responses/x_search_2025_response.json"))
    assert isinstance(x_search.output[0], XSearchCallItem)
    (call,) = x_search.server_tool_calls
    assert (call.kind, call.name, call.query) == (
        "x_search",
        "x_semantic_search",
        "AI artificial intelligence",
    )
    assert isinstance(call.arguments, dict) and call.arguments["from_date"] == "2025-10-01"

    code = Response.model_validate(fixture_json("responses/code_execution_2025_response.json"))
    assert isinstance(code.output[0], CodeInterpreterCallItem)
    (call,) = code.server_tool_calls
    assert (call.kind, call.name) == ("code_execution", "code_execution")
    assert isinstance(call.arguments, dict) and "print(fibonacci(10))" in call.arguments["code"]
    assert code.output_text == "55"
    assert code.id.endswith("_us-east-1")


def test_file_search_and_spec_code_interpreter_shapes():
    files = Response.model_validate(fixture_json("responses/file_search_synthetic_response.json"))
    assert isinstance(files.output[0], FileSearchCallItem)
    (call,) = files.server_tool_calls
    assert call.kind == "file_search" and call.query == "AI safety research"
    assert [result["filename"] for result in call.outputs] == [
        "ai-safety-paper.pdf",
        "research-notes.md",
    ]
    spec = Response.model_validate(
        {
            "output": [
                {
                    "type": "code_interpreter_call",
                    "id": "ci_1",
                    "code": "print(6*7)",
                    "status": "completed",
                    "outputs": [{"type": "logs", "logs": "42\n"}],
                },
                {"type": "mcp_call", "id": "m1", "name": "lookup", "server_label": "docs",
                 "arguments": '{"q": "x"}', "output": "found"},
                {"type": "web_search_call", "id": "w1", "status": "completed",
                 "action": {"type": "open_page", "url": "https://x.ai/news"}},
            ]
        }
    )  # fmt: skip
    code, mcp, page = spec.server_tool_calls
    assert code.arguments == {"code": "print(6*7)"} and code.outputs[0]["logs"] == "42\n"
    assert (mcp.kind, mcp.name, mcp.query, mcp.outputs) == ("mcp", "lookup", "x", ["found"])
    assert (page.name, page.query, page.sources) == (
        "open_page",
        "https://x.ai/news",
        ["https://x.ai/news"],
    )


def test_unknown_item_types_are_kept_whole():
    raw = {"type": "tool_search_call", "id": "ts_1", "arguments": '{"query": "weather"}',
           "call_id": None, "execution": "server", "status": "completed"}  # fmt: skip
    other = {"type": "compaction", "id": "cmp_1", "encrypted_content": "abc"}
    response = Response.model_validate({"output": [raw, other, {"no_type": True}]})
    first, second, third = response.output
    assert isinstance(first, UnknownItem) and first.raw == raw
    assert isinstance(second, UnknownItem) and second.raw == other
    assert isinstance(third, UnknownItem) and third.type == "unknown"
    (call,) = response.server_tool_calls  # a *_call item counts; a compaction does not
    assert (call.kind, call.query) == ("tool_search_call", "weather")
    assert response.model_dump()["output"][:2] == [raw, other]


def test_refusal_and_several_messages():
    response = Response.model_validate(
        {
            "output": [
                {"type": "message", "role": "assistant",
                 "content": [{"type": "output_text", "text": "One. "}]},
                {"type": "message", "role": "assistant",
                 "content": [{"type": "refusal", "refusal": "I can't help with that."},
                             {"type": "output_text", "text": "Two."}]},
            ]
        }
    )  # fmt: skip
    assert response.output_text == "One. Two."
    assert response.refusal == "I can't help with that."


def test_replay_items_keep_every_item_in_order_with_encrypted_reasoning():
    output = [
        {"id": "rs_1", "type": "reasoning", "status": "completed", "encrypted_content": "Hfq+g7",
         "summary": [{"type": "summary_text", "text": "Think."}]},
        {"id": "ws_1", "type": "web_search_call", "status": "searching",
         "action": {"type": "search", "query": "q", "sources": []}},
        {"arguments": '{"location":"Paris"}', "call_id": "call-1", "name": "get_temperature",
         "type": "function_call", "id": "fc_1", "status": "completed"},
        {"content": [{"type": "output_text", "text": "hi", "logprobs": None, "annotations": []}],
         "id": "msg_1", "role": "assistant", "type": "message", "status": "completed"},
        {"type": "future_item", "id": "f_1", "payload": {"x": 1}},
    ]  # fmt: skip
    items = Response.model_validate({"output": output}).replay_items()
    assert [item["type"] for item in items] == [
        "reasoning",
        "web_search_call",
        "function_call",
        "message",
        "future_item",
    ]
    assert items[0] == output[0]  # encrypted_content kept, as sent
    assert "status" not in items[1]  # "searching" is not a status input takes back
    assert items[2] == output[2]
    assert items[3]["content"] == [{"type": "output_text", "text": "hi", "annotations": []}]
    assert items[4] == output[4]
    json.dumps(items)  # plain JSON, ready to send


def test_request_body_drops_none_and_adds_extra_body(serve):
    recorder = serve(answer(fixture_json(GROK43)))
    history = [{"role": "user", "content": "Hi"}]
    recorder.client().create_response(
        model="grok-4.3",
        input=history,
        store=False,
        include=["reasoning.encrypted_content"],
        tools=[{"type": "web_search", "allowed_domains": ["x.ai"]}],
        max_turns=3,
        temperature=None,
        previous_response_id=None,
        extra_body={"search_parameters": {"mode": "off"}},
    )
    assert recorder.last_body == {
        "model": "grok-4.3",
        "input": history,
        "store": False,
        "include": ["reasoning.encrypted_content"],
        "tools": [{"type": "web_search", "allowed_domains": ["x.ai"]}],
        "max_turns": 3,
        "search_parameters": {"mode": "off"},
    }


def test_responses_body_streaming_and_unknown_parameters():
    body = responses_body("m", "Hi", {"reasoning_effort": "low", "top_k": None}, stream=True)
    assert body == {"model": "m", "input": "Hi", "stream": True, "reasoning_effort": "low"}
    with pytest.raises(TypeError, match="presence_penalty"):
        responses_body("m", "Hi", {"presence_penalty": 1.0}, stream=False)


def test_get_response_and_a_missing_id(serve):
    stored = fixture_json(GROK43)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/v1/responses/{stored['id']}":
            return httpx.Response(200, json=stored)
        message = "No responses could be found with the given response_id."
        return httpx.Response(404, json={"code": "Some requested entity was not found",
                                         "error": message})  # fmt: skip

    client = serve(handler).client()
    assert client.get_response(stored["id"]).output_text == "hello"
    with pytest.raises(NotFoundError, match="No responses could be found"):
        client.get_response("gone/../x")


def test_delete_response_reads_a_body_or_a_204(serve):
    body = {"id": "ad5663da", "object": "response", "deleted": True}
    recorder = serve(answer(body))
    deleted = recorder.client().delete_response("ad5663da")
    assert isinstance(deleted, DeletedResponse) and deleted.deleted and deleted.id == "ad5663da"
    assert recorder.requests[0].method == "DELETE"
    assert recorder.requests[0].url.path == "/v1/responses/ad5663da"
    empty = serve(lambda request: httpx.Response(204)).client().delete_response("r1")
    assert (empty.id, empty.deleted) == ("r1", True)


def test_list_input_items_sends_only_the_set_query(serve):
    page = {
        "object": "list",
        "data": [{"id": "item_0", "type": "message", "role": "user", "content": "Hi"}],
        "first_id": "item_0",
        "last_id": "item_0",
        "has_more": False,
    }
    recorder = serve(answer(page))
    client = recorder.client()
    items = client.list_response_input_items("r1", limit=1, order="desc")
    assert isinstance(items, InputItemList) and items.data[0]["content"] == "Hi"
    assert not items.has_more and items.first_id == "item_0"
    url = recorder.requests[0].url
    assert url.path == "/v1/responses/r1/input_items"
    assert dict(url.params) == {"limit": "1", "order": "desc"}
    client.list_response_input_items("r1")
    assert recorder.requests[1].url.query == b""


def test_tokenize_text(serve):
    tokens = {"token_ids": [
        {"token_id": 13902, "string_token": "Hello", "token_bytes": [72, 101, 108, 108, 111]},
        {"token_id": 1749, "string_token": " world", "token_bytes": [32, 119, 111, 114, 108, 100]},
        {"token_id": 161, "string_token": "!", "token_bytes": [33]},
    ]}  # fmt: skip
    recorder = serve(answer(tokens))
    result = recorder.client().tokenize_text("Hello world!", model="grok-4.3")
    assert recorder.requests[0].url.path == "/v1/tokenize-text"
    assert recorder.last_body == {"text": "Hello world!", "model": "grok-4.3"}
    assert all(isinstance(token, TextToken) for token in result)
    assert [token.string_token for token in result] == ["Hello", " world", "!"]
    assert bytes(result[1].token_bytes) == b" world"
