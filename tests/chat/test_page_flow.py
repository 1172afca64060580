"""The chat page's conversation controls: stop, edit and resend, n alternatives, tool calls,
cost with and without ticks, a cut stream, compare, images, export and import."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import texts
from tests.chat.test_page import chat_app
from tests.chat.test_page_controls import last_body
from tests.fake_xai import FakeXai, load_sse, sse_event

USAGE_NO_TICKS = {
    "prompt_tokens": 213,
    "completion_tokens": 2,
    "total_tokens": 413,
    "prompt_tokens_details": {"cached_tokens": 192},
    "completion_tokens_details": {"reasoning_tokens": 198},
}


def chunk(model: str, choices: list[dict[str, Any]], **extra: Any) -> str:
    return sse_event(
        {"id": "c", "object": "chat.completion.chunk", "model": model, "choices": choices, **extra}
    )


def text_stream(
    pieces: list[str], model: str = "grok-4.3", usage: dict[str, Any] | None = None
) -> list[str]:
    events = [chunk(model, [{"index": 0, "delta": {"content": p}}]) for p in pieces]
    events.append(chunk(model, [{"index": 0, "delta": {}, "finish_reason": "stop"}]))
    if usage is not None:
        events.append(chunk(model, [], usage=usage))
    return [*events, "data: [DONE]\n\n"]


def test_stop_keeps_the_partial_reply_marked_stopped(env_fake: FakeXai) -> None:
    at = chat_app()
    env_fake.set_stream_script(text_stream([f"word{i} " for i in range(60)]), delay=0.05)
    at.chat_input[0].set_value("talk")
    with pytest.raises(RuntimeError, match="timed out"):
        at.run(timeout=1.2)  # AppTest stops the script mid-stream, as the stop button does
    at.chat_input[0].set_value(None).run()  # the interrupted run left the message pending
    assert not at.exception
    _, assistant = at.chat_message
    partial = texts(assistant.markdown)[0]
    assert partial.startswith("word0 word1") and "word59" not in partial
    assert any("Stopped" in t for t in texts(assistant.caption))
    next(b for b in at.button if b.label == "Regenerate").click().run()
    assert "Olá!" in texts(at.chat_message[1].markdown)  # regenerate replaces the partial reply


def test_a_cut_stream_keeps_its_partial_text_marked_incomplete(env_fake: FakeXai) -> None:
    at = chat_app()
    env_fake.set_stream_script(text_stream(["Half ", "an ", "answer"]), cut_after=2)
    at.chat_input[0].set_value("hi").run()
    assert not at.exception
    _, assistant = at.chat_message
    assert texts(assistant.markdown)[0].strip() == "Half an"
    assert any("Incomplete" in t for t in texts(assistant.caption))
    assert texts(assistant.error)


def test_edit_a_message_and_resend_from_there(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("first").run()
    at.chat_input[0].set_value("second").run()
    assert len(at.chat_message) == 4
    at.button(key="chat_edit_button_0").click().run()
    at.text_area(key="chat_edit_0").input("first, edited")
    at.button(key="chat_resend_0").click().run()
    assert not at.exception
    assert len(at.chat_message) == 2
    assert last_body(env_fake)["messages"] == [{"role": "user", "content": "first, edited"}]
    assert at.chat_message[0].markdown[0].value == "first, edited"


def test_n_alternatives_and_the_one_picked_continues(env_fake: FakeXai) -> None:
    at = chat_app()
    events = [
        chunk("grok-4.3", [{"index": 0, "delta": {"content": "Red"}}]),
        chunk("grok-4.3", [{"index": 1, "delta": {"content": "Blue"}}]),
        chunk("grok-4.3", [{"index": 0, "delta": {}, "finish_reason": "stop"}]),
        chunk("grok-4.3", [{"index": 1, "delta": {}, "finish_reason": "stop"}]),
        "data: [DONE]\n\n",
    ]
    env_fake.set_stream_script(events)
    at.sidebar.number_input(key="chat_n").set_value(2)
    at.chat_input[0].set_value("a colour").run()
    assert not at.exception
    assistant = at.chat_message[1]
    assert [t.label for t in assistant.tabs] == ["Reply 1", "Reply 2"]
    assert texts(assistant.tabs[1].markdown) == ["Blue"]
    at.radio(key="chat_pick_1").set_value(1).run()
    at.chat_input[0].set_value("why?").run()
    sent = last_body(env_fake)
    assert sent["n"] == 2
    assert sent["messages"][1] == {"role": "assistant", "content": "Blue"}


def test_a_tool_call_round_trip(env_fake: FakeXai) -> None:
    at = chat_app()
    tools = '[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]'
    at.main.text_area(key="chat_tools").input(tools).run()
    at.chat_input[0].set_value("Weather in Lisbon?").run()
    assert not at.exception
    assistant = at.chat_message[1]
    assert any('get_weather({"city":"Lisbon"})' in c.value for c in assistant.code)
    assistant.text_area(key="chat_tool_result_1_0").input("22 °C, sunny")
    next(b for b in at.button if b.label == "Send tool results").click().run()
    assert not at.exception
    messages = last_body(env_fake)["messages"]
    assert messages[1]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert messages[2] == {"role": "tool", "tool_call_id": "call_1", "content": "22 °C, sunny"}
    assert "Olá!" in texts(at.chat_message[-1].markdown)  # the model answered in text


def test_cost_from_ticks_and_from_prices(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("with ticks").run()
    assert "$0.000308 billed" in " ".join(texts(at.chat_message[1].caption))  # 3080400 ticks
    at.sidebar.selectbox(key="chat_model").set_value("grok-3-mini").run()
    events = [e for e in load_sse("chat_stream_reasoning.sse") if "cost_in_usd_ticks" not in e]
    events.insert(-1, chunk("grok-3-mini", [], usage=USAGE_NO_TICKS))
    env_fake.set_stream_script(events)
    at.chat_input[0].set_value("without ticks").run()
    # 21 × $0.30/M + 192 cached × $0.075/M + (2 + 198) × $0.50/M = $0.0001207
    assert "≈ $0.000121 estimated" in " ".join(texts(at.chat_message[3].caption))
    ledger = " ".join(texts(at.sidebar.caption))
    # what the server billed and what is estimated from prices are told apart
    assert (
        "2 replies · 826 tokens" in ledger and "$0.000308 billed + ≈ $0.000121 estimated" in ledger
    )
    session = next(c for c in at.sidebar.caption if c.value.startswith("Session: "))
    assert "Last reply: 215 tokens billed (prompt and answer)" in session.proto.help
    bar = at.sidebar.get("progress")  # the conversation to send next, counted by the server
    assert bar and "of 131,072 tokens" in bar[0].proto.text and "(exact" in session.proto.help


def test_compare_streams_two_models_side_by_side(env_fake: FakeXai) -> None:
    at = chat_app()
    at.sidebar.toggle(key="chat_compare").set_value(True).run()
    at.sidebar.multiselect(key="chat_compare_with").set_value(["grok-3-mini"]).run()
    at.chat_input[0].set_value("hello both").run()
    assert not at.exception
    models = sorted(r.body["model"] for r in env_fake.requests if r.path == "/v1/chat/completions")
    assert models == ["grok-3-mini", "grok-4.3"]
    replies = at.chat_message[1:]
    assert len(replies) == 2
    for reply in replies:
        assert "Olá!" in texts(reply.markdown)
        assert "$0.000308" in " ".join(texts(reply.caption))
    at.button(key="chat_compare_pick_grok-3-mini").click().run()
    at.sidebar.toggle(key="chat_compare").set_value(False).run()
    at.chat_input[0].set_value("go on").run()
    assert len(last_body(env_fake)["messages"]) == 3


def test_an_image_is_sent_as_a_content_part(env_fake: FakeXai) -> None:
    at = chat_app()  # grok-4.3 takes images
    at.text_input(key="chat_image_url_0").input("https://example.com/cat.png")
    at.chat_input[0].set_value("What is this?").run()
    assert not at.exception
    content = last_body(env_fake)["messages"][0]["content"]
    assert content == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ]
    assert at.text_input(key="chat_image_url_1").value == ""  # attachment cleared after sending
    at.sidebar.selectbox(key="chat_model").set_value("grok-3-mini").run()  # text only
    assert not [w for w in at.text_input if w.key and w.key.startswith("chat_image_url")]


def downloaded(at: AppTest, label: str, files: dict[str, bytes]) -> str:
    button = next(b for b in at.sidebar.get("download_button") if b.proto.label == label)
    return files[button.proto.url.rsplit("/", 1)[-1].split(".")[0]].decode()


def test_export_then_import_restores_the_conversation(
    env_fake: FakeXai, downloads: dict[str, bytes]
) -> None:
    at = chat_app()
    at.sidebar.text_area(key="chat_system_prompt").input("Be brief.")
    at.sidebar.number_input(key="chat_temperature").set_value(0.4)
    at.sidebar.selectbox(key="chat_model").set_value("grok-3-mini")
    at.chat_input[0].set_value("hi").run()
    stats = texts(at.chat_message[1].caption)
    exported = downloaded(at, "Export JSON", downloads)
    document = json.loads(exported)
    assert document["model"] == "grok-3-mini"
    assert document["parameters"] == {"temperature": 0.4}
    assert document["messages"][:2] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hi"},
    ]
    assert document["messages"][2]["content"] == "Olá!"
    assert env_fake.api_key not in exported
    markdown = downloaded(at, "Export Markdown", downloads)
    assert "## User\n\nhi" in markdown and "Olá!" in markdown

    fresh = chat_app()
    fresh.sidebar.get("file_uploader")[0].upload("chat.json", exported.encode(), "application/json")
    fresh.run()
    next(b for b in fresh.sidebar.button if b.label == "Import").click().run()
    assert not fresh.exception
    assert any("Imported 2 messages" in t for t in texts(fresh.success))
    assert fresh.sidebar.selectbox(key="chat_model").value == "grok-3-mini"
    assert fresh.sidebar.text_area(key="chat_system_prompt").value == "Be brief."
    assert fresh.sidebar.number_input(key="chat_temperature").value == 0.4
    assert [m.markdown[-1].value for m in fresh.chat_message] == ["hi", "Olá!"]
    assert texts(fresh.chat_message[1].caption) == stats  # tokens, cost, latency: as exported
    fresh.chat_input[0].set_value("and then?").run()
    assert last_body(env_fake)["messages"][:3] == document["messages"]


def test_a_bad_import_says_why_and_keeps_the_conversation(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("keep me").run()
    at.sidebar.text_area(key="chat_import_text").input('{"messages": [}')
    next(b for b in at.sidebar.button if b.label == "Import").click().run()
    assert any("line 1, column 15" in t for t in texts(at.error))
    assert at.chat_message[0].markdown[0].value == "keep me"


def import_button(at: AppTest, label: str = "Import") -> Any:
    return next(b for b in at.sidebar.button if b.label == label)


def test_a_file_and_pasted_json_together_are_refused_not_one_ignored(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("keep me").run()
    at.sidebar.get("file_uploader")[0].upload("a.json", b'[{"role": "user", "content": "x"}]')
    at.sidebar.text_area(key="chat_import_text").input('[{"role": "user", "content": "y"}]')
    import_button(at).click().run()
    assert any("Both a file (a.json) and pasted JSON" in t for t in texts(at.error))
    assert at.chat_message[0].markdown[0].value == "keep me"


def test_importing_over_an_open_conversation_asks_first(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("keep me").run()
    pasted = '[{"role": "user", "content": "imported"}]'
    at.sidebar.text_area(key="chat_import_text").input(pasted)
    import_button(at).click().run()
    assert any("The open one (2 messages)" in t for t in texts(at.warning))
    assert at.chat_message[0].markdown[0].value == "keep me"
    import_button(at, "Cancel").click().run()
    assert not any("open one" in t for t in texts(at.warning))
    assert at.chat_message[0].markdown[0].value == "keep me"
    import_button(at).click().run()
    import_button(at, "Replace").click().run()
    assert not at.exception
    assert [m.markdown[0].value for m in at.chat_message] == ["imported"]
    assert any("Imported 1 messages" in t for t in texts(at.success))


def test_an_uploaded_image_is_sent_as_a_data_url(env_fake: FakeXai) -> None:
    at = chat_app()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    at.main.get("file_uploader")[0].upload("cat.png", png, "image/png")
    at.run()
    at.chat_input[0].set_value("And this?").run()
    assert not at.exception
    part = last_body(env_fake)["messages"][0]["content"][1]
    assert part["type"] == "image_url"
    assert part["image_url"]["url"] == "data:image/png;base64," + base64.b64encode(png).decode()
