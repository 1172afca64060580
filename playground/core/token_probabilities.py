"""Token log-probabilities as people read them: probabilities, entropy, mean log-probability.

Pure, no Streamlit. Input is the completions-format :class:`xai_core.CompletionLogprobs`
(parallel lists, one entry per token; the first token of an echoed prompt has no logprob).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xai_core import CompletionLogprobs

__all__ = [
    "TokenProbability",
    "mean_logprob",
    "perplexity",
    "probability_colour",
    "token_probabilities",
    "top_k_entropy",
]


@dataclass(frozen=True)
class TokenProbability:
    """One generated token with what the model thought of it."""

    index: int
    token: str
    logprob: float | None
    #: The alternatives the server returned, most likely first: ``(token, probability)``.
    alternatives: tuple[tuple[str, float], ...]
    #: Entropy (bits) of the returned alternatives plus the rest of the mass as one outcome.
    entropy_bits: float | None

    @property
    def probability(self) -> float | None:
        """``exp(logprob)``, or ``None`` when the server gave no logprob for this token."""
        return None if self.logprob is None else math.exp(self.logprob)

    def alternatives_text(self) -> str:
        """``' fox' 61.2% · ' dog' 36.8%`` (tokens quoted so spaces and newlines show)."""
        return " · ".join(f"{token!r} {p:.1%}" for token, p in self.alternatives)


def top_k_entropy(top: Mapping[str, float] | None) -> float | None:
    """Entropy in bits of a token's top-k alternatives (log-probabilities), the mass the server
    did not list counted as one more outcome. It is a lower bound on the true entropy; ``None``
    when there are no alternatives."""
    if not top:
        return None
    probabilities = [math.exp(lp) for lp in top.values()]
    rest = 1.0 - sum(probabilities)
    if rest > 1e-9:
        probabilities.append(rest)
    entropy = -sum(p * math.log2(p) for p in probabilities if p > 0)
    return max(entropy, 0.0)


def token_probabilities(logprobs: CompletionLogprobs) -> list[TokenProbability]:
    """One row per token: its probability, its alternatives (most likely first) and entropy."""
    tops: Sequence[Mapping[str, float] | None] = logprobs.top_logprobs or []
    rows = []
    for i, token in enumerate(logprobs.tokens):
        logprob = logprobs.token_logprobs[i] if i < len(logprobs.token_logprobs) else None
        top = tops[i] if i < len(tops) else None
        ranked = sorted((top or {}).items(), key=lambda item: item[1], reverse=True)
        alternatives = tuple((alt, math.exp(lp)) for alt, lp in ranked)
        rows.append(TokenProbability(i, token, logprob, alternatives, top_k_entropy(top)))
    return rows


def mean_logprob(logprobs: CompletionLogprobs) -> float | None:
    """The mean log-probability of the tokens that have one (``None`` when none has)."""
    known = [lp for lp in logprobs.token_logprobs if lp is not None]
    return sum(known) / len(known) if known else None


def perplexity(logprobs: CompletionLogprobs) -> float | None:
    """``exp(-mean log-probability)``: 1 means the model was certain of every token."""
    mean = mean_logprob(logprobs)
    return None if mean is None else math.exp(-mean)


# Low probability → red, high → green, through amber; light tints keep dark text readable.
_STOPS = ((0.0, (248, 180, 180)), (0.5, (250, 226, 160)), (1.0, (190, 234, 190)))


def probability_colour(probability: float | None) -> str:
    """A background colour for a token of this probability, as ``#rrggbb`` (grey when unknown)."""
    if probability is None or math.isnan(probability):
        return "#e6e6e6"
    p = min(max(probability, 0.0), 1.0)
    for (x0, c0), (x1, c1) in itertools.pairwise(_STOPS):
        if p <= x1:
            t = (p - x0) / (x1 - x0)
            r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#{:02x}{:02x}{:02x}".format(*_STOPS[-1][1])
