"""A completions prompt as the store keeps it: body round trip, checked parameters, title, and the
plain-text diff of two versions."""

from __future__ import annotations

import json

from playground.completions.saved import (
    SavedPrompt,
    changed_parameters,
    kept_title,
    prompt_body,
    prompt_from_body,
    prompt_part,
    prompt_title,
    search_text,
    version_diff,
)


def test_a_body_round_trips_through_json() -> None:
    body = prompt_body("Once upon", " The end.", {"temperature": 0.7, "seed": None}, "m1")
    assert body["params"] == {"temperature": 0.7}  # unset parameters are not kept
    read = prompt_from_body(json.loads(json.dumps(body)))
    assert read == SavedPrompt("Once upon", " The end.", {"temperature": 0.7}, "m1", [])


def test_a_bad_stored_parameter_is_left_out_and_named() -> None:
    body = {"prompt": 3, "params": {"temperature": 99, "bogus": 1, "seed": 7}, "model": ""}
    read = prompt_from_body(body)
    assert read.prompt == "" and read.suffix == "" and read.model is None
    assert read.params == {"seed": 7}
    assert read.skipped == ["temperature", "bogus"]
    assert prompt_from_body({"params": "not a dict"}).params == {}


def test_the_title_is_the_first_line_shortened() -> None:
    assert prompt_title("\n  Write a haiku \nabout rain") == "Write a haiku"
    assert prompt_title("   \n") == "Untitled prompt"
    long = prompt_title("x" * 100)
    assert len(long) == 60 and long.endswith("…")


def test_changed_parameters_name_old_and_new_values() -> None:
    old = prompt_body("p", "", {"temperature": 0.2, "stop": ["END"]}, "m1")
    new = prompt_body("p", "", {"temperature": 0.9, "seed": 3, "stop": ["END"]}, "m2")
    assert changed_parameters(old, new) == [
        'model: "m1" -> "m2"',
        "seed: unset -> 3",
        "temperature: 0.2 -> 0.9",
    ]
    assert changed_parameters(old, old) == []


def test_version_diff_is_a_unified_diff_of_the_prompt_then_the_parameters() -> None:
    old = prompt_body("Hello\nworld", "", {"temperature": 0.2}, "m")
    new = prompt_body("Hello\nthere", " bye", {"temperature": 0.5}, "m")
    diff = version_diff(old, new, "v1", "v2")
    assert diff.splitlines()[:2] == ["--- v1 prompt", "+++ v2 prompt"]
    assert "-world" in diff and "+there" in diff and " Hello" in diff
    assert "+++ v2 suffix" in diff and "+ bye" in diff
    assert diff.endswith("Parameters changed:\n  temperature: 0.2 -> 0.5")
    assert version_diff(old, old, "v1", "v1") == "No differences."


def test_version_diff_keeps_markup_as_text() -> None:
    old = prompt_body("<b>x</b>", "", {}, None)
    new = prompt_body("<script>alert(1)</script>", "", {}, None)
    assert "+<script>alert(1)</script>" in version_diff(old, new, "v1", "v2")


def test_a_title_the_user_gave_stays_and_a_made_one_follows_the_prompt() -> None:
    stored = prompt_body("Old first line", "", {}, None)
    assert kept_title(None, {}, "New text") == "New text"
    assert kept_title("Old first line", stored, "New text") == "New text"
    assert kept_title("My rename", stored, "New text") == "My rename"


def test_the_prompt_part_leaves_the_runs_out() -> None:
    body = {**prompt_body("p", "s", {}, "m"), "runs": [{"id": "x"}]}
    assert prompt_part(body) == prompt_body("p", "s", {}, "m")
    assert search_text(body) == "p\ns"
