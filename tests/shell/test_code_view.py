"""The "View code" dialog shows the body that was sent: the snippet's JSON equals what the server
received, for chat, completions and the completions page's chat emulation."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.apptest import open_page
from tests.fake_xai import FakeXai

CHAT, COMPLETIONS = "playground/chat/page.py", "playground/completions/page.py"


def curl_body(at: AppTest) -> Any:
    """The JSON body of the curl snippet in the open "View code" dialog."""
    curl = next(c.value for c in at.code if c.value.startswith("curl"))
    payload = curl.split("-d '", 1)[1].rsplit("'", 1)[0].replace("'\\''", "'")
    return json.loads(payload)


def sent(fake: FakeXai, path: str) -> Any:
    return [r.body for r in fake.requests if r.path == path][-1]


def view_code(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_chat_view_code_is_the_body_sent(env_fake: FakeXai) -> None:
    at = open_page(CHAT)
    # a model that takes stop (grok-4.3, the first, reasons: it rejects stop)
    at.sidebar.selectbox(key="chat_model").set_value("grok-4.20-0309-non-reasoning").run()
    side = at.sidebar
    side.number_input(key="chat_temperature").set_value(0.3)
    side.number_input(key="chat_max_tokens").set_value(40)
    side.text_area(key="chat_stop").input("END\\n\nit's")
    side.selectbox(key="chat_logprobs").set_value("false")
    at.main.text_area(key="chat_tools").input('[{"name": "get_weather", "parameters": {}}]').run()
    at.sidebar.selectbox(key="chat_tool_choice").set_value("get_weather")
    at.sidebar.text_area(key="chat_system_prompt").input("Be brief.")
    at.chat_input[0].set_value("hi 'there'").run()
    view_code(at, "chat_view_code")
    body = sent(env_fake, "/v1/chat/completions")
    assert body["stop"] == ["END\n", "it's"] and body["tool_choice"]["function"]
    assert curl_body(at) == body


def test_completions_view_code_is_the_body_sent(env_fake: FakeXai) -> None:
    at = open_page(COMPLETIONS)
    at.text_area(key="completions_prompt").input("Once 'upon'")
    at.text_input(key="completions_suffix").input(" The end.")
    at.sidebar.number_input(key="completions_p_max_tokens").set_value(8)
    at.sidebar.selectbox(key="completions_p_echo").set_value("true")
    at.sidebar.text_area(key="completions_p_stop").input("###")
    at.run()
    view_code(at, "completions_view_code")
    shown = curl_body(at)
    next(b for b in at.button if b.label == "Run").click().run()
    assert shown == sent(env_fake, "/v1/completions")
    at.sidebar.number_input(key="completions_p_best_of").set_value(2).run()  # does not stream
    next(b for b in at.button if b.label == "Run").click().run()
    view_code(at, "completions_view_code")
    body = sent(env_fake, "/v1/completions")
    assert "stream" not in body and curl_body(at) == body


def test_the_emulated_chat_run_shows_the_chat_body_sent(env_fake: FakeXai) -> None:
    env_fake.fail_next(400, {"error": "legacy endpoint refused"}, path="/v1/completions")
    at = open_page(COMPLETIONS)
    at.text_area(key="completions_prompt").input("The sea is")
    at.sidebar.number_input(key="completions_p_max_tokens").set_value(9)
    at.run()
    next(b for b in at.button if b.label == "Run").click().run()
    next(b for b in at.button if b.label == "Run as chat (emulated)").click().run()
    view_code(at, "completions_view_emulated_code")
    body = sent(env_fake, "/v1/chat/completions")
    assert body["max_completion_tokens"] == 9
    assert curl_body(at) == body
