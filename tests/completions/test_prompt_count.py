"""The prompt's token count under the Completions prompt: the server's count (the fake server,
the local backend) or a labelled estimate, and how much of the model's context it uses."""

from __future__ import annotations

from local_backend.launcher import LocalBackendProcess
from tests.apptest import texts
from tests.completions.test_page import completions_app
from tests.fake_xai import FakeXai


def prompt_lines(captions: list[str]) -> list[str]:
    return [c for c in captions if c.startswith("Prompt: ")]


def test_the_prompt_count_is_the_servers(env_fake: FakeXai) -> None:
    at = completions_app("Once upon a time")
    assert prompt_lines(texts(at.main.caption)) == [
        "Prompt: 4 of 1,000,000 tokens · 0.0004% (exact)"
    ]
    sent = [r.body for r in env_fake.requests if r.path == "/v1/tokenize-text"]
    assert [s["text"] for s in sent] == ["Once upon a time"]


def test_the_prompt_count_is_an_estimate_where_the_server_has_no_tokenizer(
    env_fake: FakeXai,
) -> None:
    env_fake.fail_next(501, path="/v1/tokenize-text")
    at = completions_app("a" * 400)
    assert prompt_lines(texts(at.main.caption)) == [
        "Prompt: ≈ 100 of 1,000,000 tokens · 0.01% (estimate)"
    ]


def test_the_local_backend_counts_the_prompt(env_local: LocalBackendProcess) -> None:
    at = completions_app("Once upon a time")
    (line,) = prompt_lines(texts(at.main.caption))
    assert line.startswith("Prompt: ") and line.endswith("(exact)"), line
    assert "≈" not in line
