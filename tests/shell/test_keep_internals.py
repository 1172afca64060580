"""The one place where the keeper reads Streamlit internals (``drawn_widgets``): this fails when
the pinned Streamlit changes what it relies on, and pins which widget kinds are kept."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

VALUE_KEYS = {
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "slider",
    "range",
    "select_slider",
    "number",
    "text",
    "area",
    "segmented",
    "pills",
    "color",
    "feedback",
}
NOT_KEPT = {
    "button",
    "download",
    "uploader",
    "editor",
    "chat",
    "frame",
    "chart",
    "form_submit",
    "api_key",
}


def _script() -> None:
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    from playground.shell.keep import drawn_widgets, is_value_widget

    frame = pd.DataFrame({"a": [1, 2]})
    st.checkbox("c", key="checkbox")
    st.toggle("t", key="toggle")
    st.radio("r", ["x", "y"], key="radio")
    st.selectbox("s", ["x", "y"], key="selectbox")
    st.multiselect("m", ["x", "y"], key="multiselect")
    st.slider("sl", 0, 10, 3, key="slider")
    st.slider("rg", 0, 10, (2, 5), key="range")
    st.select_slider("ss", ["x", "y"], key="select_slider")
    st.number_input("n", key="number")
    st.text_input("ti", key="text")
    st.text_input("API key", type="password", key="api_key")
    st.text_area("ta", key="area")
    st.segmented_control("sc", ["x", "y"], key="segmented")
    st.pills("p", ["x", "y"], key="pills")
    st.color_picker("cp", key="color")
    st.feedback("thumbs", key="feedback")
    st.button("b", key="button")
    st.download_button("d", b"x", key="download")
    st.file_uploader("u", key="uploader")
    st.data_editor(frame, key="editor")
    st.chat_input("say", key="chat")
    st.dataframe(frame, on_select="rerun", key="frame")
    st.plotly_chart(go.Figure(go.Scatter(x=[1], y=[1])), on_select="rerun", key="chart")
    with st.form("f"):
        st.form_submit_button("go", key="form_submit")
    st.session_state["_set_here"] = 1
    drawn, state = drawn_widgets()
    assert state["checkbox"] is False  # the session state behind st.session_state
    st.session_state["_new"] = [state.is_new_state_value(k) for k in ("_set_here", "checkbox")]
    st.session_state["_drawn"] = drawn
    st.session_state["_kept"] = sorted(
        key for key, kind in drawn.items() if is_value_widget(key, kind, st.session_state.get(key))
    )


def test_drawn_widgets_tells_value_widgets_apart() -> None:
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    drawn = at.session_state["_drawn"]
    assert set(drawn) >= VALUE_KEYS | NOT_KEPT, set(drawn) ^ (VALUE_KEYS | NOT_KEPT)
    assert set(at.session_state["_kept"]) == VALUE_KEYS
    assert at.session_state["_new"] == [True, False]  # set through st.session_state this run


def _restoring_script() -> None:
    import streamlit as st

    from tests.shell.test_keep_internals import _script

    kept = st.session_state.get("_kept_values", {})
    if st.session_state.get("_restore"):
        for key, value in kept.items():
            st.session_state[key] = value
    _script()
    st.session_state["_kept_values"] = {k: st.session_state[k] for k in st.session_state["_kept"]}


def test_kept_kinds_can_be_given_back_before_they_are_drawn() -> None:
    """Setting every kept kind through st.session_state before it is drawn raises nothing."""
    at = AppTest.from_function(_restoring_script, default_timeout=30).run()
    at.session_state["_restore"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
