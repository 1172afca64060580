"""The history panel any page shows for its saved items of one kind (Streamlit side).

    history_panel(store, workspace, "conversation", current=item_id, on_open=open_item,
                  on_new=start_new, key="chat_history", new_label="New chat")

draws a "New" button and a "History" expander: a search box (title and text), the workspace's
items of ``kind`` newest first (title and when it was last changed), and, for the ``current``
item, Rename, Duplicate, Delete (asks first) and "Copy link" (a share link to a read-only copy,
shown in a code box so it can be copied). Picking an item in the list calls ``on_open(item_id)``
and Duplicate opens the copy the same way; "New" and deleting the current item call
``on_new()``. Both run as widget callbacks, before the page draws its widgets, so they may set
widget values and ``st.query_params``. Everything is read and written with ``workspace``: no
other workspace's item is listed or touched.

The expander's content is read and drawn only while it is open (Streamlit's lazy expander: its
state is ``st.session_state[f"{key}_open"]``, kept like any widget's, and opening it reruns the
page), so a page run with the History closed, e.g. every chat turn, costs no store read.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from playground.store import ItemSummary, SafeStore, Store

__all__ = ["history_panel", "share_url"]

SHARE_PARAM = "share"


def share_url(token: str) -> str:
    """The address of this page with ``?share=<token>`` (only the query when the browser's
    address is unknown, as in tests)."""
    base = st.context.url or ""
    if base and not urlsplit(base).path:
        base += "/"
    return f"{base}?{SHARE_PARAM}={token}"


def _zone() -> tzinfo:
    try:
        return ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _when(moment: datetime, zone: tzinfo) -> str:
    """``2026-12-02 09:14`` in the browser's time zone (UTC when unknown)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def history_panel(
    store: SafeStore,
    workspace: str,
    kind: str,
    *,
    current: str | None,
    on_open: Callable[[str], None],
    on_new: Callable[[], None],
    key: str,
    new_label: str = "New",
) -> None:
    """Draw the New button and the History expander (see the module's docstring); ``key``
    prefixes every widget key, so two panels never clash."""
    st.button(new_label, key=f"{key}_new", icon=":material/add:", on_click=on_new)
    panel = st.expander("History", icon=":material/history:", key=f"{key}_open", on_change="rerun")
    if not panel.open:  # closed: nothing to read or draw (opening it reruns the page)
        return
    with panel:
        notice = st.session_state.pop(f"{key}_notice", None)
        if notice:
            st.caption(notice)
        search = st.text_input("Search", key=f"{key}_search", placeholder="Title or text")
        nothing: list[ItemSummary] = []
        items = store.read(lambda s: s.list_items(workspace, kind, search), nothing)
        _item_list(items, current, on_open, key, searching=bool(search.strip()))
        if current is None:
            return
        title = next((item.title for item in items if item.id == current), None)
        if title is None:  # filtered out by the search, or not saved yet
            found = store.read(lambda s: s.get_item(workspace, current), None)
            title = found.title if found is not None else None
        if title is not None:
            _item_actions(store, workspace, current, title, on_open, on_new, key)


def _item_list(
    items: list[ItemSummary],
    current: str | None,
    on_open: Callable[[str], None],
    key: str,
    *,
    searching: bool,
) -> None:
    """The items as one choice (fast with many): picking one opens it."""
    if not items:
        st.caption("Nothing matches." if searching else "Nothing saved yet.")
        return
    ids = [item.id for item in items]
    labels = _labels(items, _zone())
    # A fresh widget whenever the list or the open item changes: the browser's choice is then
    # always the open item, never a stale position in an older list.
    shown = hashlib.sha256(repr((current, ids, labels)).encode()).hexdigest()[:12]
    list_key = f"{key}_list_{shown}"
    with st.container(height=min(300, 40 + 32 * len(items))):
        st.radio(
            "Saved",
            ids,
            index=ids.index(current) if current in ids else None,
            key=list_key,
            format_func=labels.__getitem__,
            label_visibility="collapsed",
            on_change=_picked,
            args=(list_key, on_open),
        )


def _labels(items: list[ItemSummary], zone: tzinfo) -> dict[str, str]:
    """Each item's line: title and last change; two equal lines get a piece of their ids (the
    list tells the browser's choice by its line)."""
    lines = {item.id: f"{item.title} · {_when(item.updated_at, zone)}" for item in items}
    counts = Counter(lines.values())
    return {i: f"{line} · {i[:6]}" if counts[line] > 1 else line for i, line in lines.items()}


def _picked(list_key: str, on_open: Callable[[str], None]) -> None:
    """Callback of the list: open the item picked."""
    picked = st.session_state.get(list_key)
    if picked:
        on_open(str(picked))


def _item_actions(
    store: SafeStore,
    workspace: str,
    item_id: str,
    title: str,
    on_open: Callable[[str], None],
    on_new: Callable[[], None],
    key: str,
) -> None:
    """Rename, Duplicate, Delete (with a confirm) and Copy link for the open item."""
    st.divider()
    st.text_input("Title", value=title, key=f"{key}_title_{item_id}")
    item = (store, workspace, item_id)
    _row(
        ("Rename", f"{key}_rename", _rename, (*item, key)),
        ("Duplicate", f"{key}_duplicate", _duplicate, (*item, f"{title} (copy)", on_open, key)),
    )
    _row(
        ("Copy link", f"{key}_share", _share, (*item, key)),
        ("Delete", f"{key}_delete", _ask_delete, (item_id, key)),
    )
    if st.session_state.get(f"{key}_confirm") == item_id:
        st.warning(f"Delete “{title}” for good?", icon=":material/delete:")
        _row(
            ("Delete it", f"{key}_delete_yes", _delete, (*item, on_new, key)),
            ("Cancel", f"{key}_delete_no", _ask_delete, (None, key)),
        )
    link = st.session_state.get(f"{key}_link")
    if link is not None and link[0] == item_id:
        st.code(link[1], language=None)
        st.caption("Anyone with this link can open a read-only copy of it as it is now.")


def _row(*buttons: tuple[str, str, Callable[..., None], tuple[Any, ...]]) -> None:
    """Buttons side by side, each ``(label, key, callback, its args)``."""
    for column, (label, name, callback, args) in zip(
        st.columns(len(buttons)), buttons, strict=True
    ):
        column.button(label, key=name, on_click=callback, args=args, width="stretch")


def _read_owned(store: SafeStore, fn: Callable[[Store], str]) -> str | None:
    """``fn(store)``; None on a fault or when the item is gone (deleted in another tab)."""

    def attempt(opened: Store) -> str | None:
        try:
            return fn(opened)
        except KeyError:
            return None

    return store.read(attempt, None)


def _say(key: str, text: str) -> None:
    st.session_state[f"{key}_notice"] = text


def _rename(store: SafeStore, workspace: str, item_id: str, key: str) -> None:
    """Callback of Rename: the typed title (trimmed) becomes the item's."""
    title = str(st.session_state.get(f"{key}_title_{item_id}", "")).strip()
    if title:
        store.write(f"rename:{item_id}", lambda s: s.rename_item(workspace, item_id, title))
        _say(key, f"Renamed to “{title}”.")


def _duplicate(
    store: SafeStore,
    workspace: str,
    item_id: str,
    title: str,
    on_open: Callable[[str], None],
    key: str,
) -> None:
    """Callback of Duplicate: copy the item and open the copy."""
    copy = _read_owned(store, lambda s: s.duplicate_item(workspace, item_id, title))
    if copy is None:
        _say(key, f"Not duplicated: {store.problem or 'it is no longer saved'}.")
        return
    on_open(copy)
    _say(key, f"Opened the copy “{title}”.")


def _ask_delete(item_id: str | None, key: str) -> None:
    """Callback of Delete (ask first) and of Cancel (``None``: do not)."""
    st.session_state[f"{key}_confirm"] = item_id


def _delete(
    store: SafeStore, workspace: str, item_id: str, on_new: Callable[[], None], key: str
) -> None:
    """Callback of "Delete it": the item, its versions and share links go; a new one starts."""
    st.session_state[f"{key}_confirm"] = None
    store.write(f"delete:{item_id}", lambda s: s.delete_item(workspace, item_id))
    on_new()
    _say(key, "Deleted.")


def _share(store: SafeStore, workspace: str, item_id: str, key: str) -> None:
    """Callback of Copy link: a share link to a snapshot of the item, shown to be copied."""
    token = _read_owned(store, lambda s: s.share_item(workspace, item_id))
    if token is None:
        _say(key, f"No link made: {store.problem or 'it is no longer saved'}.")
        return
    st.session_state[f"{key}_link"] = (item_id, share_url(token))
