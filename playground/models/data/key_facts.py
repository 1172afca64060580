"""What ``/v1/api-key`` says about a key, in plain words (pure: no Streamlit)."""

from __future__ import annotations

from datetime import datetime

from xai_core import ApiKeyInfo

__all__ = ["key_facts", "key_warnings"]


def _when(stamp: str | None) -> str:
    """``2026-01-12 09:30 UTC`` from an ISO-8601 string; the string itself if it does not parse."""
    if not stamp:
        return "—"
    try:
        parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return parsed.strftime("%Y-%m-%d %H:%M UTC")


def _flag(on: bool) -> str:
    return "yes" if on else "no"


def key_facts(info: ApiKeyInfo) -> list[tuple[str, str]]:
    """(label, value) rows for the key panel. The key appears only in its redacted form."""
    return [
        ("name", info.name or "—"),
        ("key", info.redacted_api_key or "—"),
        ("key id", info.api_key_id or "—"),
        ("team", info.team_id or "—"),
        ("user", info.user_id or "—"),
        ("permissions (ACLs)", ", ".join(info.acls) or "none"),
        ("team blocked", _flag(info.team_blocked)),
        ("key blocked", _flag(info.api_key_blocked)),
        ("key disabled", _flag(info.api_key_disabled)),
        ("created", _when(info.create_time)),
        ("modified", _when(info.modify_time)),
        ("modified by", info.modified_by or "—"),
    ]


def key_warnings(info: ApiKeyInfo) -> list[str]:
    """One plain-language sentence per problem with the key or its team; empty when usable."""
    warnings = []
    if info.team_blocked:
        warnings.append(
            "Your team is blocked: xAI refuses every request made with this team's keys. "
            "A team admin can see why (often billing or credits) in the xAI console."
        )
    if info.api_key_blocked:
        warnings.append(
            "This API key is blocked: requests made with it are refused. "
            "Ask a team admin to unblock it, or create a new key in the xAI console."
        )
    if info.api_key_disabled:
        warnings.append(
            "This API key is disabled: requests made with it are refused until it is enabled "
            "again in the xAI console."
        )
    return warnings
