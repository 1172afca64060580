"""Parameter sweeps: one parameter × a list of values × k samples, run with bounded concurrency.

No Streamlit: planning and the difference view are pure; :func:`run_sweep` sends the cells with
the stream runner's :func:`~playground.core.streaming.run_all` (worker threads; the shared
``httpx.Client`` is thread-safe) and returns plain results for the page to render on its own thread.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from playground.completions.continuation import as_chat_continuation
from playground.core.money import free_prices, is_refusal
from playground.core.params import (
    COMPLETIONS,
    fields,
    parameter_named_in_error,
    validate_params,
)
from playground.core.streaming import Run, run_all
from xai_core import ChatCompletion, Completion, ModelPrices, Usage, XaiClient
from xai_core.pricing import cost_in_ticks, ticks_to_usd

__all__ = [
    "MAX_CELLS",
    "REFUSED_STATUSES",
    "SWEEPABLE",
    "DiffSegment",
    "SweepCell",
    "SweepEstimate",
    "SweepResult",
    "parse_sweep_values",
    "plan_sweep",
    "refuses_completions",
    "run_sweep",
    "sweep_estimate",
    "swept_parameters",
    "word_differences",
]

SWEEPABLE = ("temperature", "top_p", "max_tokens", "presence_penalty", "frequency_penalty", "seed")
MAX_CELLS = 24
MAX_SAMPLES = 5
# Each cell is one completion: these would multiply choices or change the shape of a cell.
_NOT_SWEPT = ("n", "best_of", "echo")


@dataclass(frozen=True)
class SweepCell:
    """One request of a sweep: the swept value, which sample it is, and its full parameters."""

    value: float | int
    sample: int
    params: dict[str, Any]


#: The server understood the completion request and said no (not auth, not load).
REFUSED_STATUSES = (400, 404, 405, 422)


@dataclass(frozen=True)
class SweepEstimate:
    """What a sweep will cost before it runs: its requests, their prompt tokens, their output
    tokens at most (``None``: a cell has no ``max_tokens``) and the cost of that from the
    model's prices (``None``: no prices listed)."""

    requests: int
    prompt_tokens: int
    output_tokens: int | None
    cost_usd: float | None
    bounded: bool
    free: bool = False


@dataclass(frozen=True)
class SweepResult:
    """What one cell produced (or the error that ended it)."""

    cell: SweepCell
    text: str = ""
    finish_reason: str | None = None
    completion_tokens: int | None = None
    latency_s: float | None = None
    cost_usd: float | None = None
    error: str | None = None
    billed: bool = False  # the cost is the server's own (cost_in_usd_ticks)
    free: bool = False  # the model's prices are all 0
    refused: bool = False  # the server said no (a 4xx or 429): not billed
    error_status: int | None = None  # the HTTP status of the error, when it had one
    reasoning_tokens: int = 0  # generated besides the text (an emulated reasoning model's)


def parse_sweep_values(parameter: str, text: str) -> list[float | int]:
    """``"0, 0.5, 1.0"`` → ``[0.0, 0.5, 1.0]`` for ``parameter``, each checked against its range.

    Commas or spaces separate values; duplicates are dropped, order kept. Raises ``ValueError``
    with a message fit for the user.
    """
    if parameter not in SWEEPABLE:
        raise ValueError(f"{parameter!r} cannot be swept; choose one of {', '.join(SWEEPABLE)}")
    pieces = [piece for piece in re.split(r"[,\s;]+", text.strip()) if piece]
    if not pieces:
        raise ValueError("Give at least one value, e.g. 0, 0.5, 1.0")
    values: list[float | int] = []
    for piece in pieces:
        try:
            number = float(piece)
        except ValueError:
            raise ValueError(f"{piece!r} is not a number") from None
        checked = validate_params({parameter: number}, COMPLETIONS)[parameter]
        if checked not in values:
            values.append(checked)
    return values


def plan_sweep(
    base_params: Mapping[str, Any], parameter: str, values: Sequence[float | int], samples: int = 1
) -> list[SweepCell]:
    """Every request of the sweep, value by value, ``samples`` each, on top of ``base_params``.

    ``n``, ``best_of`` and ``echo`` are left out (one cell is one completion). Raises
    ``ValueError`` when there are no values, ``samples`` is outside 1–5 or the grid would exceed
    :data:`MAX_CELLS` requests.
    """
    if parameter not in fields(COMPLETIONS) or parameter not in SWEEPABLE:
        raise ValueError(f"{parameter!r} cannot be swept")
    if not values:
        raise ValueError("Give at least one value to sweep")
    if not 1 <= samples <= MAX_SAMPLES:
        raise ValueError(f"Samples per value must be between 1 and {MAX_SAMPLES}")
    if len(values) * samples > MAX_CELLS:
        raise ValueError(
            f"{len(values)} values × {samples} samples = {len(values) * samples} requests; "
            f"the limit is {MAX_CELLS}"
        )
    base = {k: v for k, v in base_params.items() if k not in _NOT_SWEPT and v is not None}
    cells: list[SweepCell] = []
    for value in values:
        params = validate_params({**base, parameter: value}, COMPLETIONS)
        cells.extend(SweepCell(value, sample, dict(params)) for sample in range(1, samples + 1))
    return cells


def _cell_result(cell: SweepCell, run: Run[Completion] | Run[ChatCompletion]) -> SweepResult:
    """What a sent cell produced (or the error that ended it)."""
    if run.error_text is not None or run.answer is None:
        status = getattr(run.error, "status_code", None)
        return SweepResult(
            cell,
            error=run.error_text,
            latency_s=run.elapsed_s,
            refused=is_refusal(status),
            error_status=status,
        )
    answer = run.answer
    if isinstance(answer, ChatCompletion):
        message = answer.choices[0].message if answer.choices else None
        text = (message.content if message is not None else None) or ""
    else:
        text = answer.choices[0].text if answer.choices else ""
    finish = answer.choices[0].finish_reason if answer.choices else None
    stats = run.reply_stats()
    usage = stats.usage if stats is not None else None
    return SweepResult(
        cell,
        text=text,
        finish_reason=finish,
        completion_tokens=usage.answer_tokens if usage is not None else None,
        reasoning_tokens=usage.reasoning_tokens if usage is not None else 0,
        latency_s=run.elapsed_s,
        cost_usd=stats.cost_usd if stats is not None else None,
        billed=stats is not None and stats.billed,
        free=stats is not None and stats.free,
    )


def refuses_completions(result: SweepResult, swept: Iterable[str] = ()) -> bool:
    """True when the server refused the cell's completion request as such (not auth, not load,
    not the cell's own value of a ``swept`` parameter): the model does not do
    ``/v1/completions``, so every other cell would get the same answer."""
    status = result.error_status
    if status is None or status not in REFUSED_STATUSES:
        return False
    return parameter_named_in_error(result.error or "", swept) is None


def swept_parameters(cells: Sequence[SweepCell]) -> set[str]:
    """The parameters whose value changes from one cell to another."""
    first = cells[0].params if cells else {}
    return {k for cell in cells for k, v in cell.params.items() if first.get(k) != v}


def sweep_estimate(
    cells: Sequence[SweepCell], prompt_tokens: int, prices: ModelPrices | None
) -> SweepEstimate:
    """What the sweep will cost at most, from the model's prices: every cell's prompt, and its
    ``max_tokens`` of output (unbounded when a cell has none)."""
    if prices is None or not prices.known:
        return SweepEstimate(len(cells), prompt_tokens * len(cells), None, None, bounded=False)
    total, outputs, bounded = 0, 0, True
    for cell in cells:
        out = cell.params.get("max_tokens")
        bounded = bounded and out is not None
        usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=int(out or 0))
        total += cost_in_ticks(usage, prices) or 0
        outputs += int(out or 0)
    return SweepEstimate(
        len(cells),
        prompt_tokens * len(cells),
        outputs if bounded else None,
        ticks_to_usd(total),
        bounded=bounded,
        free=free_prices(prices),
    )


def _sender(
    client: XaiClient, model: str, prompt: str, cell: SweepCell, emulate: bool
) -> Callable[[], Completion | ChatCompletion]:
    if not emulate:
        return lambda: client.complete(model=model, prompt=prompt, **cell.params)
    chat = as_chat_continuation(prompt, cell.params)
    return lambda: client.chat(model=model, messages=chat.messages, **chat.params)


def run_sweep(
    client: XaiClient,
    model: str,
    prompt: str,
    cells: Sequence[SweepCell],
    prices: ModelPrices | None = None,
    *,
    emulate: bool = False,
    max_workers: int = 3,
    on_done: Callable[[int, int], None] | None = None,
) -> list[SweepResult]:
    """Send every cell (non-streaming), at most ``max_workers`` at a time; results in cell order.

    The first cell goes alone: when the server refuses it as a completion request (the model
    does not do ``/v1/completions``), the sweep ends there with that one result, instead of the
    same refusal in every cell; ``emulate`` then sends each cell as a chat continuation. Another
    failed cell carries its error and does not stop the others. ``on_done(finished, total)`` is
    called on the caller's thread as cells finish (for a progress bar). Interrupted (e.g. the page
    reran), cells not started yet are not sent at all.
    """
    runs: list[Run[Any]] = [
        Run(model, prices, call=_sender(client, model, prompt, cell, emulate)) for cell in cells
    ]
    total = len(runs)
    run_all(runs[:1], max_workers=1)
    first = _cell_result(cells[0], runs[0]) if cells else None
    if on_done is not None:
        on_done(1, total)
    if first is not None and refuses_completions(first, swept_parameters(cells)):
        return [first]

    def rest_done(done: int, _: int) -> None:
        if on_done is not None:
            on_done(done + 1, total)

    run_all(runs[1:], max_workers=max_workers, on_done=rest_done)
    return [_cell_result(cell, run) for cell, run in zip(cells, runs, strict=True)]


@dataclass(frozen=True)
class DiffSegment:
    """A run of text in a compared completion: ``same``, ``added`` or ``removed``."""

    kind: str
    text: str


_WORDS = re.compile(r"\s+|[^\s]+")


def word_differences(reference: str, other: str) -> list[DiffSegment]:
    """``other`` against ``reference`` word by word (whitespace kept) as same/added/removed."""
    ref_words, other_words = _WORDS.findall(reference), _WORDS.findall(other)
    matcher = difflib.SequenceMatcher(a=ref_words, b=other_words, autojunk=False)
    segments: list[DiffSegment] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            segments.append(DiffSegment("same", "".join(other_words[b0:b1])))
            continue
        if op in ("delete", "replace"):
            segments.append(DiffSegment("removed", "".join(ref_words[a0:a1])))
        if op in ("insert", "replace"):
            segments.append(DiffSegment("added", "".join(other_words[b0:b1])))
    return [s for s in segments if s.text]
