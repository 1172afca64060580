"""Two browser sessions on one app server, each with its own typed key: neither key, nor its
name, conversation or cached results reaches the other session; every request uses its own key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    AppServer,
    close_connection_settings,
    connection_settings,
    open_app,
    open_tab,
    run_app,
    send_chat,
    use_chat_completions,
    wait_for_app,
)
from tests.fake_xai import FakeXai
from tests.security.helpers import (
    go_to,
    reply_stream,
    requests_made,
    type_key,
)

pytestmark = pytest.mark.browser

KEYS = {"a": "xai-alice-5f1c0e9d7b3a-secret-A1A1", "b": "xai-bob-8e2d4c6a0f9b-secret-B2B2"}
NAMES = {"a": "alice-team-key", "b": "bob-team-key"}
ASKED = {"a": "alice asks about the violet harbour", "b": "bob asks about the amber canyon"}
REPLIED = {"a": "alice-reply-quartz-lighthouse", "b": "bob-reply-cobalt-orchard"}


@pytest.fixture(scope="module")
def two_key_fake() -> Iterator[FakeXai]:
    with FakeXai(extra_keys={KEYS["a"]: NAMES["a"], KEYS["b"]: NAMES["b"]}) as fake:
        yield fake


@pytest.fixture(scope="module")
def keyless_app(
    two_key_fake: FakeXai, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The app on the fake with no operator key: visitors bring their own."""
    with run_app({"XAI_BASE_URL": two_key_fake.base_url}, tmp_path_factory.mktemp("iso")) as app:
        yield app


@pytest.fixture
def sessions(browser: Browser) -> Iterator[dict[str, Page]]:
    """Two independent browser contexts (no shared cookies or storage)."""
    contexts = {name: browser.new_context(viewport={"width": 1400, "height": 900}) for name in KEYS}
    try:
        pages = {}
        for name, context in contexts.items():
            context.set_default_timeout(30_000)
            pages[name] = context.new_page()
        yield pages
    finally:
        for context in contexts.values():
            context.close()


def other(name: str) -> str:
    return "b" if name == "a" else "a"


def assert_only_own(page: Page, name: str) -> None:
    """The page's HTML holds nothing of the other session, and no key at all."""
    html = page.content()
    for secret in KEYS.values():
        assert secret not in html
    them = other(name)
    for foreign in (NAMES[them], ASKED[them], REPLIED[them]):
        assert foreign not in html, f"session {name} shows {foreign!r}"


def test_two_sessions_never_see_each_others_key_name_or_data(
    sessions: dict[str, Page], keyless_app: AppServer, two_key_fake: FakeXai
) -> None:
    fake = two_key_fake
    for name, page in sessions.items():
        open_app(page, keyless_app.url)
        with requests_made(fake) as made:
            type_key(page, KEYS[name])
            expect(connection_settings(page)).to_contain_text(
                f"Connected as {NAMES[name]}", timeout=20_000
            )
            close_connection_settings(page)
        assert made and {r.key_name for r in made} == {NAMES[name]}

    for name, page in sessions.items():  # one after the other: the fake's script queue is shared
        use_chat_completions(page)  # the scripted reply is a Chat Completions stream
        fake.set_stream_script(reply_stream(REPLIED[name]))
        with requests_made(fake) as made:
            send_chat(page, ASKED[name])
            expect(page.get_by_test_id("stChatMessage").nth(1)).to_contain_text(
                REPLIED[name], timeout=20_000
            )
            wait_for_app(page)
        chats = [r for r in made if r.path == "/v1/chat/completions"]
        assert len(chats) == 1 and {r.key_name for r in made} == {NAMES[name]}
        sent = str(chats[0].body["messages"])
        assert ASKED[name] in sent and ASKED[other(name)] not in sent

    # A loads the models and the key details first; B's first load must ask with B's own key.
    for name, page in sessions.items():
        with requests_made(fake) as made:
            go_to(page, "Models & pricing")
            open_tab(page, "API key")
            facts = page.get_by_test_id("stDataFrame").first
            expect(facts.locator("[role=gridcell]", has_text=NAMES[name])).to_have_count(
                1, timeout=20_000
            )
        paths = {r.path for r in made}
        assert {"/v1/language-models", "/v1/api-key"} <= paths, paths  # not served from A's cache
        assert {r.key_name for r in made} == {NAMES[name]}
        assert all(r.auth == "valid" for r in made)

    for name, page in sessions.items():  # the chat is still its own after the round trip
        go_to(page, "Chat")
        expect(page.get_by_test_id("stChatMessage").nth(1)).to_contain_text(
            REPLIED[name], timeout=20_000
        )
        expect(connection_settings(page)).to_contain_text(
            f"Connected as {NAMES[name]}", timeout=20_000
        )
        close_connection_settings(page)
        assert_only_own(page, name)

    assert {r.key_name for r in fake.requests} == set(NAMES.values())
    assert all(r.auth == "valid" for r in fake.requests), "no request went without its key"
    log = keyless_app.log_text()
    assert all(secret not in log for secret in KEYS.values())


def test_a_new_session_does_not_inherit_a_typed_key(
    sessions: dict[str, Page], keyless_app: AppServer, two_key_fake: FakeXai
) -> None:
    """After A typed a key, a fresh session (B) starts with none: it asks for one and sends
    nothing with A's key."""
    open_app(sessions["a"], keyless_app.url)
    type_key(sessions["a"], KEYS["a"])
    with requests_made(two_key_fake) as made:
        open_app(sessions["b"], keyless_app.url)
        sidebar = sessions["b"].get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("Enter an xAI API key", timeout=20_000)
        go_to(sessions["b"], "Models & pricing")
    assert NAMES["a"] not in sessions["b"].content()
    assert all(r.key_name != NAMES["a"] for r in made)
