"""Models & pricing: live model tables, a cost calculator, price charts, the offline price
snapshot (and how live prices moved since) and what the server says about the API key."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from playground.core.connection import BACKEND_LOCAL
from playground.models.compute import (
    PricedModel,
    UsageProfile,
    cost_table,
    estimate_costs,
    filter_models,
    model_table,
    table_csv,
)
from playground.models.data.key_facts import key_facts, key_warnings
from playground.models.data.live_prices import LiveCatalog, describe_model, fetch_live_catalog
from playground.models.data.snapshot import (
    PriceSnapshot,
    SnapshotError,
    diff_against_snapshot,
    diff_table,
    load_snapshot,
    with_snapshot_long_context,
)
from playground.models.figures import (
    COST_PERIODS,
    cost_bar_chart,
    cost_curve_chart,
    price_scatter,
    prompt_lengths,
)
from playground.shell.cache import forget_session_cache, session_cached
from playground.shell.session import connection_status, current_connection, get_client
from xai_core import NotFoundError, XaiClient, XaiError

CHAT_PAGE = "playground/chat/page.py"
CHAT_MODEL_KEY = "chat_model"  # the chat page's model selectbox
USD = "$%.3f"
TAB_KEY = "models_tab"
CALCULATOR_DEFAULTS = {
    "calc_prompt_tokens": 2_000,
    "calc_cached": 0,
    "calc_output": 500,
    "calc_per_day": 1_000,
}
MODEL_COLUMNS: dict[str, Any] = {
    "context": st.column_config.NumberColumn(format="localized", help="max prompt tokens"),
    "input $/1M": st.column_config.NumberColumn(format=USD),
    "cached input $/1M": st.column_config.NumberColumn(format=USD),
    "output $/1M": st.column_config.NumberColumn(format=USD),
    "image input $/1M": st.column_config.NumberColumn(format=USD),
    "blended $/1M": st.column_config.NumberColumn(format=USD, help="3 input : 1 output tokens"),
    "search $/1K sources": st.column_config.NumberColumn(format="$%.2f"),
    "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
}
COST_COLUMNS: dict[str, Any] = {
    "per request $": st.column_config.NumberColumn(format="$%.6f"),
    "per day $": st.column_config.NumberColumn(format="$%.2f"),
    "per month $": st.column_config.NumberColumn(format="$%.2f"),
    "blended $/1M": st.column_config.NumberColumn(format=USD, help="3 input : 1 output tokens"),
    "long-context rate": st.column_config.CheckboxColumn(help="billed at the long-context rate"),
}
DIFF_COLUMNS: dict[str, Any] = {
    "snapshot $/1M": st.column_config.NumberColumn(format=USD),
    "live $/1M": st.column_config.NumberColumn(format=USD),
}


@st.cache_resource(show_spinner=False)
def shipped_snapshot() -> PriceSnapshot:
    return load_snapshot()


def download(frame: pd.DataFrame, label: str, file_name: str, key: str) -> None:
    st.download_button(
        label,
        table_csv(frame),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=key,
    )


def show_models_tab(
    catalog: LiveCatalog | None, language_models: list[PricedModel], client: XaiClient | None
) -> None:
    """Live tables (filterable, sortable), CSV export, and the selected model's details."""
    if catalog is None or client is None:
        st.caption(
            "No live model list: the server cannot be reached. The Snapshot tab lists xAI's."
        )
        return
    all_models = [*language_models, *catalog.embedding]
    modalities = sorted({m for model in all_models for m in model.input_modalities})
    filter_col, modality_col = st.columns([3, 1])
    needle = filter_col.text_input("Filter", key="models_filter", placeholder="model id or alias")
    modality = modality_col.selectbox(
        "Input", [None, *modalities], key="models_modality", format_func=lambda m: m or "any"
    )
    language = filter_models(language_models, needle, modality)
    st.subheader("Language models" if catalog.has_prices else "Models")
    language_frame = model_table(language, drop_empty=True)
    event = st.dataframe(
        language_frame,
        hide_index=True,
        column_config=MODEL_COLUMNS,
        on_select="rerun",
        selection_mode="single-row",
        key="models_language_table",
    )
    st.caption("Select a row for the model's details.")
    download(
        language_frame, "Export models as CSV", "language-models.csv", "models_download_language"
    )
    rows = event.selection.rows
    if rows and rows[0] < len(language):
        show_model_detail(client, language[rows[0]])
    if not catalog.has_prices:
        return
    st.subheader("Embedding models")
    embedding = filter_models(list(catalog.embedding), needle, modality)
    if not embedding:
        st.caption("This server lists no embedding models.")
        return
    embedding_frame = model_table(embedding, drop_empty=True)
    st.dataframe(embedding_frame, hide_index=True, column_config=MODEL_COLUMNS)
    download(
        embedding_frame,
        "Export embedding models as CSV",
        "embedding-models.csv",
        "models_download_embedding",
    )


def show_model_detail(client: XaiClient, model: PricedModel) -> None:
    """The server's own description of ``model`` and a button that opens the chat on it."""
    with st.container(border=True):
        st.markdown(f"#### Model `{model.id}`")  # a code span: the id is never Markdown
        try:
            described = session_cached(
                f"models:detail:{model.kind}:{model.id}",
                connection.cache_key,
                lambda: describe_model(client, model),
            )
        except NotFoundError:
            st.warning("The server no longer describes this model.", icon=":material/warning:")
        except XaiError as exc:
            st.error(f"Could not describe {model.id}: {exc.message}", icon=":material/error:")
        else:
            st.json(described.model_dump(mode="json"), expanded=True)
        if st.button("Open in Chat", icon=":material/chat:", key="models_open_chat"):
            st.session_state[CHAT_MODEL_KEY] = model.id
            st.switch_page(CHAT_PAGE)


def show_calculator_tab(priced_models: list[PricedModel], profile: UsageProfile) -> None:
    """Inputs, cost per request / day / month for every priced model, a bar chart, CSV export."""
    c1, c2, c3, c4 = st.columns(4)
    c1.number_input("Prompt tokens", min_value=0, step=500, key="calc_prompt_tokens")
    c2.slider("Cached share of the prompt %", 0, 100, key="calc_cached")
    c3.number_input("Output tokens (with reasoning)", min_value=0, step=100, key="calc_output")
    c4.number_input("Requests per day", min_value=0, step=100, key="calc_per_day")
    estimates = estimate_costs(priced_models, profile)
    st.caption(f"Using {price_source}; a month is 30 days.")
    if not estimates:
        st.info("No model with known prices to compare.", icon=":material/money_off:")
        return
    results = cost_table(estimates)
    st.dataframe(results, hide_index=True, column_config=COST_COLUMNS, key="calc_results")
    stepped = [(m.id, m.long_context) for m in priced_models if m.long_context]
    if stepped:
        step = stepped[0][1]
        st.caption(
            f"Long-context step: from {step.threshold_tokens:,} prompt tokens, "
            f"{', '.join(f'`{i}`' for i, _ in stepped)} bill every token at x{step.multiplier}."
        )
    download(results, "Export results as CSV", "cost-estimate.csv", "calc_download")
    period = st.segmented_control(
        "Chart", list(COST_PERIODS), default="per month", key="calc_period"
    )
    st.plotly_chart(cost_bar_chart(estimates, period or "per month"), key="calc_chart")


def show_charts_tab(priced_models: list[PricedModel], profile: UsageProfile) -> None:
    """Input vs output price, and cost vs prompt length for the picked models."""
    if not priced_models:
        st.info("No prices to chart.", icon=":material/money_off:")
        return
    scatter = price_scatter(priced_models, f"Input vs output price ({price_source})")
    st.plotly_chart(scatter, key="chart_prices")
    ids = [m.id for m in priced_models]
    picked = st.multiselect(
        "Models for cost vs prompt length", ids, default=ids[:3], key="chart_curve_models"
    )
    chosen = [m for m in priced_models if m.id in picked]
    longest = max((m.context_window or 0 for m in chosen), default=0) or 256_000
    st.plotly_chart(cost_curve_chart(chosen, profile, prompt_lengths(longest)), key="chart_curve")
    st.caption(
        f"{profile.output_tokens:,} output tokens and {profile.cached_share:.0%} of the prompt "
        "cached per request, as set in the calculator."
    )


def show_snapshot_tab(snapshot: PriceSnapshot | None, live: LiveCatalog | None) -> None:
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
            st.dataframe(diff_table(diff), hide_index=True, column_config=DIFF_COLUMNS)
    else:
        st.caption("Shown because this server has no xAI prices; live prices win when present.")
    show_retired = st.toggle("Show retired models", key="snapshot_retired")
    listed = list(snapshot.models) if show_retired else snapshot.current_models
    snapshot_frame = model_table(listed, drop_empty=True)
    st.dataframe(snapshot_frame, hide_index=True, column_config=MODEL_COLUMNS)
    file_name = f"xai-prices-{snapshot.as_of.isoformat()}.csv"
    download(snapshot_frame, "Export snapshot as CSV", file_name, "snapshot_download")
    st.caption("Sources: " + " · ".join(snapshot.sources))
    for note in snapshot.notes:
        st.caption(note)


def show_api_key_tab(client: XaiClient | None) -> None:
    """What ``/v1/api-key`` says, with a plain warning when the key or its team is blocked."""
    if client is None:
        st.info(f"Not connected: {problem}", icon=":material/link_off:")
        return
    try:
        info = session_cached("models:api_key", connection.cache_key, client.get_api_key)
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
    st.dataframe(facts, hide_index=True, width="content")


st.title("Models & pricing")
connection = current_connection()
status = connection_status(connection)
try:
    snapshot: PriceSnapshot | None = shipped_snapshot()
except SnapshotError as exc:
    snapshot = None
    st.error(f"The offline price snapshot cannot be used: {exc}", icon=":material/error:")

client: XaiClient | None = None
catalog: LiveCatalog | None = None
problem: str | None = None
if status.level in ("info", "error"):
    problem = status.headline
else:
    client = live_client = get_client(connection)
    try:
        with st.spinner("Asking the server for its models…"):
            catalog = session_cached(
                "models:catalog", connection.cache_key, lambda: fetch_live_catalog(live_client)
            )
    except XaiError as exc:
        problem = f"Could not list models: {exc.message}"

live_priced = catalog is not None and catalog.priced
priced_models: list[PricedModel] = []
price_source = "no prices"
if live_priced and catalog is not None:
    priced_models = list(catalog.language)
    if snapshot is not None:
        priced_models = with_snapshot_long_context(priced_models, snapshot)
    price_source = f"live prices from {connection.base_url}"
elif snapshot is not None:
    priced_models = snapshot.current_models
    price_source = f"xAI's published prices, {snapshot.label}"

top_left, top_right = st.columns([5, 1], vertical_alignment="center")
with top_left:
    if problem is not None:
        st.warning(f"No live data: {problem}", icon=":material/cloud_off:")
    elif catalog is not None and not catalog.has_prices:
        st.info(
            "This server does not provide prices (it has no /v1/language-models): "
            "its models are listed from /v1/models.",
            icon=":material/money_off:",
        )
    elif catalog is not None and not live_priced:
        backend = "The local backend's" if connection.backend == BACKEND_LOCAL else "This server's"
        st.info(f"{backend} models are free (every price is 0).", icon=":material/money_off:")
    if not live_priced and snapshot is not None:
        st.caption(
            f"Prices for the calculator and charts: xAI's published prices, **{snapshot.label}** "
            "(see the Snapshot tab for its sources)."
        )
    elif live_priced:
        st.caption(f"Prices: {price_source} (USD per 1M tokens).")
with top_right:
    if st.button("Refresh", icon=":material/refresh:", key="models_refresh", type="tertiary"):
        forget_session_cache("models:")
        st.rerun()

# Only the open tab runs; the calculator's inputs outlive it (the charts use them too).
for name, default in CALCULATOR_DEFAULTS.items():
    st.session_state[name] = st.session_state.get(name, default)
profile = UsageProfile(
    int(st.session_state["calc_prompt_tokens"]),
    int(st.session_state["calc_cached"]) / 100,
    int(st.session_state["calc_output"]),
    int(st.session_state["calc_per_day"]),
)
tab_models, tab_calc, tab_charts, tab_snapshot, tab_key = st.tabs(
    ["Models", "Cost calculator", "Charts", "Snapshot", "API key"],
    on_change="rerun",
    key=TAB_KEY,
)

if tab_models.open:
    with tab_models:
        # live prices carry the snapshot's long-context step where it knows one
        shown = priced_models if live_priced else list(catalog.language if catalog else [])
        show_models_tab(catalog, shown, client)
if tab_calc.open:
    with tab_calc:
        show_calculator_tab(priced_models, profile)
if tab_charts.open:
    with tab_charts:
        show_charts_tab(priced_models, profile)
if tab_snapshot.open:
    with tab_snapshot:
        show_snapshot_tab(snapshot, catalog if live_priced else None)
if tab_key.open:
    with tab_key:
        show_api_key_tab(client)
