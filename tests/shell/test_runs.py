"""How a streaming run ends (playground/shell/runs.py), with a stand-in for Streamlit's runtime: a
run stopped by Streamlit's Stop asks, once its thread has ended, for one more run of the same page,
unless another run has begun (a click's run, another page) or a later run already waited for it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

from playground.shell import runs

KEY = "streaming"
PAGE = "chat-page-hash"
WAIT_S = 5.0


class Loop:
    """The session's event loop: runs each callback at once, on the thread that posts it."""

    def call_soon_threadsafe(self, callback: Callable[[], None]) -> None:
        callback()


@dataclass
class Session:
    """An AppSession as runs.py sees it."""

    _event_loop: Loop = field(default_factory=Loop)
    _scriptrunner: object | None = None
    page_script_hash: str = PAGE
    reruns: list[ClientState] = field(default_factory=list)
    asked: threading.Event = field(default_factory=threading.Event)

    def request_rerun(self, client_state: ClientState | None) -> None:
        assert client_state is not None
        self.reruns.append(client_state)
        self.asked.set()


@dataclass
class Runtime:
    session: Session
    active: bool = True

    def get_app_session(self, session_id: str) -> Session | None:
        return self.session if session_id == "s1" else None

    def is_active_session(self, session_id: str) -> bool:
        return self.active and session_id == "s1"


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Session:
    """A served session "s1" on the Chat page, its URL ``?c=abc``."""
    app_session = Session()
    runtime = Runtime(app_session)
    served = SimpleNamespace(exists=lambda: True, instance=lambda: runtime)
    ctx = SimpleNamespace(
        session_id="s1", query_string="c=abc", page_script_hash=PAGE, context_info=None
    )
    monkeypatch.setattr(runs, "Runtime", served)
    monkeypatch.setattr(runs, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    monkeypatch.setattr(runs, "st", SimpleNamespace(session_state={}))
    return app_session


def stream_on_a_script_thread(ending: BaseException | None, during: Callable[[], Any]) -> Any:
    """Run a streaming block on a thread of its own (the script thread), ended by ``ending``
    (None: it finishes), calling ``during()`` inside it; wait for the thread; the handle."""
    handle: list[Any] = []

    def script() -> None:
        try:
            with runs.run_in_progress(KEY):
                handle.append(runs.st.session_state[KEY])
                during()
                if ending is not None:
                    raise ending
        except (StopException, RerunException, ValueError):
            pass

    thread = threading.Thread(target=script)
    thread.start()
    thread.join(WAIT_S)
    return handle[0]


def test_a_stop_runs_the_same_page_again_once_the_stopped_run_has_ended(session: Session) -> None:
    seen_alive: list[bool] = []
    thread_of_run: list[threading.Thread] = []

    def record_when_asked(client_state: ClientState | None) -> None:
        seen_alive.append(thread_of_run[0].is_alive())
        Session.request_rerun(session, client_state)

    session.request_rerun = record_when_asked  # type: ignore[method-assign]
    handle = stream_on_a_script_thread(
        StopException(), lambda: thread_of_run.append(threading.current_thread())
    )
    assert session.asked.wait(WAIT_S)
    assert handle.closed.is_set()
    assert seen_alive == [False]  # only once the stopped run's thread had ended
    (again,) = session.reruns
    assert (again.query_string, again.page_script_hash) == ("c=abc", PAGE)
    assert not again.widget_states.widgets  # no click is replayed: nothing is sent again


@pytest.mark.parametrize(
    "ending",
    [None, RerunException(RerunData()), ValueError("the stream failed")],
    ids=["finished", "rerun", "failed"],
)
def test_no_extra_run_when_the_run_was_not_stopped(
    session: Session, ending: BaseException | None
) -> None:
    handle = stream_on_a_script_thread(ending, lambda: None)
    assert handle.closed.is_set()
    assert not session.asked.wait(0.3)


def test_no_extra_run_when_a_later_run_waited_for_the_stopped_one(session: Session) -> None:
    """The in-page Stop: its click's run (fast reruns) shows the reply itself."""
    later_run = threading.Thread(target=lambda: runs.wait_for_interrupted_run(KEY))
    handle = stream_on_a_script_thread(StopException(), later_run.start)
    later_run.join(WAIT_S)
    assert handle.followed and handle.closed.is_set()
    assert not session.asked.wait(0.3)


def test_no_extra_run_while_another_run_goes_on(session: Session) -> None:
    session._scriptrunner = object()  # e.g. a click's run, not at the page's top yet
    stream_on_a_script_thread(StopException(), lambda: None)
    assert not session.asked.wait(0.3)


def test_no_extra_run_after_a_switch_to_another_page(session: Session) -> None:
    session.page_script_hash = "models-page-hash"
    stream_on_a_script_thread(StopException(), lambda: None)
    assert not session.asked.wait(0.3)


def test_no_extra_run_for_a_session_that_went_away(session: Session) -> None:
    runs.Runtime.instance().active = False
    stream_on_a_script_thread(StopException(), lambda: None)
    assert not session.asked.wait(0.3)


def test_outside_a_served_app_a_stop_only_closes_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "st", SimpleNamespace(session_state={}))
    monkeypatch.setattr(runs, "get_script_run_ctx", lambda suppress_warning=False: None)
    handle = stream_on_a_script_thread(StopException(), lambda: None)
    assert handle.closed.is_set()


def test_waiting_for_a_run_that_is_still_closing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "st", SimpleNamespace(session_state={}))
    assert runs.wait_for_interrupted_run(KEY)  # none yet
    runs.st.session_state[KEY] = handle = runs.RunHandle()
    assert not runs.wait_for_interrupted_run(KEY, timeout_s=0.05)
    assert handle.followed
    handle.closed.set()
    assert runs.wait_for_interrupted_run(KEY)
