"""Property tests of response parsing: any body, any shape, only typed objects or client errors.

Recorded answers of every endpoint are mutated (fields dropped, set to null, to the wrong type,
unknown fields added) and arbitrary bytes are served as bodies; the client must return its typed
object or raise an ``XaiError``, never a ``KeyError``, ``TypeError`` or pydantic error. Error
bodies of every shape map to the right ``APIStatusError`` subclass with a non-empty message.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.properties import REPEATABLE
from tests.xai_core.conftest import API_KEY, BASE_URL, fixture_json
from xai_core import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    XaiClient,
    XaiError,
)

PROPERTY_SETTINGS = settings(
    REPEATABLE, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
USER = [{"role": "user", "content": "hi"}]

# endpoint name -> (recorded answer, the call that fetches it and touches what a page reads)
CALLS: dict[str, tuple[str, Callable[[XaiClient], Any]]] = {
    "api-key": ("api_key.json", lambda c: c.get_api_key().usable),
    "models": ("models.json", lambda c: [m.id for m in c.list_models()]),
    "model": ("model_grok-3-mini.json", lambda c: c.get_model("grok-3-mini").id),
    "language-models": (
        "language_models.json",
        lambda c: [m.prices for m in c.list_language_models()],
    ),
    "language-model": (
        "language_model_grok-3-mini.json",
        lambda c: c.get_language_model("grok-3-mini").prices,
    ),
    "embedding-models": ("embedding_models.json", lambda c: c.list_embedding_models()),
    "embeddings-float": (
        "embeddings_float.json",
        lambda c: c.embed(model="e", input=["a", "b"]).vectors(),
    ),
    "embeddings-base64": (
        "embeddings_base64.json",
        lambda c: c.embed(model="e", input=["a", "b"]).vectors(),
    ),
    "chat": ("chat_completion.json", lambda c: c.chat(model="m", messages=USER).content),
    "chat-tools": (
        "chat_completion_tool_calls.json",
        lambda c: c.chat(model="m", messages=USER).choices,
    ),
    "completion": ("completion.json", lambda c: c.complete(model="m", prompt="p").text),
}

TEXT = st.text(max_size=8)
JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        TEXT,
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)


def client_answering(status: int, content: bytes, content_type: str) -> XaiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"content-type": content_type})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return XaiClient(api_key=API_KEY, base_url=BASE_URL, http_client=http, max_retries=0)


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and list indices) to a value inside a JSON document."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_of(item, (*prefix, index))
    return found


def mutated(document: Any, path: tuple[Any, ...], how: str, replacement: Any) -> Any:
    """A copy of ``document`` with the value at ``path`` dropped, nulled or replaced."""
    copy = json.loads(json.dumps(document))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "drop":
        del parent[last]
    elif how == "null":
        parent[last] = None
    elif how == "extra" and isinstance(parent, dict):
        parent[f"new_{last}"] = replacement
    else:
        parent[last] = replacement
    return copy


def call_survives(endpoint: str, client: XaiClient) -> None:
    """Run the endpoint's call: a typed answer, or an ``XaiError``, nothing else."""
    try:
        _, call = CALLS[endpoint]
        call(client)
    except XaiError as exc:
        assert str(exc).strip()


@PROPERTY_SETTINGS
@given(
    endpoint=st.sampled_from(sorted(CALLS)),
    mutations=st.lists(
        st.tuples(
            st.integers(0, 10**6), st.sampled_from(["drop", "null", "replace", "extra"]), JSON_VALUE
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_recorded_answers_with_missing_or_wrong_fields_parse_or_raise_xai_errors(
    endpoint, mutations
):
    document = fixture_json(CALLS[endpoint][0])
    for pick, how, replacement in mutations:
        paths = paths_of(document)
        if not paths:
            break
        document = mutated(document, paths[pick % len(paths)], how, replacement)
    body = json.dumps(document).encode()
    call_survives(endpoint, client_answering(200, body, "application/json"))


@PROPERTY_SETTINGS
@given(endpoint=st.sampled_from(sorted(CALLS)), document=JSON_VALUE)
def test_any_json_document_parses_or_raises_xai_errors(endpoint, document):
    body = json.dumps(document).encode()
    call_survives(endpoint, client_answering(200, body, "application/json"))


def is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


@PROPERTY_SETTINGS
@given(
    endpoint=st.sampled_from(sorted(CALLS)),
    data=st.data(),
    content_type=st.sampled_from(["application/json", "text/html", "application/octet-stream"]),
)
def test_a_body_that_is_not_json_is_an_invalid_response(endpoint, data, content_type):
    """Arbitrary bytes, or the recorded answer cut short, whatever the content type: never a
    result, always an ``InvalidResponseError`` with a message. (Bodies that are JSON documents are
    the previous test's: a typed object or an ``XaiError``.)"""
    recorded = json.dumps(fixture_json(CALLS[endpoint][0])).encode()
    cut_short = st.integers(0, len(recorded) - 1).map(lambda end: recorded[:end])
    body = data.draw(st.one_of(st.binary(max_size=64), cut_short).filter(lambda b: not is_json(b)))
    client = client_answering(200, body, content_type)
    try:
        result = CALLS[endpoint][1](client)
    except InvalidResponseError as exc:
        assert str(exc).strip()
    except XaiError as exc:
        raise AssertionError(f"expected InvalidResponseError, got {exc!r}") from exc
    else:
        raise AssertionError(f"{body!r} was accepted as {result!r}")


def test_a_valid_base64_embedding_decodes_to_float32():
    client = client_answering(
        200, json.dumps(fixture_json("embeddings_base64.json")).encode(), "application/json"
    )
    vectors = client.embed(model="e", input=["a", "b"]).vectors()
    assert vectors.dtype == np.float32 and vectors.ndim == 2


# --- error bodies of every shape ------------------------------------------------------------------

MESSAGE = st.text(min_size=1, max_size=30).filter(str.strip)
ERROR_BODY = st.one_of(
    st.builds(lambda m, c: {"code": c, "error": m}, MESSAGE, TEXT),
    st.builds(lambda m, c: {"error": {"message": m, "type": c, "code": c}}, MESSAGE, TEXT),
    st.builds(lambda m: {"error": {"message": m}}, MESSAGE),
    st.builds(lambda m: {"detail": m}, MESSAGE),
    st.builds(lambda m: {"message": m}, MESSAGE),
    JSON_VALUE,
    MESSAGE,
    st.just(""),
    st.just([]),
    st.just({}),
    st.binary(max_size=40),  # not text at all: an HTML page, a proxy's garbage
)
ERROR_CLASSES = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def encode_error_body(body: Any, as_text: bool) -> tuple[bytes, str]:
    if isinstance(body, bytes):
        return body, "text/html"
    if isinstance(body, str) and as_text:
        return body.encode(), "text/plain"
    return json.dumps(body).encode(), "application/json"


@PROPERTY_SETTINGS
@given(
    status=st.sampled_from([400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 502, 503, 504]),
    body=ERROR_BODY,
    as_text=st.booleans(),
    endpoint=st.sampled_from(["models", "chat", "embeddings-float"]),
)
def test_error_bodies_of_any_shape_become_the_right_status_error(status, body, as_text, endpoint):
    content, content_type = encode_error_body(body, as_text)
    client = client_answering(status, content, content_type)
    try:
        CALLS[endpoint][1](client)
    except APIStatusError as exc:
        error = exc
    else:
        raise AssertionError("an error status must raise")
    assert error.status_code == status
    assert str(error).strip()
    if status >= 500:
        expected: type[APIStatusError] = InternalServerError
    elif status == 400 and str(error).lower().startswith("incorrect api key"):
        expected = AuthenticationError
    else:
        expected = ERROR_CLASSES.get(status, APIStatusError)
    assert type(error) is expected
    assert API_KEY not in str(error)


@settings(REPEATABLE, max_examples=60)
@given(message=MESSAGE, nested=st.booleans())
def test_the_servers_own_words_are_the_message(message, nested):
    body = {"error": {"message": message}} if nested else {"code": "x", "error": message}
    client = client_answering(418, json.dumps(body).encode(), "application/json")
    try:
        client.list_models()
    except APIStatusError as exc:
        assert str(exc) == message
    else:
        raise AssertionError("418 must raise")


EMBEDDING = st.one_of(
    st.lists(st.floats(allow_nan=False, width=32), max_size=4),
    st.text(max_size=12),
    st.binary(max_size=12).map(lambda raw: base64.b64encode(raw).decode()),
)


@PROPERTY_SETTINGS
@given(embeddings=st.lists(EMBEDDING, min_size=1, max_size=4))
def test_embedding_vectors_decode_or_raise_an_invalid_response(embeddings):
    data = [{"index": i, "embedding": e, "object": "embedding"} for i, e in enumerate(embeddings)]
    body = json.dumps({"object": "list", "model": "e", "data": data}).encode()
    client = client_answering(200, body, "application/json")
    try:
        vectors = client.embed(model="e", input=["x"] * len(embeddings)).vectors()
    except InvalidResponseError as exc:
        assert "embedding" in str(exc).lower()
    else:
        assert vectors.shape[0] == len(embeddings)
        assert vectors.dtype == np.float32
