"""The API key panel's facts and plain-language warnings."""

from __future__ import annotations

from playground.models.data.key_facts import key_facts, key_warnings
from tests.fake_xai import load_json
from xai_core import ApiKeyInfo

INFO = ApiKeyInfo.model_validate(load_json("api_key.json"))


def test_facts_show_the_redacted_key_team_acls_and_times():
    facts = dict(key_facts(INFO))
    assert facts["name"] == "playground-test-key"
    assert facts["key"] == "xai-...b7Qx"
    assert facts["team"] == "3f0d2c1e-8b7a-4c6d-9e5f-0a1b2c3d4e5f"
    assert facts["permissions (ACLs)"] == "api-key:model:*, api-key:endpoint:*"
    assert facts["created"] == "2026-01-12 09:30 UTC"
    assert facts["modified"] == "2026-02-03 14:05 UTC"
    assert facts["key blocked"] == "no"


def test_unparseable_times_are_shown_as_given():
    info = INFO.model_copy(update={"create_time": "sometime", "modify_time": None})
    facts = dict(key_facts(info))
    assert (facts["created"], facts["modified"]) == ("sometime", "—")


def test_a_usable_key_has_no_warning():
    assert key_warnings(INFO) == []


def test_each_flag_has_its_own_plain_warning():
    blocked = INFO.model_copy(update={"api_key_blocked": True})
    (warning,) = key_warnings(blocked)
    assert warning.startswith("This API key is blocked")
    team = INFO.model_copy(update={"team_blocked": True, "api_key_disabled": True})
    warnings = key_warnings(team)
    assert [w.split(":")[0] for w in warnings] == [
        "Your team is blocked",
        "This API key is disabled",
    ]
