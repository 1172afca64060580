"""Streaming overhead of the chat page in a real browser, against the fake server's own pace.

    .venv/bin/python bench/bench_chat_streaming.py [--quick] [--api responses|chat|both]

The fake xAI server sends a reply of N one-token chunks at a fixed pace (N = 1,000; 300 with
``--quick``), on each API the Chat page speaks: the Responses API (its default on xAI: one
``response.output_text.delta`` event per token) and Chat Completions (picked in the sidebar).
The baseline is the server's own send time (first to last chunk, measured in the server); the
page's time runs from that first chunk to the moment the last token is visible in headless
Chromium (a MutationObserver stamps it). Prints:
- ratio: page time / server send time (target <= 1.10);
- the delay between the server's last chunk and the last token on screen;
- flicker: how many different DOM nodes held the answer while it streamed (1 = updated in place)
  and how often its text got shorter (0 = never blanked or jumped back).

Loopback only; every wait is bounded. Needs Debian's chromium (``/usr/bin/chromium``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tests.browser.conftest import APP_READY_SELECTOR, CHROMIUM_ARGS, chromium_path
from tests.fake_xai import FakeXai, response_text_events, sse_event

ROOT = Path(__file__).resolve().parent.parent
OBSERVER = """
() => {
  const bench = {first: null, last: null, nodes: new Set(), shrinks: 0, length: 0};
  window.__chatBench = bench;
  const look = () => {
    const messages = document.querySelectorAll('[data-testid=stChatMessage]');
    if (messages.length < 2) return;
    const answer = messages[1].querySelector('[data-testid=stMarkdownContainer]');
    if (!answer) return;
    const text = answer.innerText;
    if (!text.includes('t0')) return;
    const now = Date.now();
    if (bench.first === null) bench.first = now;
    if (bench.last === null) {
      bench.nodes.add(answer);
      if (text.length < bench.length) bench.shrinks += 1;
      bench.length = text.length;
      if (text.includes(window.__lastToken)) bench.last = now;
    }
  };
  new MutationObserver(look).observe(document.body,
    {subtree: true, childList: true, characterData: true});
}
"""
RESULT = """() => {
  const b = window.__chatBench;
  return {first: b.first, last: b.last, nodes: b.nodes.size, shrinks: b.shrinks};
}"""


APIS = ("responses", "chat")


def token_stream(tokens: int, model: str, api: str) -> list[str]:
    """``tokens`` one-token deltas ("t0 t1 ..."), as a Responses or a Chat Completions stream."""
    if api == "responses":
        return response_text_events("".join(f"t{i} " for i in range(tokens)), model)
    events = [
        sse_event({"model": model, "choices": [{"index": 0, "delta": {"content": f"t{i} "}}]})
        for i in range(tokens)
    ]
    finish = {"index": 0, "delta": {}, "finish_reason": "stop"}
    events.append(sse_event({"model": model, "choices": [finish]}))
    return [*events, "data: [DONE]\n\n"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_app(fake: FakeXai, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "XAI_BASE_URL": fake.base_url, "XAI_API_KEY": fake.api_key}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"the app did not start; see {log}")


def measure(
    page: Any, url: str, fake: FakeXai, tokens: int, pace_s: float, api: str
) -> dict[str, float]:
    page.goto(url)
    page.wait_for_selector(APP_READY_SELECTOR, state="attached")
    page.wait_for_selector("[data-testid=stChatInputTextArea]")
    if api == "chat":  # the page's default on xAI is Responses
        page.get_by_test_id("stSidebar").get_by_text("Chat Completions (legacy)").click()
        page.wait_for_timeout(300)
        page.wait_for_selector(APP_READY_SELECTOR, state="attached")
    page.evaluate(f"window.__lastToken = 't{tokens - 1} '.trim()")
    page.evaluate(OBSERVER)
    fake.clear()
    fake.set_stream_script(token_stream(tokens, "grok-4.3", api), delay=pace_s)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("Count")
    box.press("Enter")
    timeout_ms = int((tokens * pace_s + 30) * 1000)
    page.wait_for_function("() => window.__chatBench.last !== null", timeout=timeout_ms)
    seen = page.evaluate(RESULT)
    deadline = time.monotonic() + 10  # a Responses stream sends its closing events after the text
    while not fake.stream_times and time.monotonic() < deadline:
        time.sleep(0.05)
    (server_first, server_last), *_ = fake.stream_times
    server_s = server_last - server_first
    page_s = seen["last"] / 1000 - server_first
    return {
        "server_s": server_s,
        "page_s": page_s,
        "ratio": page_s / server_s,
        "tail_ms": (seen["last"] / 1000 - server_last) * 1000,
        "nodes": seen["nodes"],
        "shrinks": seen["shrinks"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 tokens instead of 1,000")
    parser.add_argument("--pace-ms", type=float, default=5.0, help="server delay between chunks")
    parser.add_argument("--api", choices=[*APIS, "both"], default="both")
    args = parser.parse_args()
    tokens = 300 if args.quick else 1000
    apis = APIS if args.api == "both" else (args.api,)
    executable = chromium_path()
    if executable is None:
        raise SystemExit("Chromium not found: apt-get install -y chromium")
    results = {}
    with FakeXai() as fake, tempfile.TemporaryDirectory() as tmp:
        process, url = start_app(fake, Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                for api in apis:
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    measure(page, url, fake, 20, args.pace_ms / 1000, api)  # warm-up
                    results[api] = measure(page, url, fake, tokens, args.pace_ms / 1000, api)
                    page.close()
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    for api, result in results.items():
        name = "Responses API" if api == "responses" else "Chat Completions"
        print(f"chat streaming ({name}), {tokens} tokens at {args.pace_ms:g} ms per chunk")
        print(f"  server send time      {result['server_s']:.2f} s (baseline)")
        print(f"  last token visible    {result['page_s']:.2f} s after the first chunk")
        print(f"  after the last chunk  {result['tail_ms']:.0f} ms")
        print(f"  answer DOM nodes      {result['nodes']:.0f} (1 = updated in place)")
        print(f"  text shrank           {result['shrinks']:.0f} times (0 = no flicker)")
        print(f"ratio page/server ({api}): {result['ratio']:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
