"""How a shared conversation (``?share=<token>``) shows: its settings and turns, read-only;
"Fork into my workspace" copies it as a new conversation of the viewer's own workspace and opens
it (the view and the fork are the shell's, :mod:`playground.shell.shared`)."""

from __future__ import annotations

from playground.chat.history import show_read_only
from playground.chat.saved import KIND, SavedConversation, from_body, search_text
from playground.chat.stored import CONVERSATION_PARAM
from playground.shell.shared import NOT_FOUND, ShareView, show_settings

__all__ = ["NOT_FOUND", "SHARED_CONVERSATION"]


def _draw(saved: SavedConversation) -> None:
    """The model, system prompt and parameters it was made with, and its turns, read-only."""
    show_settings(saved.model, [("System prompt", saved.system_prompt)], saved.parameters)
    show_read_only(saved.turns)


SHARED_CONVERSATION = ShareView(
    KIND,
    read=from_body,
    draw=_draw,
    text=lambda saved: search_text(saved.system_prompt, saved.turns),
    open_param=CONVERSATION_PARAM,
    leave_label="Start a new chat",
)
