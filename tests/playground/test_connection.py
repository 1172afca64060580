"""Connection resolution and the status line, against the fake xAI server."""

from __future__ import annotations

import httpx
import pytest

from playground.connection import (
    BACKEND_CUSTOM,
    BACKEND_XAI,
    check_connection,
    key_fingerprint,
    redact_key,
    resolve_connection,
)
from xai_core import XaiClient


def test_typed_key_wins_over_environment_and_secrets():
    env = {"XAI_API_KEY": "env-key"}
    conn = resolve_connection(
        BACKEND_XAI,
        typed_key=" typed ",
        custom_base_url=None,
        env=env,
        secrets={"XAI_API_KEY": "s"},
    )
    assert (conn.api_key, conn.key_source) == ("typed", "typed")
    conn = resolve_connection(
        BACKEND_XAI, typed_key="", custom_base_url=None, env=env, secrets={"XAI_API_KEY": "s"}
    )
    assert (conn.api_key, conn.key_source) == ("env-key", "environment")
    conn = resolve_connection(
        BACKEND_XAI, typed_key=None, custom_base_url=None, env={}, secrets={"XAI_API_KEY": "s"}
    )
    assert (conn.api_key, conn.key_source) == ("s", "secrets")
    conn = resolve_connection(BACKEND_XAI, typed_key=None, custom_base_url=None, env={}, secrets={})
    assert (conn.api_key, conn.key_source, conn.base_url) == (None, "none", "https://api.x.ai/v1")


def test_base_url_per_backend():
    env = {"XAI_BASE_URL": "http://127.0.0.1:1/v1/"}
    xai = resolve_connection(BACKEND_XAI, typed_key=None, custom_base_url="x", env=env, secrets={})
    assert xai.base_url == "http://127.0.0.1:1/v1"
    custom = resolve_connection(
        BACKEND_CUSTOM, typed_key=None, custom_base_url=" http://h:2/v1/ ", env=env, secrets={}
    )
    assert custom.base_url == "http://h:2/v1"


def test_the_key_never_shows_in_repr_or_cache_key():
    conn = resolve_connection(
        BACKEND_XAI, typed_key="xai-very-secret-123", custom_base_url=None, env={}, secrets={}
    )
    assert "xai-very-secret-123" not in repr(conn)
    assert "xai-very-secret-123" not in str(conn.cache_key)
    assert key_fingerprint("a") != key_fingerprint("b")


@pytest.mark.parametrize(
    ("key", "shown"), [("xai-abcdefghijklmnop", "xai-…mnop"), ("short", "…rt"), (None, "none")]
)
def test_redact_key(key, shown):
    assert redact_key(key) == shown


def test_status_names_the_key(fake_xai):
    status = check_connection(XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url))
    assert status.level == "success"
    assert "playground-test-key" in status.headline


def test_status_shows_the_servers_message_for_a_wrong_key(fake_xai):
    status = check_connection(XaiClient(api_key="wrong-key-000", base_url=fake_xai.base_url))
    assert status.level == "error"
    assert status.headline.startswith("Incorrect API key provided")
    assert "wrong-key-000" not in status.headline


def test_status_counts_models_on_servers_without_api_key_route():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/models":
            return httpx.Response(200, json={"object": "list", "data": [{"id": "a"}, {"id": "b"}]})
        return httpx.Response(404, json={"error": {"message": "not found"}})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    status = check_connection(XaiClient(api_key="k", base_url="http://local/v1", http_client=http))
    assert (status.level, status.headline) == ("success", "Connected: 2 models available")


def test_status_for_an_unreachable_server_is_a_plain_message():
    client = XaiClient(api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0)
    status = check_connection(client)
    assert status.level == "error"
    assert status.headline.startswith("Could not reach http://127.0.0.1:9")


def test_operator_key_is_never_sent_to_a_custom_url():
    env = {"XAI_API_KEY": "operator-key"}
    conn = resolve_connection(
        BACKEND_CUSTOM,
        typed_key=None,
        custom_base_url="http://attacker.example/v1",
        env=env,
        secrets={"XAI_API_KEY": "operator-secret"},
    )
    assert conn.api_key is None
    assert conn.problem is None  # a custom server may need no key
    typed = resolve_connection(
        BACKEND_CUSTOM, typed_key="mine", custom_base_url="http://h/v1", env=env, secrets={}
    )
    assert typed.api_key == "mine"


def test_problem_says_what_is_missing():
    no_key = resolve_connection(
        BACKEND_XAI, typed_key=None, custom_base_url=None, env={}, secrets={}
    )
    assert no_key.problem is not None and "API key" in no_key.problem
    no_url = resolve_connection(
        BACKEND_CUSTOM, typed_key=None, custom_base_url=" ", env={}, secrets={}
    )
    assert no_url.problem is not None and "base URL" in no_url.problem
