"""Presets: names, export/import round trip and validation of imported files; parameter rules."""

from __future__ import annotations

import json

import pytest

from playground.completions.continuation import as_chat_continuation
from playground.completions.presets import (
    BUILTIN_PRESETS,
    FORMAT,
    export_presets,
    import_presets,
    preset_body,
    preset_item_id,
    preset_name,
    stored_presets,
)
from playground.core.params import COMPLETIONS, parse_logit_bias, parse_stop, validate_params


def test_export_then_import_gives_the_same_presets() -> None:
    presets = {
        "Greedy": {"temperature": 0.0, "max_tokens": 16, "stop": ["\n\n"], "seed": None},
        "Biased": {"logit_bias": {"42": -100.0}, "echo": True, "logprobs": 3},
    }
    text = export_presets(presets)
    assert json.loads(text)["format"] == FORMAT
    assert "seed" not in json.loads(text)["presets"]["Greedy"]  # unset is not exported
    assert import_presets(text) == {
        "Greedy": {"temperature": 0.0, "max_tokens": 16, "stop": ["\n\n"]},
        "Biased": {"logit_bias": {"42": -100.0}, "echo": True, "logprobs": 3},
    }


def test_builtin_presets_are_valid() -> None:
    assert import_presets(export_presets(BUILTIN_PRESETS)) == BUILTIN_PRESETS


def test_a_bare_object_of_presets_is_accepted_and_names_are_trimmed() -> None:
    assert import_presets('{"  hot   one ": {"temperature": 1.5}}') == {
        "hot one": {"temperature": 1.5}
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "Not valid JSON"),
        ("[1, 2]", "Expected a JSON object"),
        ('{"presets": {}}', "No presets found"),
        ('{"format": "other", "presets": {"a": {}}}', "Unknown format"),
        ('{"version": 9, "presets": {"a": {}}}', "Unsupported version"),
        ('{"a": {"temperature": 5}}', "Preset 'a': temperature must be at most 2"),
        ('{"a": {"api_key": "xai-123"}}', "Preset 'a': Unknown parameter 'api_key'"),
        ('{"a": {"n": 3, "best_of": 2}}', "best_of \\(2\\) must be at least n \\(3\\)"),
        ('{"a": {"logit_bias": {"abc": 1}}}', "token ids"),
        ('{"a": {"echo": "yes"}}', "echo must be true or false"),
        ('{"a": 3}', "expected an object"),
        ('{"": {}}', "Give the preset a name"),
    ],
)
def test_bad_files_are_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_presets(text)


def test_preset_names_have_a_length_limit() -> None:
    with pytest.raises(ValueError, match="at most 60"):
        preset_name("x" * 61)


def test_stop_sequences_are_one_per_line_with_escapes() -> None:
    assert parse_stop("END\n\\n\\n\n\n") == ["END", "\n\n"]
    assert parse_stop("") is None
    with pytest.raises(ValueError, match="At most 4"):
        parse_stop("a\nb\nc\nd\ne")


def test_logit_bias_is_validated_json() -> None:
    assert parse_logit_bias('{"50256": -100, "7": 2.5}') == {"50256": -100.0, "7": 2.5}
    assert parse_logit_bias("  ") is None
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_logit_bias('{"1": }')
    with pytest.raises(ValueError, match="between -100 and 100"):
        parse_logit_bias('{"1": 101}')
    with pytest.raises(ValueError, match="JSON object"):
        parse_logit_bias("[1]")


def test_validate_params_normalises_numbers_and_drops_unset() -> None:
    assert validate_params({"max_tokens": 8.0, "temperature": 1, "seed": None}, COMPLETIONS) == {
        "max_tokens": 8,
        "temperature": 1.0,
    }
    with pytest.raises(ValueError, match="logprobs must be at most 5"):
        validate_params({"logprobs": 6}, COMPLETIONS)
    with pytest.raises(ValueError, match="must be a number"):
        validate_params({"temperature": True}, COMPLETIONS)


def test_chat_continuation_sends_only_what_chat_models_accept() -> None:
    params = {"temperature": 0.3, "max_tokens": 12, "stop": ["x"], "presence_penalty": 1.0}
    chat = as_chat_continuation("Once upon", params)
    assert chat.params == {"temperature": 0.3, "max_completion_tokens": 12}
    assert chat.dropped == ["stop", "presence_penalty"]
    assert chat.messages[-1] == {"role": "user", "content": "Once upon"}
    assert chat.messages[0]["role"] == "system"


def test_chat_continuation_keeps_what_means_the_same_in_chat() -> None:
    params = {"n": 2, "seed": 1, "top_p": 0.5, "user": "u", "logprobs": 2, "best_of": 3}
    chat = as_chat_continuation("x", {**params, "echo": True, "logit_bias": {"1": 2.0}})
    assert chat.params == {"n": 2, "seed": 1, "top_p": 0.5, "user": "u"}
    assert chat.dropped == ["logprobs", "best_of", "echo", "logit_bias"]  # no chat meaning


def test_a_preset_is_kept_in_the_store_under_an_id_from_workspace_and_name() -> None:
    assert preset_item_id("ws1", "Mine") == preset_item_id("ws1", "Mine")
    assert preset_item_id("ws1", "Mine") != preset_item_id("ws2", "Mine")
    assert preset_item_id("ws1", "Mine") != preset_item_id("ws1", "Other")
    assert len(preset_item_id("ws1", "Mine")) == 32
    assert preset_body({"temperature": 0.2, "seed": None}) == {"params": {"temperature": 0.2}}


def test_stored_presets_are_checked_like_an_imported_file() -> None:
    found = stored_presets(
        [
            ("Mine", {"params": {"temperature": 0.2}}),
            ("Bad value", {"params": {"temperature": 99, "seed": 3}}),
            ("", {"params": {"seed": 1}}),
            ("No params", {"other": 1}),
        ]
    )
    assert found == {"Mine": {"temperature": 0.2}, "Bad value": {"seed": 3}}
