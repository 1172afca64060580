"""What the chat and completions routes share: finding the text model, and refusing a request
that cannot fit its context."""

from __future__ import annotations

from local_backend.api.state import Backend
from local_backend.engines.base import TextModel
from local_backend.errors import ApiError
from local_backend.schemas import MAX_CHARS_PER_TOKEN, ChatRequest, CompletionRequest

__all__ = ["check_size", "text_model"]


async def text_model(backend: Backend, model_id: str) -> TextModel:
    """The loaded text model named ``model_id`` (404 if the registry has none; loaded on the
    worker pool if this is its first request)."""
    entry = backend.registry.text_model(model_id)
    model: TextModel = await backend.run(backend.models.text, entry)
    return model


def check_size(body: ChatRequest | CompletionRequest, llm: TextModel) -> None:
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
