"""One run of the completions sandbox as the page keeps it (pure, no Streamlit).

A run is filled from the stream runner's result once it ends, however it ends, so whatever arrived
is kept when it is stopped or fails; the page renders it from here on every rerun.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from playground.completions.sweep import REFUSED_STATUSES, SweepResult, refuses_completions
from playground.core.money import CostTotal, cost_text
from playground.core.replies import ReplyStats
from playground.core.streaming import Run
from xai_core import APIStatusError, ChatCompletion, Completion, CompletionLogprobs

__all__ = [
    "REFUSED_STATUSES",
    "Choice",
    "RunRecord",
    "SweepRecord",
    "choices_of",
    "fill_record",
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
    refused: bool = False  # the server said no to /completions (offer the chat emulation)
    emulated: bool = False
    dropped: list[str] = field(default_factory=list)  # parameters the emulation did not send
    run_id: str = field(default_factory=lambda: uuid4().hex)  # names it among a prompt's runs

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


def choices_of(
    result: Completion | ChatCompletion, pieces: Mapping[int, int] | None = None
) -> dict[int, Choice]:
    """The choices of a (partial) completion, or of a chat reply emulating one, by index;
    ``pieces`` counts each choice's streamed chunks that brought text."""
    pieces = pieces or {}
    texts: list[tuple[int, str, str | None, CompletionLogprobs | None]]
    if isinstance(result, ChatCompletion):
        texts = [(c.index, c.message.content or "", c.finish_reason, None) for c in result.choices]
    else:
        texts = [(c.index, c.text, c.finish_reason, c.logprobs) for c in result.choices]
    return {
        index: Choice(text, finish, pieces.get(index, 0), logprobs)
        for index, text, finish, logprobs in texts
    }


def fill_record(record: RunRecord, run: Run[Completion] | Run[ChatCompletion]) -> None:
    """Fill ``record`` from a closed run, whatever came: choices, choice 0's reasoning (chat),
    stats, error, stopped mark, and whether the server refused the completion request."""
    result = run.result
    record.choices = choices_of(result, run.pieces) if result is not None else {}
    if isinstance(result, ChatCompletion):
        first = next((c.message for c in result.choices if c.index == 0), None)
        record.reasoning = (first.reasoning_content if first is not None else None) or ""
    record.stats = run.reply_stats()
    record.elapsed_s = run.timings.elapsed_s
    record.error = run.error_text
    record.stopped = run.stopped
    record.refused = (
        not record.emulated
        and isinstance(run.error, APIStatusError)
        and run.error.status_code in REFUSED_STATUSES
        and not record.choices
    )


@dataclass
class SweepRecord:
    """The last sweep: its prompt, the swept parameter and every cell's result; ``emulated``
    when its cells went as chat continuations."""

    prompt: str
    parameter: str
    results: list[SweepResult]
    emulated: bool = False

    @property
    def refusal(self) -> SweepResult | None:
        """The first cell, when the server refused it as a completion request: the sweep stopped
        there (every cell would have been refused)."""
        if len(self.results) == 1 and refuses_completions(self.results[0], [self.parameter]):
            return self.results[0]
        return None

    def total_text(self) -> str:
        """``24 requests · 1,234 tokens out (600 reasoning) · $0.0012 billed`` for the whole grid:
        "out" counts reasoning too, as a reply's stats line does."""
        cost = CostTotal()
        for result in self.results:
            cost.add(
                result.cost_usd, billed=result.billed, free=result.free, refused=result.refused
            )
        reasoning = sum(r.reasoning_tokens for r in self.results)
        tokens = sum(r.completion_tokens or 0 for r in self.results) + reasoning
        thought = f" ({reasoning:,} reasoning)" if reasoning else ""
        count = len(self.results)
        return (
            f"{count} request{'s' if count != 1 else ''} · {tokens:,} tokens out{thought} · "
            f"{cost.text()}"
        )


def sweep_cell_line(result: SweepResult) -> str:
    """``12 tokens · 1.58 s · ≈ $0.0000125 estimated · finish: length`` under a sweep cell (``2
    tokens + 198 reasoning`` when a reasoning model thought first)."""
    count, reasoning = result.completion_tokens, result.reasoning_tokens
    tokens = "? tokens" if count is None else f"{count} tokens"
    tokens += f" + {reasoning:,} reasoning" if reasoning else ""
    latency = "" if result.latency_s is None else f" · {result.latency_s:.2f} s"
    cost = cost_text(
        result.cost_usd, billed=result.billed, free=result.free, refused=result.refused
    )
    return f"{tokens}{latency} · {cost} · finish: {result.finish_reason or 'none'}"
