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


def compute_map(at: AppTest, method: str = "PCA") -> AppTest:
    at.radio(key="emb_method").set_value(method)
    submit = next(b for b in at.button if b.key.startswith("FormSubmitter:emb_projection_form"))
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sample_dataset_is_embedded_in_batches_and_mapped(env_fake: FakeXai) -> None:
    at = open_page()
    assert "Embeddings" in texts(at.title)
    click(at, "emb_embed")
    batches = embed_requests(env_fake)
    assert sorted(len(b) for b in batches) == [24, 128, 128]  # xAI caps a request at 128
    summary = " ".join(texts(at.caption))
    assert "280 embedded" in summary
    assert "tokens" in summary and "$" in summary  # the fake lists a price: the cost is known
    compute_map(at, "PCA")
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
    at = click(open_page(), "emb_embed")
    compute_map(at, "PCA")
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
    click(at, "emb_embed")
    assert embed_requests(env_fake) == [["apples", "pears", "plums"]]  # duplicates sent once
    compute_map(at, "UMAP")
    count, _ = map_points(at)
    assert count == 4
    notes = " ".join(texts(at.info))
    assert "this map uses PCA" in notes
    assert "duplicate" in notes


def test_k_means_colours_with_k_clusters(env_fake: FakeXai) -> None:
    at = click(open_page(), "emb_embed")
    compute_map(at, "PCA")
    at.radio(key="emb_colour").set_value("k-means clusters").run()
    at.number_input(key="emb_k").set_value(4).run()
    assert not at.exception, [e.value for e in at.exception]
    count, traces = map_points(at)
    assert count == SAMPLE_ROWS
    assert sorted(t["name"] for t in traces) == ["0", "1", "2", "3"]


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
