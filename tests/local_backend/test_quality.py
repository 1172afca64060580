"""The chat default answers everyday questions (issue 13): at temperature 0, a handful of factual
prompts get the right answer (checked by containment), replies end on the model's end token with
no special token shown, and five everyday prompts get replies that do not loop.

It is a 0.5B model and can be wrong: asked "Which planet is known as the Red Planet?" it does not
say Mars. These prompts are the smoke test that it is an instruction-following model at all (the
base model it replaces loops on unrelated text), not a benchmark of its knowledge."""

from __future__ import annotations

import re
from collections import Counter

import httpx
import pytest

from local_backend.launcher import LocalBackendProcess

CHAT = "qwen2.5-coder-0.5b-instruct"

FACTS = [
    ("What is the capital of France?", "paris"),
    ("What is the capital of Japan?", "tokyo"),
    ("What is 12 plus 30? Answer with a number.", "42"),
    ("Who wrote the play Romeo and Juliet?", "shakespeare"),
    ("What color is the sky on a clear day?", "blue"),
]
EVERYDAY = [
    "Explain in two sentences what an embedding is.",
    "Write a haiku about the sea.",
    "Give three tips for sleeping well.",
    "What is a unit test? Answer briefly.",
    "Describe a cat in two sentences.",
]
SPECIAL = re.compile(r"<\|[a-z_]+\|>|<start_of_image>|<end_of_turn>")


def ask(server: LocalBackendProcess, prompt: str, max_tokens: int) -> dict[str, object]:
    """The first choice of a temperature-0 chat reply from the chat default."""
    body = {
        "model": CHAT,
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": 1,
    }
    response = httpx.post(
        f"{server.base_url}/chat/completions",
        json=body,
        headers={"Authorization": f"Bearer {server.api_key}"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    choice: dict[str, object] = response.json()["choices"][0]
    return choice


@pytest.mark.parametrize(("prompt", "answer"), FACTS, ids=[a for _, a in FACTS])
def test_everyday_facts_are_answered_correctly(
    local_server: LocalBackendProcess, prompt: str, answer: str
) -> None:
    choice = ask(local_server, prompt, 48)
    content = str(choice["message"]["content"])  # type: ignore[index]
    assert answer in content.lower(), content


def test_a_reply_ends_on_the_models_end_token_with_no_special_token_shown(
    local_server: LocalBackendProcess,
) -> None:
    choice = ask(local_server, "What is the capital of France? Answer in one sentence.", 200)
    content = str(choice["message"]["content"])  # type: ignore[index]
    assert choice["finish_reason"] == "stop", content
    assert not SPECIAL.search(content), content


def sentences(text: str) -> list[str]:
    """The reply's sentences (and lines), lower-cased, spacing and punctuation ignored."""
    pieces = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [" ".join(re.findall(r"\w+", piece.lower())) for piece in pieces if piece.strip()]


def test_sentences_split_on_ends_and_lines() -> None:
    assert sentences("A cat. A cat!\nA  cat?  Dog") == ["a cat", "a cat", "a cat", "dog"]


@pytest.mark.parametrize("prompt", EVERYDAY)
def test_everyday_replies_do_not_repeat_a_sentence_more_than_twice(
    local_server: LocalBackendProcess, prompt: str
) -> None:
    choice = ask(local_server, prompt, 96)
    content = str(choice["message"]["content"])  # type: ignore[index]
    counts = Counter(s for s in sentences(content) if s)
    assert content.strip() and not SPECIAL.search(content), content
    assert max(counts.values()) <= 2, content
