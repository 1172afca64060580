"""Keyword labels (c-TF-IDF): planted topics are named by their words; positions, the table,
the model's names and the colour names."""

from __future__ import annotations

import time

import numpy as np
import pytest

from playground.embeddings.compute.labels import (
    NOISE_NAME,
    ClusterLabel,
    colour_names,
    keyword_labels,
    label_positions,
    labels_frame,
    with_names,
)
from tests.embeddings.planted import TOPIC_WORDS, topic_texts


def test_planted_topics_are_named_by_their_words() -> None:
    texts, truth = topic_texts(60)
    clusters = truth.copy()
    clusters[::15] = -1  # some noise: it takes part, it is not named
    labels = keyword_labels(texts, clusters)
    assert [label.cluster for label in labels] == [0, 1, 2, 3]
    for label, words in zip(labels, TOPIC_WORDS.values(), strict=True):
        assert label.size == int((clusters == label.cluster).sum())
        assert set(label.keywords[:5]) <= set(words), label  # only the topic's words lead
        assert label.name == " · ".join(label.keywords[:3])
        assert not label.by_model
        for common in ("today", "the", "with", "a"):  # shared by all, or stop words
            assert common not in label.keywords[:5]


def test_tokens_are_words_of_three_letters_or_more() -> None:
    texts = ["42 x1 ok go café crème 2024", "run_fast abc", "zz 9 ü", "café"]
    labels = keyword_labels(texts, np.array([0, 0, 1, 0]), top_n=2)
    assert set(labels[0].keywords) == {"café", "crème", "run", "fast", "abc"}
    assert labels[1].keywords == () and labels[1].name == "cluster 1"
    assert labels[0].name.count(" · ") == 1


def test_no_clusters_give_no_labels_and_lengths_must_match() -> None:
    assert keyword_labels(["a text"], np.array([-1])) == []
    assert keyword_labels([], np.array([], dtype=np.int64)) == []
    with pytest.raises(ValueError):
        keyword_labels(["a", "b"], np.array([0]))


def test_keywords_of_100_000_texts_take_seconds() -> None:
    texts, truth = topic_texts(25_000, seed=1)
    started = time.perf_counter()
    labels = keyword_labels(texts, truth)
    elapsed = time.perf_counter() - started
    assert len(labels) == 4 and all(label.keywords for label in labels)
    assert elapsed < 30, elapsed  # a few seconds here; generous for a busy CI machine


def test_label_positions_are_members_near_the_middle() -> None:
    angle = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    ring = np.c_[np.cos(angle), np.sin(angle)] * 5
    coords = np.vstack([ring, [[20, 20], [21, 20], [22, 20]], [[100, 100]]])
    clusters = np.r_[np.zeros(40), np.ones(3), [-1]].astype(np.int64)
    positions = label_positions(coords, clusters)
    assert set(positions) == {0, 1}
    assert any(np.allclose(positions[0], p) for p in ring)  # on the ring, not in its hole
    assert np.allclose(positions[1], [21, 20])
    assert positions[1].dtype == np.float32
    with pytest.raises(ValueError):
        label_positions(coords, clusters[:3])


def test_table_names_and_colours() -> None:
    labels = [
        ClusterLabel(0, 30, ("pasta", "garlic", "sauce"), "pasta · garlic · sauce"),
        ClusterLabel(1, 10, ("goal",), "goal"),
    ]
    named = with_names(labels, {1: "Football matches", 5: "ignored", 0: ""})
    assert named[0] == labels[0]
    assert named[1].name == "Football matches" and named[1].by_model
    frame = labels_frame(named)
    assert list(frame.columns) == ["cluster", "label", "size", "keywords", "by"]
    assert frame.to_dict("records")[1] == {
        "cluster": 1,
        "label": "Football matches",
        "size": 10,
        "keywords": "goal",
        "by": "model",
    }
    assert frame["by"].tolist() == ["keywords", "model"]
    assert colour_names(np.array([1, -1, 0, 2]), named) == [
        "1 · Football matches",
        NOISE_NAME,
        "0 · pasta · garlic · sauce",
        "2",
    ]
    assert colour_names(np.array([], dtype=np.int64), named) == []
