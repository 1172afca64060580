"""Record llama.cpp's server answers into tests/fixtures/llamacpp_* (run by hand when the server
changes): ``python -m tests.compat.record_llamacpp``.

Bodies are written as the server sent them (streams byte for byte), never a request header.
The model makes no structured tool call, so ``llamacpp_chat_stream_tools.sse`` is written by hand
in the recorded chunks' shape instead (see tests/fixtures/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.compat.llamacpp_server import CHAT, COMPLETION, run_llamacpp_server

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _json(response: httpx.Response) -> Any:
    return response.json()


def _write_json(name: str, payload: Any) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    (FIXTURES / name).write_text(text, encoding="utf-8")
    print(f"wrote {name}")


def _record_stream(http: httpx.Client, path: str, body: dict[str, Any], name: str) -> None:
    streaming = {**body, "stream": True, "stream_options": {"include_usage": True}}  # as the client
    with http.stream("POST", path, json=streaming) as response:
        response.raise_for_status()
        raw = b"".join(response.iter_raw())
    (FIXTURES / name).write_bytes(raw)
    print(f"wrote {name}")


def main() -> None:
    """Start the server, send the tests' requests, write what came back."""
    with run_llamacpp_server() as server:
        auth = {"Authorization": f"Bearer {server.api_key}"}
        with httpx.Client(base_url=server.base_url, headers=auth, timeout=120) as http:
            _write_json("llamacpp_models.json", _json(http.get("/models")))
            completion = http.post("/completions", json=COMPLETION)
            completion.raise_for_status()
            _write_json("llamacpp_completion_logprobs.json", _json(completion))
            _record_stream(
                http, "/completions", COMPLETION, "llamacpp_completion_logprobs_stream.sse"
            )
            _record_stream(http, "/chat/completions", CHAT, "llamacpp_chat_stream.sse")
        wrong = httpx.post(
            f"{server.base_url}/chat/completions",
            json=CHAT,
            headers={"Authorization": "Bearer not-the-key"},
            timeout=30,
        )
        assert wrong.status_code == 401, wrong.status_code
        _write_json("llamacpp_error_invalid_key.json", _json(wrong))


if __name__ == "__main__":
    main()
