"""The chat page: streaming against the fake xAI server and the local backend."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from local_backend.launcher import LocalBackendProcess
from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai

CHAT = "playground/chat/page.py"
STOP_REFUSED = "Argument not supported on this model: stop"  # xAI's words for a refused parameter


def chat_app() -> AppTest:
    at = new_app().run()
    at.switch_page(CHAT).run()
    assert not at.exception
    return at


def refuse_stop(fake: FakeXai) -> None:
    """The next chat request fails as xAI refuses a parameter the model does not take (400)."""
    fake.fail_next(
        400,
        {"code": "Client specified an invalid argument", "error": STOP_REFUSED},
        path="/v1/chat/completions",
    )


def test_a_reasoning_reply_streams_with_thinking_and_stats(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("Olá").run()
    assert not at.exception, [e.value for e in at.exception]
    user, assistant = at.chat_message
    assert user.markdown[0].value == "Olá"
    assert "Olá!" in texts(assistant.markdown)
    thinking = assistant.expander[0]
    assert thinking.label == "Thinking"
    assert "First, think." in texts(thinking.markdown)
    stats = " ".join(texts(assistant.caption))
    assert "213 in (192 cached)" in stats
    assert "198 reasoning" in stats
    assert "$0.000308" in stats  # from cost_in_usd_ticks 3080400
    assert "finish: stop" in stats
    sent = [r for r in env_fake.requests if r.path == "/v1/chat/completions"][-1].body
    assert sent["messages"] == [{"role": "user", "content": "Olá"}]
    assert sent["stream_options"] == {"include_usage": True}
    assert "temperature" not in sent  # unset parameters are not sent


def test_set_parameters_and_system_prompt_are_sent(env_fake: FakeXai) -> None:
    at = chat_app()
    at.sidebar.text_area(key="chat_system_prompt").input("Be brief.")
    at.sidebar.number_input(key="chat_temperature").set_value(0.3)
    at.chat_input[0].set_value("hi").run()
    sent = [r for r in env_fake.requests if r.path == "/v1/chat/completions"][-1].body
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["temperature"] == 0.3


def test_a_failed_request_keeps_the_conversation(env_fake: FakeXai) -> None:
    at = chat_app()
    refuse_stop(env_fake)
    at.chat_input[0].set_value("first question").run()
    assert not at.exception
    user, assistant = at.chat_message
    assert user.markdown[0].value == "first question"
    assert STOP_REFUSED in texts(assistant.error)
    regenerate = next(b for b in at.button if b.label == "Regenerate")
    regenerate.click().run()
    assert not at.exception
    user, assistant = at.chat_message
    assert "Olá!" in texts(assistant.markdown)  # the retry answers the same question


def test_clear_conversation(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("hi").run()
    assert len(at.chat_message) == 2
    next(b for b in at.button if b.label == "Clear conversation").click().run()
    assert len(at.chat_message) == 0


def test_chat_streams_from_the_local_backend(env_local: LocalBackendProcess) -> None:
    at = chat_app()
    assert "Local (offline)" in texts(at.sidebar.success)
    assert any("small offline model" in t and "can be wrong" in t for t in texts(at.caption))
    at.sidebar.number_input(key="chat_max_tokens").set_value(8)
    at.chat_input[0].set_value("Write a long story about a lighthouse keeper.").run()
    assert not at.exception, [e.value for e in at.exception]
    _, assistant = at.chat_message
    assert texts(assistant.markdown)[0].strip()
    stats = " ".join(texts(assistant.caption))
    assert "qwen2.5-coder-0.5b-instruct" in stats and "8 out" in stats and "· free ·" in stats
