"""Kept widget values as a stored document: what may be stored, digests, and merging tabs."""

from __future__ import annotations

import datetime

from playground.core.kept_values import (
    NOT_JSON,
    digest,
    from_document,
    json_value,
    merge_scopes,
    storable_scopes,
    strip_userinfo,
    to_document,
)


def test_json_values_pass_and_others_do_not() -> None:
    assert json_value((1, 2.5)) == [1, 2.5]
    assert json_value(["a", None, True]) == ["a", None, True]
    assert json_value(datetime.date(2026, 1, 1)) is NOT_JSON
    assert json_value({"edited_rows": {}}) is NOT_JSON
    assert json_value(float("nan")) is NOT_JSON
    assert json_value([1, object()]) is NOT_JSON


def test_strip_userinfo() -> None:
    assert strip_userinfo("http://user:pw@127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"
    assert strip_userinfo("https://token@example.com/v1?x=1") == "https://example.com/v1?x=1"
    assert strip_userinfo("http://[::1]:9/v1") == "http://[::1]:9/v1"
    assert strip_userinfo("http://u:p@[::1]:9/v1") == "http://[::1]:9/v1"
    assert strip_userinfo("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"
    assert strip_userinfo("http://u@h:notaport/") == ""


def test_storable_scopes_drop_keys_secrets_and_objects() -> None:
    scopes = {
        "app": {
            "api_key": "xai-secret",
            "_typed_api_key": "xai-secret",
            "custom_base_url": "http://me:pw@host:1/v1",
            "backend": "custom",
        },
        "chat": {"chat_system_prompt": "Be brief.", "when": datetime.date(2026, 1, 1)},
    }
    stored = storable_scopes(scopes, ["custom_base_url"])
    assert stored == {
        "app": {"custom_base_url": "http://host:1/v1", "backend": "custom"},
        "chat": {"chat_system_prompt": "Be brief."},
    }
    assert "secret" not in repr(stored) and "pw" not in repr(stored)


def test_document_round_trip_and_bad_shapes() -> None:
    scopes = {"chat": {"chat_temperature": 0.5, "chat_stop": ["a", "b"]}}
    assert from_document(to_document(scopes)) == scopes
    assert from_document(None) == {}
    assert from_document({"version": 99, "scopes": scopes}) == {}
    assert from_document({"version": 1, "scopes": ["x"]}) == {}
    forged = {"version": 1, "scopes": {"app": {"api_key": "k", "ok": 1}, "x": 3}}
    assert from_document(forged) == {"app": {"ok": 1}}


def test_digest_is_stable_and_sensitive() -> None:
    assert digest({"a": {"x": 1, "y": 2}}) == digest({"a": {"y": 2, "x": 1}})
    assert digest({"a": {"x": 1}}) != digest({"a": {"x": 2}})


def test_merge_keeps_other_tabs_scopes() -> None:
    stored = {"chat": {"p": "other tab"}, "models": {"m": 1}}
    mine = {"chat": {"p": "stale"}, "completions": {"q": "mine"}}
    assert merge_scopes(stored, mine, {"completions"}) == {
        "chat": {"p": "other tab"},
        "models": {"m": 1},
        "completions": {"q": "mine"},
    }
