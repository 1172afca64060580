"""Cluster labels written by a chat model (pure: xai_core, no Streamlit).

One chat request per cluster: a short system prompt asking for a 2–5 word topic label, then the
cluster's keywords and a few of its most central texts. :func:`naming_plan` builds the requests
and estimates their tokens and cost before anything is sent; :func:`name_clusters` sends them one
by one (a failure is kept and the rest go on) and adds up the usage and the real cost.

A model's reply is untrusted text: :func:`clean_name` keeps one short plain line of it, and the
page shows it as plain text only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from playground.core.catalog import ModelInfo, reasoning_efforts, rejected_parameters
from playground.core.token_count import MESSAGE_FRAMING_TOKENS, estimate_tokens
from playground.embeddings.compute.clusters import NOISE, members_by_cluster
from playground.embeddings.compute.labels import ClusterLabel
from xai_core import ModelPrices, Usage, XaiClient, XaiError, cost_in_ticks, ticks_to_usd

__all__ = [
    "EXAMPLE_CHARS",
    "MAX_NAME_CHARS",
    "SYSTEM_PROMPT",
    "NamingPlan",
    "NamingRequest",
    "NamingResult",
    "clean_name",
    "name_clusters",
    "naming_params",
    "naming_plan",
    "representative_rows",
]

SYSTEM_PROMPT = (
    "You name clusters of texts. Reply with a topic label of 2 to 5 words that says what the "
    "texts have in common. Reply with the label only: no quotes, no punctuation at the end, "
    "no explanation."
)
#: Each example text is cut to about this many characters.
EXAMPLE_CHARS = 200
MAX_NAME_CHARS = 40
#: The longest reply asked for: a label is a few tokens.
NAME_TOKENS = 24
#: A reasoning model thinks before it answers, within the same limit (its thinking is billed).
REASONING_TOKENS = 1_024
#: What a label costs in output tokens, for the estimate.
NAME_TOKENS_ESTIMATE = 12

Progress = Callable[[int, int, int], None]  # (requests done, requests in all, cluster just done)


@dataclass(frozen=True)
class NamingRequest:
    """The chat request that names one cluster, and its estimated input tokens."""

    cluster: int
    messages: tuple[dict[str, str], ...]
    input_tokens: int


@dataclass(frozen=True)
class NamingPlan:
    """Every request, the estimated tokens in and out, and the estimated cost in US dollars
    (``None`` when the model's prices are unknown, 0 when it is free)."""

    requests: tuple[NamingRequest, ...]
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    prices: ModelPrices | None = None


@dataclass
class NamingResult:
    """The clean names by cluster, why the others failed, and what the requests used and cost
    (``cost_usd`` is ``None`` when a request's cost cannot be known)."""

    names: dict[int, str] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    billed: bool = False  # every reply's cost was the server's own (cost_in_usd_ticks)


def representative_rows(
    points: npt.ArrayLike, clusters: npt.ArrayLike, per_cluster: int = 8
) -> dict[int, list[int]]:
    """For each cluster (noise excluded), its ``per_cluster`` rows nearest to the cluster's mean
    point, nearest first (ties: the lower row)."""
    x = np.asarray(points, dtype=np.float32)
    labels = np.asarray(clusters, dtype=np.int64).reshape(-1)
    if len(x) != len(labels):
        raise ValueError(f"{len(x)} points but {len(labels)} cluster labels.")
    rows: dict[int, list[int]] = {}
    for cluster, members in members_by_cluster(labels):
        if cluster == NOISE:
            continue
        member_points = x[members]
        distances = ((member_points - member_points.mean(axis=0)) ** 2).sum(axis=1)
        nearest = np.lexsort((members, distances))[:per_cluster]
        rows[cluster] = [int(members[i]) for i in nearest]
    return rows


def _example(text: str) -> str:
    """One example for the prompt: on one line, cut to about :data:`EXAMPLE_CHARS`."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXAMPLE_CHARS else flat[: EXAMPLE_CHARS - 1].rstrip() + "…"


def _request(label: ClusterLabel, examples: list[str]) -> NamingRequest:
    lines = [f"Keywords: {', '.join(label.keywords) or '(none)'}", "", "Example texts:"]
    lines += [f"- {example}" for example in examples]
    lines += ["", "Topic label:"]
    messages = (
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n".join(lines)},
    )
    tokens = sum(estimate_tokens(m["content"]) + MESSAGE_FRAMING_TOKENS for m in messages)
    return NamingRequest(label.cluster, messages, tokens)


def _cost_usd(prices: ModelPrices | None, input_tokens: int, output_tokens: int) -> float | None:
    if prices is None:
        return None
    usage = Usage(prompt_tokens=input_tokens, completion_tokens=output_tokens)
    return ticks_to_usd(cost_in_ticks(usage, prices))


def naming_plan(
    labels: Sequence[ClusterLabel],
    texts: Sequence[str],
    rows_by_cluster: Mapping[int, Sequence[int]],
    prices: ModelPrices | None,
    *,
    output_tokens_per_request: int = NAME_TOKENS_ESTIMATE,
) -> NamingPlan:
    """One request per label, with up to 8 distinct example texts from ``rows_by_cluster``
    (:func:`representative_rows`); the tokens estimated from the text (about 4 characters per
    token) and the cost from ``prices`` (each request at its own long-context tier)."""
    requests = []
    for label in labels:
        examples: list[str] = []
        for row in rows_by_cluster.get(label.cluster, ()):
            example = _example(texts[row])
            if example and example not in examples:
                examples.append(example)
            if len(examples) == 8:
                break
        requests.append(_request(label, examples))
    input_tokens = sum(r.input_tokens for r in requests)
    output_tokens = output_tokens_per_request * len(requests)
    costs = [_cost_usd(prices, r.input_tokens, output_tokens_per_request) for r in requests]
    cost = None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)
    return NamingPlan(tuple(requests), input_tokens, output_tokens, cost, prices)


def naming_params(model: ModelInfo | None) -> dict[str, Any]:
    """The request parameters for naming with ``model``: temperature 0 and a short reply; a
    reasoning model thinks as little as it takes (the lowest effort it lists) within
    :data:`REASONING_TOKENS`, since its thinking counts against the limit. Parameters the
    model rejects are left out."""
    params: dict[str, Any] = {"temperature": 0.0, "max_completion_tokens": NAME_TOKENS}
    if model is None:
        return params
    efforts = reasoning_efforts(model) or ()
    rejected = rejected_parameters(model)
    reasoning = bool(efforts) or "presence_penalty" in rejected  # xAI's reasoning models
    if reasoning:
        params["max_completion_tokens"] = REASONING_TOKENS
    lowest = next((e for e in ("none", "minimal", "low") if e in efforts), None)
    if lowest is not None:
        params["reasoning_effort"] = lowest
    return {name: value for name, value in params.items() if name not in rejected}


def name_clusters(
    client: XaiClient,
    model: str,
    plan: NamingPlan,
    on_progress: Progress | None = None,
    *,
    params: Mapping[str, Any] | None = None,
) -> NamingResult:
    """Send the plan's requests (non-streaming, ``params`` or :func:`naming_params` of no model)
    one by one; each cluster's clean name, or why it has none. Never raises for one cluster."""
    sent = dict(naming_params(None) if params is None else params)
    result = NamingResult()
    ticks: int | None = 0
    billed = bool(plan.requests)
    for done, request in enumerate(plan.requests, start=1):
        try:
            reply = client.chat(model=model, messages=list(request.messages), **sent)
        except XaiError as exc:
            result.failures[request.cluster] = exc.message or type(exc).__name__
        else:
            usage = reply.usage
            if usage is not None:
                result.input_tokens += usage.prompt_tokens
                result.output_tokens += usage.output_tokens
            billed = billed and usage is not None and usage.cost_in_usd_ticks is not None
            cost = None if usage is None else cost_in_ticks(usage, plan.prices)
            ticks = None if ticks is None or cost is None else ticks + cost
            choice = reply.choices[0] if reply.choices else None
            content = (choice.message.content if choice is not None else None) or ""
            name = clean_name(content)
            if name:
                result.names[request.cluster] = name
            else:
                cut = choice is not None and choice.finish_reason == "length"
                result.failures[request.cluster] = (
                    "the reply was cut before the label" if cut else "the reply held no label"
                )
        if on_progress is not None:
            on_progress(done, len(plan.requests), request.cluster)
    result.cost_usd = ticks_to_usd(ticks)
    result.billed = billed and not result.failures
    return result


_THINKING = re.compile(r"<think>.*?(</think>|$)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_PREFIX = re.compile(r"^(topic\s+label|topic|label|name|cluster)\s*[:\-–—]\s*", re.IGNORECASE)
_MARKUP = re.compile(r"[*_`#>|\[\]{}<>\"“”„«»]|^\s*[-•]\s*|^\s*\d+[.)]\s*")
_QUOTES = "'‘’"


def clean_name(text: str) -> str:
    """A model's reply as a label: its first non-empty line without thinking, markup (markdown,
    HTML tags), quotes, a "Label:" prefix, control characters or a trailing full stop; at most
    :data:`MAX_NAME_CHARS` characters (cut at a word). Empty when nothing is left."""
    text = _THINKING.sub("", text)
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    line = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in line)
    line = _MARKUP.sub("", _TAG.sub("", line))
    line = _PREFIX.sub("", line.strip())
    line = _MARKUP.sub("", line)
    line = " ".join(line.split()).strip(_QUOTES + " ").rstrip(".,;:!?·-–— ")
    if len(line) > MAX_NAME_CHARS:
        cut = line[: MAX_NAME_CHARS + 1].rsplit(" ", 1)[0]
        line = (cut if len(cut) >= MAX_NAME_CHARS // 2 else line[:MAX_NAME_CHARS]).rstrip(
            ".,;:!?·-–— "
        )
    return line[:MAX_NAME_CHARS]
