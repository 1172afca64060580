"""A prompt's last runs as the store keeps them: a run round-trips through JSON (outputs, finish
reasons, stats with usage and cost, marks), the latest comes first, at most 20 are kept, a run
saved while closing is replaced, and a broken stored run is left out."""

from __future__ import annotations

import json

import pytest

from playground.completions.run import Choice, RunRecord
from playground.completions.saved_runs import (
    MAX_RUNS,
    run_body,
    run_from_body,
    runs_from_body,
    with_run,
)
from playground.core.replies import ReplyStats
from xai_core import Usage


def a_run(text: str = " the fox", **marks: object) -> RunRecord:
    usage = Usage.model_validate(
        {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8,
         "prompt_tokens_details": {"cached_tokens": 2}}
    )  # fmt: skip
    record = RunRecord(
        "Once upon", " The end.", {"temperature": 0.5, "n": 2}, "completions",
        {"model": "m1", "prompt": "Once upon"},
    )  # fmt: skip
    record.choices = {0: Choice(text, "stop", 3), 1: Choice(" a time", "length", 2)}
    record.stats = ReplyStats("m1", usage, 0.000012, 0.25, 40.0, "stop")
    record.elapsed_s = 1.5
    for name, value in marks.items():
        setattr(record, name, value)
    return record


def test_a_run_round_trips_through_json() -> None:
    record = a_run(error="late failure", stopped=True, dropped=["suffix"], reasoning="hmm")
    back = run_from_body(json.loads(json.dumps(run_body(record))))
    assert back == record  # same fields, same run id
    assert back.stats is not None and back.stats.line() == record.stats.line()  # type: ignore[union-attr]
    assert "5 in (2 cached)" in back.stats.line() and "$0.000012" in back.stats.line()
    assert [c.finish_reason for c in back.ordered_choices()] == ["stop", "length"]


def test_logprobs_are_not_kept() -> None:
    record = a_run()
    assert "logprobs" not in json.dumps(run_body(record))


def test_the_latest_run_comes_first_and_only_the_last_twenty_stay() -> None:
    runs: list[dict[str, object]] = []
    records = [a_run(f" run {i}") for i in range(MAX_RUNS + 5)]
    for record in records:
        runs = with_run(runs, record)  # type: ignore[arg-type]
    read = runs_from_body({"runs": runs})
    assert len(read) == MAX_RUNS
    assert [r.choices[0].text for r in read[:2]] == [" run 24", " run 23"]
    assert read[-1].choices[0].text == " run 5"


def test_a_run_saved_again_replaces_its_older_entry() -> None:
    record = a_run(" partial")
    runs = with_run(with_run([], a_run(" older")), record)
    record.choices[0].text = " partial, then complete"
    runs = with_run(runs, record)
    read = runs_from_body({"runs": runs})
    assert [r.choices[0].text for r in read] == [" partial, then complete", " older"]


def test_a_broken_stored_run_is_left_out() -> None:
    good = run_body(a_run())
    body = {"runs": [{"choices": "nope"}, good, 7, {"stats": {"cost_usd": "x"}}]}
    assert [r.run_id for r in runs_from_body(body)] == [good["id"]]
    assert runs_from_body({"runs": "nope"}) == [] and runs_from_body({}) == []
    with pytest.raises(ValueError):
        run_from_body({"elapsed_s": "slow"})
