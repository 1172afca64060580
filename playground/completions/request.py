"""What a completions run sends (pure, no Streamlit): the record of a new run with its exact
request body, the :class:`~playground.core.streaming.Run` that sends it, and the chat request that
emulates a refused completion.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playground.completions.continuation import ChatContinuation, as_chat_continuation
from playground.completions.run import RunRecord
from playground.core.catalog import ModelInfo
from playground.core.streaming import Run
from xai_core import ChatCompletion, Completion, XaiClient, chat_body, completion_body

__all__ = ["chat_run", "completion_run", "emulated_record", "new_record", "request_body", "streams"]


def streams(params: Mapping[str, Any]) -> bool:
    """Whether the request streams: with ``best_of`` it cannot (one non-streaming request)."""
    return not params.get("best_of")


def request_body(
    model_id: str, prompt: str, suffix: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """The exact JSON body of the completion request (``suffix`` only when given)."""
    request_params = {**params, **({"suffix": suffix} if suffix else {})}
    return completion_body(model_id, prompt, request_params, stream=streams(params))


def new_record(model_id: str, prompt: str, suffix: str, params: dict[str, Any]) -> RunRecord:
    """The record of a completion run about to be sent: what is sent, nothing received yet."""
    body = request_body(model_id, prompt, suffix, params)
    return RunRecord(prompt, suffix, params, "completions", body)


def completion_run(client: XaiClient, model: ModelInfo, record: RunRecord) -> Run[Completion]:
    """The run that sends ``record``'s completion: a stream, or one call with ``best_of``."""
    extra: dict[str, Any] = {"suffix": record.suffix} if record.suffix else {}

    def complete() -> Completion:
        return client.complete(model=model.id, prompt=record.prompt, **extra, **record.params)

    if not streams(record.params):
        return Run(model.id, model.prices, call=complete)
    return Run(
        model.id,
        model.prices,
        open_stream=lambda: client.stream_complete(
            model=model.id, prompt=record.prompt, **extra, **record.params
        ),
    )


def emulated_record(model_id: str, refused: RunRecord) -> tuple[RunRecord, ChatContinuation]:
    """The record of the chat run that emulates the ``refused`` completion, and the chat request
    itself; the record lists the parameters the emulation does not send."""
    chat = as_chat_continuation(refused.prompt, refused.params)
    body = chat_body(model_id, chat.messages, chat.params, stream=True)
    record = RunRecord(refused.prompt, "", refused.params, "chat/completions", body, emulated=True)
    record.dropped = chat.dropped + (["suffix"] if refused.suffix else [])
    return record, chat


def chat_run(client: XaiClient, model: ModelInfo, chat: ChatContinuation) -> Run[ChatCompletion]:
    """The streaming run that sends the emulating chat request."""
    return Run(
        model.id,
        model.prices,
        open_stream=lambda: client.stream_chat(
            model=model.id, messages=chat.messages, **chat.params
        ),
    )
