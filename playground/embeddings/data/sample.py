"""The built-in sample dataset: 280 short texts written for this project, 40 on each of 7 topics
(cooking, football, space, finance, medicine, gardening, computing), labelled by topic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playground.embeddings.data.files import Dataset, dataset_from_frame

__all__ = ["SAMPLE_PATH", "load_sample_dataset"]

SAMPLE_PATH = Path(__file__).with_name("sample_texts.csv")


def load_sample_dataset() -> Dataset:
    """The sample texts with their topic as label."""
    frame = pd.read_csv(SAMPLE_PATH, dtype=str, keep_default_na=False)
    return dataset_from_frame(frame, "text", "topic")
