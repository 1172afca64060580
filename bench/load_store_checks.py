"""What the load scripts check in the workspace store after browser sessions chatted (no Streamlit).

Each session is a browser context: its workspace id (the ``xai_playground_workspace`` cookie), the
conversation its Chat page named in the URL (``?c=<id>``) and the messages it sent. Against the
app's store file, :func:`check_sessions` finds:

- a session's conversation that does not hold exactly its turns: user, assistant, user, ... in
  the order sent, each user turn the text sent, each assistant turn the complete answer;
- a workspace that lists an item (of any kind) that is not one of its own sessions'
  conversations, or two sessions sharing a workspace (every context is a new browser);
- a session's conversation that another session's workspace can open;
- items in the file under a workspace no session has (:func:`items_by_workspace` counts them).

It returns the lines to print (turns saved of sent, items per workspace) and the failures.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playground.store import KINDS, Store

__all__ = ["SessionRecord", "StoreCheck", "check_sessions", "items_by_workspace"]

KIND = "conversation"
LIST_LIMIT = 100_000  # every item of a workspace, not the history list's first 200


@dataclass(frozen=True)
class SessionRecord:
    """One browser session as the store should know it."""

    name: str
    workspace: str | None  # the cookie's value when the session ended (None: no cookie)
    conversation: str | None  # ``?c=`` in the page URL when the session ended
    sent: tuple[str, ...]  # the user messages sent, in order


@dataclass
class StoreCheck:
    """What the store holds for the sessions: lines to print and missed targets."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    turns_sent: int = 0
    turns_saved: int = 0


def _turn_problem(turns: Sequence[Any], expected: Sequence[tuple[str, str]]) -> str | None:
    """Why ``turns`` (a body's) are not exactly ``expected`` (role, content) pairs, or None."""
    for number, (want, got) in enumerate(zip(expected, turns, strict=False), start=1):
        role = got.get("role") if isinstance(got, dict) else None
        content = got.get("content") if isinstance(got, dict) else None
        if (role, content) != want:
            shown = str(content)[:60]
            return f"turn {number} is {role} {shown!r}, expected {want[0]} {want[1][:60]!r}"
    if len(turns) != len(expected):
        return f"{len(turns)} turns saved, expected {len(expected)}"
    return None


def _matching_prefix(turns: Sequence[Any], expected: Sequence[tuple[str, str]]) -> int:
    """How many of ``expected`` are saved, in order, from the first."""
    count = 0
    for want, got in zip(expected, turns, strict=False):
        if not isinstance(got, dict) or (got.get("role"), got.get("content")) != want:
            break
        count += 1
    return count


def check_sessions(
    store: Store, sessions: Sequence[SessionRecord], answer: str, census: Counter[str]
) -> StoreCheck:
    """Check each session's conversation, each workspace's items and isolation (see the module);
    ``census`` counts every item in the store by workspace (:func:`items_by_workspace`)."""
    check = StoreCheck()
    owners = Counter(s.workspace for s in sessions if s.workspace)
    unknown = sum(count for workspace, count in census.items() if workspace not in owners)
    if unknown:
        check.failures.append(f"{unknown} item(s) saved under a workspace no session has")
    for workspace, count in owners.items():
        if count > 1:
            check.failures.append(f"{count} sessions share one workspace ({workspace[:6]}…)")
    for session in sessions:
        _check_conversation(store, session, answer, check)
    for workspace in owners:
        _check_workspace(store, workspace, sessions, check)
    for reader in sessions:
        for owner in sessions:
            if reader is owner or not reader.workspace or not owner.conversation:
                continue
            if reader.workspace == owner.workspace:
                continue  # already a failure above
            if store.get_item(reader.workspace, owner.conversation) is not None:
                check.failures.append(
                    f"{reader.name}'s workspace opens {owner.name}'s conversation"
                )
    check.lines.insert(
        0, f"  turns saved           {check.turns_saved} of {check.turns_sent} sent (target: all)"
    )
    return check


def _check_conversation(
    store: Store, session: SessionRecord, answer: str, check: StoreCheck
) -> None:
    expected = [pair for text in session.sent for pair in (("user", text), ("assistant", answer))]
    check.turns_sent += len(expected)
    if not session.sent:
        return
    if not session.workspace:
        check.failures.append(f"{session.name}: no workspace cookie in the browser")
        return
    if not session.conversation:
        check.failures.append(f"{session.name}: the page URL names no conversation (?c=)")
        return
    item = store.get_item(session.workspace, session.conversation)
    if item is None or item.kind != KIND:
        check.failures.append(f"{session.name}: its conversation is not in its workspace")
        return
    turns = item.body.get("turns")
    turns = turns if isinstance(turns, list) else []
    check.turns_saved += _matching_prefix(turns, expected)
    problem = _turn_problem(turns, expected)
    if problem:
        check.failures.append(f"{session.name}'s saved conversation: {problem}")


def _check_workspace(
    store: Store, workspace: str, sessions: Sequence[SessionRecord], check: StoreCheck
) -> None:
    mine = [s for s in sessions if s.workspace == workspace]
    own = {s.conversation for s in mine if s.conversation}
    counts: list[str] = []
    for kind in KINDS:
        listed = store.list_items(workspace, kind, limit=LIST_LIMIT)
        if listed:
            counts.append(f"{len(listed)} {kind}")
        strangers = [i for i in listed if not (kind == KIND and i.id in own)]
        if strangers:
            check.failures.append(
                f"{mine[0].name}'s workspace lists {len(strangers)} {kind} item(s) not its own"
            )
    names = ", ".join(s.name for s in mine)
    check.lines.append(f"  items of {names:<13} {', '.join(counts) or 'none'}")


def items_by_workspace(database: Path) -> Counter[str]:
    """Every item in the SQLite file ``database``, counted by workspace id (read-only)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT workspace_id, count(*) FROM items GROUP BY workspace_id")
        return Counter({str(workspace): int(count) for workspace, count in rows})
    finally:
        connection.close()
