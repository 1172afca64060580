"""Parameter sweeps: one parameter × a list of values × k samples, run with bounded concurrency.

No Streamlit: planning and the difference view are pure; :func:`run_sweep` sends the cells with
the stream runner's :func:`~playground.core.streaming.run_all` (worker threads; the shared
``httpx.Client`` is thread-safe) and returns plain results for the page to render on its own thread.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from playground.core.params import COMPLETIONS, fields, validate_params
from playground.core.streaming import Run, run_all
from xai_core import Completion, ModelPrices, XaiClient

__all__ = [
    "MAX_CELLS",
    "SWEEPABLE",
    "DiffSegment",
    "SweepCell",
    "SweepResult",
    "parse_sweep_values",
    "plan_sweep",
    "run_sweep",
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


def _cell_result(cell: SweepCell, run: Run[Completion]) -> SweepResult:
    """What a sent cell produced (or the error that ended it)."""
    if run.error_text is not None or run.answer is None:
        return SweepResult(cell, error=run.error_text, latency_s=run.elapsed_s)
    choice = run.answer.choices[0] if run.answer.choices else None
    stats = run.reply_stats()
    usage = stats.usage if stats is not None else None
    return SweepResult(
        cell,
        text=choice.text if choice else "",
        finish_reason=choice.finish_reason if choice else None,
        completion_tokens=usage.answer_tokens if usage is not None else None,
        latency_s=run.elapsed_s,
        cost_usd=stats.cost_usd if stats is not None else None,
    )


def run_sweep(
    client: XaiClient,
    model: str,
    prompt: str,
    cells: Sequence[SweepCell],
    prices: ModelPrices | None = None,
    *,
    max_workers: int = 3,
    on_done: Callable[[int, int], None] | None = None,
) -> list[SweepResult]:
    """Send every cell (non-streaming), at most ``max_workers`` at a time; results in cell order.

    A failed cell carries its error and does not stop the others. ``on_done(finished, total)`` is
    called on the caller's thread as cells finish (for a progress bar). Interrupted (e.g. the page
    reran), cells not started yet are not sent at all.
    """

    def sender(cell: SweepCell) -> Callable[[], Completion]:
        return lambda: client.complete(model=model, prompt=prompt, **cell.params)

    runs = [Run(model, prices, call=sender(cell)) for cell in cells]
    run_all(runs, max_workers=max_workers, on_done=on_done)
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
