"""Errors map from status codes in one place, read both body shapes, and retries behave."""

from __future__ import annotations

import email.utils
import random

import httpx
import pytest

from tests.xai_core.conftest import API_KEY, fixture_json
from xai_core import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from xai_core._retry import MAX_RETRY_AFTER_S, MAX_TOTAL_RETRY_WAIT_S, retry_delay


def answer(status: int, body: object, headers: dict[str, str] | None = None):
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(status, content=body, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return handler


@pytest.mark.parametrize(
    ("status", "fixture", "error_type", "message_start"),
    [
        (400, "error_nested_400.json", BadRequestError, "'messages' must contain"),
        (401, "error_flat_401.json", AuthenticationError, None),
        (404, "error_flat_404.json", NotFoundError, "The model grok-9 does not exist"),
        (422, "error_flat_422.json", UnprocessableEntityError, "Failed to deserialize"),
        (429, "error_flat_429.json", RateLimitError, None),
    ],
)
def test_status_maps_to_one_error_class_with_the_servers_words(
    serve, status, fixture, error_type, message_start
):
    body = fixture_json(fixture)
    client = serve(answer(status, body)).client(max_retries=0)
    with pytest.raises(error_type) as caught:
        client.list_models()
    error = caught.value
    assert error.status_code == status
    expected = body["error"]["message"] if isinstance(body["error"], dict) else body["error"]
    assert str(error) == expected
    if message_start:
        assert str(error).startswith(message_start)


def test_flat_body_code_is_kept(serve):
    client = serve(answer(404, fixture_json("error_flat_404.json"))).client()
    with pytest.raises(NotFoundError) as caught:
        client.get_model("grok-9")
    assert caught.value.code == "Some requested entity was not found"


def test_nested_body_code_is_kept(serve):
    client = serve(answer(400, fixture_json("error_nested_400.json"))).client()
    with pytest.raises(BadRequestError) as caught:
        client.chat(model="m", messages=[])
    assert caught.value.code == "invalid_value"


def test_incorrect_key_on_400_is_an_authentication_error(serve):
    body = fixture_json("error_incorrect_key.json")
    client = serve(answer(400, body)).client()
    with pytest.raises(AuthenticationError) as caught:
        client.get_api_key()
    assert caught.value.status_code == 400
    assert str(caught.value).startswith("Incorrect API key provided")


def test_other_400s_stay_bad_requests(serve):
    client = serve(answer(400, {"code": "x", "error": "temperature must be <= 2"})).client()
    with pytest.raises(BadRequestError) as caught:
        client.chat(model="m", messages=[], temperature=5)
    assert not isinstance(caught.value, AuthenticationError)
    assert str(caught.value) == "temperature must be <= 2"


def test_403_is_permission_denied(serve):
    client = serve(answer(403, {"code": "Forbidden", "error": "team blocked"})).client()
    with pytest.raises(PermissionDeniedError, match="team blocked"):
        client.list_models()


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_an_internal_server_error_after_retries(serve, status):
    recorder = serve(answer(status, b"<html>Bad gateway</html>"))
    with pytest.raises(InternalServerError) as caught:
        recorder.client().list_models()
    assert len(recorder.requests) == 3  # first try + 2 retries by default
    assert caught.value.status_code == status
    assert "Bad gateway" in str(caught.value)


def test_an_empty_error_body_still_gives_a_readable_message(serve):
    client = serve(answer(418, b"")).client()
    with pytest.raises(APIStatusError, match="HTTP 418"):
        client.list_models()


def test_error_messages_never_contain_the_key(serve):
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"refused while sending {request.url}")

    client = serve(handler).client(max_retries=0)
    with pytest.raises(APIConnectionError) as caught:
        client.list_models()
    assert API_KEY not in str(caught.value)
    assert "api.x.test" in str(caught.value)


def test_connection_errors_are_retried_then_raised(serve):
    recorder = serve(lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")))
    with pytest.raises(APIConnectionError, match="refused"):
        recorder.client().list_models()
    assert len(recorder.requests) == 3
    assert len(recorder.sleeps) == 2


def test_read_timeouts_become_timeout_errors_without_a_retry(serve):
    recorder = serve(lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow")))
    with pytest.raises(APITimeoutError, match="XAI_TIMEOUT"):
        recorder.client(max_retries=1).list_models()
    assert len(recorder.requests) == 1  # the server has the request: no second wait
    assert recorder.sleeps == []


def test_connect_timeouts_are_retried(serve):
    recorder = serve(lambda r: (_ for _ in ()).throw(httpx.ConnectTimeout("slow")))
    with pytest.raises(APITimeoutError):
        recorder.client(max_retries=1).list_models()
    assert len(recorder.requests) == 2


def test_retry_after_seconds_is_honoured(serve):
    answers = iter(
        [
            httpx.Response(
                429, json=fixture_json("error_flat_429.json"), headers={"Retry-After": "3"}
            ),
            httpx.Response(200, json=fixture_json("models.json")),
        ]
    )
    recorder = serve(lambda r: next(answers))
    models = recorder.client().list_models()
    assert models
    assert recorder.sleeps == [3.0]


def test_retry_after_http_date_is_honoured():
    now = 1_800_000_000.0
    date = email.utils.formatdate(now + 5, usegmt=True)
    assert retry_delay(0, {"retry-after": date}, now=now) == pytest.approx(5.0)


def test_retry_after_is_capped():
    assert retry_delay(0, {"retry-after": "3600"}) == MAX_RETRY_AFTER_S


def test_a_retry_after_past_the_bound_is_not_waited_for(serve):
    headers = {"Retry-After": str(int(MAX_RETRY_AFTER_S) + 1)}
    recorder = serve(answer(429, fixture_json("error_flat_429.json"), headers))
    with pytest.raises(RateLimitError) as caught:
        recorder.client().list_models()
    assert len(recorder.requests) == 1 and recorder.sleeps == []
    assert caught.value.retry_after == MAX_RETRY_AFTER_S + 1


def test_the_total_wait_of_the_retries_is_bounded(serve):
    headers = {"Retry-After": str(MAX_RETRY_AFTER_S)}
    recorder = serve(answer(503, {"error": "busy"}, headers))
    with pytest.raises(InternalServerError):
        recorder.client(max_retries=10).list_models()
    assert sum(recorder.sleeps) <= MAX_TOTAL_RETRY_WAIT_S
    assert recorder.sleeps == [MAX_RETRY_AFTER_S]  # a second 20 s wait would pass the budget


def test_unreadable_retry_after_falls_back_to_backoff():
    delay = retry_delay(1, {"retry-after": "soon"}, rng=random.Random(0))
    assert 0.75 <= delay <= 1.0


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    rng = random.Random(1)
    delays = [retry_delay(n, {}, rng=rng) for n in range(6)]
    for attempt, delay in enumerate(delays):
        ceiling = min(0.5 * 2**attempt, 8.0)
        assert 0.75 * ceiling <= delay <= ceiling


@pytest.mark.parametrize("status", [408, 409, 429, 500, 503])
def test_retryable_statuses_are_retried(serve, status):
    answers = iter(
        [
            httpx.Response(status, json={"error": "busy"}),
            httpx.Response(200, json=fixture_json("models.json")),
        ]
    )
    recorder = serve(lambda r: next(answers))
    recorder.client().list_models()
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(serve, status):
    recorder = serve(answer(status, {"code": "c", "error": "no"}))
    with pytest.raises(APIStatusError):
        recorder.client().list_models()
    assert len(recorder.requests) == 1
    assert recorder.sleeps == []


def test_retries_are_configurable(serve):
    recorder = serve(answer(503, {"error": "down"}))
    with pytest.raises(InternalServerError):
        recorder.client(max_retries=5).list_models()
    assert len(recorder.requests) == 6
    recorder = serve(answer(503, {"error": "down"}))
    with pytest.raises(InternalServerError):
        recorder.client(max_retries=0).list_models()
    assert len(recorder.requests) == 1


def test_a_non_json_success_body_is_an_invalid_response(serve):
    client = serve(
        lambda r: httpx.Response(
            200, content=b"<html>login</html>", headers={"content-type": "text/html"}
        )
    ).client()
    with pytest.raises(InvalidResponseError, match="text/html"):
        client.list_models()


def test_a_list_without_its_key_is_an_invalid_response(serve):
    client = serve(lambda r: httpx.Response(200, json={"data": []})).client()
    with pytest.raises(InvalidResponseError, match="'models'"):
        client.list_language_models()


def test_the_servers_wait_is_on_the_error_after_retries_run_out(serve):
    headers = {"Retry-After": "7"}
    recorder = serve(answer(429, fixture_json("error_flat_429.json"), headers))
    with pytest.raises(RateLimitError) as caught:
        recorder.client(max_retries=1).list_models()
    assert caught.value.retry_after == 7.0
    assert recorder.sleeps == [7.0]
    recorder = serve(answer(429, fixture_json("error_flat_429.json")))
    with pytest.raises(RateLimitError) as caught:
        recorder.client(max_retries=0).list_models()
    assert caught.value.retry_after is None
