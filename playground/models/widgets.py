"""The Models & pricing page's widgets: the live listing and its notice, the calculator's inputs,
and one function per tab (the Models tab is in :mod:`playground.models.models_tab`). Every
function takes what it shows as arguments."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from playground.core.catalog import Catalog, fetch_catalog
from playground.core.connection import BACKEND_LOCAL, Connection, ConnectionStatus
from playground.models.choice import PriceChoice, distinct_price_models
from playground.models.compute import UsageProfile, cost_table, estimate_costs, model_table
from playground.models.data.key_facts import key_facts, key_warnings
from playground.models.data.snapshot import (
    PriceSnapshot,
    SnapshotError,
    diff_against_snapshot,
    diff_table,
    load_snapshot,
)
from playground.models.figures import (
    COST_PERIODS,
    cost_bar_chart,
    cost_curve_chart,
    price_scatter,
    prompt_lengths,
)
from playground.models.tables import (
    COST_COLUMNS,
    DIFF_COLUMNS,
    MISSING,
    download_csv,
    show_facts,
    show_table,
)
from playground.shell.cache import forget_session_cache, session_cached
from playground.shell.session import get_client
from xai_core import Model, NotFoundError, XaiClient, XaiError

__all__ = [
    "LiveModels",
    "ask_for_models",
    "calculator_profile",
    "shipped_snapshot",
    "show_api_key_tab",
    "show_calculator_tab",
    "show_charts_tab",
    "show_price_notice",
    "show_snapshot_tab",
]

#: Every cached answer of this page is named ``models:...``: Refresh forgets them all.
CACHE_PREFIX = "models:"
CALCULATOR_DEFAULTS = {
    "calc_prompt_tokens": 2_000,
    "calc_cached": 0,
    "calc_output": 500,
    "calc_per_day": 1_000,
    "calc_searches": 0,
    "calc_code_runs": 0,
}


@st.cache_resource(show_spinner=False)
def _shipped_snapshot() -> PriceSnapshot:
    return load_snapshot()


def shipped_snapshot() -> PriceSnapshot | None:
    """The offline price snapshot shipped with the app; ``None`` (with an error) if unusable."""
    try:
        return _shipped_snapshot()
    except SnapshotError as exc:
        st.error(f"The offline price snapshot cannot be used: {exc}", icon=":material/error:")
        return None


@dataclass(frozen=True)
class LiveModels:
    """What the server said: a client when the connection is usable, its catalog when listing
    worked, else the ``problem`` in plain words."""

    client: XaiClient | None
    catalog: Catalog | None
    problem: str | None
    #: ``/v1/models`` as listed, when the catalog came from the priced lists (else empty).
    listed: tuple[Model, ...] = ()


def ask_for_models(connection: Connection, status: ConnectionStatus) -> LiveModels:
    """The server's language and embedding models, asked once per connection in this session."""
    if status.level in ("info", "error"):
        return LiveModels(None, None, status.headline)
    client = get_client(connection)
    try:
        with st.spinner("Asking the server for its models…"):
            catalog = session_cached(
                CACHE_PREFIX + "catalog",
                connection.cache_key,
                lambda: fetch_catalog(client, embeddings=True),
            )
    except XaiError as exc:
        return LiveModels(client, None, f"Could not list models: {exc.message}")
    listed: tuple[Model, ...] = ()
    if catalog.has_prices:  # else the catalog is /v1/models already
        try:
            listed = session_cached(
                CACHE_PREFIX + "listed", connection.cache_key, lambda: tuple(client.list_models())
            )
        except XaiError:
            listed = ()  # the priced lists are shown; the extra ones are a bonus
    return LiveModels(client, catalog, None, listed)


def show_price_notice(
    connection: Connection, live: LiveModels, prices: PriceChoice, snapshot: PriceSnapshot | None
) -> None:
    """Where the page's data comes from (or why there is none live), and a Refresh button."""
    top_left, top_right = st.columns([5, 1], vertical_alignment="center")
    with top_left:
        catalog = live.catalog
        if live.problem is not None:
            st.warning(f"No live data: {live.problem}", icon=":material/cloud_off:")
        elif catalog is not None and not catalog.has_prices:
            st.info(
                "This server does not provide prices (it has no /v1/language-models): "
                "its models are listed from /v1/models.",
                icon=":material/money_off:",
            )
        elif catalog is not None and not prices.live:
            local = connection.backend == BACKEND_LOCAL
            backend = "The local backend's" if local else "This server's"
            st.info(f"{backend} models are free (every price is 0).", icon=":material/money_off:")
        if not prices.live and snapshot is not None:
            lead = "Beside them, xAI's models" if prices.mixed else "xAI's models"
            st.caption(
                f"{lead} at its published prices, **{snapshot.label}** "
                "(sources in the Snapshot tab). A key for xAI shows live prices."
            )
        elif prices.live:
            st.caption(f"Prices: {prices.source} (USD per 1M tokens).")
    with top_right:
        if st.button("Refresh", icon=":material/refresh:", key="models_refresh", type="tertiary"):
            forget_session_cache(CACHE_PREFIX)
            st.rerun()


def calculator_profile() -> UsageProfile:
    """The calculator's inputs from this session (defaults at first). Only the open tab runs,
    so the inputs outlive the calculator tab: the charts use them too."""
    for name, default in CALCULATOR_DEFAULTS.items():
        st.session_state[name] = st.session_state.get(name, default)
    state = st.session_state
    return UsageProfile(
        int(state["calc_prompt_tokens"]),
        int(state["calc_cached"]) / 100,
        int(state["calc_output"]),
        int(state["calc_per_day"]),
        searches=int(state["calc_searches"]),
        code_runs=int(state["calc_code_runs"]),
    )


def show_calculator_tab(prices: PriceChoice, profile: UsageProfile) -> None:
    """Inputs, cost per request / day / month for every priced model (those whose context is
    smaller than the prompt marked and listed last), a bar chart, CSV export."""
    c1, c2, c3, c4 = st.columns(4)
    c1.number_input("Prompt tokens", min_value=0, step=500, key="calc_prompt_tokens")
    c2.slider("Cached share of the prompt %", 0, 100, key="calc_cached")
    c3.number_input("Output tokens (with reasoning)", min_value=0, step=100, key="calc_output")
    c4.number_input("Requests per day", min_value=0, step=100, key="calc_per_day")
    t1, t2 = st.columns(2)
    fee = "Server-side tool calls per request, $5 per 1,000 calls."
    t1.number_input("Web / X searches per request", min_value=0, key="calc_searches", help=fee)
    t2.number_input("Code executions per request", min_value=0, key="calc_code_runs", help=fee)
    estimates = estimate_costs(prices.models, profile)
    st.caption(f"Using {prices.source}; a month is 30 days.")
    if not estimates:
        st.info("No model with known prices to compare.", icon=":material/money_off:")
        return
    results = cost_table(estimates, prices.marks_by_id)
    st.dataframe(
        results,
        hide_index=True,
        column_config=COST_COLUMNS,
        key="calc_results",
        placeholder=MISSING,
    )
    too_small = [e.model_id for e in estimates if not e.fits]
    if too_small:
        st.caption(
            f"{len(too_small)} model(s) cannot take a {profile.prompt_tokens:,}-token prompt "
            "(their context is smaller): listed last, never ranked cheapest."
        )
    tiers = [m.prices.long_context_threshold for m in prices.models if m.prices.has_long_context]
    if tiers:
        starts = ", ".join(f"{t:,}" for t in sorted({t for t in tiers if t is not None}))
        st.caption(
            f"Long-context tier: from {starts} prompt tokens the whole request is billed at the "
            "model's long-context prices (see the Models tab)."
        )
    download_csv(results, "Export results as CSV", "cost-estimate.csv", "calc_download")
    period = st.segmented_control(
        "Chart", list(COST_PERIODS), default="per month", key="calc_period"
    )
    st.plotly_chart(cost_bar_chart(estimates, period or "per month"), key="calc_chart")


def show_charts_tab(prices: PriceChoice, profile: UsageProfile) -> None:
    """Input vs output price, and cost vs prompt length for the picked models."""
    models = prices.models
    if not models:
        st.info("No prices to chart.", icon=":material/money_off:")
        return
    drawn = {mark for model, mark in prices.rows if model.prices.input and model.prices.output}
    title = "Input vs output price per 1M tokens"
    scatter = price_scatter(models, f"{title} ({', '.join(sorted(drawn))})" if drawn else title)
    st.plotly_chart(scatter, key="chart_prices")
    free = [model.id for model in models if model.prices.input == model.prices.output == 0]
    if free:
        st.caption(f"Free, so not on these log scales: {', '.join(free)}.")
    ids = [m.id for m in models]
    picked = st.multiselect(
        "Models for cost vs prompt length",
        ids,
        default=distinct_price_models(models) or ids[:3],
        key="chart_curve_models",
        help="At first three models with different prices: equal prices draw one line.",
    )
    chosen = [m for m in models if m.id in picked]
    longest = max((m.context_length or 0 for m in chosen), default=0) or 256_000
    st.plotly_chart(cost_curve_chart(chosen, profile, prompt_lengths(longest)), key="chart_curve")
    st.caption(
        f"{profile.output_tokens:,} output tokens, {profile.cached_share:.0%} of the prompt "
        "cached and the tool calls per request, as set in the calculator."
    )


def show_snapshot_tab(snapshot: PriceSnapshot | None, live: Catalog | None) -> None:
    """The dated snapshot with its sources; with live xAI prices, what changed since."""
    if snapshot is None:
        st.info("No snapshot available.", icon=":material/error:")
        return
    st.subheader(f"xAI prices: {snapshot.label}")
    if live is not None:
        diff = diff_against_snapshot(live.language, snapshot)
        if diff.empty:
            st.success("Live prices match the snapshot.", icon=":material/check:")
        else:
            st.markdown(
                f"Live vs snapshot: **{len(diff.new)}** new, **{len(diff.removed)}** removed, "
                f"**{len({c.model_id for c in diff.repriced})}** re-priced."
            )
            st.dataframe(
                diff_table(diff), hide_index=True, column_config=DIFF_COLUMNS, placeholder=MISSING
            )
    else:
        st.caption("Shown because this server has no xAI prices; live prices win when present.")
    show_retired = st.toggle("Show retired models", key="snapshot_retired")
    listed = list(snapshot.models) if show_retired else snapshot.current_models
    snapshot_frame = model_table(listed, drop_empty=True)
    show_table(snapshot_frame)
    file_name = f"xai-prices-{snapshot.as_of.isoformat()}.csv"
    download_csv(snapshot_frame, "Export snapshot as CSV", file_name, "snapshot_download")
    st.caption("Sources: " + " · ".join(snapshot.sources))
    for note in snapshot.notes:
        st.caption(note)


def show_api_key_tab(live: LiveModels, connection: Connection) -> None:
    """What ``/v1/api-key`` says, with a plain warning when the key or its team is blocked."""
    client = live.client
    if client is None:
        st.info(f"Not connected: {live.problem}", icon=":material/link_off:")
        return
    try:
        info = session_cached(CACHE_PREFIX + "api_key", connection.cache_key, client.get_api_key)
    except NotFoundError:
        st.info("This server does not describe API keys (it has no /v1/api-key).")
        return
    except XaiError as exc:
        st.error(f"Could not read the key's details: {exc.message}", icon=":material/error:")
        return
    for warning in key_warnings(info):
        st.warning(warning, icon=":material/block:")
    if connection.backend == BACKEND_LOCAL:
        st.caption("The local backend's own key: made when it started, used only on this machine.")
    # a dataframe, not st.table: server text must not be rendered as Markdown
    facts = pd.DataFrame(key_facts(info), columns=["field", "value"])
    show_facts(facts)
