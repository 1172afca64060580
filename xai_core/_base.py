"""The base of every response model (pydantic): unknown fields are kept, not rejected."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["XaiModel"]


class XaiModel(BaseModel):
    """Base of every response model: unknown fields are kept, not rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
