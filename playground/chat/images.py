"""The images a user message carries (pure, no Streamlit): an upload as a ``data:`` URL and back
to its bytes, the image parts of Chat Completions and Responses with how closely the model should
look (``detail``), and what of them can be drawn as a thumbnail.

A data URL is never shown as text: :func:`thumbnails` gives its decoded bytes to draw.
"""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Iterable
from typing import Any

from PIL import Image

__all__ = [
    "DETAILS",
    "UPLOAD_TYPES",
    "chat_image_part",
    "data_url_bytes",
    "image_data_url",
    "readable_image",
    "responses_image_part",
    "thumbnails",
]

#: How closely the model looks at an image (``image_url.detail`` / ``input_image.detail``):
#: ``auto`` lets the server choose (it is its default, so it is not sent).
DETAILS = ("auto", "low", "high")
#: What xAI takes inline (JPEG, PNG, WebP).
UPLOAD_TYPES = ("png", "jpg", "jpeg", "webp")


def image_data_url(data: bytes, mime_type: str) -> str:
    """An uploaded image as a ``data:`` URL, the way the API takes inline images."""
    return f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"


def data_url_bytes(url: str) -> bytes | None:
    """The bytes of a base64 ``data:image/...`` URL; ``None`` for any other URL or a broken one."""
    head, comma, payload = url.partition(",")
    if not comma or not head.startswith("data:image/") or not head.endswith(";base64"):
        return None
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None


def _sent_detail(detail: str | None) -> dict[str, str]:
    return {"detail": detail} if detail in DETAILS and detail != "auto" else {}


def chat_image_part(url: str, detail: str | None) -> dict[str, Any]:
    """A Chat Completions content part: ``{"type": "image_url", "image_url": {url, detail}}``
    (``detail`` only when one other than auto was chosen)."""
    return {"type": "image_url", "image_url": {"url": url, **_sent_detail(detail)}}


def responses_image_part(url: str, detail: str | None) -> dict[str, Any]:
    """A Responses content part: ``{"type": "input_image", "image_url": url, "detail"}``
    (``detail`` only when one other than auto was chosen)."""
    return {"type": "input_image", "image_url": url, **_sent_detail(detail)}


def readable_image(data: bytes) -> bool:
    """True when ``data`` is an image file PIL can read (what ``st.image`` draws)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    return True


def thumbnails(urls: Iterable[str]) -> tuple[list[tuple[int, bytes | str]], list[int]]:
    """What to draw for ``urls``, numbered from 1: an uploaded image's bytes, a web image's URL;
    and the numbers of the ones that cannot be drawn (broken data, another kind of URL)."""
    shown: list[tuple[int, bytes | str]] = []
    unreadable: list[int] = []
    for number, url in enumerate(urls, start=1):
        data = data_url_bytes(url)
        if data is None and url.startswith(("http://", "https://")):
            shown.append((number, url))
        elif data is not None and readable_image(data):
            shown.append((number, data))
        else:
            unreadable.append(number)
    return shown, unreadable
