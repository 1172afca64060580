"""A completions prompt as the workspace store keeps it (pure, no Streamlit): its body, title and
search text, and the plain-text diff of two versions.

The body is ``{"format": 1, "model": "...", "prompt": "...", "suffix": "...", "params": {...}}``
(only parameters that are set), and in the stored item also ``"runs"``: its last runs
(:mod:`playground.completions.saved_runs`); versions keep the prompt part only. Reading a body
checks every parameter with the form's rules, so a stored body can never put an unknown or
out-of-range value into a request; what it leaves out is named.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.core.params import COMPLETIONS, load_values

__all__ = [
    "BODY_FORMAT",
    "KIND",
    "SavedPrompt",
    "changed_parameters",
    "kept_title",
    "prompt_body",
    "prompt_from_body",
    "prompt_part",
    "prompt_title",
    "search_text",
    "version_diff",
]

KIND = "prompt"
BODY_FORMAT = 1
PROMPT_FIELDS = ("format", "model", "prompt", "suffix", "params")
TITLE_LENGTH = 60


@dataclass(frozen=True)
class SavedPrompt:
    """What a stored prompt puts back into the form; ``skipped`` names parameters left out."""

    prompt: str = ""
    suffix: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    skipped: list[str] = field(default_factory=list)


def prompt_body(
    prompt: str, suffix: str, params: Mapping[str, Any], model: str | None
) -> dict[str, Any]:
    """The JSON body of a prompt: the text, the suffix, the model and the parameters set."""
    return {
        "format": BODY_FORMAT,
        "model": model,
        "prompt": prompt,
        "suffix": suffix,
        "params": {k: v for k, v in params.items() if v is not None},
    }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def prompt_from_body(body: Mapping[str, Any]) -> SavedPrompt:
    """The prompt a body holds; anything of the wrong type reads as empty, and a parameter the
    form would refuse is left out and named in ``skipped``."""
    raw = body.get("params")
    values, skipped = load_values(raw if isinstance(raw, dict) else {}, COMPLETIONS)
    model = body.get("model")
    return SavedPrompt(
        prompt=_text(body.get("prompt")),
        suffix=_text(body.get("suffix")),
        params={k: v for k, v in values.items() if v is not None},
        model=model if isinstance(model, str) and model else None,
        skipped=skipped,
    )


def prompt_title(prompt: str) -> str:
    """The first non-empty line of the prompt, at most 60 characters; else ``Untitled prompt``."""
    line = next((ln.strip() for ln in prompt.splitlines() if ln.strip()), "")
    if not line:
        return "Untitled prompt"
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


def kept_title(stored_title: str | None, stored_body: Mapping[str, Any], new_prompt: str) -> str:
    """The title to write with a changed prompt: the one made from ``new_prompt``, unless the
    stored title is not the one its own prompt made (a rename, a copy): then it stays."""
    if stored_title is None or stored_title == prompt_title(_text(stored_body.get("prompt"))):
        return prompt_title(new_prompt)
    return stored_title


def search_text(body: Mapping[str, Any]) -> str:
    """What a search looks in besides the title: the prompt and its suffix."""
    return _text(body.get("prompt")) + "\n" + _text(body.get("suffix"))


def prompt_part(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body without what is not the prompt itself (its runs): what versions compare."""
    return {k: v for k, v in body.items() if k in PROMPT_FIELDS}


def _shown(value: Any) -> str:
    return "unset" if value is None else json.dumps(value, ensure_ascii=False)


def changed_parameters(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """One line per parameter (and the model) that differs: ``name: old -> new``."""
    old_read, new_read = prompt_from_body(old), prompt_from_body(new)
    lines = []
    if old_read.model != new_read.model:
        lines.append(f"model: {_shown(old_read.model)} -> {_shown(new_read.model)}")
    for name in sorted(set(old_read.params) | set(new_read.params)):
        before, after = old_read.params.get(name), new_read.params.get(name)
        if before != after:
            lines.append(f"{name}: {_shown(before)} -> {_shown(after)}")
    return lines


def _text_diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    return list(
        difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm="")
    )


def version_diff(
    old: Mapping[str, Any], new: Mapping[str, Any], old_label: str, new_label: str
) -> str:
    """A plain-text diff of two prompt bodies: a unified diff of the prompt (and of the suffix
    when it changed), then the parameters that changed; ``No differences.`` when none."""
    old_read, new_read = prompt_from_body(old), prompt_from_body(new)
    parts: list[str] = []
    prompt = _text_diff(
        old_read.prompt, new_read.prompt, f"{old_label} prompt", f"{new_label} prompt"
    )
    if prompt:
        parts.append("\n".join(prompt))
    suffix = _text_diff(
        old_read.suffix, new_read.suffix, f"{old_label} suffix", f"{new_label} suffix"
    )
    if suffix:
        parts.append("\n".join(suffix))
    params = changed_parameters(old, new)
    if params:
        parts.append("Parameters changed:\n" + "\n".join(f"  {line}" for line in params))
    return "\n\n".join(parts) if parts else "No differences."
