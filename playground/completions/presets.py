"""Named sets of completion parameters, their JSON import/export, and how the workspace store keeps
them (pure, no Streamlit).

The exported file is ``{"format": "xai-playground/completion-presets", "version": 1,
"presets": {"name": {"temperature": 0.2, ...}}}``. Import checks every value with the same rules
as the form, so a file can never put an out-of-range or unknown field into a request.

In the store a preset is an item of kind ``preset``: its title is the name and its body
``{"params": {...}}``; its id follows from the workspace and the name, so saving a name again
replaces that preset.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from playground.core.params import COMPLETIONS, load_values, validate_params

__all__ = [
    "BUILTIN_PRESETS",
    "FORMAT",
    "KIND",
    "MAX_NAME_LENGTH",
    "export_presets",
    "import_presets",
    "preset_body",
    "preset_item_id",
    "preset_name",
    "stored_presets",
]

KIND = "preset"

FORMAT = "xai-playground/completion-presets"
VERSION = 1
MAX_NAME_LENGTH = 60
MAX_PRESETS = 100
MAX_FILE_CHARS = 200_000

BUILTIN_PRESETS: dict[str, dict[str, Any]] = {
    "Deterministic": {"temperature": 0.0, "seed": 42},
    "Balanced": {"temperature": 0.7, "top_p": 0.95},
    "Creative": {"temperature": 1.3, "top_p": 0.98, "presence_penalty": 0.5},
}


def preset_name(name: str) -> str:
    """``name`` trimmed; ``ValueError`` when empty or longer than :data:`MAX_NAME_LENGTH`."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("Give the preset a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValueError(f"Preset names are at most {MAX_NAME_LENGTH} characters")
    return cleaned


def export_presets(presets: Mapping[str, Mapping[str, Any]]) -> str:
    """The presets as a JSON document (only parameters that are set)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "presets": {
            name: {k: v for k, v in params.items() if v is not None}
            for name, params in presets.items()
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def import_presets(text: str) -> dict[str, dict[str, Any]]:
    """Presets read from an exported document (or a bare ``{"name": {...}}`` object).

    Raises ``ValueError`` with a message naming the problem (and the preset) when the text is not
    JSON, not in this shape, or holds a value the request would not accept.
    """
    if len(text) > MAX_FILE_CHARS:
        raise ValueError(f"The file is too large (more than {MAX_FILE_CHARS:,} characters)")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"Not valid JSON for presets: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(document, dict):
        raise ValueError("Expected a JSON object with a 'presets' object")
    if "presets" in document:
        if document.get("format", FORMAT) != FORMAT:
            raise ValueError(f"Unknown format {document.get('format')!r}; expected {FORMAT!r}")
        if document.get("version", VERSION) != VERSION:
            raise ValueError(f"Unsupported version {document.get('version')!r}")
        document = document["presets"]
    if not isinstance(document, dict) or not document:
        raise ValueError("No presets found")
    if len(document) > MAX_PRESETS:
        raise ValueError(f"At most {MAX_PRESETS} presets per file")
    presets: dict[str, dict[str, Any]] = {}
    for raw_name, params in document.items():
        name = preset_name(str(raw_name))
        if not isinstance(params, dict):
            raise ValueError(f"Preset {name!r}: expected an object of parameters")
        try:
            presets[name] = validate_params(params, COMPLETIONS)
        except ValueError as exc:
            raise ValueError(f"Preset {name!r}: {exc}") from None
    return presets


def preset_item_id(workspace: str, name: str) -> str:
    """The store id of the preset ``name`` in ``workspace``: the same name gives the same item."""
    return hashlib.sha256(f"{workspace}\0{name}".encode()).hexdigest()[:32]


def preset_body(params: Mapping[str, Any]) -> dict[str, Any]:
    """The store body of a preset: the parameters that are set."""
    return {"params": {k: v for k, v in params.items() if v is not None}}


def stored_presets(items: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The presets among stored ``(title, body)`` pairs, each checked with the form's rules (a
    parameter the form would refuse is left out; a bad name or body is skipped)."""
    presets: dict[str, dict[str, Any]] = {}
    for title, body in items:
        params = body.get("params")
        try:
            name = preset_name(title)
        except ValueError:
            continue
        if isinstance(params, dict):
            values, _ = load_values(params, COMPLETIONS)
            presets[name] = {k: v for k, v in values.items() if v is not None}
    return presets
