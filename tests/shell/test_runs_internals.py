"""What playground/shell/runs.py's rerun after a stop reads of Streamlit's internals: this fails
when the pinned Streamlit changes it (tests/browser/test_chat_stop.py shows the whole behaviour)."""

from __future__ import annotations

import inspect

from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

from playground.shell import runs


def test_runs_reads_only_the_internals_pinned_here() -> None:
    source = inspect.getsource(runs._rerun_when_ended)
    private = {word for word in source.replace("(", " ").split() if word.startswith("session._")}
    assert private == {"session._event_loop", "session._scriptrunner"}


def test_the_runtime_finds_a_session_by_id_from_any_thread() -> None:
    for name in ("exists", "instance", "get_app_session", "is_active_session"):
        assert callable(getattr(Runtime, name))
    assert "Threading: SAFE" in (Runtime.get_app_session.__doc__ or "")


def test_a_session_keeps_its_event_loop_and_its_current_runner() -> None:
    init = inspect.getsource(AppSession.__init__)
    assert "self._event_loop = asyncio.get_running_loop()" in init
    assert "self._scriptrunner: ScriptRunner | None = None" in init
    assert isinstance(inspect.getattr_static(AppSession, "page_script_hash"), property)
    assert list(inspect.signature(AppSession.request_rerun).parameters) == ["self", "client_state"]


def test_a_runner_says_it_shut_down_through_the_event_loop_before_its_thread_ends() -> None:
    """runs.py posts its check after the stopped run's thread has ended: by then the runner's
    SHUTDOWN is queued on the loop ahead of it, and handling it forgets the runner."""
    thread = inspect.getsource(ScriptRunner._run_script_thread)
    assert "event=ScriptRunnerEvent.SHUTDOWN" in thread
    assert "self._call_soon_on_event_loop" in inspect.getsource(AppSession._on_scriptrunner_event)
    handler = inspect.getsource(AppSession._handle_scriptrunner_event_on_event_loop)
    assert "self._scriptrunner = None" in handler.split("ScriptRunnerEvent.SHUTDOWN:")[1]


def test_a_run_knows_its_session_page_and_query_string() -> None:
    fields = ScriptRunContext.__dataclass_fields__
    assert {"session_id", "query_string", "context_info"} <= set(fields)
    assert isinstance(inspect.getattr_static(ScriptRunContext, "page_script_hash"), property)
