"""What the generation routes (chat, completions, responses) share: finding the text model, and
refusing a request that cannot fit its context."""

from __future__ import annotations

from typing import Protocol

from local_backend.api.state import Backend
from local_backend.engines.base import TextModel
from local_backend.errors import ApiError
from local_backend.schemas import MAX_CHARS_PER_TOKEN

__all__ = ["SizedRequest", "check_size", "text_model"]


class SizedRequest(Protocol):
    """A generation request that says how long a reply it wants and how much text it holds."""

    def reply_limit(self) -> int | None: ...
    def prompt_chars(self) -> int: ...


async def text_model(backend: Backend, model_id: str) -> TextModel:
    """The loaded text model named ``model_id`` (404 if the registry has none; loaded on the
    worker pool if this is its first request)."""
    entry = backend.registry.text_model(model_id)
    model: TextModel = await backend.run(backend.models.text, entry)
    return model


def check_size(body: SizedRequest, llm: TextModel) -> None:
    """Refuse, with a clear 400, a reply or a prompt that cannot fit the model's context."""
    limit = body.reply_limit()
    if limit is not None and limit > llm.n_ctx:
        raise ApiError(
            400,
            f"max_tokens is {limit:,}, but {llm.model_id}'s context is {llm.n_ctx:,} tokens: "
            f"ask for at most {llm.n_ctx:,}.",
        )
    chars, most = body.prompt_chars(), llm.n_ctx * MAX_CHARS_PER_TOKEN
    if chars > most:
        raise ApiError(
            400,
            f"The prompt is {chars:,} characters, far more than {llm.model_id}'s context of "
            f"{llm.n_ctx:,} tokens holds (at most {most:,} characters are accepted). "
            "Shorten the prompt or the conversation.",
        )
