"""The one parameter panel (issue 17), as Chat (both APIs), its compare settings and Completions
draw it: human labels, help with the API field and its range, the server's default shown in the
empty widget, nothing sent for what is left empty, the JSON editors full width in the main area,
and a forced tool choice back to auto once the tool result is sent."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import NumberInput

from tests.apptest import new_app, open_page, texts
from tests.chat.test_page import chat_app
from tests.chat.test_page_controls import last_body
from tests.chat.test_page_responses import responses_app, sent
from tests.fake_xai import FakeXai

COMPLETIONS = "playground/completions/page.py"
TOOLS = '[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]'
NON_REASONING = "grok-4.20-0309-non-reasoning"  # takes penalties and stop
ALWAYS_SENT = {"model", "messages", "input", "stream", "stream_options"}


def number(at: AppTest, label: str) -> NumberInput:
    """The sidebar's number box labelled ``label`` (as a person finds it)."""
    found = [box for box in at.sidebar.number_input if box.label == label]
    assert len(found) == 1, [box.label for box in at.sidebar.number_input]
    return found[0]


def placeholder(box: Any) -> str:
    return str(box.proto.placeholder)


def test_the_chat_panel_has_human_labels_defaults_and_help(env_fake: FakeXai) -> None:
    at = chat_app()
    at.sidebar.selectbox(key="chat_model").set_value(NON_REASONING).run()
    side = at.sidebar
    labels = {box.key: box.label for box in side.number_input}
    assert labels == {
        "chat_temperature": "Temperature",
        "chat_top_p": "Top P",
        "chat_max_tokens": "Max tokens",
        "chat_seed": "Seed",
        "chat_presence_penalty": "Presence penalty",
        "chat_frequency_penalty": "Frequency penalty",
        "chat_n": "Choices",
        "chat_top_logprobs": "Top alternatives",
    }
    shown = {box.label: placeholder(box) for box in side.number_input}
    assert shown["Temperature"] == "1" and shown["Top P"] == "1"  # the server's defaults
    assert shown["Max tokens"] == "model max" and shown["Seed"] == "random"
    assert shown["Frequency penalty"] == "0" and shown["Choices"] == "1"
    assert all(box.value is None for box in side.number_input)  # empty: unset
    assert side.selectbox(key="chat_tool_choice").options[0] == "auto (default)"
    assert side.selectbox(key="chat_response_format").value == "unset"  # stored values as before
    assert side.selectbox(key="chat_response_format").options[0] == "text (default)"
    assert side.text_area(key="chat_stop").label == "Stop sequences"
    help_text = str(number(at, "Frequency penalty").help)
    assert "`frequency_penalty`" in help_text and "From -2 to 2." in help_text
    assert help_text.endswith("Unset: 0.")
    assert "At least 1." in str(number(at, "Max tokens").help)


def test_the_responses_panel_has_its_own_defaults(env_fake: FakeXai) -> None:
    at = responses_app()
    assert placeholder(number(at, "Max tokens")) == "128,000"  # max_output_tokens
    assert "`max_output_tokens`" in str(number(at, "Max tokens").help)
    assert at.sidebar.selectbox(key="chat_store").options[0] == "true (default)"
    assert at.sidebar.selectbox(key="chat_store").label == "Store on server"


def test_chat_sends_only_what_is_set(env_fake: FakeXai) -> None:
    at = chat_app()
    number(at, "Temperature").set_value(0.3).run()
    at.chat_input[0].set_value("hi").run()
    assert not at.exception
    assert set(last_body(env_fake)) - ALWAYS_SENT == {"temperature"}
    assert last_body(env_fake)["temperature"] == 0.3
    number(at, "Temperature").set_value(None).run()  # emptied: unset again
    at.chat_input[0].set_value("again").run()
    assert set(last_body(env_fake)) - ALWAYS_SENT == set()


def test_responses_sends_only_what_is_set(env_fake: FakeXai) -> None:
    at = responses_app()
    number(at, "Max tokens").set_value(24).run()
    at.chat_input[0].set_value("hi").run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(sent(env_fake)[-1]) - ALWAYS_SENT == {"max_output_tokens"}
    number(at, "Max tokens").set_value(None).run()
    at.chat_input[0].set_value("again").run()
    assert set(sent(env_fake)[-1]) - ALWAYS_SENT <= {"previous_response_id"}


def test_the_json_editors_are_full_width_in_the_main_area(env_fake: FakeXai) -> None:
    at = chat_app()
    assert "chat_tools" not in [area.key for area in at.sidebar.text_area]
    tools = at.main.text_area(key="chat_tools")
    assert tools.label == "Tools" and "get_weather" in placeholder(tools)
    assert "chat_json_schema" not in [area.key for area in at.text_area]
    at.sidebar.selectbox(key="chat_response_format").set_value("json_schema").run()
    schema = at.main.text_area(key="chat_json_schema")
    schema.input('{"type": "object",,}').run()
    assert any("JSON schema, line 1, column 19" in t for t in texts(at.main.error))
    assert not any("JSON schema" in t for t in texts(at.sidebar.error))


def test_compare_settings_show_what_they_fall_back_to(env_fake: FakeXai) -> None:
    at = chat_app()
    number(at, "Temperature").set_value(0.7).run()
    at.sidebar.toggle(key="chat_compare").set_value(True).run()
    at.sidebar.multiselect(key="chat_compare_with").set_value([NON_REASONING]).run()
    own = {box.label: box for box in at.sidebar.number_input if box.key.startswith("chat_cmp_")}
    assert set(own) == {"Temperature", "Seed", "Max tokens"}
    assert placeholder(own["Temperature"]) == "0.7"  # as in Parameters above
    assert placeholder(own["Seed"]) == "random"  # unset there too: the server's default


def test_completions_has_the_same_labels_and_defaults(env_fake: FakeXai) -> None:
    at = open_page(COMPLETIONS)
    side = at.sidebar
    penalty = side.number_input(key="completions_p_frequency_penalty")
    assert penalty.label == "Frequency penalty" and placeholder(penalty) == "0"
    assert side.number_input(key="completions_p_max_tokens").label == "Max tokens"
    assert placeholder(side.number_input(key="completions_p_max_tokens")) == "model max"
    assert side.selectbox(key="completions_p_echo").options[0] == "false (default)"
    assert "`best_of`" in str(side.number_input(key="completions_p_best_of").help)


@pytest.mark.parametrize("choice", ["required", "get_weather"])
def test_a_forced_tool_choice_is_auto_once_the_result_is_sent(
    env_fake: FakeXai, choice: str
) -> None:
    at = chat_app()
    at.text_area(key="chat_tools").input(TOOLS).run()
    at.sidebar.selectbox(key="chat_tool_choice").set_value(choice).run()
    at.chat_input[0].set_value("Weather in Lisbon?").run()
    assert last_body(env_fake)["tool_choice"] != "auto"  # forced while asking
    result = next(t for t in at.chat_message[1].text_area if t.key.startswith("chat_tool_result"))
    result.input("22 °C, sunny")
    next(b for b in at.button if b.label == "Send tool results").click().run()
    assert not at.exception
    body = last_body(env_fake)
    assert body["messages"][-1]["role"] == "tool" and body["tool_choice"] == "auto"
    assert "Olá!" in texts(at.chat_message[-1].markdown)  # the model answered in text
    assert at.sidebar.selectbox(key="chat_tool_choice").value == choice  # the panel keeps it


def test_stored_values_come_back_into_the_new_panel(env_fake: FakeXai) -> None:
    """The widget keys and values are the ones stored before: a kept value fills its box."""
    at = new_app()
    at.session_state["chat_max_tokens"] = 64
    at.session_state["chat_reasoning_effort"] = "unset"
    at.run()
    at.switch_page("playground/chat/page.py").run()
    assert number(at, "Max tokens").value == 64
