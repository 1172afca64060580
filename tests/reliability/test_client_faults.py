"""The client over real HTTP against the fake server's faults: retries, bounded waits, size caps,
wrong content types, partial text kept, and the key never in an error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fake_xai import (
    MALFORMED_EVENT,
    FakeXai,
    completion_events,
    error_event,
    load_json,
    text_events,
)
from xai_core import (
    APIConnectionError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    InternalServerError,
    InvalidResponseError,
    RateLimitError,
    XaiClient,
    XaiError,
    new_http_client,
)
from xai_core._errors import redact_secret
from xai_core._retry import MAX_RETRY_AFTER_S, MAX_TOTAL_RETRY_WAIT_S

CHAT = "/v1/chat/completions"
USER = [{"role": "user", "content": "hi"}]
SMALL_CAP = 64 * 1024  # "64 KB" in messages


class Client(XaiClient):
    """An XaiClient on the fake whose sleeps are recorded instead of slept."""

    def __init__(self, fake: FakeXai, **kwargs: Any) -> None:
        super().__init__(api_key=fake.api_key, base_url=fake.base_url, **kwargs)
        self.sleeps: list[float] = []
        self.sleep = self.sleeps.append


@pytest.fixture
def client(fake_xai: FakeXai) -> Iterator[Client]:
    with Client(fake_xai, timeout=5.0, max_response_bytes=SMALL_CAP) as c:
        yield c


def posts(fake: FakeXai, path: str = CHAT) -> int:
    """How many requests reached ``path``."""
    return sum(1 for r in fake.requests if r.path == path)


def chat_text(client: XaiClient) -> tuple[str, XaiError | None]:
    """Stream a chat reply to its end or its error: (choice 0's text, the error)."""
    stream = client.stream_chat(model="grok-4.3", messages=USER)
    try:
        stream.until_done()
    except XaiError:
        pass
    finally:
        stream.close()
    return stream.result.choices[0].message.content or "" if stream.result.choices else "", (
        stream.error
    )


# --- retries -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "headers", "expected_sleeps"),
    [
        (429, {}, None),
        (429, {"Retry-After": "3"}, [3.0, 3.0]),
        (500, {}, None),
        (502, {}, None),
        (503, {"Retry-After": "1"}, [1.0, 1.0]),
    ],
)
def test_retryable_statuses_are_retried_twice_then_succeed(
    fake_xai: FakeXai,
    client: Client,
    status: int,
    headers: dict[str, str],
    expected_sleeps: list[float] | None,
) -> None:
    fake_xai.fail_next(status, headers=headers, times=2, path="/v1/models")
    assert client.list_models()
    assert posts(fake_xai, "/v1/models") == 3
    if expected_sleeps is None:  # backoff with jitter: 0.5 s then 1 s, less up to 25 %
        assert len(client.sleeps) == 2
        assert 0.375 <= client.sleeps[0] <= 0.5 and 0.75 <= client.sleeps[1] <= 1.0
    else:
        assert client.sleeps == expected_sleeps


def test_retries_run_out_with_the_mapped_error(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.fail_next(502, body="<html>Bad gateway</html>", times=None, path="/v1/models")
    with pytest.raises(InternalServerError, match="Bad gateway") as caught:
        client.list_models()
    assert caught.value.status_code == 502
    assert posts(fake_xai, "/v1/models") == 3


def test_a_stream_is_retried_before_it_starts(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.fail_next(503, times=2, path=CHAT)
    fake_xai.set_stream_script(text_events(["all ", "there"]))
    assert chat_text(client) == ("all there", None)
    assert posts(fake_xai) == 3


def test_a_long_retry_after_is_not_waited_for(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.fail_next(429, headers={"Retry-After": "120"}, times=None, path=CHAT)
    text, error = chat_text(client)
    assert isinstance(error, RateLimitError) and error.retry_after == 120.0
    assert text == "" and client.sleeps == [] and posts(fake_xai) == 1


def test_the_total_retry_wait_is_bounded(fake_xai: FakeXai, fake_sleep_client: Client) -> None:
    fake_xai.fail_next(429, headers={"Retry-After": str(MAX_RETRY_AFTER_S)}, times=None)
    with pytest.raises(RateLimitError):
        fake_sleep_client.list_models()
    assert 0 < sum(fake_sleep_client.sleeps) <= MAX_TOTAL_RETRY_WAIT_S
    assert posts(fake_xai, "/v1/models") == len(fake_sleep_client.sleeps) + 1


@pytest.fixture
def fake_sleep_client(fake_xai: FakeXai) -> Iterator[Client]:
    """A client that would retry up to 10 times."""
    with Client(fake_xai, timeout=5.0, max_retries=10) as c:
        yield c


# --- streams that break after text: never retried, partial text kept ----------------------------


@pytest.mark.parametrize(
    ("fault", "error_type", "words"),
    [
        ("cut", APIConnectionError, "connection dropped"),
        ("stall", APITimeoutError, "stopped sending"),
        ("error", APIStreamError, "Overloaded"),
        ("malformed", InvalidResponseError, "malformed"),
    ],
)
def test_a_stream_that_breaks_after_text_is_not_retried(
    fake_xai: FakeXai, fault: str, error_type: type[XaiError], words: str
) -> None:
    pieces = text_events(["Partial ", "answer"], finish=False, done=False)
    if fault == "cut":
        fake_xai.cut_stream([*pieces, *text_events(["never"])], after=2)
    elif fault == "stall":
        fake_xai.stall_stream([*pieces, *text_events(["never"])], after=2)
    elif fault == "error":
        fake_xai.set_stream_script([*pieces, error_event("Overloaded, retry later")])
    else:
        fake_xai.set_stream_script([*pieces, MALFORMED_EVENT])
    with Client(fake_xai, timeout=0.5) as client:
        text, error = chat_text(client)
    assert text == "Partial answer"
    assert isinstance(error, error_type) and words in error.message
    assert posts(fake_xai) == 1 and client.sleeps == []


def test_a_stall_shorter_than_the_timeout_is_waited_out(fake_xai: FakeXai) -> None:
    fake_xai.stall_stream(text_events(["slow ", "but whole"]), after=1, seconds=0.3)
    with Client(fake_xai, timeout=5.0) as client:
        assert chat_text(client) == ("slow but whole", None)


# --- slow first byte and the timeout setting -----------------------------------------------------


def test_a_slow_first_byte_past_the_timeout_is_one_timeout(fake_xai: FakeXai) -> None:
    fake_xai.slow_first_byte(3.0, path="/v1/models")
    with Client(fake_xai, timeout=0.3) as client, pytest.raises(APITimeoutError) as caught:
        client.list_models()  # had it waited, the fake would have answered 200
    assert "0.3 s" in caught.value.message and "XAI_TIMEOUT" in caught.value.message
    assert posts(fake_xai, "/v1/models") == 1 and client.sleeps == []


def test_a_slow_first_byte_on_a_stream_keeps_an_empty_result(fake_xai: FakeXai) -> None:
    fake_xai.slow_first_byte(3.0, path=CHAT)
    with Client(fake_xai, timeout=0.3) as client:
        text, error = chat_text(client)
    assert text == "" and isinstance(error, APITimeoutError) and posts(fake_xai) == 1


def test_a_slow_first_byte_within_the_timeout_is_fine(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.slow_first_byte(0.3, path=CHAT)
    assert chat_text(client)[1] is None


def test_xai_timeout_sets_the_wait(fake_xai: FakeXai, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XAI_TIMEOUT", "0.4")
    shared = new_http_client()  # what the app's session.py builds
    assert shared.timeout.read == 0.4 and shared.timeout.connect == 0.4
    fake_xai.stall_stream(text_events(["a", "b"]), after=1)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, http_client=shared)
    with shared:
        text, error = chat_text(client)
    assert text == "a" and isinstance(error, APITimeoutError)
    assert "nothing for 0.4 s; XAI_TIMEOUT sets this wait" in error.message
    own = XaiClient(env={"XAI_TIMEOUT": "7"})  # a client's own http client reads it too
    assert own._http.timeout.read == 7.0
    own.close()


# --- oversized answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_json_answer_is_refused_without_reading_it(
    fake_xai: FakeXai, client: Client, chunked: bool
) -> None:
    fake_xai.oversize_next(32 * 2**20, path="/v1/models", chunked=chunked)  # valid JSON, 32 MB
    with pytest.raises(InvalidResponseError, match="larger than 64 KB"):
        client.list_models()
    assert posts(fake_xai, "/v1/models") == 1
    fake_xai.oversize_next(SMALL_CAP - 1, path="/v1/models", chunked=chunked)
    assert client.list_models() == []  # under the cap the same body is read


def test_an_oversized_embedding_answer_is_refused(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.oversize_next(SMALL_CAP * 4, path="/v1/embeddings", chunked=True)
    with pytest.raises(InvalidResponseError, match="larger than 64 KB"):
        client.embed(model="v1", input=["a", "b"])
    assert client.embed(model="v1", input=["a", "b"]).vectors().shape == (2, 8)


def test_the_default_cap_fits_128_embeddings_of_3072_floats(fake_xai: FakeXai) -> None:
    with XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url) as client:
        reply = client.embed(model="v1", input=[f"t{i}" for i in range(128)], dimensions=3072)
    assert reply.vectors().shape == (128, 3072)


def test_a_stream_past_the_cap_ends_with_its_partial_text(
    fake_xai: FakeXai, client: Client
) -> None:
    fake_xai.set_stream_script(text_events(["x" * 1000] * 200))  # about 230 KB in all
    text, error = chat_text(client)
    assert isinstance(error, InvalidResponseError) and "larger than 64 KB" in error.message
    assert 10_000 < len(text) < SMALL_CAP and set(text) == {"x"}
    assert posts(fake_xai) == 1


def test_a_single_event_past_the_cap_is_refused(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.set_stream_script(
        [*text_events(["ok "], finish=False, done=False), "data: " + "y" * 10**6]
    )
    text, error = chat_text(client)
    assert text == "ok " and isinstance(error, InvalidResponseError)
    assert "larger than 64 KB" in error.message


# --- wrong content types -------------------------------------------------------------------------


def test_html_for_a_json_route_names_what_came(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.answer_next("<html><title>Sign in</title></html>", "text/html", path="/v1/models")
    with pytest.raises(InvalidResponseError, match=r"text/html.*Sign in"):
        client.list_models()
    assert posts(fake_xai, "/v1/models") == 1
    assert client.list_models()  # the next request works


@pytest.mark.parametrize("content_type", ["text/html", "text/plain"])
def test_a_stream_answered_with_text_is_a_clear_error(
    fake_xai: FakeXai, client: Client, content_type: str
) -> None:
    fake_xai.answer_next("<p>Service paused</p>", content_type, path=CHAT)
    text, error = chat_text(client)
    assert isinstance(error, InvalidResponseError)
    assert f"Expected an event stream but the server sent {content_type}" in error.message
    assert "Service paused" in error.message and text == ""


def test_a_stream_answered_with_one_json_completion_is_taken_whole(
    fake_xai: FakeXai, client: Client
) -> None:
    fake_xai.answer_next(load_json("chat_completion.json"), path=CHAT)
    stream = client.stream_chat(model="grok-4.3", messages=USER)
    assert "".join(stream.text_stream()) == "Olá!"
    assert stream.done and stream.error is None
    assert stream.result.usage is not None and stream.result.usage.total_tokens > 0
    fake_xai.answer_next(load_json("completion.json"), path="/v1/completions")
    result = client.stream_complete(model="grok-4.3", prompt="The").until_done()
    assert result.choices[0].text == load_json("completion.json")["choices"][0]["text"]


def test_a_json_error_object_for_a_stream_is_a_stream_error(
    fake_xai: FakeXai, client: Client
) -> None:
    fake_xai.answer_next({"error": "Model is warming up"}, path=CHAT)
    _, error = chat_text(client)
    assert isinstance(error, APIStreamError) and error.message == "Model is warming up"


def test_a_completion_stream_keeps_its_partial_text_too(fake_xai: FakeXai, client: Client) -> None:
    fake_xai.cut_stream(completion_events(["Once ", "upon ", "a time"]), after=2)
    stream = client.stream_complete(model="grok-4.3", prompt="x")
    with pytest.raises(APIConnectionError):
        stream.until_done()
    assert stream.result.choices[0].text == "Once upon "
    assert posts(fake_xai, "/v1/completions") == 1


# --- the key never appears in an error ----------------------------------------------------------


def assert_scrubbed(error: BaseException, key: str) -> None:
    assert key not in str(error) and key not in repr(error.args)
    assert isinstance(error, XaiError) and key not in error.message
    assert key not in repr(getattr(error, "body", None))


def test_an_error_body_echoing_the_key_is_scrubbed(fake_xai: FakeXai, client: Client) -> None:
    key = fake_xai.api_key
    echo = {"error": f"Bad header Authorization: Bearer {key}", "code": key, "x": [key]}
    fake_xai.fail_next(403, body=echo, path="/v1/models")
    with pytest.raises(APIStatusError) as caught:
        client.list_models()
    assert_scrubbed(caught.value, key)
    assert redact_secret(key) in caught.value.message


@pytest.mark.parametrize("where", ["stream error", "malformed chunk", "html", "text error"])
def test_a_key_echoed_anywhere_is_scrubbed(fake_xai: FakeXai, client: Client, where: str) -> None:
    key = fake_xai.api_key
    if where == "stream error":
        fake_xai.set_stream_script([error_event(f"Key {key} is over quota")])
    elif where == "malformed chunk":
        fake_xai.set_stream_script([f'data: {{"key": "{key}"\n\n'])
    elif where == "html":
        fake_xai.answer_next(f"<html>Bearer {key}</html>", "text/html", path=CHAT)
    else:
        fake_xai.fail_next(500, body=f"upstream said: Bearer {key}", times=None, path=CHAT)
    _, error = chat_text(client)
    assert error is not None
    assert_scrubbed(error, key)
    assert redact_secret(key) in error.message
