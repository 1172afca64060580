"""The one mechanism that keeps every value widget's value: across page switches, tabs and
sections a page stops drawing, reloads and restarts. ``app.py`` wraps each run in
:class:`WidgetKeeper`; no page or widget does anything.

Why: with ``st.navigation`` a widget that is not drawn in a run loses its ``st.session_state``
entry, so a visit to another page emptied every field. The keeper copies the value of every
keyed value widget drawn in a run into ``st.session_state["_kept_widgets"]`` (a key no widget
owns), grouped by scope: ``"app"`` for what the router draws before the page (the sidebar), else
the page's name. At the start of each run, before anything is drawn, it gives the sidebar's and
this page's kept values back to the widgets that lost them. A value is forgotten only when the
app deletes its key (``del``/``pop`` in a callback or a run); a value the app sets wins (also
for a widget of another page, e.g. "Open in Chat" choosing the Chat page's model).

A new session (reload, restart) starts from the workspace's stored values
(``load_draft(workspace, "widgets")``); at the end of a run the storable values are saved
(``save_draft``) when their digest changed, merged per scope with what other tabs of the same
workspace stored (a tab rewrites only the scopes it changed).

Telling value widgets apart: Streamlit has no public API listing the widgets drawn in a run or
their kinds, so :func:`drawn_widgets` (the only place touching Streamlit internals, pinned by
tests/shell/test_keep_internals.py) reads the widget ids registered this run and each widget's
``value_type``, the wire type of its state. Kept are widgets whose type is a plain value
(:data:`VALUE_TYPES`: checkbox, toggle, radio, selectbox, multiselect, slider, select slider,
number, text, segmented control, pills, colour, feedback, a keyed ``st.tabs``); never triggers
(buttons, download buttons, form submit, chat input), uploads (file, camera, audio) or JSON
states. A value that is a mapping (data editor edits, dataframe and chart selections, which
Streamlit refuses to be set) is never kept, nor the API key field (``api_key``),
``_typed_api_key``, a private key (``_…``) or one item's widget (a key ending in ``_<number>``:
a turn's edit box, an attachment slot). The store gets only JSON values, and the custom base URL
without ``user:password@``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.session_state_proxy import get_session_state

from playground.core.kept_values import (
    NEVER_KEPT,
    SCOPE_APP,
    Scopes,
    digest,
    from_document,
    merge_scopes,
    storable_scopes,
    to_document,
)
from playground.store import SafeStore, Store

__all__ = [
    "DRAFT_NAME",
    "VALUE_TYPES",
    "WidgetKeeper",
    "drawn_widgets",
    "is_value_widget",
    "kept_value",
]

#: The name of the kept values in the workspace's drafts.
DRAFT_NAME = "widgets"
#: Wire types of widgets whose value may be set through ``st.session_state``.
VALUE_TYPES = frozenset(
    {
        "bool_value",
        "int_value",
        "double_value",
        "double_array_value",
        "int_array_value",
        "string_value",
        "string_array_value",
    }
)
_KEPT = "_kept_widgets"  # Scopes: the latest value of each kept widget, by scope
_DRAWN = "_kept_drawn"  # the kept widgets drawn in the previous run
_SAVED = "_kept_saved"  # {scope: digest} of what is in the store
_LOADED = "_kept_loaded"  # True once the stored values were read
_NOT_READ = object()
#: Keys of widgets that are never kept: private ones (``_…``) and one item's widgets
#: (``…_<number>``: a turn's edit box or pick, an attachment slot; ``…_<item id>``: a saved
#: item's title field in the history panel), whose value belongs to an item that may be gone or
#: replaced when the widget is drawn again.
_TRANSIENT = re.compile(r"^_|_\d+$|_[0-9a-f]{32}$")


def kept_value(key: str) -> Any:
    """The value of another page's widget ``key`` (e.g. the Chat page's model, read on the
    Embeddings page): its live value when drawn, else the value kept for it; ``None`` if none.
    Streamlit drops a widget's ``st.session_state`` entry on pages that do not draw it."""
    state = st.session_state
    if key in state:
        return state[key]
    for values in state.get(_KEPT, {}).values():
        if key in values:
            return values[key]
    return None


def drawn_widgets() -> tuple[dict[str, str], Any]:
    """``{key: value type}`` of every keyed widget drawn so far in this run, and the session
    state without the script runner's checks (after ``st.stop()`` every ``st.session_state``
    access raises again, and the keeper still has to record the run).

    Streamlit internals (1.67): the run context's ``shared.widget_ids_this_run``, the
    ``SessionState`` behind ``st.session_state`` (also its ``is_new_state_value(key)``: set
    through ``st.session_state`` since the run began), its key-to-id mapping and each widget's
    ``WidgetMetadata.value_type``.
    """
    ctx = get_script_run_ctx()
    state = get_session_state()._state
    if ctx is None:
        return {}, state
    keys = state._key_id_mapper.id_key_mapping
    drawn: dict[str, str] = {}
    for widget_id in ctx.shared.widget_ids_this_run.snapshot():
        key = keys.get(widget_id)
        metadata = state.get_widget_metadata(widget_id)
        if key is not None and metadata is not None:
            drawn[key] = str(metadata.value_type)
    return drawn, state


def is_value_widget(key: str, value_type: str, value: Any) -> bool:
    """Whether the widget ``key`` holding ``value`` is kept (see the module docstring)."""
    return (
        key not in NEVER_KEPT
        and not _TRANSIENT.search(key)
        and value_type in VALUE_TYPES
        and not isinstance(value, Mapping)
    )


class WidgetKeeper:
    """Wraps one run of the app: gives kept values back on entry, records and saves on exit.

    ``with WidgetKeeper(page, store, workspace) as keeper:`` draw the sidebar, call
    ``keeper.page_starts()``, run the page. ``url_keys`` name the widgets holding a base URL.
    """

    def __init__(
        self, page: str, store: SafeStore, workspace: str, url_keys: Iterable[str] = ()
    ) -> None:
        """Nothing happens before the ``with`` block starts."""
        self.page = page
        self.store = store
        self.workspace = workspace
        self.url_keys = frozenset(url_keys)
        self.restored: set[str] = set()
        self._app_keys: frozenset[str] | None = None

    def __enter__(self) -> WidgetKeeper:
        """Before anything is drawn: give the sidebar's and this page's kept values back to the
        widgets the last run did not draw, and forget those a callback deleted."""
        state = st.session_state
        kept: Scopes = state.setdefault(_KEPT, {})
        if not state.get(_LOADED):
            self._load(kept)
        drawn_last_run: frozenset[str] = state.get(_DRAWN, frozenset())
        raw = drawn_widgets()[1]
        for scope in (SCOPE_APP, self.page):
            values = kept.get(scope, {})
            for key in list(values):
                if raw.is_new_state_value(key):
                    values[key] = state[key]  # set by a callback: the app's value wins
                elif key not in drawn_last_run:
                    # Given back even when st.session_state still answers for it: a widget that
                    # is gone falls back to an older value set under its key before it was drawn.
                    state[key] = values[key]
                    self.restored.add(key)
                elif key not in state:
                    del values[key]  # drawn, then deleted by a callback: the app let it go
        return self

    def _load(self, kept: Scopes) -> None:
        """Fill ``kept`` with the workspace's stored values (this tab's own win); when the store
        cannot be read, try again at the next run."""
        workspace = self.workspace

        def load(store: Store) -> dict[str, Any] | None:
            return store.load_draft(workspace, DRAFT_NAME)

        document = self.store.read(load, _NOT_READ)
        if document is _NOT_READ:
            return
        stored = from_document(document if isinstance(document, Mapping) else None)
        for scope, values in stored.items():
            kept.setdefault(scope, dict(values))
        saved = st.session_state.setdefault(_SAVED, {})
        saved.update({scope: _scope_digest(values) for scope, values in stored.items()})
        st.session_state[_LOADED] = True

    def page_starts(self) -> None:
        """Mark the end of what the router draws on every page (the ``"app"`` scope)."""
        self._app_keys = frozenset(drawn_widgets()[0])

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Record the value of every value widget drawn in this run (also when the run ended
        early: ``st.stop``, ``st.rerun``, ``st.switch_page``, an error), forget the kept widgets
        the run deleted, and save what changed."""
        drawn, state = drawn_widgets()
        kept: Scopes = _get(state, _KEPT) or {}
        app_keys = frozenset(drawn) if self._app_keys is None else self._app_keys
        app, page = kept.setdefault(SCOPE_APP, {}), kept.setdefault(self.page, {})
        recorded = set()
        for key, value_type in drawn.items():
            value = _get(state, key)
            if is_value_widget(key, value_type, value):
                into, other = (app, page) if key in app_keys else (page, app)
                into[key] = value
                other.pop(key, None)
                recorded.add(key)
        for scope, values in kept.items():
            for key in [k for k in values if k not in drawn]:
                if scope in (SCOPE_APP, self.page) and key not in state:
                    del values[key]  # the run deleted it: the app let it go
                elif state.is_new_state_value(key):
                    values[key] = state[key]  # given back, or set since by the app
        state[_KEPT] = kept
        # A run that ended early may not have drawn widgets the user just changed: those stay
        # "drawn" so that the next run does not give them an older value back.
        earlier = (_get(state, _DRAWN) or frozenset()) if exc_type is not None else frozenset()
        state[_DRAWN] = frozenset(recorded) | earlier
        self._save(kept, state)

    def _save(self, kept: Scopes, state: Any) -> None:
        """Write the scopes whose storable values changed since the last save (none: no write)."""
        storable = storable_scopes(kept, self.url_keys)
        saved: dict[str, str] = _get(state, _SAVED) or {}
        state[_SAVED] = saved
        digests = {scope: _scope_digest(values) for scope, values in storable.items()}
        changed = {scope for scope, value in digests.items() if saved.get(scope) != value}
        if not changed:
            return
        workspace, mine = self.workspace, storable

        def write(store: Store) -> None:
            stored = from_document(store.load_draft(workspace, DRAFT_NAME))
            merged = merge_scopes(stored, mine, changed)
            store.save_draft(workspace, DRAFT_NAME, to_document(merged))
            saved.update({scope: digests[scope] for scope in changed})

        # The scopes count as saved once written (the store may write later, on its writer
        # thread): until then every run writes them again with whatever changed since, so a
        # write that waits (store down) loses nothing (the store keeps the latest per key).
        self.store.write(f"{DRAFT_NAME}:{workspace}", write)


def _get(state: Any, key: str) -> Any:
    """``state[key]``, or None when it has no such key."""
    try:
        return state[key]
    except KeyError:
        return None


def _scope_digest(values: Mapping[str, Any]) -> str:
    return digest({"": values})
