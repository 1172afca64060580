"""A fake xAI API server for tests (stdlib only), answering in xAI's shapes from tests/fixtures/.

The package: ``server`` (:class:`FakeXai`, its state and fault API), ``handler`` (the HTTP routes),
``faults`` (what is queued and recorded), ``payloads`` (fixtures and event builders); run it with
``python -m tests.fake_xai``.

    with FakeXai() as fake:  # 127.0.0.1, free port, daemon thread
        auth = {"Authorization": f"Bearer {fake.api_key}"}
        httpx.get(f"{fake.base_url}/models", headers=auth)
        fake.fail_next(429, load_json("error_flat_429.json"), headers={"Retry-After": "1"})
        fake.set_stream_script(load_sse("chat_stream_tool_call_fragments.sse"), cut_after=2)
        fake.requests[-1].body  # what the client sent (never the Authorization header)

Behaviour worth knowing:
- A chat request with `tools` gets a tool call back, unless its last message is a `tool` result
  (then the usual text reply). `stream_times` holds when each stream's first and last events left.
- Auth is checked first, like api.x.ai: a missing/malformed header -> 401, a wrong Bearer key ->
  400 "Incorrect API key provided: wr***ey" (flat body). Faults only hit authorized requests.
- Streams use HTTP/1.1 chunked encoding, so ``cut_after`` is a truly broken body for the client.
- As on xAI, the ``choices: []`` usage chunk of the built-in streams is only sent when the request
  has ``stream_options: {"include_usage": true}``. Scripted streams are sent verbatim.
- ``FakeXai(extra_keys={"xai-bob-key-...": "bob-key"})`` accepts more keys; ``/v1/api-key`` answers
  with each key's own name and redacted form, and ``RecordedRequest.key_name`` says whose it was.
- ``python -m tests.fake_xai --port 8787 [--key KEY]`` serves in the foreground.
- ``fake.set_catalog(LOCAL_CATALOG)`` lists other models (with kind, description, context and
  capabilities, as the local backend does) on every model route, until ``clear()``.

Faults, one call each (every one hits the next matching authorized request only, unless
``times`` says more; ``clear()`` forgets them all):

    fake.fail_next(429, headers={"Retry-After": "2"})   # 429 with Retry-After (none: no header)
    fake.fail_next(503, times=3)                        # 500/502/503..., e.g. past 2 retries
    fake.slow_first_byte(2.0)                           # wait before the status line (any route)
    fake.cut_stream(text_events(["a", "b", "c"]), after=2)     # connection dropped mid-stream
    fake.stall_stream(text_events(["a", "b"]), after=1)        # silent forever after 1 event
    fake.stall_stream(events, after=1, seconds=3)       # silent 3 s, then goes on to [DONE]
    fake.set_stream_script([*text_events(["a"], done=False), MALFORMED_EVENT])  # bad chunk
    fake.set_stream_script([*text_events(["a"], done=False), error_event("Overloaded")])
    fake.oversize_next(10 * 2**30, path="/v1/models")   # a 10 GB JSON body, made as it is sent
    fake.oversize_next(2**20, chunked=True)             # the same without a Content-Length
    fake.answer_next("<html>login</html>", "text/html", path="/v1/models")  # wrong content type
    fake.answer_next(load_json("chat_completion.json"), path="/v1/chat/completions")  # JSON
                                                        # where a stream was asked for

A stall "forever" ends when the client hangs up (checked every 0.05 s) or the server stops.
"""

from __future__ import annotations

from tests.fake_xai.faults import Fault, RecordedRequest, SlowStart, StreamScript
from tests.fake_xai.payloads import (
    DONE_EVENT,
    FIXTURES,
    LOCAL_CATALOG,
    MALFORMED_EVENT,
    OVERSIZE_PREFIX,
    OVERSIZE_SUFFIX,
    completion_events,
    error_event,
    fake_embedding,
    flat_error,
    load_json,
    load_sse,
    redact,
    sse_event,
    text_events,
)
from tests.fake_xai.server import DEFAULT_KEY, FakeXai

__all__ = [
    "DEFAULT_KEY",
    "DONE_EVENT",
    "FIXTURES",
    "LOCAL_CATALOG",
    "MALFORMED_EVENT",
    "OVERSIZE_PREFIX",
    "OVERSIZE_SUFFIX",
    "FakeXai",
    "Fault",
    "RecordedRequest",
    "SlowStart",
    "StreamScript",
    "completion_events",
    "error_event",
    "fake_embedding",
    "flat_error",
    "load_json",
    "load_sse",
    "redact",
    "sse_event",
    "text_events",
]
