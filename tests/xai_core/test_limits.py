"""The client's limits in isolation: the XAI_TIMEOUT setting, size wording, bounded retry waits,
and scrubbing the key out of errors."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable

import httpx
import pytest

from tests.xai_core.conftest import API_KEY, Handler, Recorder, sse_response
from xai_core import APIStatusError, APIStreamError, InvalidResponseError, timeout_from_env
from xai_core._errors import error_from_status, redact_secret, scrub_secret
from xai_core._http import DEFAULT_TIMEOUT, describe_size
from xai_core._retry import MAX_RETRY_AFTER_S, MAX_TOTAL_RETRY_WAIT_S, wait_before_retry

Serve = Callable[[Handler], Recorder]


def test_no_xai_timeout_keeps_the_defaults() -> None:
    assert timeout_from_env({}) == DEFAULT_TIMEOUT
    assert (DEFAULT_TIMEOUT.read, DEFAULT_TIMEOUT.connect) == (60.0, 10.0)


@pytest.mark.parametrize(("value", "read", "connect"), [("5", 5.0, 5.0), (" 90 ", 90.0, 10.0)])
def test_xai_timeout_sets_read_write_pool_and_caps_connect(
    value: str, read: float, connect: float
) -> None:
    timeout = timeout_from_env({"XAI_TIMEOUT": value})
    assert (timeout.read, timeout.write, timeout.pool, timeout.connect) == (
        read,
        read,
        read,
        connect,
    )


@pytest.mark.parametrize("value", ["soon", "0", "-3", "nan", "inf"])
def test_an_unusable_xai_timeout_is_ignored_with_a_warning(
    value: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="xai_core"):
        assert timeout_from_env({"XAI_TIMEOUT": value}) == DEFAULT_TIMEOUT
    assert "XAI_TIMEOUT" in caplog.text


@pytest.mark.parametrize(
    ("size", "words"),
    [(64 * 2**20, "64 MB"), (1536, "1.5 KB"), (65536, "64 KB"), (300, "300 bytes")],
)
def test_sizes_are_worded_for_people(size: int, words: str) -> None:
    assert describe_size(size) == words


def test_retry_waits_stay_within_their_bounds() -> None:
    rng = random.Random(3)
    assert wait_before_retry(0, 0.0, {"retry-after": "2"}) == 2.0
    assert wait_before_retry(0, 0.0, {"retry-after": str(MAX_RETRY_AFTER_S + 0.5)}) is None
    assert wait_before_retry(1, MAX_TOTAL_RETRY_WAIT_S - 1, {"retry-after": "2"}) is None
    delay = wait_before_retry(1, 0.0, {}, rng=rng)
    assert delay is not None and 0.75 <= delay <= 1.0


def test_redacted_form_shows_only_the_ends() -> None:
    assert redact_secret("xai-abcdefghijklmnop-b7Qx") == "xai-…b7Qx"
    assert redact_secret("short-key") == "…ey"


def test_scrub_replaces_the_key_in_message_args_and_body() -> None:
    body = {"error": {"message": f"bad {API_KEY}", "echo": [API_KEY]}}
    error = scrub_secret(error_from_status(500, body), API_KEY)
    assert isinstance(error, APIStatusError)
    assert API_KEY not in error.message and API_KEY not in str(error)
    assert API_KEY not in repr(error.body) and redact_secret(API_KEY) in error.message
    untouched = InvalidResponseError("nothing secret")
    assert scrub_secret(untouched, None).message == "nothing secret"


def test_a_plain_text_error_page_is_shortened() -> None:
    error = error_from_status(502, "<html>" + "bad gateway " * 200 + "</html>")
    assert len(error.message) <= 300 and error.message.endswith("…")


def test_a_stream_error_echoing_the_key_is_scrubbed(serve: Serve) -> None:
    body = f'data: {{"error": "quota for {API_KEY}"}}\n\n'.encode()
    stream = serve(lambda r: sse_response(body)).client().stream_chat(model="m", messages=[])
    with pytest.raises(APIStreamError) as caught:
        stream.until_done()
    assert API_KEY not in caught.value.message and stream.error is caught.value
    assert API_KEY not in repr(caught.value.body)


def test_a_stream_past_its_byte_cap_keeps_what_came(serve: Serve) -> None:
    piece = b'data: {"choices": [{"index": 0, "delta": {"content": "abcd"}}]}\n\n'
    stream = (
        serve(lambda r: sse_response(piece * 100, chunk_size=len(piece)))
        .client(max_response_bytes=len(piece) * 10)
        .stream_chat(model="m", messages=[])
    )
    with pytest.raises(InvalidResponseError, match="larger than"):
        stream.until_done()
    assert stream.result.choices[0].message.content == "abcd" * 10


def test_a_declared_content_length_past_the_cap_is_refused_unread(serve: Serve) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-length": str(10**12)}, content=b"{}")

    with pytest.raises(InvalidResponseError, match="larger than 64 MB"):
        serve(handler).client().list_models()
