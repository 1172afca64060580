"""One run of the completions sandbox as the page keeps it (pure, no Streamlit).

A run is filled chunk by chunk while it streams, so whatever arrived is kept when it is stopped or
fails; the page renders it from here on every rerun.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.chat.conversation import ReplyStats
from playground.completions.sweep import SweepResult
from xai_core import ChatCompletionChunk, CompletionChunk, CompletionLogprobs

__all__ = [
    "Choice",
    "RunRecord",
    "SweepRecord",
    "add_chat_chunk",
    "add_completion_chunk",
    "sweep_cell_line",
]


@dataclass
class Choice:
    """One returned completion."""

    text: str = ""
    finish_reason: str | None = None
    pieces: int = 0  # streamed chunks that carried text: about one token each
    logprobs: CompletionLogprobs | None = None

    def token_count(self) -> str:
        """``12 tokens`` from logprobs, else ``≈12 tokens (streamed pieces)``, else unknown."""
        if self.logprobs is not None and self.logprobs.tokens:
            return f"{len(self.logprobs.tokens)} tokens"
        if self.pieces:
            return f"≈{self.pieces} tokens (streamed pieces)"
        return "tokens unknown"


@dataclass
class RunRecord:
    """The last run: what was sent, what came back, and how it went."""

    prompt: str
    suffix: str
    params: dict[str, Any]
    endpoint: str  # "completions", or "chat/completions" when emulated
    body: dict[str, Any]
    choices: dict[int, Choice] = field(default_factory=dict)
    reasoning: str = ""
    stats: ReplyStats | None = None
    elapsed_s: float | None = None
    error: str | None = None
    stopped: bool = False
    running: bool = False  # True while a script run streams into it
    refused: bool = False  # the server said no to /completions (offer the chat emulation)
    emulated: bool = False
    dropped: list[str] = field(default_factory=list)  # parameters the emulation did not send

    def has_text(self) -> bool:
        """True once some choice received text (a failed run then shows it as partial)."""
        return any(choice.text for choice in self.choices.values())

    def ordered_choices(self) -> list[Choice]:
        return [self.choices[i] for i in sorted(self.choices)]

    def shown_output(self, choice: Choice) -> tuple[str, str]:
        """``(prefix, output)`` to display: with ``echo`` the text already starts with the
        prompt, so it is not shown twice."""
        if self.params.get("echo") and self.prompt and choice.text.startswith(self.prompt):
            return "", choice.text
        return self.prompt, choice.text

    def token_prefix(self, logprobs: CompletionLogprobs) -> str:
        """The text to show before the tokens: the prompt, unless the tokens include it (echo
        on servers that return the prompt's tokens too)."""
        if self.prompt and "".join(logprobs.tokens).startswith(self.prompt):
            return ""
        return self.prompt


def add_completion_chunk(record: RunRecord, chunk: CompletionChunk) -> None:
    """Add a streamed ``text_completion`` chunk's text and finish reasons to ``record``."""
    for c in chunk.choices:
        choice = record.choices.setdefault(c.index, Choice())
        if c.text:
            choice.text += c.text
            choice.pieces += 1
        choice.finish_reason = c.finish_reason or choice.finish_reason


def add_chat_chunk(record: RunRecord, chunk: ChatCompletionChunk) -> None:
    """Add a streamed chat chunk (the emulation) to ``record``; choice 0's reasoning is kept."""
    for c in chunk.choices:
        choice = record.choices.setdefault(c.index, Choice())
        if c.delta.content:
            choice.text += c.delta.content
            choice.pieces += 1
        if c.index == 0:
            record.reasoning += c.delta.reasoning_content or ""
        choice.finish_reason = c.finish_reason or choice.finish_reason


@dataclass
class SweepRecord:
    """The last sweep: its prompt, the swept parameter and every cell's result."""

    prompt: str
    parameter: str
    results: list[SweepResult]


def sweep_cell_line(result: SweepResult) -> str:
    """``12 tokens · 1.58 s · $0.000012 · finish: length`` under a sweep cell."""
    count = result.completion_tokens
    tokens = "? tokens" if count is None else f"{count} tokens"
    latency = "" if result.latency_s is None else f" · {result.latency_s:.2f} s"
    cost = "cost unknown" if result.cost_usd is None else f"${result.cost_usd:.6f}"
    return f"{tokens}{latency} · {cost} · finish: {result.finish_reason or 'none'}"
