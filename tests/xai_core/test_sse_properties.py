"""Property tests of the SSE stream handling: any text, any framing, any network chunking.

Streams of chat and completion chunks carrying arbitrary unicode are framed with LF or CRLF
terminators, interleaved with comments and empty events, and delivered in pieces cut at arbitrary
byte offsets (inside multi-byte UTF-8 sequences and inside ``\\r\\n`` too). The accumulated result
must be exactly what was sent; a stream cut short must end with an ``XaiError`` and keep a prefix.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.properties import REPEATABLE
from tests.xai_core.conftest import API_KEY, BASE_URL, ByteChunks
from xai_core import XaiClient, XaiError

PROPERTY_SETTINGS = settings(
    REPEATABLE,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
USER = [{"role": "user", "content": "hi"}]
# Characters that break naive SSE or JSON handling: line separators str.splitlines() splits on,
# CR, NUL, a BOM, combining marks, emoji with ZWJ, astral characters, quotes and backslashes.
AWKWARD = '\u2028\u2029\x85\r\n\r\x00\ufeff\u0301e\u0301\U0001f469\u200d\U0001f4bb\U00010348"\\'
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(AWKWARD), st.characters(codec="utf-8", exclude_categories=["Cs"])
    ),
    max_size=12,
)


@dataclass(frozen=True)
class Framing:
    """How events are written on the wire."""

    terminator: bytes  # the line end: b"\n" or b"\r\n"
    ascii_json: bool  # json.dumps(ensure_ascii=...)
    keepalives: tuple[int, ...]  # before which events a comment and an empty event go


FRAMING = st.builds(
    Framing,
    terminator=st.sampled_from([b"\n", b"\r\n"]),
    ascii_json=st.booleans(),
    keepalives=st.lists(st.integers(0, 40), max_size=4).map(tuple),
)


def encode_events(events: list[dict[str, Any]], framing: Framing, *, done: bool = True) -> bytes:
    """The SSE body for ``events`` (and ``[DONE]``), with keep-alives and empty events mixed in."""
    end = framing.terminator
    blocks = []
    for number, event in enumerate(events):
        if number in framing.keepalives:
            blocks.append(b": keep-alive" + end + end + b"data:" + end + end)
        data = json.dumps(event, ensure_ascii=framing.ascii_json).encode("utf-8")
        blocks.append(b"data: " + data + end + end)
    if done:
        blocks.append(b"data: [DONE]" + end + end)
    return b"".join(blocks)


def cut(body: bytes, offsets: list[int]) -> list[bytes]:
    """``body`` split at the given byte offsets (any of them may fall inside a character)."""
    points = sorted({0, len(body), *(o % (len(body) + 1) for o in offsets)})
    return [body[a:b] for a, b in itertools.pairwise(points) if b > a]


def client_serving(pieces: list[bytes]) -> XaiClient:
    """A client whose every request gets an event stream delivered in ``pieces``."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=ByteChunks(pieces)
        )

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return XaiClient(api_key=API_KEY, base_url=BASE_URL, http_client=http, max_retries=0)


USAGE = st.fixed_dictionaries(
    {
        "prompt_tokens": st.integers(0, 10**6),
        "completion_tokens": st.integers(0, 10**6),
        "total_tokens": st.integers(0, 3 * 10**6),
    },
    optional={"cost_in_usd_ticks": st.integers(0, 10**12)},
)
# A chat piece: (field, text) with field "content" or "reasoning_content".
CHAT_PIECES = st.lists(
    st.tuples(st.sampled_from(["content", "reasoning_content"]), TEXT), max_size=8
)


def chat_events(pieces: list[tuple[str, str]], usage: dict[str, int]) -> list[dict[str, Any]]:
    """A chat stream as xAI sends it: deltas, a finish chunk, then the ``choices: []`` usage."""
    head = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    events = []
    for number, (name, text) in enumerate(pieces):
        delta: dict[str, Any] = {name: text}
        if number == 0:
            delta["role"] = "assistant"
        events.append({**head, "choices": [{"index": 0, "delta": delta}]})
    events.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    events.append({**head, "choices": [], "usage": usage})
    return events


def joined(pieces: list[tuple[str, str]], name: str) -> str:
    return "".join(text for field, text in pieces if field == name)


@PROPERTY_SETTINGS
@given(pieces=CHAT_PIECES, usage=USAGE, framing=FRAMING, offsets=st.lists(st.integers(0, 10**5)))
def test_chat_stream_adds_up_to_what_was_sent(pieces, usage, framing, offsets):
    events = chat_events(pieces, usage)
    body = encode_events(events, framing)
    client = client_serving(cut(body, offsets))
    with client.stream_chat(model="m", messages=USER) as stream:
        chunks = list(stream)
    assert len(chunks) == len(events)
    assert stream.done and stream.error is None
    message = stream.result.choices[0].message
    assert (message.content or "") == joined(pieces, "content")
    assert (message.reasoning_content or "") == joined(pieces, "reasoning_content")
    assert stream.result.choices[0].finish_reason == "stop"
    assert stream.result.usage is not None
    assert stream.result.usage.model_dump(exclude_none=True) == usage


@PROPERTY_SETTINGS
@given(pieces=CHAT_PIECES, framing=FRAMING, offsets=st.lists(st.integers(0, 10**5)))
def test_text_stream_yields_exactly_the_content_pieces(pieces, framing, offsets):
    body = encode_events(chat_events(pieces, {"prompt_tokens": 1}), framing)
    with client_serving(cut(body, offsets)).stream_chat(model="m", messages=USER) as stream:
        streamed = list(stream.text_stream())
    assert streamed == [text for field, text in pieces if field == "content" and text]


@PROPERTY_SETTINGS
@given(
    texts=st.lists(TEXT, max_size=8),
    usage=USAGE,
    framing=FRAMING,
    offsets=st.lists(st.integers(0, 10**5)),
)
def test_completion_stream_adds_up_to_what_was_sent(texts, usage, framing, offsets):
    head = {"id": "t1", "object": "text_completion", "created": 1, "model": "m"}
    events = [{**head, "choices": [{"index": 0, "text": text}]} for text in texts]
    events.append({**head, "choices": [{"index": 0, "text": "", "finish_reason": "length"}]})
    events.append({**head, "choices": [], "usage": usage})
    body = encode_events(events, framing)
    with client_serving(cut(body, offsets)).stream_complete(model="m", prompt="p") as stream:
        chunks = list(stream)
    assert len(chunks) == len(events)
    assert stream.result.text == "".join(texts)
    assert stream.result.choices[0].finish_reason == "length"
    assert stream.result.usage is not None
    assert stream.result.usage.model_dump(exclude_none=True) == usage


@PROPERTY_SETTINGS
@given(
    pieces=st.lists(TEXT, min_size=1, max_size=6),
    framing=FRAMING,
    where=st.floats(0, 1),
    offsets=st.lists(st.integers(0, 10**5), max_size=4),
)
def test_a_stream_cut_anywhere_ends_with_an_error_and_keeps_a_prefix(
    pieces, framing, where, offsets
):
    events = chat_events([("content", text) for text in pieces], {"prompt_tokens": 1})
    body = encode_events(events, framing, done=False)
    before_finish = len(encode_events(events[:-2], framing, done=False))
    cut_at = int(where * len(body))
    truncated = body[:cut_at]
    full_text = "".join(pieces)
    with client_serving(cut(truncated, offsets)).stream_chat(model="m", messages=USER) as stream:
        try:
            stream.until_done()
        except XaiError:
            assert stream.error is not None
        else:
            # Only a stream that got its finish chunk may end without an error.
            assert cut_at > before_finish
            assert stream.done
        content = stream.result.content
    assert full_text.startswith(content)
    if cut_at <= before_finish:
        assert stream.error is not None


# --- missing, null and unknown fields -------------------------------------------------------------

JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), TEXT
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
DELTA = st.one_of(
    JSON_VALUE,
    st.fixed_dictionaries(
        {},
        optional={
            "role": st.one_of(st.none(), st.just("assistant"), JSON_VALUE),
            "content": st.one_of(st.none(), TEXT, JSON_VALUE),
            "reasoning_content": st.one_of(st.none(), TEXT),
            "tool_calls": st.one_of(st.none(), JSON_VALUE),
            "surprise": JSON_VALUE,
        },
    ),
)
CHOICE = st.one_of(
    JSON_VALUE,
    st.fixed_dictionaries(
        {},
        optional={
            "index": st.one_of(st.none(), st.integers(0, 3), JSON_VALUE),
            "delta": DELTA,
            "text": st.one_of(st.none(), TEXT, JSON_VALUE),
            "finish_reason": st.one_of(st.none(), st.just("stop"), JSON_VALUE),
            "logprobs": st.one_of(st.none(), JSON_VALUE),
            "extra_field": JSON_VALUE,
        },
    ),
)
CHUNK = st.one_of(
    JSON_VALUE,
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.one_of(st.none(), TEXT, JSON_VALUE),
            "model": st.one_of(st.none(), TEXT),
            "created": st.one_of(st.none(), st.integers(0, 2**40), JSON_VALUE),
            "choices": st.one_of(st.none(), st.lists(CHOICE, max_size=3), JSON_VALUE),
            "usage": st.one_of(st.none(), USAGE, JSON_VALUE),
            "unknown": JSON_VALUE,
        },
    ),
)


@PROPERTY_SETTINGS
@given(
    chunks=st.lists(CHUNK, min_size=1, max_size=5),
    kind=st.sampled_from(["chat", "completion"]),
    framing=FRAMING,
)
def test_chunks_with_missing_or_odd_fields_never_raise_anything_but_xai_errors(
    chunks, kind, framing
):
    client = client_serving([encode_events(chunks, framing)])
    stream = (
        client.stream_chat(model="m", messages=USER)
        if kind == "chat"
        else client.stream_complete(model="m", prompt="p")
    )
    with stream:
        try:
            stream.until_done()
        except XaiError as exc:
            assert str(exc)
            assert stream.error is exc
        else:
            assert stream.done
        result = stream.result  # whatever arrived is still readable
    for choice in result.choices:
        assert isinstance(choice.index, int)
