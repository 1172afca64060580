"""The chat and completions pages on a server that says what its models are for and can do, as
the local backend does (the fake server serving the local catalog, so no model runs here):
default models, descriptions, capability-based rejections, compare (two local models, and one
model against itself), "retry without tools" and "View code"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from playground.core.catalog import TOOLS_REJECTED
from tests.apptest import open_page, texts
from tests.chat.test_page_controls import TOOLS, chat_requests, last_body
from tests.fake_xai import LOCAL_CATALOG, FakeXai

CHAT, COMPLETIONS = "playground/chat/page.py", "playground/completions/page.py"
QWEN, GEMMA = "qwen2.5-coder-0.5b-instruct", "gemma-3-270m"


@pytest.fixture
def local_fake(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai) -> Iterator[FakeXai]:
    """No xAI configuration; the local backend is given to the app (``LOCAL_BACKEND_URL``) and
    is the fake server listing the local catalog."""
    monkeypatch.setenv("LOCAL_BACKEND_URL", fake_xai.base_url)
    monkeypatch.setenv("LOCAL_API_KEY", fake_xai.api_key)
    fake_xai.set_catalog(LOCAL_CATALOG)
    yield fake_xai


def chat_bodies(fake: FakeXai) -> list[dict[str, Any]]:
    return [r.body for r in fake.requests if r.path == "/v1/chat/completions"]


def test_chat_starts_on_the_chat_model_and_says_what_it_is(local_fake: FakeXai) -> None:
    at = open_page(CHAT)
    picker = at.sidebar.selectbox(key="chat_model")
    assert picker.value == QWEN
    assert [o.split(" ")[0] for o in picker.options] == [QWEN, GEMMA]  # no embedding model
    assert "can be wrong" in str(picker.help)  # its description
    assert any("small offline model" in t and "can be wrong" in t for t in texts(at.caption))
    picker.set_value(GEMMA).run()
    at.chat_input[0].set_value("hi").run()  # the user's choice stays
    assert at.sidebar.selectbox(key="chat_model").value == GEMMA
    assert last_body(local_fake)["model"] == GEMMA


def test_completions_starts_on_the_base_model(local_fake: FakeXai) -> None:
    at = open_page(COMPLETIONS)
    assert at.sidebar.selectbox(key="completions_model").value == GEMMA
    assert any("can be wrong" in t for t in texts(at.caption))


def test_tools_and_reasoning_effort_are_disabled_from_the_capabilities(
    local_fake: FakeXai,
) -> None:
    at = open_page(CHAT)
    side = at.sidebar
    assert at.main.text_area(key="chat_tools").disabled  # the JSON editors are in the main area
    assert side.selectbox(key="chat_tool_choice").disabled
    assert side.selectbox(key="chat_reasoning_effort").disabled
    assert not side.number_input(key="chat_temperature").disabled
    reason = f" — {TOOLS_REJECTED}"
    assert any(f"Tools{reason}" in t.replace("\\", "") for t in texts(at.main.caption))
    assert any(f"Tool choice{reason}" in t.replace("\\", "") for t in texts(side.caption))


def test_the_listed_reasoning_efforts_are_the_only_ones_offered(
    fake_xai: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_BACKEND_URL", fake_xai.base_url)
    monkeypatch.setenv("LOCAL_API_KEY", fake_xai.api_key)
    fake_xai.set_catalog([{"id": "thinker", "capabilities": {"reasoning_effort": ["low", "high"]}}])
    at = open_page(CHAT)
    effort = at.sidebar.selectbox(key="chat_reasoning_effort")
    assert not effort.disabled and effort.options == ["model's own (default)", "low", "high"]


def test_compare_two_local_models_out_of_the_box(local_fake: FakeXai) -> None:
    at = open_page(CHAT)
    at.sidebar.toggle(key="chat_compare").set_value(True).run()
    compared = at.sidebar.multiselect(key="chat_compare_with")
    assert compared.value == [GEMMA]  # the one other local text model, already picked
    assert compared.options == [GEMMA, f"{QWEN} (again, with its own settings)"]
    at.chat_input[0].set_value("hello both").run()
    assert not at.exception
    assert sorted(b["model"] for b in chat_bodies(local_fake)) == [GEMMA, QWEN]
    assert len(at.chat_message) == 3


def test_one_model_against_itself_with_its_own_settings(local_fake: FakeXai) -> None:
    at = open_page(CHAT)
    at.sidebar.number_input(key="chat_temperature").set_value(0.2)
    at.sidebar.toggle(key="chat_compare").set_value(True).run()
    at.sidebar.multiselect(key="chat_compare_with").set_value([QWEN]).run()
    at.sidebar.number_input(key=f"chat_cmp_{QWEN}_temperature").set_value(1.5)
    at.sidebar.number_input(key=f"chat_cmp_{QWEN}_seed").set_value(7)
    at.sidebar.number_input(key=f"chat_cmp_{QWEN}_max_completion_tokens").set_value(32).run()
    at.chat_input[0].set_value("hello twice").run()
    assert not at.exception
    sent = sorted(chat_bodies(local_fake), key=lambda b: b["temperature"])
    assert [b["model"] for b in sent] == [QWEN, QWEN]
    assert "seed" not in sent[0] and "max_completion_tokens" not in sent[0]
    assert (sent[1]["temperature"], sent[1]["seed"], sent[1]["max_completion_tokens"]) == (
        1.5,
        7,
        32,
    )
    own = f"{QWEN} · temperature 1.5, max_completion_tokens 32, seed 7"  # in the table's order
    assert QWEN in texts(at.caption) and own in texts(at.caption)
    assert len(at.chat_message) == 3
    at.button(key=f"chat_compare_pick_{own}").click().run()  # continue with that column
    assert len(at.chat_message) == 2


def test_retry_without_tools_clears_the_tools_and_the_tool_choice(env_fake: FakeXai) -> None:
    at = open_page(CHAT)
    at.main.text_area(key="chat_tools").input(TOOLS).run()
    at.sidebar.selectbox(key="chat_tool_choice").set_value("get_weather").run()
    env_fake.fail_next(
        400,
        {"code": "Client specified an invalid argument", "error": "This model does not make "
         "tool calls (it writes them as text): remove tools"},
        path="/v1/chat/completions",
    )  # fmt: skip
    at.chat_input[0].set_value("weather?").run()
    assert last_body(env_fake)["tools"]  # the refused request had them
    retry = next(b for b in at.button if b.label == "Retry without tools")
    retry.click().run()
    assert not at.exception
    sent = last_body(env_fake)
    assert "tools" not in sent and "tool_choice" not in sent
    assert at.main.text_area(key="chat_tools").value == ""
    assert at.sidebar.selectbox(key="chat_tool_choice").value == "unset"
    assert chat_requests(env_fake) == 2
    assert len(at.chat_message) == 2 and "Olá!" in texts(at.chat_message[1].markdown)


def view_code(at: AppTest) -> str:
    next(b for b in at.button if b.label == "View code").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return "\n".join(c.value for c in at.code)


def test_view_code_on_the_local_backend_reads_its_address_and_key_from_the_environment(
    local_fake: FakeXai,
) -> None:
    at = open_page(CHAT)
    at.chat_input[0].set_value("hi").run()
    code = view_code(at)
    assert local_fake.api_key not in code and local_fake.base_url not in code
    assert 'os.environ["LOCAL_BACKEND_URL"]' in code and '"$LOCAL_BACKEND_URL"' in code
    assert "$LOCAL_API_KEY" in code and "XAI_API_KEY" not in code
    assert "as you did for this app" in code  # the app was given its backend
