"""Fixtures for the tests of the fake xAI server (tests/fake_xai/) itself, using plain httpx: one
server for the module, cleared before each test, and an httpx client sending its key."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fake_xai import FakeXai

CHAT = {"model": "grok-3-mini", "messages": [{"role": "user", "content": "hi"}]}
STREAM_CHAT = {**CHAT, "stream": True}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeXai]:
    with FakeXai() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeXai) -> FakeXai:
    server.clear()
    return server


@pytest.fixture
def client(fake: FakeXai) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    with httpx.Client(base_url=fake.base_url, headers=headers, timeout=10) as c:
        yield c


def sse_data(text: str) -> list[str]:
    """The data fields of the events in an SSE body (enough for the fixtures' framing)."""
    events = text.replace("\r\n", "\n").split("\n\n")
    return [
        line[len("data: ") :] for ev in events for line in ev.split("\n") if line[:6] == "data: "
    ]
