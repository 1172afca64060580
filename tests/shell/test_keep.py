"""Every value widget on every page keeps its value across page switches, and a new session of the
same workspace (a reload, an app restart) gets them back from the store; a failing store only
warns. The local backend is the connection, as for a new user.

The test finds the widgets itself: on each page it sets every keyed value widget it sees to a
value other than its current one, runs, and repeats for the widgets that appear (a section
opened by a toggle, each tab of a page), so a widget added later is covered without a change
here; a widget kind the test does not know fails it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Node, Widget

from local_backend.launcher import LocalBackendProcess
from tests.apptest import new_app

PAGES = {
    "chat": "playground/chat/page.py",
    "completions": "playground/completions/page.py",
    "embeddings": "playground/embeddings/page.py",
    "models": "playground/models/page.py",
}
WORKSPACE = "test-workspace-0123456789abcdefghijkl"
#: Widget kinds whose value is not kept (Streamlit refuses them a value set by the app).
NOT_VALUE_KINDS = {"button", "download_button", "file_uploader", "chat_input", "data_editor"}
VALUE_KINDS = {
    "text_input",
    "text_area",
    "number_input",
    "selectbox",
    "multiselect",
    "radio",
    "checkbox",
    "toggle",
    "slider",
    "select_slider",
    "button_group",
    "color_picker",
}
#: The sidebar's backend stays Local (other backends need a key); tested on its own below.
NOT_SET = {"backend", "api_key"}
TRANSIENT = re.compile(r"^_|_\d+$|_[0-9a-f]{32}$")  # as playground/shell/keep.py
TABS = {"models_tab": ["Models", "Cost calculator", "Charts", "Snapshot", "API key"]}


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def value_widgets(at: AppTest) -> dict[str, Widget]:
    """Every keyed value widget drawn in the last run, by key (transient ones left out)."""
    found: dict[str, Widget] = {}
    for node in _nodes(at._tree):
        key = getattr(node, "key", None)
        if not isinstance(node, Widget) or not key or TRANSIENT.search(key):
            continue
        assert node.type in VALUE_KINDS | NOT_VALUE_KINDS, f"unknown widget kind {node.type}"
        if node.type in VALUE_KINDS and key not in NOT_SET:
            found[key] = node
    return found


def _step(widget: Any, value: Any, low: Any, high: Any, step: Any) -> Any:
    """A value one ``step`` away from ``value`` within [low, high] (``low`` when unset)."""
    if value is None:
        return low if low is not None else step
    up = value + step
    return up if high is None or up <= high else value - step


def change(widget: Any) -> bool:
    """Give ``widget`` a value other than its current one; False when it has no other value."""
    kind, before = widget.type, widget.value
    if getattr(widget, "disabled", False):  # nobody can set it (this model does not take it)
        return False
    if kind in ("text_input", "text_area"):
        widget.input(f"kept {widget.key}")
    elif kind in ("checkbox", "toggle"):
        widget.set_value(not before)
    elif kind == "number_input":
        proto = widget.proto
        low = widget.min if proto.has_min else None
        high = widget.max if proto.has_max else None
        widget.set_value(_step(widget, before, low, high, proto.step or 1))
    elif kind == "slider":
        widget.set_value(_step(widget, before, widget.min, widget.max, widget.step))
    elif kind in ("selectbox", "radio"):
        if len(widget.options) < 2:
            return False
        index = 0 if widget.index is None else (widget.index + 1) % len(widget.options)
        if kind == "selectbox":
            widget.select_index(index)
        else:  # the radios of this app show their options as they are
            widget.set_value(widget.options[index])
    elif kind == "multiselect":
        widget.set_value(before[:1] if len(before) > 1 else [] if before else widget.options[:1])
    elif kind == "button_group":
        labels = [str(option) for option in widget.options]
        widget.set_value(next(label for label in labels if label != before))
    else:
        pytest.fail(f"the test cannot set a {kind} ({widget.key})")
    return True


def set_every_widget(at: AppTest, page: str) -> dict[str, Any]:
    """Set every value widget the page draws, again for the ones that appear, through every tab;
    returns the values they show, by key."""
    values: dict[str, Any] = {}
    unchangeable: set[str] = set()
    tabs = [(key, label) for key, labels in TABS.items() for label in labels]
    while True:
        todo = [
            w for k, w in value_widgets(at).items() if k not in values and k not in unchangeable
        ]
        if todo:
            widget = todo[0]
            if change(widget):
                at.run()
                assert not at.exception, (widget.key, [e.value for e in at.exception])
                values[widget.key] = value_widgets(at)[widget.key].value
            else:
                unchangeable.add(widget.key)
            continue
        drawn = [(k, label) for k, label in tabs if k in at.session_state]
        if not drawn:
            break
        key, label = drawn[0]
        tabs.remove((key, label))
        at.session_state[key] = label
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        values[key] = label
    # Every value the test set is still shown (a later widget did not reset an earlier one).
    assert values, page
    return values


def shown_values(at: AppTest) -> dict[str, Any]:
    """The value of every value widget the page shows, also in each of its tabs (the tab shown
    first is recorded, and shown again at the end)."""
    shown = {key: widget.value for key, widget in value_widgets(at).items()}
    for key, labels in TABS.items():
        if key not in at.session_state:
            continue
        first = shown[key] = at.session_state[key]
        for label in [*labels, first]:
            at.session_state[key] = label
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            shown.update({k: w.value for k, w in value_widgets(at).items() if k not in shown})
    return shown


def open_app(workspace: str = WORKSPACE) -> AppTest:
    """A new session (a reload) of the browser whose workspace is ``workspace``."""
    at = new_app(timeout=60)
    at.session_state["_workspace_id"] = workspace
    return at.run()


def visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_kept(at: AppTest, expected: dict[str, dict[str, Any]]) -> None:
    for page, values in expected.items():
        shown = shown_values(visit(at, page))
        missing = {
            k: (v, shown.get(k, "<not drawn>")) for k, v in values.items() if shown.get(k) != v
        }
        assert not missing, (page, missing)


def test_every_value_survives_page_switches_and_a_new_session(
    env_local: LocalBackendProcess,
) -> None:
    at = open_app()
    expected = {page: set_every_widget(visit(at, page), page) for page in PAGES}
    # Each page was left for every other page before it is checked.
    assert_kept(at, expected)
    assert "api_key" not in str(at.session_state["_kept_widgets"])

    st_cache_clear()  # an app restart: the store is opened again
    assert_kept(open_app(), expected)

    stranger = open_app("another-workspace-0123456789abcdefghij")
    assert visit(stranger, "chat").text_area(key="chat_system_prompt").value == ""
    assert visit(stranger, "completions").text_area(key="completions_prompt").value == ""


def st_cache_clear() -> None:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


def _drafts(url: str, workspace: str = WORKSPACE) -> dict[str, Any] | None:
    from playground.store import Store

    store = Store(url)
    try:
        return store.load_draft(workspace, "widgets")
    finally:
        store.close()


def test_sidebar_values_are_kept_and_stored_without_secrets(
    env_local: LocalBackendProcess, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    monkeypatch.setenv("PLAYGROUND_DB_URL", url)
    at = open_app()
    at.sidebar.radio(key="backend").set_value("custom").run()
    at.sidebar.text_input(key="custom_base_url").input("http://me:pw@127.0.0.1:9/v1").run()
    at.sidebar.text_input(key="api_key").input("xai-secret-typed-key-0123456789").run()
    visit(at, "models")
    visit(at, "chat")
    assert at.sidebar.radio(key="backend").value == "custom"
    assert at.sidebar.text_input(key="custom_base_url").value == "http://me:pw@127.0.0.1:9/v1"
    stored = str(_drafts(url))
    assert "http://127.0.0.1:9/v1" in stored
    assert "pw" not in stored and "xai-secret" not in stored and "api_key" not in stored

    st_cache_clear()
    again = open_app()
    assert again.sidebar.radio(key="backend").value == "custom"
    assert again.sidebar.text_input(key="custom_base_url").value == "http://127.0.0.1:9/v1"


def test_no_write_when_nothing_changed(
    env_local: LocalBackendProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playground.store import Store

    writes: list[str] = []
    save = Store.save_draft

    def counted(self: Store, workspace: str, name: str, values: dict[str, Any]) -> None:
        writes.append(name)
        save(self, workspace, name, values)

    monkeypatch.setattr(Store, "save_draft", counted)
    at = open_app()
    assert writes == ["widgets"]  # the first run's values
    at.run()
    at.run()
    assert writes == ["widgets"]
    at.text_area(key="chat_system_prompt").input("Be brief.").run()
    assert writes == ["widgets", "widgets"]
    at.run()
    assert writes == ["widgets", "widgets"]


def _unescaped(markdown: object) -> str:
    """Markdown text with its backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", str(markdown))


def test_a_failing_store_warns_and_the_work_is_written_when_it_comes_back(
    env_local: LocalBackendProcess, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database = tmp_path / "workspace.db"
    database.mkdir()  # a folder where the file should be: SQLite cannot open it
    monkeypatch.setenv("PLAYGROUND_DB_URL", f"sqlite:///{database}")
    at = open_app()
    warnings = [_unescaped(w.value) for w in at.sidebar.warning]
    assert any(w.startswith("Not saving: the file") for w in warnings), warnings
    assert any(str(database) in w for w in warnings), warnings
    at.text_area(key="chat_system_prompt").input("Be brief.").run()
    visit(at, "completions").text_area(key="completions_prompt").input("Once upon").run()
    visit(at, "chat")
    assert not at.exception
    assert at.text_area(key="chat_system_prompt").value == "Be brief."  # kept in this tab

    database.rmdir()  # the database can be made again
    time.sleep(1.2)  # the store tries again at most once a second
    at.run()
    assert not [w for w in at.sidebar.warning if _unescaped(w.value).startswith("Not saving")]
    st_cache_clear()
    again = open_app()
    assert again.text_area(key="chat_system_prompt").value == "Be brief."
    assert visit(again, "completions").text_area(key="completions_prompt").value == "Once upon"
