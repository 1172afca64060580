"""The completions page against the fake xAI server: parameters, token view, n-way, sweeps,
presets, refusal with the chat fallback."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from playground.core.money import usd
from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai, load_json, sse_event

PAGE = "playground/completions/page.py"
SENT_ALWAYS = {"model", "prompt", "stream", "stream_options"}


def completions_app(prompt: str = "Once upon a time") -> AppTest:
    at = new_app().run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_area(key="completions_prompt").input(prompt).run()
    return at


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def completion_requests(fake: FakeXai) -> list[dict[str, Any]]:
    return [r.body for r in fake.requests if r.path == "/v1/completions"]


def htmls(at: AppTest) -> list[str]:
    return [el.proto.body for el in at.get("html")]


def chunk(index: int, text: str, finish: str | None = None, **extra: Any) -> str:
    choice: dict[str, Any] = {"index": index, "text": text, **extra}
    if finish:
        choice["finish_reason"] = finish
    return sse_event({"id": "c1", "object": "text_completion", "model": "m", "choices": [choice]})


USAGE = sse_event(
    {"id": "c1", "object": "text_completion", "model": "m", "choices": [],
     "usage": {"prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7}}
)  # fmt: skip


def test_a_run_sends_only_the_parameters_that_are_set(env_fake: FakeXai) -> None:
    at = completions_app()
    button(at, "Run").click().run()
    assert not at.exception
    assert set(completion_requests(env_fake)[-1]) == SENT_ALWAYS
    out = " ".join(htmls(at))
    assert "Once upon a time" in out and " the quick brown fox" in out  # continuation view
    assert any("4 in · 4 out" in c and "finish: length" in c for c in texts(at.caption))

    sidebar = at.sidebar
    sidebar.number_input(key="completions_p_temperature").set_value(0.7)
    sidebar.number_input(key="completions_p_max_tokens").set_value(16)
    sidebar.number_input(key="completions_p_seed").set_value(7)
    sidebar.number_input(key="completions_p_presence_penalty").set_value(-0.5)
    sidebar.text_area(key="completions_p_stop").input("END\n\\n\\n")
    sidebar.text_area(key="completions_p_logit_bias").input('{"42": -100}')
    sidebar.selectbox(key="completions_p_echo").set_value("false")
    sidebar.text_input(key="completions_p_user").input("tester")
    at.text_input(key="completions_suffix").input(" The end.")
    at.run()
    button(at, "Run").click().run()
    assert not at.exception
    sent = completion_requests(env_fake)[-1]
    assert {k: v for k, v in sent.items() if k not in SENT_ALWAYS} == {
        "temperature": 0.7,
        "max_tokens": 16,
        "seed": 7,
        "presence_penalty": -0.5,
        "stop": ["END", "\n\n"],
        "logit_bias": {"42": -100.0},
        "echo": False,
        "user": "tester",
        "suffix": " The end.",
    }

    button(at, "Reset to defaults").click().run()
    button(at, "Run").click().run()
    assert set(completion_requests(env_fake)[-1]) == SENT_ALWAYS | {"suffix"}


def test_view_code_shows_the_request_body(env_fake: FakeXai) -> None:
    at = completions_app("Hello")
    at.sidebar.number_input(key="completions_p_max_tokens").set_value(8).run()
    button(at, "View code").click().run()
    assert not at.exception
    code = " ".join(texts(at.code))
    assert "stream_complete" in code and "max_tokens=8" in code and "'Hello'" in code
    assert env_fake.api_key not in code


def test_invalid_logit_bias_is_kept_and_blocks_the_run(env_fake: FakeXai) -> None:
    at = completions_app()
    at.sidebar.text_area(key="completions_p_logit_bias").input('{"42": oops}').run()
    assert not at.exception
    assert any("logit_bias is not valid JSON" in e for e in texts(at.sidebar.error))
    assert button(at, "Run").disabled
    assert at.sidebar.text_area(key="completions_p_logit_bias").value == '{"42": oops}'
    assert completion_requests(env_fake) == []


def test_logprobs_render_the_token_view(env_fake: FakeXai) -> None:
    lp = [
        {
            "tokens": [" <b>fox"],
            "token_logprobs": [-0.1],
            "top_logprobs": [{" <b>fox": -0.1, " dog": -2.5}],
            "text_offset": [5],
        },
        {
            "tokens": [" ran"],
            "token_logprobs": [-2.0],
            "top_logprobs": [{" sat": -0.5, " ran": -2.0}],
            "text_offset": [12],
        },
    ]
    env_fake.set_stream_script(
        [
            chunk(0, " <b>fox", logprobs=lp[0]),
            chunk(0, " ran", "length", logprobs=lp[1]),
            USAGE,
            "data: [DONE]\n\n",
        ]
    )
    at = completions_app("A quick")
    at.sidebar.number_input(key="completions_p_logprobs").set_value(2)
    at.run()
    button(at, "Run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert completion_requests(env_fake)[-1]["logprobs"] == 2
    view = next(h for h in htmls(at) if "token-view" in h)
    assert view.count('class="token"') == 2
    assert "&lt;b&gt;fox" in view and "<b>fox" not in view  # escaped, never HTML
    assert "sat" in view  # the alternative shows in the tooltip
    summary = next(c for c in texts(at.caption) if "mean log-probability" in c)
    assert "2 tokens" in summary and "mean log-probability -1.050" in summary
    table = at.dataframe[0].value
    assert list(table["token"]) == ["' <b>fox'", "' ran'"]

    # Selecting a row shows that token's alternatives, most likely first.
    at.session_state["completions_tokens"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert not at.exception
    assert "**Alternatives for token #1** `' ran'`" in texts(at.markdown)
    alternatives = at.dataframe[1].value
    assert list(alternatives["token"]) == ["' sat'", "' ran'"]
    assert alternatives["probability"][0] == pytest.approx(math.exp(-0.5))


def test_n_completions_show_side_by_side(env_fake: FakeXai) -> None:
    env_fake.set_stream_script(
        [
            chunk(0, " red"),
            chunk(1, " blue"),
            chunk(1, " sky", "stop"),
            chunk(0, " car", "length"),
            USAGE,
            "data: [DONE]\n\n",
        ]
    )
    at = completions_app("Colour:")
    at.sidebar.number_input(key="completions_p_n").set_value(2).run()
    button(at, "Run").click().run()
    assert not at.exception
    assert completion_requests(env_fake)[-1]["n"] == 2
    assert [m for m in texts(at.markdown) if m.startswith("**Choice")] == [
        "**Choice 0**",
        "**Choice 1**",
    ]
    captions = [c for c in texts(at.caption) if c.startswith("finish:")]
    assert captions == [
        "finish: length · ≈2 tokens (streamed pieces)",
        "finish: stop · ≈2 tokens (streamed pieces)",
    ]
    out = " ".join(htmls(at))
    assert " red car" in out and " blue sky" in out


def test_a_sweep_renders_one_cell_per_request(env_fake: FakeXai) -> None:
    at = completions_app()
    at.sidebar.number_input(key="completions_p_n").set_value(3)  # not used by sweeps
    at.text_input(key="completions_sweep_values").input("0, 0.5, 1.0")
    at.number_input(key="completions_sweep_samples").set_value(2)
    at.run()
    button(at, "Run sweep").click().run()
    assert not at.exception, [e.value for e in at.exception]
    sent = completion_requests(env_fake)
    assert sorted(body["temperature"] for body in sent) == [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    assert all("n" not in body and "stream" not in body for body in sent)
    cells = [c for c in texts(at.caption) if c.startswith("temperature = ")]
    assert len(cells) == 6 and "temperature = 0.5 · sample 2" in cells
    lines = [c for c in texts(at.caption) if c.startswith("4 tokens")]
    assert len(lines) == 6 and all(" s · $" in line for line in lines)

    at.toggle(key="completions_diff").set_value(True).run()
    assert sum('class="differences"' in h for h in htmls(at)) == 5  # all but the reference


def test_a_sweep_shows_its_estimate_before_and_its_total_after(env_fake: FakeXai) -> None:
    at = completions_app()
    at.sidebar.number_input(key="completions_p_max_tokens").set_value(4)
    at.text_input(key="completions_sweep_values").input("0, 1.0").run()
    estimate = [c for c in texts(at.caption) if c.startswith("Estimate: ")]
    assert len(estimate) == 1 and "2 requests" in estimate[0], texts(at.caption)
    assert "up to 8 output tokens" in estimate[0] and "at most $" in estimate[0]
    assert completion_requests(env_fake) == []  # nothing sent for the estimate
    button(at, "Run sweep").click().run()
    total = [c for c in texts(at.caption) if c.startswith("Total: ")]
    billed = 2 * load_json("completion.json")["usage"]["cost_in_usd_ticks"] / 1e10
    assert total == [f"Total: 2 requests · 8 tokens out · {usd(billed)} billed"]


def test_a_refused_sweep_shows_one_refusal_and_one_offer_for_the_grid(env_fake: FakeXai) -> None:
    refusal = {
        "code": "bad",
        "error": "This model does not support the legacy completions endpoint.",
    }
    env_fake.fail_next(400, refusal, path="/v1/completions", times=None)
    at = completions_app()
    at.text_input(key="completions_sweep_values").input("0, 0.5, 1.0").run()
    button(at, "Run sweep").click().run()
    assert not at.exception
    assert len(completion_requests(env_fake)) == 1  # not the same 400 three times
    errors = [e for e in texts(at.error) if refusal["error"] in e]
    assert len(errors) == 1 and "not billed" in errors[0]
    assert not [c for c in texts(at.caption) if c.startswith("temperature = ")]
    button(at, "Run the sweep as chat (emulated)").click().run()
    assert not at.exception, [e.value for e in at.exception]
    chats = [r.body for r in env_fake.requests if r.path == "/v1/chat/completions"]
    assert sorted(body["temperature"] for body in chats) == [0.0, 0.5, 1.0]
    assert len([c for c in texts(at.caption) if c.startswith("temperature = ")]) == 3
    assert any("Emulated with chat" in c for c in texts(at.caption))
    assert any(c.startswith("Total: 3 requests") for c in texts(at.caption))


def test_bad_sweep_values_get_a_message(env_fake: FakeXai) -> None:
    at = completions_app()
    at.text_input(key="completions_sweep_values").input("0, hot").run()
    button(at, "Run sweep").click().run()
    assert not at.exception
    assert "'hot' is not a number" in texts(at.error)
    assert completion_requests(env_fake) == []


def test_refusal_offers_an_emulated_chat_run(env_fake: FakeXai) -> None:
    refusal = {
        "code": "Client specified an invalid argument",
        "error": "This model does not support the legacy completions endpoint.",
    }
    env_fake.fail_next(400, refusal, path="/v1/completions")
    at = completions_app("The sea is")
    at.sidebar.number_input(key="completions_p_max_tokens").set_value(9)
    at.sidebar.text_area(key="completions_p_stop").input("END")
    at.run()
    button(at, "Run").click().run()
    assert not at.exception
    assert any(refusal["error"] in e for e in texts(at.error))
    button(at, "Run as chat (emulated)").click().run()
    assert not at.exception, [e.value for e in at.exception]
    chat = [r.body for r in env_fake.requests if r.path == "/v1/chat/completions"][-1]
    assert chat["messages"][-1] == {"role": "user", "content": "The sea is"}
    assert chat["max_completion_tokens"] == 9 and "stop" not in chat
    note = " ".join(texts(at.info))
    assert "Emulated with chat" in note and "not sent: stop" in note
    assert any("Olá!" in h for h in htmls(at))
    assert "Run as chat (emulated)" not in [b.label for b in at.button]


def test_a_failed_stream_keeps_the_partial_text(env_fake: FakeXai) -> None:
    env_fake.set_stream_script([chunk(0, " partial"), chunk(0, " words")], cut_after=2)
    at = completions_app()
    button(at, "Run").click().run()
    assert not at.exception
    assert at.error  # the cut is reported...
    assert any(" partial words" in h for h in htmls(at))  # ...and what came is kept


def test_presets_save_load_import_export(env_fake: FakeXai) -> None:
    at = completions_app()
    at.sidebar.number_input(key="completions_p_temperature").set_value(1.1)
    at.sidebar.text_area(key="completions_p_stop").input("###")
    at.sidebar.text_input(key="completions_preset_name").input("Mine")
    at.run()
    button(at, "Save preset").click().run()
    assert "Saved 'Mine' (2 parameters set)." in texts(at.sidebar.success)
    button(at, "Reset to defaults").click().run()
    assert at.sidebar.number_input(key="completions_p_temperature").value is None
    at.sidebar.selectbox(key="completions_preset_choice").set_value("Mine").run()
    button(at, "Load preset").click().run()
    assert at.sidebar.number_input(key="completions_p_temperature").value == 1.1
    assert at.sidebar.text_area(key="completions_p_stop").value == "###"

    pasted = json.dumps({"presets": {"Cold": {"temperature": 0.1, "logprobs": 3}}})
    at.sidebar.text_area(key="completions_preset_paste").input(pasted).run()
    button(at, "Import pasted JSON").click().run()
    assert "Imported 1 preset(s): Cold." in texts(at.sidebar.success)
    assert "Cold" in at.sidebar.selectbox(key="completions_preset_choice").options

    at.sidebar.text_area(key="completions_preset_paste").input('{"x": {"temperature": 9}}').run()
    button(at, "Import pasted JSON").click().run()
    assert any("Nothing imported" in e and "at most 2" in e for e in texts(at.sidebar.error))
    assert at.sidebar.number_input(key="completions_p_temperature").value == 1.1  # untouched

    at.sidebar.selectbox(key="completions_preset_choice").set_value("Cold").run()
    button(at, "Load preset").click().run()
    button(at, "Run").click().run()
    sent = completion_requests(env_fake)[-1]
    assert sent["temperature"] == 0.1 and sent["logprobs"] == 3 and "stop" not in sent


@pytest.mark.parametrize(
    ("name", "widget", "typed", "sent"),
    [
        ("temperature", "number_input", 1.25, 1.25),
        ("top_p", "number_input", 0.9, 0.9),
        ("max_tokens", "number_input", 12, 12),
        ("frequency_penalty", "number_input", 0.4, 0.4),
        ("presence_penalty", "number_input", -1.0, -1.0),
        ("n", "number_input", 2, 2),
        ("best_of", "number_input", 3, 3),
        ("seed", "number_input", 123, 123),
        ("logprobs", "number_input", 0, 0),
        ("stop", "text_area", "###", ["###"]),
        ("echo", "selectbox", "true", True),
        ("logit_bias", "text_area", '{"7": 2}', {"7": 2.0}),
        ("user", "text_input", "u-1", "u-1"),
    ],
)
def test_each_parameter_is_sent_alone_when_set(
    env_fake: FakeXai, name: str, widget: str, typed: Any, sent: Any
) -> None:
    at = completions_app()
    element = getattr(at.sidebar, widget)(key=f"completions_p_{name}")
    (element.set_value(typed) if widget != "text_area" else element.input(typed)).run()
    button(at, "Run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    body = completion_requests(env_fake)[-1]
    streamed = SENT_ALWAYS if name != "best_of" else {"model", "prompt"}  # best_of cannot stream
    assert {k: v for k, v in body.items() if k not in streamed} == {name: sent}
    assert streamed <= set(body)
