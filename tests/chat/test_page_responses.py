"""The chat page in Responses mode (the default on xAI), against the fake xAI server: server-side
tool progress, sources, citations and the billed cost split; a stored continuation; a failed
stream; bad tool settings refused before sending; the one-click fixes."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai

CHAT = "playground/chat/page.py"


def responses_app() -> AppTest:
    """The Chat page with its own default API (Responses on xAI)."""
    at = new_app(chat_api=None).run()
    at.switch_page(CHAT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sent(fake: FakeXai, path: str = "/v1/responses") -> list[Any]:
    return [r.body for r in fake.requests if r.path == path]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def reply_words(at: AppTest) -> str:
    """Everything the last chat message says."""
    last = at.chat_message[-1]
    return "\n".join(texts(last.markdown, last.caption, last.error, last.code))


def test_responses_is_the_default_on_xai(env_fake: FakeXai) -> None:
    at = responses_app()
    assert at.sidebar.radio(key="chat_api_xai").value == "responses"
    ok(at.chat_input[0].set_value("Olá").run())
    body = sent(env_fake)[-1]
    assert body["input"] == [{"role": "user", "content": "Olá"}]
    assert body["stream"] is True and "messages" not in body
    assert not sent(env_fake, "/v1/chat/completions")


def test_a_web_search_reply_shows_its_progress_sources_citations_and_cost(
    env_fake: FakeXai,
) -> None:
    at = responses_app()
    at.sidebar.toggle(key="chat_web_search").set_value(True).run()
    ok(at.chat_input[0].set_value("What is new at xAI?").run())
    assert sent(env_fake)[-1]["tools"] == [{"type": "web_search"}]
    words = reply_words(at)
    assert "Searched the web" in words
    assert "Sources: [" in words and "](http" in words  # the sources as links
    assert "Citations" in words and "1. [" in words  # the citations as Markdown links
    assert "billed: $" in words and " tools (" in words and "web search" in words
    assert "web search" in " ".join(texts(at.sidebar.caption))  # the session ledger counts it


def test_a_second_turn_continues_by_previous_response_id(env_fake: FakeXai) -> None:
    at = responses_app()
    ok(at.chat_input[0].set_value("What is 101*3?").run())
    first = sent(env_fake)[-1]
    assert "previous_response_id" not in first
    ok(at.chat_input[0].set_value("Times 2?").run())
    second = sent(env_fake)[-1]
    assert second["previous_response_id"]
    assert second["input"] == [{"role": "user", "content": "Times 2?"}]
    assert not at.chat_message[-1].error  # the fake knew the stored response


def test_store_off_resends_the_history(env_fake: FakeXai) -> None:
    at = responses_app()
    at.sidebar.selectbox(key="chat_store").set_value("false").run()
    ok(at.chat_input[0].set_value("What is 101*3?").run())
    ok(at.chat_input[0].set_value("Times 2?").run())
    body = sent(env_fake)[-1]
    assert "previous_response_id" not in body and body["store"] is False
    assert body["include"] == ["reasoning.encrypted_content"]
    assert body["input"][0] == {"role": "user", "content": "What is 101*3?"}
    assert body["input"][-1] == {"role": "user", "content": "Times 2?"}
    assert len(body["input"]) > 2  # the first reply's items between them


def test_a_failed_stream_keeps_its_partial_text(env_fake: FakeXai) -> None:
    at = responses_app()
    ok(at.chat_input[0].set_value("Tell me [[failed]] a story").run())
    last = at.chat_message[-1]
    assert texts(last.markdown) and any(texts(last.markdown))  # what arrived is kept
    assert last.error, "the failure is said"
    ok(at.chat_input[0].set_value("again").run())  # the conversation goes on
    assert len(at.chat_message) == 4


def test_an_invalid_domain_list_is_refused_before_sending(env_fake: FakeXai) -> None:
    at = responses_app()
    at.sidebar.toggle(key="chat_web_search").set_value(True).run()
    at.sidebar.text_area(key="chat_web_domains").input("https://x.ai/news").run()
    assert any("example.com" in e for e in texts(at.sidebar.error))
    ok(at.chat_input[0].set_value("hi").run())
    assert not sent(env_fake)  # nothing sent
    assert any("Not sent" in e for e in texts(at.error))
    assert texts(at.chat_message[0].markdown)[0] == "hi"  # nothing lost
    at.sidebar.text_area(key="chat_web_domains").input("x.ai").run()
    next(b for b in at.button if b.label == "Send").click().run()
    assert sent(env_fake)[-1]["tools"] == [{"type": "web_search", "allowed_domains": ["x.ai"]}]


def test_an_unknown_stored_response_offers_to_resend_the_history(env_fake: FakeXai) -> None:
    at = responses_app()
    ok(at.chat_input[0].set_value("What is 101*3?").run())
    env_fake.fail_next(
        404,
        {"code": "Some requested entity was not found", "error": "No responses could be found"},
        path="/v1/responses",
    )
    ok(at.chat_input[0].set_value("Times 2?").run())
    assert "no longer knows the stored response" in reply_words(at)
    ok(at.button(key="chat_resend_history").click().run())
    body = sent(env_fake)[-1]
    assert "previous_response_id" not in body and len(body["input"]) > 2
    assert not at.chat_message[-1].error and len(at.chat_message) == 4


def test_a_server_without_responses_offers_chat_completions(env_fake: FakeXai) -> None:
    at = responses_app()
    env_fake.fail_next(404, {"detail": "Not Found"}, path="/v1/responses")
    ok(at.chat_input[0].set_value("hi").run())
    assert "does not serve the Responses API" in reply_words(at)
    ok(at.button(key="chat_switch_api").click().run())
    assert at.sidebar.radio(key="chat_api_xai").value == "chat"
    assert sent(env_fake, "/v1/chat/completions")[-1]["messages"][-1]["content"] == "hi"
    assert len(at.chat_message) == 2 and not at.chat_message[-1].error


def test_view_code_shows_the_responses_request(env_fake: FakeXai) -> None:
    at = responses_app()
    ok(at.chat_input[0].set_value("hi 'there'").run())
    ok(at.button(key="chat_view_code").click().run())
    code = texts(at.code)
    assert any("client.responses.create(" in c for c in code)
    assert any(c.startswith("curl") and "/responses" in c for c in code)
    assert not any(env_fake.api_key in c for c in code)


def test_a_function_tool_round_trip_sends_its_output(env_fake: FakeXai) -> None:
    """A function tool in Responses mode: the call is shown, the typed result goes back as a
    ``function_call_output`` continuing the stored response, and the model answers in text."""
    at = responses_app()
    tools = '[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]'
    at.main.text_area(key="chat_tools").input(tools).run()
    ok(at.chat_input[0].set_value("Weather in Lisbon?").run())
    first = sent(env_fake)[-1]
    assert first["tools"][0]["type"] == "function" and first["tools"][0]["name"] == "get_weather"
    assistant = at.chat_message[1]
    assert any("get_weather(" in c.value for c in assistant.code), [c.value for c in assistant.code]
    result_box = next(t for t in assistant.text_area if t.key.startswith("chat_tool_result_"))
    result_box.input("22 °C, sunny")
    ok(next(b for b in at.button if b.label == "Send tool results").click().run())
    body = sent(env_fake)[-1]
    outputs = [i for i in body["input"] if i.get("type") == "function_call_output"]
    assert len(outputs) == 1 and outputs[0]["output"] == "22 °C, sunny" and outputs[0]["call_id"]
    assert body.get("previous_response_id")  # only the new item, on top of the stored call
    assert "The tool said: 22 °C, sunny" in reply_words(at)
