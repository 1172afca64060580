"""The key-hygiene tests' fake xAI server (AppTest and browser): it knows the operator's key and a
visitor's typed key, both long and unique enough to be searched for in anything the app produces."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fake_xai import FakeXai

TYPED_KEY = "xai-typed-4c9e1a7f3b5d-visitor-T7T7"
OPERATOR_KEY = "xai-operator-2b8d6f0a9c1e-env-O5O5"


@pytest.fixture(scope="module")
def hygiene_fake() -> Iterator[FakeXai]:
    """A fake of the module's own that accepts ``OPERATOR_KEY`` and ``TYPED_KEY``."""
    with FakeXai(api_key=OPERATOR_KEY, extra_keys={TYPED_KEY: "visitor-key"}) as fake:
        yield fake
