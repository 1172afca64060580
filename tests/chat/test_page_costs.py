"""What the Chat page says a reply cost, under the reply and in the session's ledger: billed by the
server, estimated from prices, free on a free model, not billed when the server refused the
request; and the same "out" count in both places."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from local_backend.launcher import LocalBackendProcess
from tests.apptest import texts
from tests.chat.test_page import chat_app, refuse_stop
from tests.chat.test_page_responses import responses_app
from tests.fake_xai import FakeXai


def reply_line(at: AppTest, index: int = 1) -> str:
    return " ".join(texts(at.chat_message[index].caption))


def ledger(at: AppTest) -> str:
    return next(c for c in texts(at.sidebar.caption) if c.startswith("Session: "))


def test_a_refused_request_is_not_billed(env_fake: FakeXai) -> None:
    at = chat_app()
    refuse_stop(env_fake)  # a 400
    at.chat_input[0].set_value("first question").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "not billed" in reply_line(at) and "cost unknown" not in reply_line(at)
    assert ledger(at) == "Session: 0 replies · 0 tokens · not billed (1 refused)"


def test_a_rate_limited_request_is_not_billed(env_fake: FakeXai) -> None:
    env_fake.fail_next(429, path="/v1/chat/completions", headers={"retry-after": "0"}, times=None)
    at = chat_app()
    at.chat_input[0].set_value("hello").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "HTTP 429" in " ".join(texts(at.chat_message[1].error))
    assert "not billed" in reply_line(at) and "cost unknown" not in reply_line(at)
    env_fake.clear()
    at.chat_input[0].set_value("again").run()
    assert ledger(at).endswith("· $0.000308 billed (1 refused, not billed)")


def test_a_refused_responses_request_is_not_billed(env_fake: FakeXai) -> None:
    env_fake.fail_next(400, path="/v1/responses")
    at = responses_app()
    at.chat_input[0].set_value("hello").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "not billed" in reply_line(at) and "cost unknown" not in reply_line(at)


def test_the_server_s_cost_is_billed_and_out_is_the_same_in_the_reply_and_the_ledger(
    env_fake: FakeXai,
) -> None:
    at = chat_app()
    at.chat_input[0].set_value("Olá").run()
    assert not at.exception, [e.value for e in at.exception]
    # the fake's reply: 2 answer tokens + 198 reasoning tokens, 3080400 ticks
    assert "213 in (192 cached) · 200 out (198 reasoning) · $0.000308 billed" in reply_line(at)
    assert ledger(at) == "Session: 1 reply · 413 tokens · $0.000308 billed"
    session = next(c for c in at.sidebar.caption if c.value.startswith("Session: "))
    assert "Session tokens: 213 in, 200 out." in session.proto.help  # as the reply line counts


def test_a_free_local_model_says_free(env_local: LocalBackendProcess) -> None:
    at = chat_app()
    at.sidebar.number_input(key="chat_max_tokens").set_value(4)
    at.chat_input[0].set_value("Say hi.").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "· free" in reply_line(at) and "$0.000000" not in reply_line(at)
    assert ledger(at).endswith(" tokens · free"), ledger(at)
