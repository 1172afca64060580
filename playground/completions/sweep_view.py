"""The completions page's Parameter sweep tab (Streamlit): the sweep's inputs, running it with a
progress bar, and the grid of its cells (one column per value, one row per sample).

Model text goes through :mod:`playground.completions.token_html` (escaped), never as raw HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from playground.completions.run import SweepRecord, sweep_cell_line
from playground.completions.run_view import legacy_note
from playground.completions.sweep import (
    MAX_CELLS,
    SWEEPABLE,
    SweepCell,
    SweepEstimate,
    parse_sweep_values,
    plan_sweep,
    run_sweep,
    sweep_estimate,
    word_differences,
)
from playground.completions.token_html import continuation_html, differences_html
from playground.core.catalog import ModelInfo
from playground.core.money import FREE, UNKNOWN, usd
from xai_core import XaiClient

__all__ = [
    "SWEEP",
    "SWEEP_WORKERS",
    "SweepForm",
    "estimate_line",
    "run_sweep_grid",
    "show_last_sweep",
    "show_sweep_estimate",
    "sweep_form",
]

SWEEP = "completions_sweep"
SWEEP_WORKERS = 3
_COLUMNS = 4  # values per row of the grid


@dataclass(frozen=True)
class SweepForm:
    """What the sweep tab's inputs say: which parameter, its values as typed, samples per value,
    and whether cells show their differences from the first one."""

    parameter: str
    values_text: str
    samples: int
    differences: bool


def sweep_form() -> SweepForm:
    """The sweep's inputs and what a sweep uses from the sidebar."""
    first, second, third = st.columns([1, 2, 1])
    parameter = first.selectbox("Parameter", SWEEPABLE, key="completions_sweep_param")
    values_text = second.text_input(
        "Values (comma-separated)", value="0, 0.5, 1.0, 1.5", key="completions_sweep_values"
    )
    samples = third.number_input(
        "Samples per value", min_value=1, max_value=5, value=1, key="completions_sweep_samples"
    )
    differences = st.toggle("Show differences (against the first cell)", key="completions_diff")
    st.caption(
        f"Every other parameter comes from the sidebar (n, best_of and echo are not used); at most "
        f"{MAX_CELLS} requests, {SWEEP_WORKERS} at a time."
    )
    return SweepForm(str(parameter), values_text, int(samples), differences)


def _cells(params: dict[str, Any], form: SweepForm) -> list[SweepCell]:
    """The sweep's requests; ``ValueError`` says what is wrong with the values."""
    values = parse_sweep_values(form.parameter, form.values_text)
    return plan_sweep(params, form.parameter, values, form.samples)


def estimate_line(estimate: SweepEstimate) -> str:
    """``Estimate: 4 requests · ≈ 48 prompt tokens + up to 256 output tokens · at most
    $0.000123`` (from the model's prices, before anything is sent)."""
    count = estimate.requests
    head = f"Estimate: {count} request{'s' if count != 1 else ''} · "
    tokens = f"≈ {estimate.prompt_tokens:,} prompt tokens"
    if estimate.output_tokens is not None:
        tokens += f" + up to {estimate.output_tokens:,} output tokens"
    if estimate.cost_usd is None:
        return head + tokens + f" · {UNKNOWN} (the server lists no prices for this model)"
    if estimate.free:
        return head + tokens + f" · {FREE}"
    if not estimate.bounded:
        return (
            head
            + tokens
            + f" · {usd(estimate.cost_usd)} for the prompts, plus the output "
            + ("(set max_tokens to bound it)")
        )
    return head + tokens + f" · at most {usd(estimate.cost_usd)}"


def show_sweep_estimate(
    model: ModelInfo, params: dict[str, Any], form: SweepForm, prompt_tokens: int | None
) -> None:
    """What the sweep will send and cost, before it runs (nothing when its values are wrong:
    running it says why)."""
    if prompt_tokens is None:
        return
    try:
        cells = _cells(params, form)
    except ValueError:
        return
    st.caption(estimate_line(sweep_estimate(cells, prompt_tokens, model.prices)))


def run_sweep_grid(
    client: XaiClient,
    model: ModelInfo,
    prompt: str,
    params: dict[str, Any],
    form: SweepForm,
    *,
    emulate: bool = False,
) -> None:
    """Run every cell of the sweep under a progress bar (as chat continuations with
    ``emulate``), keep the sweep and rerun to show it; a bad value list shows its message
    instead."""
    try:
        cells = _cells(params, form)
    except ValueError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    bar = st.progress(0.0, text=f"0 of {len(cells)} requests done")

    def on_done(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done} of {total} requests done")

    results = run_sweep(
        client,
        model.id,
        prompt,
        cells,
        model.prices,
        emulate=emulate,
        max_workers=SWEEP_WORKERS,
        on_done=on_done,
    )
    bar.progress(1.0, text=f"{len(results)} of {len(cells)} requests done")
    st.session_state[SWEEP] = SweepRecord(prompt, form.parameter, results, emulated=emulate)
    st.rerun()


def show_last_sweep(
    differences: bool,
    client: XaiClient,
    model: ModelInfo,
    params: dict[str, Any],
    form: SweepForm,
) -> None:
    """The last sweep of this session, if any (see :func:`show_sweep`); when the server
    refused its first cell as a completion request, that one refusal and one offer to run the
    whole grid as chat continuations."""
    sweep: SweepRecord | None = st.session_state.get(SWEEP)
    if sweep is None:
        return
    refusal = sweep.refusal
    if refusal is None:
        show_sweep(sweep, differences)
        return
    st.error(
        f"The server refused the completion request, so the sweep stopped after its first "
        f"request (every cell would get the same answer; not billed): {refusal.error}",
        icon=":material/block:",
    )
    st.markdown(legacy_note("the whole sweep as chat continuations"))
    if st.button("Run the sweep as chat (emulated)", icon=":material/swap_horiz:"):
        run_sweep_grid(client, model, sweep.prompt, params, form, emulate=True)


def show_sweep(sweep: SweepRecord, differences: bool) -> None:
    """The grid: one column per value, one row per sample; tokens, latency and cost per cell,
    and the sweep's total."""
    if sweep.emulated:
        st.caption(
            ":material/swap_horiz: Emulated with chat: each cell was sent to "
            "`/v1/chat/completions` as a continuation request."
        )
    st.caption(f"Total: {sweep.total_text()}")
    st.html(continuation_html(sweep.prompt, ""))
    values = list(dict.fromkeys(r.cell.value for r in sweep.results))
    reference = sweep.results[0].text if sweep.results else ""
    for start in range(0, len(values), _COLUMNS):
        row_values = values[start : start + _COLUMNS]
        for column, value in zip(st.columns(len(row_values)), row_values, strict=True):
            for result in (r for r in sweep.results if r.cell.value == value):
                with column.container(border=True):
                    st.caption(f"{sweep.parameter} = {value:g} · sample {result.cell.sample}")
                    if result.error:
                        st.error(result.error, icon=":material/error:")
                        continue
                    if differences and result is not sweep.results[0]:
                        st.html(differences_html(word_differences(reference, result.text)))
                    else:
                        st.html(continuation_html("", result.text))
                    st.caption(sweep_cell_line(result))
