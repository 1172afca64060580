"""Models & pricing reads well (AppTest, issue 17), with a key (the fake xAI server) and offline
(the local backend, or no server): xAI's snapshot models beside the local ones, marked; details
in dollars and dates; labelled charts; "—" for a missing value; a blended column that names its
mix; a readable key table; public snapshot sources; models only /v1/models lists."""

from __future__ import annotations

import json
import socket

import pytest

from local_backend.launcher import LocalBackendProcess
from playground.models.compute import BLENDED
from playground.models.data.snapshot import load_snapshot
from tests.apptest import texts
from tests.fake_xai import FakeXai, load_json
from tests.models.models_page import frame_with, open_models_page, open_tab


def test_no_table_shows_a_literal_none(env_fake: FakeXai) -> None:
    at = open_models_page()
    language = frame_with(at, "cached input $/1M").set_index("model")
    assert language["context"].isna().any()  # grok-build-0.1 has no context: a missing value
    assert all(df.proto.placeholder == "—" for df in at.dataframe)
    for tab in ("Cost calculator", "Snapshot", "API key"):
        open_tab(at, tab)
        assert at.dataframe and all(df.proto.placeholder == "—" for df in at.dataframe), tab


def test_the_blended_price_says_its_mix(env_fake: FakeXai) -> None:
    at = open_models_page()
    assert "blended $/1M (3:1 input:output)" in frame_with(at, "cached input $/1M").columns


def test_the_api_key_table_gives_its_values_the_room(env_fake: FakeXai) -> None:
    at = open_tab(open_models_page(), "API key")
    table = next(df for df in at.dataframe if "field" in df.value.columns)
    columns = json.loads(table.proto.columns)
    assert columns["value"]["width"] == "large" and columns["field"]["width"] == "medium"


def test_snapshot_sources_are_public_addresses() -> None:
    sources = load_snapshot().sources
    assert sources and all(source.startswith("https://") for source in sources), sources


def test_models_only_in_v1_models_are_listed_with_their_kind_and_price(
    env_fake: FakeXai,
) -> None:
    listing = load_json("models.json")
    video = {"id": "grok-imagine-video", "object": "model", "owned_by": "xai", "created": 0}
    env_fake.answer_next(
        {**listing, "data": [*listing["data"], video]}, path="/v1/models", times=None
    )
    at = open_models_page()
    others = frame_with(at, "kind").set_index("model")
    assert others.loc["grok-2-image-1212", "kind"] == "image"
    assert others.loc["grok-2-image-1212", "price"] == "$0.07 per image"
    assert others.loc["grok-imagine-video", "price"] == "no price listed"
    assert "grok-3-mini" not in others.index  # a language model stays in its own table
    assert "Other models" in texts(at.subheader)


def test_offline_without_a_server_the_snapshot_fills_the_models_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("XAI_API_KEY", "xai-nothing-listens-here")
    monkeypatch.setenv("XAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    at = open_models_page()
    language = frame_with(at, "source")
    assert set(language["source"]) == {f"snapshot {load_snapshot().as_of.isoformat()}"}
    assert "grok-4.3" in language["model"].tolist()


def test_offline_the_page_reads_well(env_local: LocalBackendProcess) -> None:
    """The local backend (no key): the same readable page as with a key, on the snapshot's rows."""
    at = open_models_page()
    language = frame_with(at, "source")
    assert BLENDED in language.columns
    assert all(df.proto.placeholder == "—" for df in at.dataframe)
    # a snapshot row's details: read from the snapshot (no server to ask for its raw JSON)
    at.session_state["models_language_table"] = {
        "selection": {"rows": [language["model"].tolist().index("grok-4.3")], "columns": []}
    }
    at.run()
    assert not at.exception
    facts = frame_with(at, "field").set_index("field")["value"]
    assert facts["source"] == f"snapshot {load_snapshot().as_of.isoformat()}"
    assert facts["input price"] == "$1.25 per 1M tokens"
    assert facts["context"] == "1,000,000 tokens"
    assert facts["input"] == "text, image"
    assert not [e for e in at.expander if e.label == "Raw JSON from the server"]
    assert not [b for b in at.button if b.key == "models_open_chat"]  # the local backend lacks it
    # the charts: labelled points, equal prices share one, three distinct lines at first
    open_tab(at, "Charts")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    scatter = next(s for s in specs if s["layout"]["xaxis"].get("type") == "log")
    assert all(t["mode"] == "markers+text" for t in scatter["data"])
    shared = next(t for t in scatter["data"] if "grok-4.3" in t["name"])  # $1.25 / $2.50
    assert shared["text"] == [
        "grok-4.3<br>grok-4.20-0309-reasoning<br>grok-4.20-0309-non-reasoning"
    ]
    assert "snapshot " in scatter["layout"]["title"]["text"]
    curve = next(s for s in specs if "prompt length" in s["layout"]["title"]["text"])
    assert len({tuple(t["y"]) for t in curve["data"]}) == len(curve["data"]) == 3
    for tab in ("Cost calculator", "Snapshot", "API key"):
        open_tab(at, tab)
        assert at.dataframe and all(df.proto.placeholder == "—" for df in at.dataframe), tab
    key_table = frame_with(at, "field")
    columns = json.loads(
        next(df for df in at.dataframe if "field" in df.value.columns).proto.columns
    )
    assert columns["value"]["width"] == "large" and len(key_table.columns) == 2
