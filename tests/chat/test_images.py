"""Images of a user message: data URLs both ways, the image parts of both APIs with their detail,
what is drawn as a thumbnail; and a reply's logprobs kept as plain token items."""

from __future__ import annotations

import base64
import io

from PIL import Image

from playground.chat.continuation import turn_items
from playground.chat.conversation import Turn, token_items
from playground.chat.images import (
    chat_image_part,
    data_url_bytes,
    image_data_url,
    readable_image,
    responses_image_part,
    thumbnails,
)
from xai_core import ChatLogprobs


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_data_url_is_base64_and_decodes_back() -> None:
    url = image_data_url(b"\x89PNG", "image/png")
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == b"\x89PNG"
    assert data_url_bytes(url) == b"\x89PNG"


def test_only_base64_image_data_urls_decode() -> None:
    assert data_url_bytes("https://x.ai/a.png") is None
    assert data_url_bytes("data:text/plain;base64,aGk=") is None
    assert data_url_bytes("data:image/png,rawtext") is None
    assert data_url_bytes("data:image/png;base64,not base64!") is None


def test_the_detail_goes_in_each_apis_image_part_unless_auto() -> None:
    url = "https://x.ai/a.png"
    assert chat_image_part(url, "low") == {
        "type": "image_url",
        "image_url": {"url": url, "detail": "low"},
    }
    assert responses_image_part(url, "high") == {
        "type": "input_image",
        "image_url": url,
        "detail": "high",
    }
    for detail in (None, "auto", "bogus"):
        assert "detail" not in chat_image_part(url, detail)["image_url"]
        assert "detail" not in responses_image_part(url, detail)


def test_a_user_turn_sends_every_image_with_its_detail_on_both_apis() -> None:
    turn = Turn("user", "Compare", images=["https://x.ai/a.png", "https://x.ai/b.png"])
    turn.image_detail = "low"
    parts = turn.to_message()["content"]
    assert [p["image_url"]["detail"] for p in parts[1:]] == ["low", "low"]
    (item,) = turn_items(turn)
    assert [p.get("detail") for p in item["content"][1:]] == ["low", "low"]


def test_thumbnails_draw_bytes_or_web_urls_and_name_the_rest() -> None:
    good = image_data_url(png(), "image/png")
    broken = image_data_url(b"\x89PNG\r\n\x1a\n" + bytes(16), "image/png")
    shown, unreadable = thumbnails([good, "https://x.ai/a.png", broken, "file:///etc/passwd"])
    assert shown == [(1, png()), (2, "https://x.ai/a.png")]
    assert unreadable == [3, 4]
    assert readable_image(png()) and not readable_image(b"GIF89a")


def test_token_items_keep_tokens_logprobs_and_alternatives_only() -> None:
    logprobs = ChatLogprobs.model_validate(
        {
            "content": [
                {
                    "id": 7,
                    "token": "Hi",
                    "logprob": -0.1,
                    "bytes": [72, 105],
                    "top_logprobs": [{"token": "Hi", "logprob": -0.1, "bytes": [72, 105]}],
                }
            ]
        }
    )
    assert token_items(logprobs) == [
        {"token": "Hi", "logprob": -0.1, "top_logprobs": [{"token": "Hi", "logprob": -0.1}]}
    ]
    assert token_items(None) == [] and token_items(ChatLogprobs()) == []
