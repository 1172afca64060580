"""A shared conversation (``?share=<token>``): a read-only copy, and "Fork into my workspace"
that copies it as a new conversation of the viewer's own workspace and opens it (the view and
the fork are the shell's, :mod:`playground.shell.shared`)."""

from __future__ import annotations

from playground.chat.history import show_read_only
from playground.chat.saved import KIND, SavedConversation, from_body, search_text
from playground.chat.stored import CONVERSATION_PARAM
from playground.shell.shared import NOT_FOUND, show_settings
from playground.shell.shared import show_shared as show_shared_item
from playground.store import SafeStore

__all__ = ["NOT_FOUND", "show_shared"]


def show_shared(store: SafeStore, workspace: str) -> bool:
    """When the URL has ``?share=``: draw the shared conversation (or "not found") and return
    True; the page draws nothing else. False when there is no share token."""
    return show_shared_item(
        store,
        workspace,
        KIND,
        read=from_body,
        draw=_draw,
        text=lambda saved: search_text(saved.system_prompt, saved.turns),
        open_param=CONVERSATION_PARAM,
        leave_label="Start a new chat",
    )


def _draw(saved: SavedConversation) -> None:
    """The model, system prompt and parameters it was made with, and its turns, read-only."""
    show_settings(saved.model, [("System prompt", saved.system_prompt)], saved.parameters)
    show_read_only(saved.turns)
