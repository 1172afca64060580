"""The app under 5 concurrent browser sessions chatting against the fake xAI server.

    .venv/bin/python bench/load_app_sessions.py [--quick] [--sessions 5] [--messages 4]

Starts the fake xAI server (tests/fake_xai/, every stream event ``--stream-delay`` s apart so a
reply takes a moment) and ``streamlit run app.py`` against it, both on 127.0.0.1, then drives
headless Chromium (one browser, one context per session, Playwright's async API). Each session
opens the Chat page, picks Chat Completions (the page's default on xAI is the Responses API, whose
fake replies differ per message; the store and isolation under load do not depend on the API)
and sends ``--messages`` messages one after another, waiting for each reply to
be complete: the fake's recorded reply (tests/fixtures/chat_stream_reasoning.sse) in full, and the
stats line with its finish reason. The baseline is one session alone, measured first in this run.
Prints:
- replies completed of expected, and chat requests the fake server received;
- exceptions shown on the pages (``[data-testid=stException]``);
- errors and tracebacks in the Streamlit server's log;
- reply time (Enter -> reply complete) p50/p95 under load, and p50 under load / p50 alone
  (reported, never a failure);
- once the app has stopped, what its workspace store (the SQLite file ``run_app`` gives it) holds
  for each session (bench/load_store_checks.py): turns saved of sent, items per workspace.

Exits 1 if a reply is missing or incomplete, an exception or traceback appears, or the store
misses a target: a session's conversation (named by ``?c=`` in its page URL, in the workspace of
its ``xai_playground_workspace`` cookie) not holding exactly its sent turns (user and complete
assistant answers, in order), a workspace listing an item not its own, or a session's
conversation opened from another session's workspace. Bounded: every
wait has a timeout, and a hard deadline for the whole script (``--hard-deadline``, 300 s) stops
every process it started and exits 3. ``--quick`` sends 2 messages in the baseline instead of 4.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
from load_common import HardDeadline, percentile, report_targets
from load_store_checks import SessionRecord, StoreCheck, check_sessions, items_by_workspace
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from playground.shell.workspace import COOKIE_NAME
from playground.store import Store
from tests.browser.conftest import APP_READY_SELECTOR, CHROMIUM_ARGS, chromium_path, run_app
from tests.fake_xai import FakeXai, load_sse

REPLY_FIXTURE = "chat_stream_reasoning.sse"  # what the fake server streams for a chat request
REPLY_TIMEOUT_MS = 60_000  # one reply, from Enter to complete
PAGE_TIMEOUT_MS = 60_000  # opening the page, a script run finishing
EXCEPTION_SELECTOR = "[data-testid=stException]"
# Lines of the server log that mean something went wrong (Streamlit prints tracebacks there).
LOG_ERROR = re.compile(r"Traceback|Exception|\bError\b|\bERROR\b|CRITICAL")


@dataclass(frozen=True)
class ExpectedReply:
    """What a complete reply shows: the answer text and the stats line's finish reason."""

    answer: str
    finish_line: str


@dataclass
class SessionResult:
    """One browser session: its reply times (complete replies only), what went wrong, and what
    the store should hold for it (its workspace cookie, its ``?c=`` and the messages sent)."""

    name: str
    expected: int
    texts: list[str] = field(default_factory=list)  # the messages sent, in order
    workspace: str | None = None
    conversation: str | None = None
    reply_times_s: list[float] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def expected_reply() -> ExpectedReply:
    """The answer text and finish reason of the fake's recorded stream, read from the fixture."""
    answer, finish = "", None
    for event in load_sse(REPLY_FIXTURE):
        data = event.strip().removeprefix("data:").strip()
        if not data or data == "[DONE]":
            continue
        for choice in json.loads(data).get("choices", []):
            answer += choice.get("delta", {}).get("content") or ""
            finish = choice.get("finish_reason") or finish
    return ExpectedReply(answer, f"finish: {finish}")


async def send_and_wait(page: Page, index: int, text: str, expected: ExpectedReply) -> float:
    """Send ``text`` as the ``index``-th message; return seconds until its reply is complete."""
    box = page.get_by_test_id("stChatInputTextArea")
    await box.fill(text)
    started = time.perf_counter()
    await box.press("Enter")
    reply = page.get_by_test_id("stChatMessage").nth(2 * index + 1)
    await expect(reply).to_contain_text(expected.finish_line, timeout=REPLY_TIMEOUT_MS)
    elapsed = time.perf_counter() - started
    await expect(reply).to_contain_text(expected.answer, timeout=5_000)
    await page.wait_for_selector(APP_READY_SELECTOR, state="attached", timeout=PAGE_TIMEOUT_MS)
    return elapsed


async def chat_session(
    browser: Browser, url: str, name: str, messages: int, expected: ExpectedReply
) -> SessionResult:
    """One fresh browser context on the Chat page sending ``messages`` messages in turn."""
    result = SessionResult(name=name, expected=messages)
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = await context.new_page()
        await page.goto(url)
        await page.wait_for_selector(APP_READY_SELECTOR, state="attached")
        await page.wait_for_selector("[data-testid=stChatInputTextArea]")
        await page.get_by_test_id("stSidebar").get_by_text("Chat Completions (legacy)").click()
        await page.wait_for_timeout(300)
        await page.wait_for_selector(APP_READY_SELECTOR, state="attached")
        for index in range(messages):
            try:
                text = f"{name}: message {index + 1} of {messages}"
                result.texts.append(text)
                result.reply_times_s.append(await send_and_wait(page, index, text, expected))
            except Exception as exc:  # a missing reply is a figure of the report
                result.problems.append(
                    f"{name} reply {index + 1} missing or incomplete ({type(exc).__name__})"
                )
                break
        result.exceptions = await page.locator(EXCEPTION_SELECTOR).all_inner_texts()
        result.workspace, result.conversation = await saved_under(context, page)
        shown = await page.get_by_test_id("stChatMessage").count()
        if not result.problems and shown != 2 * len(result.texts):
            wanted = 2 * len(result.texts)
            result.problems.append(f"{name}: {shown} chat messages on the page, expected {wanted}")
    except Exception as exc:
        first_line = next(iter(str(exc).splitlines()), "")
        result.problems.append(f"{name}: {type(exc).__name__}: {first_line}")
    finally:
        await context.close()
    return result


async def saved_under(context: BrowserContext, page: Page) -> tuple[str | None, str | None]:
    """The session's workspace id (its cookie) and open conversation (``?c=`` in the URL)."""
    cookies = {c.get("name"): c.get("value") for c in await context.cookies()}
    conversation = parse_qs(urlsplit(page.url).query).get("c", [None])[0]
    return cookies.get(COOKIE_NAME), conversation


def check_store(database: Path, sessions: list[SessionResult], answer: str) -> StoreCheck:
    """What the app's store file holds for ``sessions`` (bench/load_store_checks.py)."""
    records = [SessionRecord(s.name, s.workspace, s.conversation, tuple(s.texts)) for s in sessions]
    census = items_by_workspace(database)
    store = Store(f"sqlite:///{database}")
    try:
        return check_sessions(store, records, answer, census)
    finally:
        store.close()


async def drive(
    url: str, sessions: int, messages: int, baseline_messages: int
) -> tuple[SessionResult, list[SessionResult], list[SessionResult]]:
    """Warm-up, then one session alone (baseline), then ``sessions`` at once; the warm-up is
    returned first (its reply time is no baseline, but the store must hold its turns)."""
    expected = expected_reply()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        try:
            # the warm-up's first run does the imports and fills the caches
            warm_up = await chat_session(browser, url, "warm-up", 1, expected)
            alone = [await chat_session(browser, url, "alone", baseline_messages, expected)]
            loaded = await asyncio.gather(
                *(
                    chat_session(browser, url, f"session {i + 1}", messages, expected)
                    for i in range(sessions)
                )
            )
        finally:
            await browser.close()
    return warm_up, alone, list(loaded)


def log_errors(log_text: str) -> list[str]:
    """The server log's lines that report an error or a traceback."""
    return [line for line in log_text.splitlines() if LOG_ERROR.search(line)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a shorter baseline (for make test)")
    parser.add_argument("--sessions", type=int, default=5, help="concurrent browser sessions")
    parser.add_argument("--messages", type=int, default=4, help="chat messages per session")
    parser.add_argument("--stream-delay", type=float, default=0.02, help="s between stream events")
    parser.add_argument(
        "--hard-deadline", type=float, default=300.0, help="seconds before the script gives up"
    )
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print("FAIL: Chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH)")
        return 1
    watchdog = HardDeadline(args.hard_deadline, "load_app_sessions").start()
    baseline_messages = 2 if args.quick else args.messages
    with FakeXai(stream_delay=args.stream_delay) as fake, tempfile.TemporaryDirectory() as tmp:
        overrides = {"XAI_BASE_URL": fake.base_url, "XAI_API_KEY": fake.api_key}
        try:
            with run_app(overrides, Path(tmp)) as server:
                started = time.perf_counter()
                warm_up, alone, loaded = asyncio.run(
                    drive(server.url, args.sessions, args.messages, baseline_messages)
                )
                wall_s = time.perf_counter() - started
                log_text = server.log_text()
            # the app has stopped: what it saved is on disk, nothing more will come
            stored = check_store(
                Path(tmp) / "workspace.db", [warm_up, *alone, *loaded], expected_reply().answer
            )
        except (Exception, pytest.fail.Exception) as exc:  # run_app fails with pytest.fail
            print(f"FAIL: the app could not be driven: {type(exc).__name__}: {exc}")
            return watchdog.exit_code(1)
        chat_requests = sum(r.path.endswith("/chat/completions") for r in fake.requests)
    watchdog.cancel()
    results = Results(warm_up, alone, loaded, log_errors(log_text), chat_requests, stored)
    return report(args, results, wall_s)


@dataclass(frozen=True)
class Results:
    """Everything a run found: the sessions, the server log's errors, the fake's chat requests
    and the store check."""

    warm_up: SessionResult
    alone: list[SessionResult]
    loaded: list[SessionResult]
    server_errors: list[str]
    chat_requests: int
    stored: StoreCheck


def report(args: argparse.Namespace, results: Results, wall_s: float) -> int:
    """Print the figures; return 1 if a reply is missing, an exception appeared or the store
    misses a target, else 0."""
    alone, loaded = results.alone, results.loaded
    everyone = [results.warm_up, *alone, *loaded]
    server_errors, chat_requests = results.server_errors, results.chat_requests
    alone_times = [t for s in alone for t in s.reply_times_s]
    times = [t for s in loaded for t in s.reply_times_s]
    expected = sum(s.expected for s in loaded)
    problems = [p for s in everyone for p in s.problems]
    exceptions = [e for s in everyone for e in s.exceptions]
    sent = sum(len(s.texts) for s in everyone)
    p50_alone, p50, p95 = percentile(alone_times, 50), percentile(times, 50), percentile(times, 95)
    print(
        f"app load: {args.sessions} browser sessions x {args.messages} chat messages against the "
        f"fake xAI server ({args.stream_delay * 1000:.0f} ms between stream events), 127.0.0.1, "
        f"{wall_s:.0f} s in all (machine shared: noisy timings)"
    )
    print(f"  replies completed     {len(times)} of {expected}  (target: all)")
    print(f"  chat requests served  {chat_requests} by the fake server for {sent} messages sent")
    print(f"  page exceptions       {len(exceptions)}  (target 0)")
    print(f"  server log errors     {len(server_errors)}  (target 0)")
    print(
        f"  reply alone           p50 {p50_alone * 1000:.0f} ms over {len(alone_times)} replies"
        " (baseline, this run)"
    )
    print(f"  reply under load      p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"  ratio p50 load/alone  {p50 / p50_alone:.2f}  (reported, not a target)")
    print("workspace store (the app's SQLite file, read after it stopped):")
    for line in results.stored.lines:
        print(line)
    failures = [*problems, *results.stored.failures]
    if len(times) != expected:
        failures.append(f"{expected - len(times)} of {expected} replies missing or incomplete")
    if chat_requests != sent:
        failures.append(f"the fake server got {chat_requests} chat requests for {sent} messages")
    failures += [f"exception on a page: {(text or '?').splitlines()[0]}" for text in exceptions]
    failures += [f"server log: {line.strip()[:200]}" for line in server_errors[:10]]
    return report_targets(failures)


if __name__ == "__main__":
    sys.exit(main())
