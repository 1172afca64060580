"""The embeddings explorer page in AppTest, against the fake xAI server (8-dim vectors)."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.shell.session import TYPED_KEY_KEY
from tests import apptest as helpers
from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai

PAGE = "playground/embeddings/page.py"
SAMPLE_ROWS = 280


@pytest.fixture(autouse=True)
def _own_embeddings_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test starts with an empty on-disk embeddings cache of its own."""
    cache = tmp_path / "embeddings-cache"
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(cache))
    return cache


def open_page() -> AppTest:
    return helpers.open_page(PAGE, timeout=120)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def embed_requests(fake: FakeXai) -> list[list[str]]:
    return [r.body["input"] for r in fake.requests if r.path == "/v1/embeddings"]


def decoded(values: object) -> list[object]:
    """A plotly array from the figure JSON: a plain list, or numpy's typed-array encoding."""
    if isinstance(values, dict):
        raw = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        return raw.reshape(values.get("shape", [len(raw)])).tolist()
    assert isinstance(values, list)
    return values


def map_points(at: AppTest) -> tuple[int, list[dict[str, object]]]:
    """Number of dataset points on the map chart and all its traces (from the figure spec)."""
    import json

    chart = next(c for c in at.get("plotly_chart") if "emb_map" in c.proto.id)
    traces = json.loads(chart.proto.spec)["data"]
    data_traces = [t for t in traces if t.get("name") not in ("nearest neighbours", "query")]
    return sum(len(decoded(t["x"])) for t in data_traces), traces


def embed_and_map(at: AppTest, method: str = "PCA") -> AppTest:
    """Choose the map's method, then Embed: the map is computed on the same click."""
    at.radio(key="emb_method").set_value(method).run()
    return click(at, "emb_embed")


def compute_map(at: AppTest, method: str = "PCA") -> AppTest:
    """After Embed: the map with ``method`` ("Recompute the map" when the settings changed)."""
    at.radio(key="emb_method").set_value(method).run()
    if any(b.key == "emb_recompute" for b in at.button):
        click(at, "emb_recompute")
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_choice(at: AppTest, key: str) -> str:
    """The option a radio shows in the browser: the value the server sent with it, else the
    widget's default (what the browser starts a new widget at)."""
    proto = at.radio(key=key).proto
    return str(proto.raw_value) if proto.set_value else str(proto.options[proto.default])


def test_sample_dataset_is_embedded_in_batches_and_mapped(env_fake: FakeXai) -> None:
    at = open_page()
    assert "Embeddings" in texts(at.title)
    embed_and_map(at, "PCA")
    batches = embed_requests(env_fake)
    assert sorted(len(b) for b in batches) == [24, 128, 128]  # xAI caps a request at 128
    summary = " ".join(texts(at.caption))
    assert "280 embedded" in summary
    assert "tokens" in summary and "$" in summary  # the fake lists a price: the cost is known
    count, traces = map_points(at)
    assert count == SAMPLE_ROWS
    assert len([t for t in traces if t["type"] == "scatter"]) == 7  # one trace per topic label
    sent = next(r.body for r in env_fake.requests if r.path == "/v1/embeddings")
    assert sent["encoding_format"] == "base64"
    assert "dimensions" not in sent  # unset options are not sent


def test_a_second_session_reads_every_vector_from_the_disk_cache(env_fake: FakeXai) -> None:
    click(open_page(), "emb_embed")
    first = len(embed_requests(env_fake))
    at = click(open_page(), "emb_embed")  # a new session, as after a page reload
    assert len(embed_requests(env_fake)) == first
    assert "280 from the on-disk cache" in " ".join(texts(at.caption))


def test_another_api_key_never_reads_this_keys_cached_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bob_key = "xai-bob-key-9876543210"
    with FakeXai(extra_keys={bob_key: "bob-key"}) as fake:
        monkeypatch.setenv("XAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("XAI_API_KEY", fake.api_key)
        click(open_page(), "emb_embed")
        alice_batches = len(embed_requests(fake))
        bob = new_app(timeout=120)
        bob.session_state[TYPED_KEY_KEY] = bob_key  # as typed in the sidebar
        bob.run()
        bob.switch_page(PAGE).run()
        click(bob, "emb_embed")
        bob_requests = [r for r in fake.requests if r.path == "/v1/embeddings"][alice_batches:]
        assert len(bob_requests) == alice_batches  # all of it embedded again, with bob's key
        assert {r.key_name for r in bob_requests} == {"bob-key"}
        assert "280 embedded, 0 from the on-disk cache" in " ".join(texts(bob.caption))


def test_search_highlights_the_neighbours_and_places_the_query(env_fake: FakeXai) -> None:
    at = embed_and_map(open_page(), "PCA")
    at.number_input(key="emb_top_k").set_value(5)
    at.text_input(key="emb_query").input("a goal in the last minute").run()
    assert not at.exception, [e.value for e in at.exception]
    _, traces = map_points(at)
    by_name = {t["name"]: t for t in traces}
    assert len(decoded(by_name["nearest neighbours"]["x"])) == 5
    assert decoded(by_name["query"]["customdata"]) == [[-1]]
    table = at.dataframe[0].value
    assert len(table) == 5
    assert list(table["score"]) == sorted(table["score"], reverse=True)


def test_few_pasted_lines_fall_back_to_pca_with_a_note(env_fake: FakeXai) -> None:
    at = open_page()
    at.radio(key="emb_source").set_value("Paste lines").run()
    at.text_area(key="emb_paste").input("apples\n\npears\nplums\napples").run()
    assert "4 texts" in " ".join(texts(at.caption))
    embed_and_map(at, "UMAP")
    assert embed_requests(env_fake) == [["apples", "pears", "plums"]]  # duplicates sent once
    count, _ = map_points(at)
    assert count == 4
    notes = " ".join(texts(at.info))
    assert "this map uses PCA" in notes
    assert "duplicate" in notes


def test_k_means_colours_with_k_clusters(env_fake: FakeXai) -> None:
    at = embed_and_map(open_page(), "PCA")
    at.radio(key="emb_colour").set_value("k-means clusters").run()
    at.number_input(key="emb_k").set_value(4).run()
    assert not at.exception, [e.value for e in at.exception]
    count, traces = map_points(at)
    assert count == SAMPLE_ROWS
    assert sorted(str(t["name"]).split(" · ")[0] for t in traces) == ["0", "1", "2", "3"]


def test_no_embedding_models_offers_the_local_backend(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The "local backend" here is the fake server too, so no second server starts.
    monkeypatch.setenv("LOCAL_BACKEND_URL", env_fake.base_url)
    monkeypatch.setenv("LOCAL_API_KEY", env_fake.api_key)
    env_fake.fail_next(404, {"code": "x", "error": "no such route"}, path="/v1/embedding-models")
    at = open_page()
    assert any("does not list embedding models" in t for t in texts(at.warning))
    assert at.session_state["backend"] == "xai"
    click(at, "emb_use_local")
    assert at.session_state["backend"] == "local"
    assert at.selectbox(key="emb_model").value == "v1"
    assert not at.warning


def test_a_server_error_is_shown_and_the_next_click_continues_from_the_cache(
    env_fake: FakeXai,
) -> None:
    at = open_page()
    env_fake.fail_next(
        400, {"code": "bad", "error": "input too long"}, path="/v1/embeddings", times=1
    )
    at.radio(key="emb_source").set_value("Paste lines").run()
    lines = "\n".join(f"line {i}" for i in range(300))
    at.text_area(key="emb_paste").input(lines).run()
    click(at, "emb_embed")
    assert any("input too long" in t for t in texts(at.error))
    assert not at.get("plotly_chart")
    before = sum(len(b) for b in embed_requests(env_fake))
    click(at, "emb_embed")
    assert not at.error
    summary = " ".join(texts(at.caption))
    embedded_now = sum(len(b) for b in embed_requests(env_fake)) - before
    assert f"{embedded_now} embedded, {300 - embedded_now} from the on-disk cache" in summary


def paste_lines(at: AppTest, lines: list[str]) -> AppTest:
    at.radio(key="emb_source").set_value("Paste lines").run()
    at.text_area(key="emb_paste").input("\n".join(lines)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_colour_by_shows_what_colours_the_map_after_switching_datasets(env_fake: FakeXai) -> None:
    """Issue 16: after an unlabelled paste and a switch to the sample, "Colour by" showed
    "label" while the map was coloured by cluster (the new radio started at its default in the
    browser, the server kept "k-means clusters"), and clicking "label" did nothing."""
    at = paste_lines(open_page(), [f"text number {i} about {i % 3}" for i in range(30)])
    embed_and_map(at, "PCA")
    at.radio(key="emb_colour").set_value("k-means clusters").run()
    at.radio(key="emb_source").set_value("Sample dataset").run()
    embed_and_map(at, "PCA")
    _, traces = map_points(at)
    shown = shown_choice(at, "emb_colour")
    assert shown == at.radio(key="emb_colour").value
    coloured_by_label = {t["name"] for t in traces} == {"space", "cooking", "football"} | {
        t["name"] for t in traces
    } and all(" · " not in str(t["name"]) and not str(t["name"]).isdigit() for t in traces)
    assert (shown == "label") == coloured_by_label, (shown, [t["name"] for t in traces])
    at.radio(key="emb_colour").set_value("label").run()  # the click now changes the colours
    _, traces = map_points(at)
    assert len(traces) == 7 and shown_choice(at, "emb_colour") == "label"


def test_unlabelled_data_is_coloured_by_named_hdbscan_clusters(env_fake: FakeXai) -> None:
    at = paste_lines(open_page(), [f"text number {i} about {i % 3}" for i in range(60)])
    embed_and_map(at, "PCA")
    assert shown_choice(at, "emb_colour") == "HDBSCAN clusters"
    _, traces = map_points(at)
    names = [str(t["name"]) for t in traces]
    assert all(n == "noise" or " · " in n or n.isdigit() for n in names), names
    assert any(e.label.startswith("Cluster labels") for e in at.expander)


def test_embed_computes_the_map_at_once_with_a_fixed_seed_and_offers_to_recompute(
    env_fake: FakeXai,
) -> None:
    at = open_page()
    assert at.number_input(key="emb_seed").value == 42  # the map settings come before Embed
    assert any("seed 42: the same layout every time" in c for c in texts(at.caption))
    embed_and_map(at, "PCA")
    count, _ = map_points(at)
    assert count == SAMPLE_ROWS  # no second click
    with pytest.raises(KeyError):
        at.button(key="emb_recompute")
    at.radio(key="emb_view").set_value("3D").run()
    assert any("settings changed" in c for c in texts(at.caption))
    chart = next(c for c in at.get("plotly_chart") if "emb_map" in c.proto.id)
    assert '"scatter3d"' not in chart.proto.spec  # the old map stays until recomputed
    click(at, "emb_recompute")
    chart = next(c for c in at.get("plotly_chart") if "emb_map" in c.proto.id)
    assert '"scatter3d"' in chart.proto.spec
    with pytest.raises(KeyError):
        at.button(key="emb_recompute")


def test_the_seed_can_be_cleared_for_a_layout_that_changes_each_run(env_fake: FakeXai) -> None:
    at = open_page()
    at.number_input(key="emb_seed").set_value(None).run()
    assert any(c.startswith("No seed: the layout changes") for c in texts(at.caption))
    embed_and_map(at, "PCA")
    assert map_points(at)[0] == SAMPLE_ROWS
    at.number_input(key="emb_seed").set_value(7).run()
    assert any("seed 7: the same layout every time" in c for c in texts(at.caption))


def test_no_cancel_button_is_left_after_the_job_ends(env_fake: FakeXai) -> None:
    at = embed_and_map(open_page(), "PCA")
    assert [b.key for b in at.button if b.key == "emb_cancel"] == []


def test_the_sample_has_its_heatmap_and_larger_data_a_sampled_one(env_fake: FakeXai) -> None:
    at = embed_and_map(open_page(), "PCA")
    assert "Similarity heatmap (280 × 280)" in [e.label for e in at.expander]
    assert any("emb_heatmap" in c.proto.id for c in at.get("plotly_chart"))
    paste_lines(at, [f"line {i} on topic {i % 5}" for i in range(400)])
    embed_and_map(at, "PCA")
    heatmap = [e.label for e in at.expander if e.label.startswith("Similarity heatmap")]
    assert heatmap and "a sample of 200 of 400 rows" in heatmap[0]
    chart = next(c for c in at.get("plotly_chart") if "emb_heatmap" in c.proto.id)
    import json

    assert len(json.loads(chart.proto.spec)["data"][0]["x"]) == 200
