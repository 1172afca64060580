"""Models & pricing: live model tables, a cost calculator, price charts, the offline price
snapshot (and how live prices moved since) and what the server says about the API key."""

from __future__ import annotations

import streamlit as st

from playground.models.choice import choose_prices
from playground.models.models_tab import server_name, show_models_tab
from playground.models.widgets import (
    ask_for_models,
    calculator_profile,
    shipped_snapshot,
    show_api_key_tab,
    show_calculator_tab,
    show_charts_tab,
    show_price_notice,
    show_snapshot_tab,
)
from playground.shell.session import connection_status, current_connection

st.title("Models & pricing")
connection = current_connection()
status = connection_status(connection)
snapshot = shipped_snapshot()
live = ask_for_models(connection, status)
prices = choose_prices(live.catalog, snapshot, connection.base_url, server_name(connection))
show_price_notice(connection, live, prices, snapshot)

profile = calculator_profile()
tab_models, tab_calc, tab_charts, tab_snapshot, tab_key = st.tabs(
    ["Models", "Cost calculator", "Charts", "Snapshot", "API key"],
    on_change="rerun",
    key="models_tab",
)
if tab_models.open:
    with tab_models:
        show_models_tab(live, prices, connection)
if tab_calc.open:
    with tab_calc:
        show_calculator_tab(prices, profile)
if tab_charts.open:
    with tab_charts:
        show_charts_tab(prices, profile)
if tab_snapshot.open:
    with tab_snapshot:
        show_snapshot_tab(snapshot, live.catalog if prices.live else None)
if tab_key.open:
    with tab_key:
        show_api_key_tab(live, connection)
