""" "View code" snippets: valid code that reproduces the request, never carrying the key."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import shlex
import subprocess

import pytest

from playground.core.code_snippets import LANGUAGES, snippet
from tests.fake_xai import FakeXai

CHAT = {
    "model": "grok-4.3",
    "messages": [{"role": "user", "content": "It's \"quoted\" and 'single'"}],
    "temperature": 0.5,
    "stream": True,
    "stream_options": {"include_usage": True},
}


@pytest.mark.parametrize("language", ["python", "openai"])
@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("chat/completions", CHAT),
        ("chat/completions", {**CHAT, "stream": False}),
        ("completions", {"model": "m", "prompt": "Once", "logprobs": 2, "stream": True}),
        ("embeddings", {"model": "v1", "input": ["a", "b"], "encoding_format": "base64"}),
    ],
)
def test_python_snippets_parse(language, endpoint, body):
    ast.parse(snippet(language, endpoint, body, "https://api.x.ai/v1"))


def test_no_snippet_contains_a_key():
    for language in LANGUAGES:
        code = snippet(language, "chat/completions", CHAT, "https://api.x.ai/v1")
        assert "$XAI_API_KEY" in code or 'os.environ["XAI_API_KEY"]' in code
        assert "Bearer xai-" not in code


def test_curl_body_survives_shell_quoting():
    code = snippet("curl", "chat/completions", CHAT, "https://api.x.ai/v1/")
    words = shlex.split(code.replace("\\\n", " "))
    assert words[words.index("-d") + 1].startswith("{")
    assert "https://api.x.ai/v1/chat/completions" in words
    import json

    assert json.loads(words[words.index("-d") + 1]) == CHAT


def test_inline_images_are_shortened():
    image = "data:image/png;base64," + "A" * 5000
    body = {
        "model": "m",
        "messages": [
            {"role": "user", "content": [{"type": "image_url", "image_url": {"url": image}}]}
        ],
    }
    code = snippet("python", "chat/completions", body, "u")
    assert "A" * 100 not in code
    assert "<your image as base64>" in code


def test_the_xai_core_snippet_runs_against_the_server(fake_xai: FakeXai, monkeypatch):
    monkeypatch.setenv("XAI_API_KEY", fake_xai.api_key)
    code = snippet("python", "chat/completions", CHAT, fake_xai.base_url)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<snippet>", "exec"), {})
    assert "Olá!" in out.getvalue()
    sent = fake_xai.requests[-1].body
    assert sent["temperature"] == 0.5 and sent["messages"] == CHAT["messages"]


LOCAL = {"key_env": "LOCAL_API_KEY", "url_env": "LOCAL_BACKEND_URL", "setup": ". ~/x.env"}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_local_snippet_reads_the_address_and_key_from_the_environment(language):
    code = snippet(language, "chat/completions", CHAT, "http://127.0.0.1:43117/v1", **LOCAL)
    assert "43117" not in code  # the backend's per-start port is not written in
    assert "LOCAL_BACKEND_URL" in code and "LOCAL_API_KEY" in code
    assert "XAI_API_KEY" not in code
    assert code.startswith("# First, in this terminal: . ~/x.env\n")
    if language != "curl":
        ast.parse(code)


def test_the_local_snippets_run_as_shown_with_the_variables_set(fake_xai: FakeXai, monkeypatch):
    monkeypatch.delenv("XAI_API_KEY", raising=False)
    monkeypatch.setenv("LOCAL_BACKEND_URL", fake_xai.base_url)
    monkeypatch.setenv("LOCAL_API_KEY", fake_xai.api_key)
    code = snippet("python", "chat/completions", CHAT, "http://127.0.0.1:1/v1", **LOCAL)
    assert fake_xai.api_key not in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<snippet>", "exec"), {})
    assert "Olá!" in out.getvalue()
    assert fake_xai.requests[-1].auth == "valid"
    curl = snippet("curl", "chat/completions", {**CHAT, "stream": False}, "unused", **LOCAL)
    done = subprocess.run(  # the snippet under test, run by bash as a user would
        ["/bin/bash", "-c", curl], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["choices"][0]["message"]["content"]


RESPONSES = {
    "model": "grok-4.3",
    "input": [{"role": "user", "content": "Say 'hi'"}],
    "max_output_tokens": 64,
    "max_turns": 2,  # xAI's own: the openai SDK sends it in extra_body
    "stream": True,
}


@pytest.mark.parametrize("streaming", [True, False])
@pytest.mark.parametrize("language", ["python", "openai"])
def test_the_responses_snippets_run_against_the_server(
    fake_xai: FakeXai, monkeypatch, language, streaming
):
    monkeypatch.setenv("XAI_API_KEY", fake_xai.api_key)
    body = {**RESPONSES, "stream": streaming}
    code = snippet(language, "responses", body, fake_xai.base_url)
    assert fake_xai.api_key not in code
    method = "stream_response" if streaming else "create_response"
    assert ("client.responses.create" if language == "openai" else f"client.{method}") in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<snippet>", "exec"), {})
    printed = out.getvalue()
    assert "hi" in printed and "output_tokens" in printed  # the text, then the usage
    sent = [r for r in fake_xai.requests if r.path == "/v1/responses"][-1]
    assert sent.auth == "valid"
    assert sent.body["input"] == RESPONSES["input"] and sent.body["max_turns"] == 2
    assert bool(sent.body.get("stream")) is streaming


def test_the_responses_curl_snippet_runs_as_shown(fake_xai: FakeXai, monkeypatch):
    monkeypatch.setenv("XAI_API_KEY", fake_xai.api_key)
    curl = snippet("curl", "responses", {**RESPONSES, "stream": False}, fake_xai.base_url)
    assert fake_xai.api_key not in curl and "/responses" in curl
    done = subprocess.run(  # the snippet under test, run by bash as a user would
        ["/bin/bash", "-c", curl], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["output"]
