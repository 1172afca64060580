"""A completions run as the page keeps it: chunks added up, echo and token prefixes, labels."""

from __future__ import annotations

from playground.completions.run import (
    Choice,
    RunRecord,
    add_chat_chunk,
    add_completion_chunk,
    sweep_cell_line,
)
from playground.completions.sweep import SweepCell, SweepResult
from xai_core import ChatCompletionChunk, CompletionChunk, CompletionLogprobs


def record(prompt: str = "The sea", **params: object) -> RunRecord:
    return RunRecord(prompt, "", dict(params), "completions", {})


def completion_chunk(*choices: dict[str, object]) -> CompletionChunk:
    return CompletionChunk.model_validate({"choices": list(choices)})


def test_completion_chunks_add_up_per_choice_with_finish_reasons() -> None:
    run = record()
    add_completion_chunk(run, completion_chunk({"index": 0, "text": " is"}))
    add_completion_chunk(run, completion_chunk({"index": 1, "text": " was"}))
    add_completion_chunk(
        run, completion_chunk({"index": 0, "text": " blue", "finish_reason": "stop"})
    )
    add_completion_chunk(run, completion_chunk({"index": 1, "text": "", "finish_reason": "length"}))
    first, second = run.ordered_choices()
    assert (first.text, first.finish_reason, first.pieces) == (" is blue", "stop", 2)
    assert (second.text, second.finish_reason, second.pieces) == (" was", "length", 1)


def test_chat_chunks_keep_content_and_the_first_choice_reasoning() -> None:
    run = record()
    for delta in ({"reasoning_content": "hmm"}, {"content": " is"}, {"content": " deep"}):
        chunk = ChatCompletionChunk.model_validate({"choices": [{"index": 0, "delta": delta}]})
        add_chat_chunk(run, chunk)
    assert run.reasoning == "hmm"
    assert run.choices[0].text == " is deep" and run.choices[0].pieces == 2


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
    assert sweep_cell_line(done) == "12 tokens · 1.23 s · $0.000013 · finish: length"
    assert sweep_cell_line(SweepResult(cell)) == "? tokens · cost unknown · finish: none"
