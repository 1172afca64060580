"""Connection resolution and the status line, against the fake xAI server."""

from __future__ import annotations

import httpx
import pytest

from playground.core.connection import (
    BACKEND_CUSTOM,
    BACKEND_LOCAL,
    BACKEND_XAI,
    BackendPolicy,
    ConnectionStatus,
    backend_policy,
    check_connection,
    choose_backend,
    default_backend,
    key_fingerprint,
    local_connection,
    problem_status,
    redact_key,
    resolve_connection,
    status_line,
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


# --- the deployment lock: PLAYGROUND_BACKENDS and PLAYGROUND_CUSTOM_URL_PREFIXES ---------------


def test_every_backend_is_offered_by_default():
    assert backend_policy({}) == BackendPolicy(("local", "xai", "custom"), (), ())


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("xai", ("xai",)),
        (" Custom , LOCAL ", ("local", "custom")),  # the sidebar's order, any case and spacing
        ("xai,,xai", ("xai",)),
    ],
)
def test_backends_setting_lists_the_offered_backends(value, allowed):
    policy = backend_policy({"PLAYGROUND_BACKENDS": value})
    assert (policy.allowed, policy.problems) == (allowed, ())


@pytest.mark.parametrize(
    ("value", "allowed", "named"),
    [
        ("xai,lcoal", ("xai",), "lcoal"),  # a typo drops that name, keeps the valid ones
        ("everything", ("local", "xai"), "everything"),  # nothing valid: never the custom URL
        (" , ", ("local", "xai"), "nothing"),
    ],
)
def test_a_wrong_backends_setting_is_named_and_read_restrictively(value, allowed, named):
    policy = backend_policy({"PLAYGROUND_BACKENDS": value})
    assert policy.allowed == allowed
    (problem,) = policy.problems
    assert problem.startswith("PLAYGROUND_BACKENDS must list some of local, xai, custom")
    assert named in problem


def test_a_disallowed_backend_in_the_session_falls_back_to_an_allowed_one():
    pinned = backend_policy({"PLAYGROUND_BACKENDS": "xai"})
    for forged in (BACKEND_CUSTOM, BACKEND_LOCAL, "CUSTOM", "evil", None, ["custom"]):
        assert choose_backend(forged, env={}, secrets={}, policy=pinned) == BACKEND_XAI
    local_only = backend_policy({"PLAYGROUND_BACKENDS": "local"})
    env = {"XAI_API_KEY": "operator-key"}  # configured for xAI, yet xAI is not on offer
    assert choose_backend(BACKEND_XAI, env=env, secrets={}, policy=local_only) == BACKEND_LOCAL
    everything = backend_policy({})
    assert choose_backend(BACKEND_CUSTOM, env={}, secrets={}, policy=everything) == BACKEND_CUSTOM


def test_default_backend_prefers_the_configured_one_among_the_allowed():
    configured = {"XAI_BASE_URL": "http://10.0.0.1/v1"}
    assert default_backend(configured, {}) == BACKEND_XAI
    assert default_backend({}, {}) == BACKEND_LOCAL
    no_local = backend_policy({"PLAYGROUND_BACKENDS": "custom,xai"})
    assert default_backend({}, {}, no_local) == BACKEND_XAI
    custom_only = backend_policy({"PLAYGROUND_BACKENDS": "custom"})
    assert default_backend(configured, {}, custom_only) == BACKEND_CUSTOM


def test_resolve_connection_refuses_a_backend_the_deployment_does_not_offer():
    pinned = backend_policy({"PLAYGROUND_BACKENDS": "xai"})
    env = {"XAI_API_KEY": "operator-key", "XAI_BASE_URL": "http://10.0.0.1/v1"}
    conn = resolve_connection(
        BACKEND_CUSTOM,
        typed_key="typed",
        custom_base_url="http://169.254.169.254/latest",
        env=env,
        secrets={},
        policy=pinned,
    )
    assert (conn.base_url, conn.api_key) == ("", None)
    assert conn.problem == "This deployment does not offer that backend."
    xai = resolve_connection(
        BACKEND_XAI,
        typed_key=None,
        custom_base_url="http://x/v1",
        env=env,
        secrets={},
        policy=pinned,
    )
    assert (xai.base_url, xai.api_key, xai.problem) == ("http://10.0.0.1/v1", "operator-key", None)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://10.1.2.3:8000/v1", True),
        ("http://10.1.2.3:8000/v1/", True),
        ("HTTP://10.1.2.3:8000/v1/models", True),
        ("https://models.example.com/openai/v1", True),
        ("http://10.1.2.3:8001/v1", False),  # another port
        ("http://10.1.2.3:80000/v1", False),  # not even a port
        ("http://10.1.2.3:8000/v10", False),  # a prefix of the text, not of the path
        ("http://10.1.2.3:8000/", False),
        ("https://10.1.2.3:8000/v1", False),  # another scheme
        ("https://models.example.com.evil.net/openai/v1", False),
        ("https://models.example.com@evil.net/openai/v1", False),  # userinfo, not the host
        ("file:///etc/passwd", False),
        ("http://169.254.169.254/latest/meta-data", False),
    ],
)
def test_custom_url_prefixes_allow_only_urls_under_them(url, allowed):
    env = {
        "PLAYGROUND_CUSTOM_URL_PREFIXES": "http://10.1.2.3:8000/v1, https://models.example.com/openai"
    }
    policy = backend_policy(env)
    assert policy.problems == ()
    conn = resolve_connection(
        BACKEND_CUSTOM, typed_key="k", custom_base_url=url, env={}, secrets={}, policy=policy
    )
    assert (conn.problem is None) == allowed
    if not allowed:
        assert conn.base_url == "" and conn.api_key is None
        assert "only allows custom base URLs under http://10.1.2.3:8000/v1" in (conn.problem or "")


def test_invalid_custom_url_prefixes_are_named_and_never_open_the_custom_backend():
    policy = backend_policy({"PLAYGROUND_CUSTOM_URL_PREFIXES": "10.1.2.3:8000, ftp://x"})
    assert policy.allowed == ("local", "xai")
    (problem,) = policy.problems
    assert "PLAYGROUND_CUSTOM_URL_PREFIXES must hold http(s) URLs" in problem
    assert "ftp://x" in problem
    partly = backend_policy({"PLAYGROUND_CUSTOM_URL_PREFIXES": "ftp://x,http://h:1/v1"})
    assert (partly.allowed, partly.custom_url_prefixes) == (
        ("local", "xai", "custom"),
        ("http://h:1/v1",),
    )


def test_a_refused_connection_is_said_in_plain_words():
    client = XaiClient(api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0)
    status = check_connection(client)
    assert "connection was refused" in status.headline
    assert "Errno" not in status.headline and "111" not in status.headline


@pytest.mark.parametrize("typed", ["localhost:8000/v1", "127.0.0.1:8000/v1", "api.example/v1"])
def test_a_base_url_without_scheme_says_how_to_write_it(typed: str) -> None:
    client = XaiClient(api_key="k", base_url=typed, max_retries=0)
    status = check_connection(client)
    assert status.level == "error"
    assert "must start with http:// or https://" in status.headline, status.headline
    assert "://:" not in status.headline and "Request URL" not in status.headline


# --- the one-line status ("xAI · key ok") ------------------------------------------------------


def test_the_status_line_says_in_two_words_what_the_server_said(fake_xai):
    ok = check_connection(XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url))
    assert (status_line(BACKEND_XAI, ok), ok.usable) == ("xAI · key ok", True)
    refused = check_connection(XaiClient(api_key="wrong-key-000", base_url=fake_xai.base_url))
    assert (status_line(BACKEND_XAI, refused), refused.usable) == ("xAI · key refused", False)
    away = check_connection(XaiClient(api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0))
    assert status_line(BACKEND_CUSTOM, away) == "Custom · unreachable"


def test_the_status_line_of_a_server_without_the_key_route_counts_its_models():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/models":
            return httpx.Response(200, json={"object": "list", "data": [{"id": "a"}]})
        return httpx.Response(404, json={"error": {"message": "not found"}})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    status = check_connection(XaiClient(api_key="k", base_url="http://h/v1", http_client=http))
    assert status_line(BACKEND_CUSTOM, status) == "Custom · 1 model"
    local = check_connection(
        XaiClient(api_key="k", base_url="http://h/v1", http_client=http), BACKEND_LOCAL
    )
    assert status_line(BACKEND_LOCAL, local) == "Local (offline) · ready"


def test_a_connection_that_cannot_ask_yet_says_why_in_short():
    no_key = resolve_connection(
        BACKEND_XAI, typed_key=None, custom_base_url=None, env={}, secrets={}
    )
    status = problem_status(no_key)
    assert status is not None and not status.usable
    assert status_line(BACKEND_XAI, status) == "xAI · no key"
    assert "Enter an xAI API key" in status.headline
    no_url = resolve_connection(
        BACKEND_CUSTOM, typed_key="k", custom_base_url=" ", env={}, secrets={}
    )
    assert status_line(BACKEND_CUSTOM, problem_status(no_url) or ok_status()) == "Custom · no URL"
    down = local_connection(None, None, "The local backend could not start. boom")
    assert status_line(BACKEND_LOCAL, problem_status(down) or ok_status()) == (
        "Local (offline) · not running"
    )
    ready = resolve_connection(BACKEND_XAI, typed_key="k", custom_base_url=None, env={}, secrets={})
    assert problem_status(ready) is None


def ok_status() -> ConnectionStatus:
    return ConnectionStatus("success", "fine")
