"""The chat sidebar's context bar: the conversation as it will be sent next, counted by the
server's /v1/tokenize-text (the fake server, the local backend's own tokenizer) or estimated."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from local_backend.launcher import LocalBackendProcess
from tests.apptest import new_app
from tests.fake_xai import FakeXai

CHAT = "playground/chat/page.py"


def context_bar(at: AppTest) -> str:
    """The text of the sidebar's context bar."""
    bars = [str(p.proto.text) for p in at.sidebar.get("progress")]
    assert len(bars) == 1, bars
    return bars[0]


def chat_with_system_prompt(prompt: str) -> AppTest:
    at = new_app().run()
    at.switch_page(CHAT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.sidebar.get("progress")  # nothing to send yet: no bar
    at.sidebar.text_area(key="chat_system_prompt").input(prompt).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def session_help(at: AppTest) -> str:
    """The help of the sidebar's session line: how the context was counted, the last reply."""
    line = next(c for c in at.sidebar.caption if c.value.startswith("Session: "))
    return str(line.proto.help)


def tokenize_requests(fake: FakeXai) -> list[dict[str, Any]]:
    return [r.body for r in fake.requests if r.path == "/v1/tokenize-text"]


def test_the_context_bar_counts_the_conversation_with_the_server(env_fake: FakeXai) -> None:
    at = chat_with_system_prompt("Be brief.")
    # "Be brief." is 3 tokens for the fake; 4 estimated for the system message's framing
    assert context_bar(at) == "Context: 7 of 1,000,000 tokens · 0.0007%"  # one line
    assert "(exact, 4 estimated for message framing)" in session_help(at)
    assert "Context tokens counted by the server" in session_help(at)
    at.chat_input[0].set_value("Hello there").run()
    at.run()  # the sidebar counts the reply on the next run
    assert "(exact, 12 estimated for message framing)" in session_help(at)
    sent = tokenize_requests(env_fake)
    assert sent[0] == {"text": "Be brief.", "model": sent[0]["model"]}
    assert sent[-1]["text"].startswith("Hello there\n")  # only the new turns are sent
    assert "Last reply: " in session_help(at) and "billed" in session_help(at)
    requests = len(env_fake.requests)
    at.run()
    assert len(env_fake.requests) == requests  # counted once: a rerun asks nothing


def test_a_server_without_tokenize_text_gives_a_labelled_estimate(env_fake: FakeXai) -> None:
    env_fake.fail_next(404, path="/v1/tokenize-text")
    at = chat_with_system_prompt("Answer in one short sentence, please.")
    bar = context_bar(at)
    assert bar.startswith("Context: ≈ ") and "(estimate)" in session_help(at), bar
    how = session_help(at)
    assert "estimated" in how and "does not serve /v1/tokenize\\-text" in how
    at.chat_input[0].set_value("Hello there").run()
    at.run()
    assert context_bar(at).startswith("Context: ≈ ") and "(estimate)" in session_help(at)
    assert len(tokenize_requests(env_fake)) == 1  # asked once in the session


def test_the_local_backend_counts_with_its_own_tokenizer(env_local: LocalBackendProcess) -> None:
    at = chat_with_system_prompt("Be brief.")
    bar = context_bar(at)
    assert bar.startswith("Context: 7 of ")
    assert "(exact, 4 estimated for message framing)" in session_help(at), bar
