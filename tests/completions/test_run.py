"""A completions run as the page keeps it: filled from the runner's result, echo and token
prefixes, labels."""

from __future__ import annotations

from playground.completions.run import (
    Choice,
    RunRecord,
    SweepRecord,
    choices_of,
    fill_record,
    sweep_cell_line,
)
from playground.completions.sweep import SweepCell, SweepResult
from playground.core.streaming import Run
from xai_core import (
    APIConnectionError,
    ChatCompletion,
    Completion,
    CompletionLogprobs,
    NotFoundError,
    XaiError,
)


def record(prompt: str = "The sea", **params: object) -> RunRecord:
    return RunRecord(prompt, "", dict(params), "completions", {})


def test_completion_choices_keep_text_finish_reasons_and_streamed_pieces() -> None:
    result = Completion.model_validate(
        {
            "choices": [
                {"index": 0, "text": " is blue", "finish_reason": "stop"},
                {"index": 1, "text": " was", "finish_reason": "length"},
            ]
        }
    )
    choices = choices_of(result, {0: 2, 1: 1})
    first, second = choices[0], choices[1]
    assert (first.text, first.finish_reason, first.pieces) == (" is blue", "stop", 2)
    assert (second.text, second.finish_reason, second.pieces) == (" was", "length", 1)


def test_an_emulated_run_keeps_content_and_the_first_choice_reasoning() -> None:
    reply = ChatCompletion.model_validate(
        {"choices": [{"index": 0, "message": {"content": " is deep", "reasoning_content": "hmm"}}]}
    )
    run = Run("m", call=lambda: reply)
    run.go()
    run.pieces = {0: 2}
    emulated = RunRecord("The sea", "", {}, "chat/completions", {}, emulated=True)
    fill_record(emulated, run)
    assert emulated.reasoning == "hmm"
    assert emulated.choices[0].text == " is deep" and emulated.choices[0].pieces == 2
    assert emulated.stats is not None and emulated.elapsed_s is not None


def failed(error: XaiError) -> RunRecord:
    def call() -> Completion:
        raise error

    run = Run("m", call=call)
    run.go()
    filled = record()
    fill_record(filled, run)
    return filled


def test_a_refusal_is_told_apart_from_other_failures() -> None:
    refused = failed(NotFoundError("No completions here.", status_code=404))
    assert refused.refused and refused.error == "No completions here." and refused.stats is None
    dropped = failed(APIConnectionError("The connection dropped."))
    assert not dropped.refused and dropped.error == "The connection dropped."


def test_echo_is_not_shown_twice() -> None:
    choice = Choice(text="The sea is blue")
    assert record(echo=True).shown_output(choice) == ("", "The sea is blue")
    assert record().shown_output(Choice(text=" is blue")) == ("The sea", " is blue")
    # echo asked for but the server did not echo: the prompt is still shown
    assert record(echo=True).shown_output(Choice(text=" is")) == ("The sea", " is")


def test_the_token_view_shows_the_prompt_unless_the_tokens_include_it() -> None:
    generated = CompletionLogprobs(tokens=[" is", " blue"], token_logprobs=[-1.0, -1.0])
    echoed = CompletionLogprobs(tokens=["The", " sea", " is"], token_logprobs=[None, -2.0, -1.0])
    assert record().token_prefix(generated) == "The sea"
    assert record(echo=True).token_prefix(generated) == "The sea"
    assert record(echo=True).token_prefix(echoed) == ""


def test_token_counts_prefer_logprobs_then_streamed_pieces() -> None:
    logprobs = CompletionLogprobs(tokens=["a", "b", "c"], token_logprobs=[-1.0, -1.0, -1.0])
    assert Choice(pieces=2, logprobs=logprobs).token_count() == "3 tokens"
    assert Choice(pieces=2).token_count() == "≈2 tokens (streamed pieces)"
    assert Choice().token_count() == "tokens unknown"


def test_sweep_cell_line() -> None:
    cell = SweepCell(0.5, 1, {"temperature": 0.5})
    done = SweepResult(cell, "x", "length", 12, 1.234, 0.0000125)
    assert sweep_cell_line(done) == "12 tokens · 1.23 s · ≈ $0.0000125 estimated · finish: length"
    assert sweep_cell_line(SweepResult(cell)) == "? tokens · cost unknown · finish: none"


def test_a_sweep_counts_reasoning_in_its_tokens_out_and_tells_billed_from_refused() -> None:
    cell = SweepCell(0.5, 1, {"temperature": 0.5})
    thought = SweepResult(
        cell, "Olá!", "stop", 2, 0.1, 0.0000731, billed=True, reasoning_tokens=198
    )
    assert sweep_cell_line(thought).startswith(
        "2 tokens + 198 reasoning · 0.10 s · $0.0000731 billed"
    )
    refused = SweepResult(cell, error="nope", refused=True, error_status=429)
    assert sweep_cell_line(refused) == "? tokens · not billed · finish: none"
    sweep = SweepRecord("Hi", "temperature", [thought, thought, refused])
    assert sweep.total_text() == (
        "3 requests · 400 tokens out (396 reasoning) · $0.000146 billed (1 refused, not billed)"
    )
