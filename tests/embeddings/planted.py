"""Planted data for the cluster and label tests: 2-D gaussian blobs with uniform background noise,
and texts of planted topics."""

from __future__ import annotations

import numpy as np

TOPIC_WORDS = {
    "cooking": ["garlic", "pasta", "sauce", "oven", "simmer", "basil", "onion", "butter"],
    "football": ["striker", "goal", "penalty", "referee", "midfield", "league", "keeper"],
    "space": ["orbit", "planet", "telescope", "galaxy", "rocket", "comet", "nebula"],
    "finance": ["bond", "interest", "equity", "dividend", "inflation", "portfolio", "loan"],
}
FILLER = [
    *("the", "a", "of", "and", "with", "very", "some", "then", "more"),
    *("this", "that", "was", "were", "have", "been", "into", "over"),
]


def blobs(
    n: int, k: int = 12, background: float = 0.03, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` 2-D points: ``k`` separate gaussian blobs of unequal sizes, and a ``background``
    share spread uniformly over the map (truth -1)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(k)))
    centres = np.array([(i % side, i // side) for i in range(k)], dtype=np.float64) * 10.0
    weights = rng.dirichlet(np.full(k, 3.0))
    n_background = int(n * background)
    sizes = rng.multinomial(n - n_background, weights)
    truth = np.repeat(np.arange(k), sizes)
    points = centres[truth] + rng.normal(scale=1.0, size=(len(truth), 2))
    low, high = centres.min() - 5, centres.max() + 5
    noise = rng.uniform(low, high, size=(n_background, 2))
    return np.vstack([points, noise]).astype(np.float32), np.r_[truth, np.full(n_background, -1)]


def topic_texts(per_topic: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Texts of the planted topics: each a few of its topic's words among filler words and a
    word shared by every topic ("today")."""
    rng = np.random.default_rng(seed)
    texts, truth = [], []
    for topic, (_, words) in enumerate(TOPIC_WORDS.items()):
        for _ in range(per_topic):
            chosen = list(rng.choice(words, size=3, replace=False))
            chosen += [*rng.choice(FILLER, size=4), "today"]
            rng.shuffle(chosen)
            texts.append(" ".join(chosen).capitalize() + ".")
            truth.append(topic)
    return texts, np.array(truth)
