"""The cluster labels panel in AppTest against the fake xAI server: the table, the estimate before
anything is sent, one request per cluster on click, the names kept for the map's key (reruns
send nothing), the Chat page's model, and the local backend's free model."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from playground.embeddings.compute.naming import NamingPlan
from playground.embeddings.widgets.cluster_labels import estimate_text
from tests.apptest import texts
from tests.embeddings.test_naming import reply
from tests.fake_xai import FakeXai
from tests.fake_xai.payloads import LOCAL_CATALOG

CHAT = "/v1/chat/completions"


def _panel() -> None:
    import numpy as np
    import streamlit as st

    from playground.core.connection import BACKEND_LOCAL
    from playground.embeddings.compute.labels import keyword_labels
    from playground.embeddings.widgets.cluster_labels import cluster_labels_panel
    from playground.shell.session import current_connection, get_client

    sample = [
        "Simmer the garlic sauce for the pasta.",
        "Boil the pasta and add garlic.",
        "The striker scored a late goal.",
        "A penalty goal won the league.",
        "Stray words nobody groups.",
    ]
    clusters = np.array([0, 0, 1, 1, -1])
    coords = np.array([[0, 0], [0, 1], [5, 5], [5, 6], [9, 0]], dtype=np.float32)
    connection = current_connection()
    if st.session_state.get("as_local"):
        connection = type(connection)(BACKEND_LOCAL, connection.base_url, connection.api_key)
    labels = keyword_labels(sample, clusters)
    named = cluster_labels_panel(
        get_client(connection), connection, sample, coords, clusters, labels, ("map", 1)
    )
    st.text(" | ".join(f"{label.name}{' (model)' if label.by_model else ''}" for label in named))


def captions(at: AppTest) -> str:
    """The captions' text as shown (markdown escapes removed)."""
    return " ".join(texts(at.caption)).replace("\\", "")


def chat_requests(fake: FakeXai) -> list[dict[str, object]]:
    return [r.body for r in fake.requests if r.path == CHAT]


def app(**state: object) -> AppTest:
    at = AppTest.from_function(_panel, default_timeout=60)
    for name, value in state.items():
        at.session_state[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_estimate_shows_before_anything_is_sent_and_names_are_kept(
    env_fake: FakeXai,
) -> None:
    at = app()
    table = at.dataframe[0].value
    assert table["label"].tolist() == ["garlic · pasta · add", "goal · late · league"]
    assert table["by"].tolist() == ["keywords", "keywords"]
    caption = captions(at)
    assert "grok-4.3" in caption  # the server's first chat model
    assert "2 requests · ≈ " in caption and "input tokens · ≈ $0.0" in caption
    assert caption.endswith(" estimated")
    assert chat_requests(env_fake) == []
    button = next(b for b in at.button if b.label.startswith("Name the clusters with"))
    assert button.label == "Name the clusters with grok-4.3"
    env_fake.answer_next({**_reply("Italian <i>cooking</i>")}, path=CHAT)
    env_fake.answer_next({**_reply("**Football** results")}, path=CHAT)
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    sent = chat_requests(env_fake)
    assert len(sent) == 2 and all(body["model"] == "grok-4.3" for body in sent)
    assert sent[0]["reasoning_effort"] == "none"  # grok-4.3 lists its efforts: the lowest
    assert texts(at.text) == ["Italian cooking (model) | Football results (model)"]
    assert at.dataframe[0].value["by"].tolist() == ["model", "model"]
    assert "Named 2 of 2 clusters" in captions(at)
    at.run()  # a rerun sends nothing again
    assert len(chat_requests(env_fake)) == 2
    assert texts(at.text) == ["Italian cooking (model) | Football results (model)"]
    at.button(key=next(b.key for b in at.button if b.key.endswith("_forget"))).click().run()
    assert texts(at.text) == ["garlic · pasta · add | goal · late · league"]


def test_a_failing_cluster_keeps_its_keywords(env_fake: FakeXai) -> None:
    at = app(chat_model="grok-3-mini")  # the Chat page's model
    button = next(b for b in at.button if b.label.startswith("Name the clusters with"))
    assert button.label == "Name the clusters with grok-3-mini"
    env_fake.fail_next(400, path=CHAT)
    env_fake.answer_next(_reply("Football"), path=CHAT)
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert texts(at.text) == ["garlic · pasta · add | Football (model)"]
    assert "Named 1 of 2 clusters" in captions(at)
    assert "Cluster 0 keeps its keywords" in captions(at)


def test_the_chat_pages_model_is_used_after_streamlit_dropped_its_widget_state(
    env_fake: FakeXai,
) -> None:
    # On the Embeddings page the Chat page's picker is not drawn: Streamlit drops its state and
    # only the app's widget keeper still holds the value (playground/shell/keep.py).
    at = app(_kept_widgets={"chat": {"chat_model": "grok-3-mini"}})
    button = next(b for b in at.button if b.label.startswith("Name the clusters with"))
    assert button.label == "Name the clusters with grok-3-mini"


def test_the_local_backend_is_free_and_uses_its_chat_model(env_fake: FakeXai) -> None:
    env_fake.set_catalog(LOCAL_CATALOG)
    at = app(as_local=True, chat_model="not-on-this-server")
    caption = captions(at)
    assert "free on the local backend" in caption and "qwen2.5-coder-0.5b-instruct" in caption
    env_fake.answer_next(_reply("Cooking"), path=CHAT, times=2)
    next(b for b in at.button if b.label.startswith("Name the clusters")).click().run()
    sent = chat_requests(env_fake)
    assert [body["model"] for body in sent] == ["qwen2.5-coder-0.5b-instruct"] * 2
    assert "reasoning_effort" not in sent[0] and sent[0]["max_completion_tokens"] == 24


def test_estimate_text_without_prices() -> None:
    plan = NamingPlan((), 1_200, 24, None)
    assert estimate_text(plan, False) == (
        "0 requests · ≈ 1,200 input tokens · cost unknown (the server lists no prices for this "
        "model)"
    )


def _reply(content: str) -> dict[str, object]:
    return reply(content, prompt=90, completion=3)
