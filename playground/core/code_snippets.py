"""The code that reproduces a request: Python with xai_core, Python with the openai SDK, curl;
for chat completions, completions, embeddings and responses (the Responses API: streamed text and
reasoning summary, then the usage).

Pure, no Streamlit. The key never appears: every snippet reads it from an environment variable.
A server whose address changes (the local backend: a new port each start) is read from one too
(``url_env``), and ``setup`` says, as a comment, the shell command that sets both.
"""

from __future__ import annotations

import json
import pprint
import re
from typing import Any, Literal

__all__ = ["LANGUAGES", "Language", "snippet"]

Language = Literal["python", "openai", "curl"]
LANGUAGES: dict[Language, str] = {
    "python": "Python (xai_core)",
    "openai": "Python (openai SDK)",
    "curl": "curl",
}

_DATA_URL = re.compile(r"data:([\w/+.-]+);base64,[A-Za-z0-9+/=]{64,}")
# endpoint -> (xai_core method when streaming, when not, openai SDK call)
_CALLS = {
    "chat/completions": ("stream_chat", "chat", "client.chat.completions.create"),
    "completions": ("stream_complete", "complete", "client.completions.create"),
    "embeddings": ("embed", "embed", "client.embeddings.create"),
    "responses": ("stream_response", "create_response", "client.responses.create"),
}
#: ``responses.create`` parameters the openai SDK knows; any other (xAI's own, such as
#: ``max_turns``) goes in ``extra_body``.
_OPENAI_RESPONSES_PARAMS = frozenset(
    [
        "model",
        "input",
        "include",
        "instructions",
        "max_output_tokens",
        "metadata",
        "parallel_tool_calls",
        "previous_response_id",
        "prompt_cache_key",
        "reasoning",
        "service_tier",
        "store",
        "stream",
        "temperature",
        "text",
        "tool_choice",
        "tools",
        "top_logprobs",
        "top_p",
        "truncation",
        "user",
    ]
)


def _shorten_data_urls(value: Any) -> Any:
    """Inline images (base64 data URLs) would make a snippet unreadable: shorten them."""
    if isinstance(value, str):
        return _DATA_URL.sub(lambda m: f"data:{m.group(1)};base64,<your image as base64>", value)
    if isinstance(value, list):
        return [_shorten_data_urls(item) for item in value]
    if isinstance(value, dict):
        return {key: _shorten_data_urls(item) for key, item in value.items()}
    return value


def _kwargs(body: dict[str, Any], indent: int) -> str:
    pad = " " * indent
    lines = []
    for name, value in body.items():
        text = pprint.pformat(value, indent=1, width=96 - indent, sort_dicts=False)
        text = text.replace("\n", "\n" + pad)
        lines.append(f"{pad}{name}={text},")
    return "\n".join(lines)


def _python_url(base_url: str, url_env: str | None) -> str:
    return f'os.environ["{url_env}"]' if url_env else repr(base_url)


def _comment(setup: str | None) -> str:
    return f"# First, in this terminal: {setup}\n" if setup else ""


def _python(
    endpoint: str, body: dict[str, Any], url_expr: str, key_env: str, setup: str | None
) -> str:
    streaming = bool(body.get("stream"))
    stream_method, plain_method, _ = _CALLS[endpoint]
    method = stream_method if streaming else plain_method
    args = {k: v for k, v in body.items() if k != "stream"}
    if streaming and args.get("stream_options") == {"include_usage": True}:
        del args["stream_options"]  # xai_core asks for usage by default
    head = (
        f"{_comment(setup)}import os\n\nfrom xai_core import XaiClient\n\n"
        f'client = XaiClient(api_key=os.environ["{key_env}"], base_url={url_expr})\n'
    )
    call = f"client.{method}(\n{_kwargs(args, 4)}\n)"
    if endpoint == "embeddings":
        return head + f"response = {call}\nvectors = response.vectors()  # (n, dims) float32\n"
    if endpoint == "responses":
        return head + _xai_core_responses(call, streaming)
    if streaming:
        return (
            head
            + f"with {call} as stream:\n"
            + '    for text in stream.text_stream():\n        print(text, end="", flush=True)\n'
            + "print()\nprint(stream.result.usage, stream.stats)\n"
        )
    return head + f"response = {call}\nprint(response)\n"


def _xai_core_responses(call: str, streaming: bool) -> str:
    """Print the reasoning summary and the text as they stream, then the usage."""
    if not streaming:
        return (
            f"response = {call}\nprint(response.reasoning_summary)\nprint(response.output_text)\n"
            "print(response.usage)\n"
        )
    return (
        f"with {call} as stream:\n"
        "    for event in stream:\n"
        '        if event.type == "response.reasoning_summary_text.delta":\n'
        '            print(event.delta, end="", flush=True)  # the reasoning summary\n'
        '        elif event.type == "response.output_text.delta":\n'
        '            print(event.delta, end="", flush=True)\n'
        "print()\nprint(stream.result.usage, stream.stats)\n"
    )


def _openai_responses(call: str, streaming: bool) -> str:
    """The openai SDK's events: reasoning summary and text deltas, then the usage."""
    if not streaming:
        return f"response = {call}\nprint(response.output_text)\nprint(response.usage)\n"
    return (
        f"stream = {call}\nfor event in stream:\n"
        '    if event.type == "response.reasoning_summary_text.delta":\n'
        '        print(event.delta, end="", flush=True)  # the reasoning summary\n'
        '    elif event.type == "response.output_text.delta":\n'
        '        print(event.delta, end="", flush=True)\n'
        '    elif event.type == "response.completed":\n'
        "        print()\n        print(event.response.usage)\n"
    )


def _openai_body(endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    """The openai SDK's arguments: a Responses parameter it does not know goes in
    ``extra_body``."""
    if endpoint != "responses":
        return body
    known = {k: v for k, v in body.items() if k in _OPENAI_RESPONSES_PARAMS}
    extra = {k: v for k, v in body.items() if k not in _OPENAI_RESPONSES_PARAMS}
    return {**known, "extra_body": extra} if extra else known


def _openai(
    endpoint: str, body: dict[str, Any], url_expr: str, key_env: str, setup: str | None
) -> str:
    _, _, create = _CALLS[endpoint]
    head = (
        f"{_comment(setup)}import os\n\nfrom openai import OpenAI\n\n"
        f'client = OpenAI(api_key=os.environ["{key_env}"], base_url={url_expr})\n'
    )
    call = f"{create}(\n{_kwargs(_openai_body(endpoint, body), 4)}\n)"
    if endpoint == "responses":
        return head + _openai_responses(call, bool(body.get("stream")))
    if body.get("stream"):
        field = "delta.content" if endpoint == "chat/completions" else "text"
        return (
            head
            + f"stream = {call}\nfor chunk in stream:\n    if chunk.choices:\n"
            + f'        print(chunk.choices[0].{field} or "", end="", flush=True)\n'
        )
    return head + f"response = {call}\nprint(response)\n"


def _curl(endpoint: str, body: dict[str, Any], url: str, key_env: str, setup: str | None) -> str:
    payload = json.dumps(body, indent=2, ensure_ascii=False).replace("'", "'\\''")
    flags = " -N" if body.get("stream") else ""
    return (
        f"{_comment(setup)}curl{flags} {url}/{endpoint} \\\n"
        f'  -H "Authorization: Bearer ${key_env}" \\\n'
        '  -H "Content-Type: application/json" \\\n'
        f"  -d '{payload}'\n"
    )


def snippet(
    language: Language,
    endpoint: str,
    body: dict[str, Any],
    base_url: str,
    *,
    key_env: str = "XAI_API_KEY",
    url_env: str | None = None,
    setup: str | None = None,
) -> str:
    """Code that sends ``body`` to ``base_url``/``endpoint`` (``chat/completions``,
    ``completions``, ``embeddings`` or ``responses``), reading the key from ``$key_env``; with
    ``url_env``, the base URL from ``$url_env`` instead; with ``setup``, a first comment line that
    says which shell command sets those variables."""
    if endpoint not in _CALLS:
        raise ValueError(f"No snippet for endpoint {endpoint!r}")
    body = _shorten_data_urls(body)
    if language == "curl":
        url = f'"${url_env}"' if url_env else base_url.rstrip("/")
        return _curl(endpoint, body, url, key_env, setup)
    render = _python if language == "python" else _openai
    return render(endpoint, body, _python_url(base_url, url_env), key_env, setup)
