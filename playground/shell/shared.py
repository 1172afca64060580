"""The read-only view of a shared item (``?share=<token>``), one for every page (Streamlit side).

    SHARED = ShareView("prompt", read=..., draw=..., text=..., open_param="p",
                       leave_label="Start a new prompt")
    show_shared(store, workspace, SHARED)  # at the top of the page

when the URL has ``?share=<token>``, draws the snapshot the token names and stops the page: its
title, a "read-only copy" note, "Fork into my workspace" (a new item of the viewer's workspace
with the snapshot's title and body; the URL then names it with ``open_param``) and what ``draw``
shows of it. A token that does not exist (or
was deleted), or names another kind of item, or a body ``read`` refuses, gets one plain sentence
and nothing else: no title, no hint of any other item.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import streamlit as st

from playground.core.text import plain
from playground.shell.history import SHARE_PARAM
from playground.store import SafeStore, Shared, new_item_id

__all__ = ["NOT_FOUND", "ShareView", "show_settings", "show_shared"]

NOT_FOUND = "This shared link was not found."
T = TypeVar("T")


@dataclass(frozen=True)
class ShareView(Generic[T]):
    """How a page shows its shared items of ``kind``: ``read`` turns a snapshot's body into what
    ``draw`` shows (ValueError: not found); ``text`` is what a search of a fork looks in besides
    its title; ``open_param`` names a fork in the URL; ``leave_label`` is the button that drops
    an unknown link."""

    kind: str
    read: Callable[[dict[str, Any]], T]
    draw: Callable[[T], None]
    text: Callable[[T], str]
    open_param: str
    leave_label: str


def show_shared(store: SafeStore, workspace: str, view: ShareView[T]) -> None:
    """When the URL has ``?share=``: draw the shared copy (or "not found") and stop the page
    (``st.stop``); nothing when there is no share token."""
    token = st.query_params.get(SHARE_PARAM)
    if not token:
        return
    shared = store.read(lambda s: s.open_shared(token), None)
    item = _read(shared, view.kind, view.read)
    if shared is None or item is None:
        if store.problem:
            st.warning(f"The shared link could not be opened now: {store.problem}")
        else:
            st.info(NOT_FOUND, icon=":material/link_off:")
        st.button(view.leave_label, on_click=_leave, icon=":material/add:")
        st.stop()
    st.subheader(plain(shared.title), anchor=False)
    st.caption(
        ":material/visibility: A shared read-only copy, as it was when the link was made. "
        "Fork it to continue it in your own workspace."
    )
    st.button(
        "Fork into my workspace",
        type="primary",
        icon=":material/call_split:",
        on_click=_fork,
        args=(store, workspace, shared, view.text(item), view.open_param),
    )
    view.draw(item)
    st.stop()


def _read(shared: Shared | None, kind: str, read: Callable[[dict[str, Any]], T]) -> T | None:
    """The shared item as ``read`` gives it, or None when it is missing or not of ``kind``."""
    if shared is None or shared.kind != kind:
        return None
    try:
        return read(shared.body)
    except ValueError:
        return None


def show_settings(
    model: str | None, texts: Sequence[tuple[str, str]], parameters: Mapping[str, Any]
) -> None:
    """What a shared item was made with, read-only: the model, each non-empty ``(label, text)``
    as plain text, and the parameters as JSON."""
    st.caption(f"Model: {model or 'unknown'}")
    for label, value in texts:
        if value.strip():
            st.caption(label)
            st.code(value, language=None, wrap_lines=True)
    if parameters:
        st.caption("Parameters")
        st.code(json.dumps(parameters, indent=2, ensure_ascii=False), language="json")


def _leave() -> None:
    """Callback: drop the share token from the URL (the page shows a new item)."""
    del st.query_params[SHARE_PARAM]


def _fork(store: SafeStore, workspace: str, shared: Shared, text: str, open_param: str) -> None:
    """Callback of Fork: a new item of this workspace with the shared title and body; open it."""
    item_id = new_item_id()
    store.write(
        f"{shared.kind}:{item_id}",
        lambda s: s.put_item(
            workspace, item_id, shared.kind, title=shared.title, body=shared.body, text=text
        ),
    )
    del st.query_params[SHARE_PARAM]
    st.query_params[open_param] = item_id
