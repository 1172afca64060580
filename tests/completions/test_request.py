"""What a completions run sends: the body (suffix, streaming), the run and its chat emulation."""

from __future__ import annotations

from typing import Any, cast

from playground.completions.continuation import CONTINUATION_INSTRUCTION
from playground.completions.request import (
    chat_run,
    completion_run,
    emulated_record,
    new_record,
    request_body,
    streams,
)
from playground.core.catalog import ModelInfo
from xai_core import XaiClient

MODEL = ModelInfo("grok-test")


class RecordingClient:
    """Stands in for :class:`XaiClient`: records which method was called with what."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _record(self, name: str, kwargs: dict[str, Any]) -> str:
        self.calls.append((name, kwargs))
        return name

    def complete(self, **kwargs: Any) -> str:
        return self._record("complete", kwargs)

    def stream_complete(self, **kwargs: Any) -> str:
        return self._record("stream_complete", kwargs)

    def stream_chat(self, **kwargs: Any) -> str:
        return self._record("stream_chat", kwargs)


def client(recording: RecordingClient) -> XaiClient:
    return cast(XaiClient, recording)


def test_best_of_does_not_stream() -> None:
    assert streams({"temperature": 0.5})
    assert not streams({"best_of": 2})
    assert streams({"best_of": None})


def test_the_body_carries_the_suffix_only_when_given_and_says_whether_it_streams() -> None:
    body = request_body("grok-test", "Once", " The end.", {"max_tokens": 8})
    assert body["suffix"] == " The end."
    assert body["stream"] is True
    assert body["max_tokens"] == 8
    plain = request_body("grok-test", "Once", "", {"best_of": 2})
    assert "suffix" not in plain
    assert not plain.get("stream")


def test_a_new_record_holds_what_is_sent_and_nothing_received() -> None:
    record = new_record("grok-test", "Once", " end", {"seed": 7})
    assert (record.prompt, record.suffix, record.params) == ("Once", " end", {"seed": 7})
    assert record.endpoint == "completions"
    assert record.body == request_body("grok-test", "Once", " end", {"seed": 7})
    assert not record.choices and not record.emulated


def test_a_completion_run_streams_with_the_suffix_and_every_parameter() -> None:
    recording = RecordingClient()
    run = completion_run(
        client(recording), MODEL, new_record("grok-test", "Once", " end", {"n": 2})
    )
    assert run.call is None and run.open_stream is not None
    assert run.model == "grok-test"
    run.open_stream()
    assert recording.calls == [
        ("stream_complete", {"model": "grok-test", "prompt": "Once", "suffix": " end", "n": 2})
    ]


def test_a_best_of_run_is_one_call() -> None:
    recording = RecordingClient()
    run = completion_run(
        client(recording), MODEL, new_record("grok-test", "Once", "", {"best_of": 3})
    )
    assert run.open_stream is None and run.call is not None
    run.call()
    assert recording.calls == [("complete", {"model": "grok-test", "prompt": "Once", "best_of": 3})]


def test_the_emulation_is_a_streaming_chat_request_that_lists_what_it_does_not_send() -> None:
    refused = new_record("grok-test", "The sea", " end", {"max_tokens": 9, "best_of": 2})
    record, chat = emulated_record("grok-test", refused)
    assert record.emulated and record.endpoint == "chat/completions"
    assert (record.prompt, record.suffix, record.params) == ("The sea", "", refused.params)
    assert record.dropped == ["best_of", "suffix"]
    assert record.body["stream"] is True
    assert record.body["messages"] == chat.messages
    assert chat.messages[0]["content"] == CONTINUATION_INSTRUCTION
    assert chat.params == {"max_completion_tokens": 9}

    recording = RecordingClient()
    run = chat_run(client(recording), MODEL, chat)
    assert run.open_stream is not None
    run.open_stream()
    assert recording.calls == [
        (
            "stream_chat",
            {"model": "grok-test", "messages": chat.messages, "max_completion_tokens": 9},
        )
    ]
