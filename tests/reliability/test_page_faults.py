"""The pages under every fault of the fake server (AppTest): the user's message or prompt is kept,
partial text is kept and marked, the message is plain, nothing raises, and the next request works.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from playground.core.replies import plain_error
from tests.apptest import new_app, open_page, texts
from tests.fake_xai import (
    MALFORMED_EVENT,
    FakeXai,
    completion_events,
    error_event,
    load_json,
    text_events,
)
from xai_core import InvalidResponseError, RateLimitError
from xai_core._errors import redact_secret

CHAT_PATH = "/v1/chat/completions"
COMPLETIONS_PATH = "/v1/completions"
SMALL_CAP = 64 * 1024  # the app's answer cap in these tests ("64 KB")
PIECES = ["Partial ", "answer"]
PARTIAL = "".join(PIECES)


@pytest.fixture(autouse=True)
def _short_timeout_and_small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's shared HTTP client waits 1 s for a chunk (``XAI_TIMEOUT``; its cached client is
    rebuilt for every test) and its clients read at most 64 KB per answer."""
    monkeypatch.setenv("XAI_TIMEOUT", "1")
    monkeypatch.setattr("xai_core._transport.DEFAULT_MAX_RESPONSE_BYTES", SMALL_CAP)


@dataclass(frozen=True)
class StreamFault:
    """A way for a stream to fail, and words the page's message must contain."""

    name: str
    words: str
    after_text: bool  # the failure comes after some text was shown
    requests: int = 1  # how many requests reach the server: only a 5xx before any text is retried

    def inject(self, fake: FakeXai, path: str) -> None:
        chat = path == CHAT_PATH
        partial = (
            text_events(PIECES, finish=False, done=False)
            if chat
            else completion_events(PIECES, done=False)
        )
        rest = text_events(["never shown"]) if chat else completion_events(["never shown"])
        if self.name == "cut":
            fake.cut_stream([*partial, *rest], after=len(partial))
        elif self.name == "stall":
            fake.stall_stream([*partial, *rest], after=len(partial))  # silent past XAI_TIMEOUT
        elif self.name == "error":
            fake.set_stream_script([*partial, error_event("Model overloaded, please retry")])
        elif self.name == "malformed":
            fake.set_stream_script([*partial, MALFORMED_EVENT])
        elif self.name == "oversized":
            fake.set_stream_script([*partial, "data: " + "y" * (2 * SMALL_CAP)])
        elif self.name == "429 long wait":
            fake.fail_next(429, headers={"Retry-After": "120"}, path=path)
        elif self.name == "503":
            fake.fail_next(503, headers={"Retry-After": "0"}, times=3, path=path)
        elif self.name == "slow first byte":
            fake.slow_first_byte(5.0, path=path)
        elif self.name == "html":
            fake.answer_next("<html><title>Sign in</title></html>", "text/html", path=path)
        else:
            raise AssertionError(self.name)


STREAM_FAULTS = [
    StreamFault("cut", "connection dropped", True),
    StreamFault("stall", "stopped sending", True),
    StreamFault("error", "Model overloaded", True),
    StreamFault("malformed", "malformed", True),
    StreamFault("oversized", "larger than 64 KB", True),
    StreamFault("429 long wait", "asks to wait 120 s", False),
    StreamFault("503", "status 503", False, requests=3),
    StreamFault("slow first byte", "did not answer within 1 s", False),
    StreamFault("html", "text/html", False),
]


def requests_to(fake: FakeXai, path: str) -> int:
    return sum(1 for r in fake.requests if r.path == path)


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- chat ----------------------------------------------------------------------------------------


def open_chat() -> AppTest:
    return open_page("playground/chat/page.py")


@pytest.mark.parametrize("fault", STREAM_FAULTS, ids=lambda f: f.name)
def test_chat_keeps_the_message_and_the_partial_reply_then_goes_on(
    env_fake: FakeXai, fault: StreamFault
) -> None:
    at = open_chat()
    fault.inject(env_fake, CHAT_PATH)
    no_exception(at.chat_input[0].set_value("Tell me").run())
    user, assistant = at.chat_message
    assert user.markdown[0].value == "Tell me"  # the message is kept
    errors = texts(assistant.error)
    assert len(errors) == 1 and fault.words in errors[0], errors
    assert "Traceback" not in errors[0] and env_fake.api_key not in errors[0]
    marked = any("Incomplete" in t for t in texts(assistant.caption))
    assert requests_to(env_fake, CHAT_PATH) == fault.requests  # never retried after text
    if fault.after_text:
        assert texts(assistant.markdown)[0].strip() == PARTIAL and marked
    else:
        assert not texts(assistant.markdown) and not marked
    assert any(b.label == "Retry" for b in at.button)
    no_exception(at.chat_input[0].set_value("Again").run())  # the app is still usable
    assert len(at.chat_message) == 4
    assert texts(at.chat_message[2].markdown)[0] == "Again"
    assert "Olá!" in texts(at.chat_message[3].markdown) and not at.chat_message[3].error
    sent = [r.body for r in env_fake.requests if r.path == CHAT_PATH][-1]["messages"]
    expected_history = [{"role": "user", "content": "Tell me"}]
    if fault.after_text:  # the partial reply is part of the history sent next
        expected_history.append({"role": "assistant", "content": PARTIAL})
    assert sent == [*expected_history, {"role": "user", "content": "Again"}]


def test_chat_takes_a_whole_json_answer_to_a_stream_request(env_fake: FakeXai) -> None:
    at = open_chat()
    env_fake.answer_next(load_json("chat_completion.json"), path=CHAT_PATH)
    no_exception(at.chat_input[0].set_value("Olá").run())
    _, assistant = at.chat_message
    assert "Olá!" in texts(assistant.markdown) and not assistant.error
    assert "finish: stop" in " ".join(texts(assistant.caption))


def test_chat_retry_button_sends_again_after_a_failure(env_fake: FakeXai) -> None:
    at = open_chat()
    StreamFault("cut", "", True).inject(env_fake, CHAT_PATH)
    no_exception(at.chat_input[0].set_value("Tell me").run())
    next(b for b in at.button if b.label == "Retry").click()
    no_exception(at.run())
    user, assistant = at.chat_message
    assert user.markdown[0].value == "Tell me"
    assert "Olá!" in texts(assistant.markdown) and not assistant.error


def test_a_key_echoed_by_the_server_never_reaches_the_page(env_fake: FakeXai) -> None:
    key = env_fake.api_key
    partial = text_events(["Hi"], finish=False, done=False)
    env_fake.set_stream_script([*partial, error_event(f"Quota exceeded for Bearer {key}")])
    at = open_chat()
    no_exception(at.chat_input[0].set_value("Tell me").run())
    shown = " ".join(texts(at.markdown, at.caption, at.error, at.warning, at.info, at.code))
    assert key not in shown
    assert f"Quota exceeded for Bearer {redact_secret(key)}" in texts(at.chat_message[1].error)


# --- completions ---------------------------------------------------------------------------------

PROMPT = "Once upon a time"
DEFAULT_TEXT = " the quick brown fox"  # the fake's usual completion stream


def open_completions() -> AppTest:
    at = open_page("playground/completions/page.py")
    at.text_area(key="completions_prompt").input(PROMPT)
    return no_exception(at.run())


def run_button(at: AppTest) -> Any:
    return next(b for b in at.button if b.label == "Run")


def shown_html(at: AppTest) -> str:
    return " ".join(el.proto.body for el in at.get("html"))


@pytest.mark.parametrize("fault", STREAM_FAULTS, ids=lambda f: f.name)
def test_completions_keep_the_prompt_and_the_partial_text_then_go_on(
    env_fake: FakeXai, fault: StreamFault
) -> None:
    at = open_completions()
    fault.inject(env_fake, COMPLETIONS_PATH)
    no_exception(run_button(at).click().run())
    assert at.text_area(key="completions_prompt").value == PROMPT  # the prompt is kept
    errors = texts(at.error)
    assert len(errors) == 1 and fault.words in errors[0], errors
    assert env_fake.api_key not in errors[0]
    marked = any("Incomplete" in t for t in texts(at.caption))
    assert requests_to(env_fake, COMPLETIONS_PATH) == fault.requests
    if fault.after_text:
        assert PARTIAL in shown_html(at) and marked
        assert "never shown" not in shown_html(at)
    else:
        assert not marked and "Partial" not in shown_html(at)
    assert "Run as chat (emulated)" not in [b.label for b in at.button]  # not a refusal
    no_exception(run_button(at).click().run())  # the app is still usable
    assert not at.error and DEFAULT_TEXT in shown_html(at)
    assert not any("Incomplete" in t for t in texts(at.caption))


def test_completions_take_a_whole_json_answer_to_a_stream_request(env_fake: FakeXai) -> None:
    at = open_completions()
    env_fake.answer_next(load_json("completion.json"), path=COMPLETIONS_PATH)
    no_exception(run_button(at).click().run())
    assert not at.error
    tokens = load_json("completion.json")["choices"][0]["logprobs"]["tokens"]
    assert all(f">{token}</span>" in shown_html(at) for token in tokens)  # the token view


# --- JSON routes: models & pricing, embeddings ---------------------------------------------------


@dataclass(frozen=True)
class JsonFault:
    name: str
    words: str

    def inject(self, fake: FakeXai, path: str) -> None:
        if self.name == "500":
            fake.fail_next(500, headers={"Retry-After": "0"}, times=None, path=path)
        elif self.name == "html":
            fake.answer_next("<html>Bad gateway</html>", "text/html", path=path, times=None)
        elif self.name == "oversized":
            fake.oversize_next(4 * SMALL_CAP, path=path, times=None)
        else:
            raise AssertionError(self.name)


JSON_FAULTS = [
    JsonFault("500", "status 500"),
    JsonFault("html", "text/html"),
    JsonFault("oversized", "larger than 64 KB"),
]


@pytest.mark.parametrize("fault", JSON_FAULTS, ids=lambda f: f.name)
def test_models_page_says_why_and_recovers_on_refresh(env_fake: FakeXai, fault: JsonFault) -> None:
    fault.inject(env_fake, "/v1/language-models")
    at = new_app().run()
    no_exception(at.switch_page("playground/models/page.py").run())
    warnings = [t for t in texts(at.warning) if "No live data" in t]
    assert len(warnings) == 1 and fault.words in warnings[0], texts(at.warning)
    env_fake.clear()  # the server is well again
    no_exception(at.button(key="models_refresh").click().run())
    assert not any("No live data" in t for t in texts(at.warning))
    assert any("live prices from" in t for t in texts(at.caption))


@pytest.fixture
def _own_embeddings_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(tmp_path / "embeddings-cache"))


@pytest.mark.usefixtures("_own_embeddings_cache")
@pytest.mark.parametrize("fault", JSON_FAULTS, ids=lambda f: f.name)
def test_embeddings_page_says_why_and_embeds_on_retry(env_fake: FakeXai, fault: JsonFault) -> None:
    at = new_app(timeout=120).run()
    no_exception(at.switch_page("playground/embeddings/page.py").run())
    fault.inject(env_fake, "/v1/embeddings")
    no_exception(at.button(key="emb_embed").click().run())
    errors = texts(at.error)
    assert len(errors) == 1 and "Embedding stopped" in errors[0] and fault.words in errors[0]
    env_fake.clear()
    no_exception(at.button(key="emb_embed").click().run())
    assert not at.error
    assert "280 embedded" in " ".join(texts(at.caption))


def test_rate_limit_messages_say_whether_the_client_waited() -> None:
    def limited(after: float | None) -> RateLimitError:
        return RateLimitError("Too many requests.", status_code=429, retry_after=after)

    assert plain_error(limited(300)) == (
        "Rate limited (HTTP 429): Too many requests. The server asks to wait 300 s before "
        "trying again."
    )
    assert plain_error(limited(2)) == (
        "Rate limited (HTTP 429), retried and still refused: Too many requests. "
        "The server asks to wait 2 s."
    )
    assert plain_error(limited(None)).endswith("still refused: Too many requests.")
    assert plain_error(InvalidResponseError("Not JSON.")) == "Not JSON."
