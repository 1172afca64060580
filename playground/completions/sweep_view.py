"""The completions page's Parameter sweep tab (Streamlit): the sweep's inputs, running it with a
progress bar, and the grid of its cells (one column per value, one row per sample).

Model text goes through :mod:`playground.completions.token_html` (escaped), never as raw HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from playground.completions.run import SweepRecord, sweep_cell_line
from playground.completions.sweep import (
    MAX_CELLS,
    SWEEPABLE,
    parse_sweep_values,
    plan_sweep,
    run_sweep,
    word_differences,
)
from playground.completions.token_html import continuation_html, differences_html
from playground.core.catalog import ModelInfo
from xai_core import XaiClient

__all__ = ["SWEEP", "SWEEP_WORKERS", "SweepForm", "run_sweep_grid", "show_last_sweep", "sweep_form"]

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


def run_sweep_grid(
    client: XaiClient, model: ModelInfo, prompt: str, params: dict[str, Any], form: SweepForm
) -> None:
    """Run every cell of the sweep under a progress bar, keep the sweep and rerun to show it; a
    bad value list shows its message instead."""
    try:
        values = parse_sweep_values(form.parameter, form.values_text)
        cells = plan_sweep(params, form.parameter, values, form.samples)
    except ValueError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    bar = st.progress(0.0, text=f"0 of {len(cells)} requests done")

    def on_done(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done} of {total} requests done")

    results = run_sweep(
        client, model.id, prompt, cells, model.prices, max_workers=SWEEP_WORKERS, on_done=on_done
    )
    bar.progress(1.0, text=f"{len(cells)} of {len(cells)} requests done")
    st.session_state[SWEEP] = SweepRecord(prompt, form.parameter, results)
    st.rerun()


def show_last_sweep(differences: bool) -> None:
    """The last sweep of this session, if any (see :func:`show_sweep`)."""
    sweep: SweepRecord | None = st.session_state.get(SWEEP)
    if sweep is not None:
        show_sweep(sweep, differences)


def show_sweep(sweep: SweepRecord, differences: bool) -> None:
    """The grid: one column per value, one row per sample; tokens, latency and cost per cell."""
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
