"""The chat page's parameters, JSON editors, model-aware controls and retry without a parameter."""

from __future__ import annotations

from typing import Any

from tests.apptest import texts
from tests.chat.test_page import STOP_REFUSED, chat_app, refuse_stop
from tests.fake_xai import FakeXai

NON_REASONING = "grok-4.20-0309-non-reasoning"  # takes penalties and stop, no reasoning effort
TOOLS = '[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]'


def last_body(fake: FakeXai) -> dict[str, Any]:
    body: dict[str, Any] = [r for r in fake.requests if r.path == "/v1/chat/completions"][-1].body
    return body


def chat_requests(fake: FakeXai) -> int:
    return len([r for r in fake.requests if r.path == "/v1/chat/completions"])


def test_only_the_parameters_set_are_sent(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("hi").run()
    unset = last_body(env_fake)
    assert set(unset) == {"model", "messages", "stream", "stream_options"}
    # a model that takes penalties and stop (grok-4.3 reasons: it rejects them; the reasoning
    # effort it takes is sent in tests/chat/test_page_models.py)
    at.sidebar.selectbox(key="chat_model").set_value(NON_REASONING).run()
    side = at.sidebar
    side.number_input(key="chat_top_p").set_value(0.9)
    side.number_input(key="chat_max_tokens").set_value(64)
    side.number_input(key="chat_presence_penalty").set_value(-1.5)
    side.number_input(key="chat_frequency_penalty").set_value(0.5)
    side.number_input(key="chat_seed").set_value(7)
    side.text_area(key="chat_stop").input("END\\n\nSTOP")
    side.number_input(key="chat_n").set_value(1)
    side.selectbox(key="chat_logprobs").set_value("true")
    side.number_input(key="chat_top_logprobs").set_value(3)
    assert side.selectbox(key="chat_reasoning_effort").disabled
    side.selectbox(key="chat_response_format").set_value("json_object")
    side.text_input(key="chat_user").input("alice")
    at.run()
    at.chat_input[0].set_value("again").run()
    assert not at.exception
    sent = last_body(env_fake)
    assert {k: v for k, v in sent.items() if k not in ("model", "messages")} == {
        "stream": True,
        "top_p": 0.9,
        "max_completion_tokens": 64,
        "presence_penalty": -1.5,
        "frequency_penalty": 0.5,
        "seed": 7,
        "stop": ["END\n", "STOP"],
        "n": 1,
        "logprobs": True,
        "top_logprobs": 3,
        "response_format": {"type": "json_object"},
        "user": "alice",
        "stream_options": {"include_usage": True},
    }


def test_json_schema_and_tools_are_sent_once_valid(env_fake: FakeXai) -> None:
    at = chat_app()
    at.sidebar.selectbox(key="chat_response_format").set_value("json_schema").run()
    at.main.text_area(key="chat_json_schema").input('{"type": "object"}')  # full width
    at.main.text_area(key="chat_tools").input(TOOLS).run()
    at.sidebar.selectbox(key="chat_tool_choice").set_value("get_weather").run()
    at.chat_input[0].set_value("weather?").run()
    assert not at.exception
    sent = last_body(env_fake)
    assert sent["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "response", "schema": {"type": "object"}},
    }
    assert sent["tools"][0]["function"]["name"] == "get_weather"
    assert sent["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}


def test_invalid_json_is_pointed_at_and_nothing_is_sent(env_fake: FakeXai) -> None:
    at = chat_app()
    at.main.text_area(key="chat_tools").input('[{"type": "function",\n  "function": }]').run()
    assert any("tools, line 2, column 15" in t for t in texts(at.main.error))  # under it
    at.chat_input[0].set_value("weather?").run()
    assert not at.exception
    assert chat_requests(env_fake) == 0
    assert any("Not sent: fix the parameters first" in t for t in texts(at.error))
    assert at.chat_message[0].markdown[0].value == "weather?"  # the message is kept
    at.main.text_area(key="chat_tools").input(TOOLS).run()
    next(b for b in at.button if b.label == "Send").click().run()
    assert chat_requests(env_fake) == 1
    assert last_body(env_fake)["messages"][-1] == {"role": "user", "content": "weather?"}


def test_a_reasoning_model_disables_what_it_rejects(env_fake: FakeXai) -> None:
    at = chat_app()
    assert at.sidebar.number_input(key="chat_presence_penalty").disabled  # grok-4.3 reasons
    at.sidebar.selectbox(key="chat_model").set_value(NON_REASONING).run()
    at.sidebar.number_input(key="chat_presence_penalty").set_value(1.0)
    at.sidebar.selectbox(key="chat_model").set_value("grok-4.20-0309-reasoning").run()
    assert at.sidebar.number_input(key="chat_presence_penalty").disabled
    assert at.sidebar.text_area(key="chat_stop").disabled
    assert not at.sidebar.number_input(key="chat_temperature").disabled
    reason = "Presence penalty, Frequency penalty, Stop sequences — reasoning models reject it"
    assert any(reason in t.replace("\\", "") for t in texts(at.sidebar.caption))
    at.chat_input[0].set_value("hi").run()
    assert "presence_penalty" not in last_body(env_fake)  # set, but disabled: not sent


def test_retry_without_the_parameter_the_server_names(env_fake: FakeXai) -> None:
    at = chat_app()
    at.sidebar.selectbox(key="chat_model").set_value(NON_REASONING).run()  # takes stop
    at.sidebar.text_area(key="chat_stop").input("END")
    at.sidebar.number_input(key="chat_temperature").set_value(0.5)
    refuse_stop(env_fake)
    at.chat_input[0].set_value("hi").run()
    assert STOP_REFUSED in texts(at.chat_message[1].error)
    retry = next(b for b in at.button if b.label == "Retry without stop")
    retry.click().run()
    assert not at.exception
    sent = last_body(env_fake)
    assert "stop" not in sent and sent["temperature"] == 0.5
    assert at.sidebar.text_area(key="chat_stop").value == ""
    assert len(at.chat_message) == 2 and "Olá!" in texts(at.chat_message[1].markdown)


def test_a_rate_limit_says_so_and_keeps_the_question(env_fake: FakeXai) -> None:
    at = chat_app()
    env_fake.fail_next(
        429,
        {"code": "Too many requests", "error": "Slow down."},
        times=3,
        path="/v1/chat/completions",
    )
    at.chat_input[0].set_value("hi").run()
    assert not at.exception
    error = " ".join(texts(at.chat_message[1].error))
    assert "Rate limited" in error and "Slow down." in error
    assert at.chat_message[0].markdown[0].value == "hi"
    at.button(key="chat_retry").click().run()  # the limit has passed: the retry answers
    assert not at.exception
    assert len(at.chat_message) == 2 and "Olá!" in texts(at.chat_message[1].markdown)


def test_view_code_shows_the_last_request_without_the_key(env_fake: FakeXai) -> None:
    at = chat_app()
    at.sidebar.number_input(key="chat_seed").set_value(3)
    at.chat_input[0].set_value("hi").run()
    next(b for b in at.button if b.label == "View code").click().run()
    code = "\n".join(c.value for c in at.code)
    assert "seed=3" in code and "'content': 'hi'" in code
    assert env_fake.api_key not in code
    assert "XAI_API_KEY" in code
