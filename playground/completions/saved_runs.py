"""A prompt's last runs as the workspace store keeps them in the prompt's body (pure, no
Streamlit): each run's request, outputs (text and finish reason of every choice), reasoning,
stats (usage, cost, timings), error and stopped/refused/emulated marks; the latest first, at
most :data:`MAX_RUNS`.

Token log probabilities are not kept (they can be large): a reopened run shows its text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playground.completions.run import Choice, RunRecord
from playground.core.replies import checked, stats_body, stats_from_body

__all__ = ["MAX_RUNS", "RUNS_FIELD", "run_body", "run_from_body", "runs_from_body", "with_run"]

MAX_RUNS = 20
RUNS_FIELD = "runs"
_AS_IS = ("prompt", "suffix", "endpoint", "reasoning", "elapsed_s", "error")
_AS_IS_MARKS = ("stopped", "refused", "emulated")


def run_body(record: RunRecord) -> dict[str, Any]:
    """One run as a JSON document."""
    body: dict[str, Any] = {n: getattr(record, n) for n in _AS_IS + _AS_IS_MARKS}
    body["id"] = record.run_id
    body["params"], body["body"] = dict(record.params), dict(record.body)
    body["dropped"] = list(record.dropped)
    body["stats"] = None if record.stats is None else stats_body(record.stats)
    body["choices"] = [
        {"index": i, "text": c.text, "finish_reason": c.finish_reason, "pieces": c.pieces}
        for i, c in sorted(record.choices.items())
    ]
    return body


def _text(data: Mapping[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    return "" if value is None else str(checked(value, str, f"{where}'s {name}"))


def _choice(data: Any, where: str) -> tuple[int, Choice]:
    data = checked(data, dict, where)
    finish = data.get("finish_reason")
    return int(checked(data.get("index", 0), int, where)), Choice(
        text=_text(data, "text", where),
        finish_reason=None if finish is None else str(checked(finish, str, where)),
        pieces=int(checked(data.get("pieces") or 0, int, where)),
    )


def run_from_body(data: Any, where: str = "the run") -> RunRecord:
    """Read what :func:`run_body` made; ``ValueError`` says what is wrong with another one."""
    data = checked(data, dict, where)
    elapsed = data.get("elapsed_s")
    error = data.get("error")
    choices = checked(data.get("choices") or [], list, f"{where}'s choices")
    dropped = checked(data.get("dropped") or [], list, f"{where}'s dropped")
    record = RunRecord(
        prompt=_text(data, "prompt", where),
        suffix=_text(data, "suffix", where),
        params=dict(checked(data.get("params") or {}, dict, f"{where}'s params")),
        endpoint=_text(data, "endpoint", where) or "completions",
        body=dict(checked(data.get("body") or {}, dict, f"{where}'s body")),
        choices=dict(_choice(c, f"{where}'s choice") for c in choices),
        reasoning=_text(data, "reasoning", where),
        stats=stats_from_body(data.get("stats"), f"{where}'s stats"),
        elapsed_s=None if elapsed is None else float(checked(elapsed, (int, float), where)),
        error=None if error is None else str(checked(error, str, where)),
        stopped=bool(data.get("stopped")),
        refused=bool(data.get("refused")),
        emulated=bool(data.get("emulated")),
        dropped=[str(checked(name, str, where)) for name in dropped],
    )
    run_id = data.get("id")
    if isinstance(run_id, str) and run_id:
        record.run_id = run_id
    return record


def runs_from_body(body: Mapping[str, Any]) -> list[RunRecord]:
    """The runs a prompt body keeps, the latest first; a run that cannot be read is left out."""
    runs = body.get(RUNS_FIELD)
    if not isinstance(runs, list):
        return []
    records = []
    for number, data in enumerate(runs, start=1):
        try:
            records.append(run_from_body(data, f"run {number}"))
        except (ValueError, TypeError):
            continue
    return records


def with_run(
    runs: list[dict[str, Any]], record: RunRecord, limit: int = MAX_RUNS
) -> list[dict[str, Any]]:
    """``runs`` (the latest first) with ``record`` in front: it replaces its own older entry (a
    run saved while it was still closing), and only the ``limit`` latest stay."""
    others = [run for run in runs if run.get("id") != record.run_id]
    return [run_body(record), *others][:limit]
