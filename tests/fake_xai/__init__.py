"""A fake xAI API server for tests (stdlib only), answering in xAI's shapes from tests/fixtures/.

The package: ``server`` (:class:`FakeXai`, its state and fault API), ``handler`` (the HTTP routes),
``faults`` (what is queued and recorded), ``payloads`` (fixtures and event builders),
``responses_api`` / ``responses`` / ``response_events`` (the Responses API: rejections and the
store, output items and usage, the response object and its stream); run it with
``python -m tests.fake_xai``. Every answer validates against xAI's OpenAPI spec
(``tests/openapi_contract.py``).

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
Faults and scripts hit ``/v1/responses`` as they hit chat: ``fake.cut_stream(
response_text_events("Hello there"), after=5)`` drops a Responses stream mid-text.

The Responses API (``POST /v1/responses``, stream or not; ``GET``/``DELETE /v1/responses/{id}``;
``GET /v1/responses/{id}/input_items?limit=&order=&after=``; ``POST /v1/tokenize-text``), each
scenario chosen by the request, so a page or browser test drives it by what it types or sets:
- plain: a reasoning item first when the model reasons (its capabilities list efforts, or its id
  ends in ``-reasoning``; not with effort ``none``), streamed as a summary, then the message
  "You said: <last user message>" (plus " Before that: <the one before>" in a conversation), the
  recorded event order, usage with ``cost_in_usd_ticks`` from the model's /v1/models prices
  (the long-context prices from its threshold on; ``null`` for a model without prices).
- ``tools`` with ``{"type": "web_search"}``: two ``web_search_call`` items (in_progress,
  searching, completed events; sources https://x.ai/ and https://docs.x.ai/), then the text with
  inline ``[[1]](url)`` links (not with ``include: ["no_inline_citations"]``) and two
  ``url_citation`` annotations; ``x_search``: a ``custom_tool_call`` ``x_keyword_search`` (input
  streamed); ``code_interpreter``: a ``code_interpreter_call`` with code and logs. Usage counts
  them in ``server_side_tool_usage_details``; the ticks include $0.005 a call.
- a ``function`` tool: a ``function_call`` (arguments streamed, ``{"<first property>": "Lisbon"}``)
  and no message, unless the input ends with a ``function_call_output``: then "The tool said: ...".
- ``include: ["reasoning.encrypted_content"]``: the reasoning item carries ``encrypted_content``.
- the last user message containing ``[[incomplete]]`` ends with ``response.incomplete``
  (``max_output_tokens``) after half the text, as does a reply longer than ``max_output_tokens``;
  ``[[failed]]``: half the text, then ``response.failed`` (non-stream: a 500); ``[[cut]]``: half
  the text, then the connection drops (no terminal event, no ``[DONE]``).
- stored unless ``store: false`` (or it failed): ``previous_response_id`` continues it (its
  tokens come back as ``cached_tokens``); an unknown id -> 404 "No responses could be found with
  the given response_id." (flat body); ``fake.responses`` is the store, emptied by ``clear()``.
- rejections as xAI (400, flat body): ``reasoning_effort``/``reasoning.effort`` on a model whose
  capabilities list none ("Model <id> does not support parameter reasoningEffort.") or an effort
  it does not list; ``search_context_size``/``user_location``/``external_web_access`` on
  web_search, ``container`` on code_interpreter, ``filters``/``ranking_options`` on file_search;
  more than 5 domains, allowed and excluded together; on x_search more than 10 handles, a date not
  YYYY-MM-DD, ``from_date`` after ``to_date``. An unknown model -> 404.
- ``/v1/tokenize-text``: words with their leading space, punctuation runs and blanks are tokens
  (ids from a CRC, ``token_bytes`` the UTF-8), the same count the usage uses.
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
from tests.fake_xai.response_events import response_text_events
from tests.fake_xai.responses import TOOL_FEE_TICKS, count_tokens, tokenize
from tests.fake_xai.server import DEFAULT_KEY, FakeXai

__all__ = [
    "DEFAULT_KEY",
    "DONE_EVENT",
    "FIXTURES",
    "LOCAL_CATALOG",
    "MALFORMED_EVENT",
    "OVERSIZE_PREFIX",
    "OVERSIZE_SUFFIX",
    "TOOL_FEE_TICKS",
    "FakeXai",
    "Fault",
    "RecordedRequest",
    "SlowStart",
    "StreamScript",
    "completion_events",
    "count_tokens",
    "error_event",
    "fake_embedding",
    "flat_error",
    "load_json",
    "load_sse",
    "redact",
    "response_text_events",
    "sse_event",
    "text_events",
    "tokenize",
]
