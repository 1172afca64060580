"""Images in Chat (thumbnails, several per message, the detail choice, on both APIs) and the
per-reply token view when a reply has log-probabilities."""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.apptest import texts
from tests.chat.test_page import chat_app
from tests.chat.test_page_controls import last_body
from tests.chat.test_page_flow import text_stream
from tests.chat.test_page_responses import responses_app, sent
from tests.fake_xai import FakeXai, sse_event
from tests.fake_xai.payloads import with_chat_logprobs


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def attach(at: AppTest, *files: tuple[str, bytes], detail: str | None = None) -> AppTest:
    uploader = at.main.get("file_uploader")[0]
    for name, data in files:
        uploader.upload(name, data, "image/png")
    if detail is not None:
        at.main.get("button_group")[0].set_value(detail)
    return at.run()


def shown_text(at: AppTest) -> str:
    return " ".join(texts(at.markdown, at.caption, at.text, at.code, at.info, at.error))


def test_several_images_go_in_one_message_with_the_detail_chosen(env_fake: FakeXai) -> None:
    at = attach(chat_app(), ("red.png", png("red")), ("blue.png", png("blue")), detail="low")
    assert len(at.get("image")) == 2  # the composer shows the two thumbnails before sending
    at.chat_input[0].set_value("Compare these").run()
    assert not at.exception, [e.value for e in at.exception]
    parts = last_body(env_fake)["messages"][0]["content"]
    images = [p["image_url"] for p in parts if p["type"] == "image_url"]
    assert [image["detail"] for image in images] == ["low", "low"]
    assert all(image["url"].startswith("data:image/png;base64,") for image in images)


def test_regenerate_and_the_next_message_resend_the_images_with_their_detail(
    env_fake: FakeXai,
) -> None:
    at = attach(chat_app(), ("red.png", png("red")), ("blue.png", png("blue")), detail="high")
    at.chat_input[0].set_value("Compare these").run()
    next(b for b in at.button if b.label == "Regenerate").click().run()
    at.chat_input[0].set_value("And now?").run()
    assert not at.exception, [e.value for e in at.exception]
    chats = [r.body for r in env_fake.requests if r.path == "/v1/chat/completions"]
    assert len(chats) == 3
    for body in chats:
        parts = body["messages"][0]["content"]
        assert [p["image_url"]["detail"] for p in parts if p["type"] == "image_url"] == [
            "high",
            "high",
        ]
    attach_labels = [e.label for e in at.main.expander if e.label.startswith("Attach images")]
    assert attach_labels == ["Attach images"]  # the composer starts empty again (no count)


def test_attached_images_are_thumbnails_never_their_data_url(env_fake: FakeXai) -> None:
    at = attach(chat_app(), ("red.png", png("red")), ("blue.png", png("blue")))
    at.chat_input[0].set_value("What colours?").run()
    user = at.chat_message[0]
    assert len(user.get("image")) == 2  # two thumbnails
    assert "data:image" not in shown_text(at)
    assert "detail" not in last_body(env_fake)["messages"][0]["content"][1]["image_url"]  # auto


def test_an_unreadable_image_says_so_instead_of_showing_bytes(env_fake: FakeXai) -> None:
    broken = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    at = attach(chat_app(), ("broken.png", broken))
    at.chat_input[0].set_value("And this?").run()
    assert not at.exception
    assert any("Image 1 cannot be shown." in c for c in texts(at.chat_message[0].caption))
    assert "data:image" not in shown_text(at)


def test_the_responses_api_sends_the_detail_with_each_image(env_fake: FakeXai) -> None:
    at = attach(responses_app(), ("red.png", png("red")), ("blue.png", png("blue")), detail="high")
    at.chat_input[0].set_value("Look").run()
    assert not at.exception, [e.value for e in at.exception]
    content = sent(env_fake)[-1]["input"][-1]["content"]
    images = [p for p in content if p["type"] == "input_image"]
    assert len(images) == 2 and {p["detail"] for p in images} == {"high"}


def logprob_stream(words: list[str]) -> list[str]:
    """A chat stream of ``words`` whose chunks carry ``logprobs.content`` (3 alternatives)."""
    usage = {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}
    return [
        sse_event(with_chat_logprobs(json.loads(event[len("data: ") :]), 3))
        if event.startswith("data: {")
        else event
        for event in text_stream(words, usage=usage)
    ]


def test_a_reply_with_logprobs_has_a_token_view(env_fake: FakeXai) -> None:
    at = chat_app()
    env_fake.set_stream_script(logprob_stream(["Olá", " mundo"]))
    at.chat_input[0].set_value("hi").run()
    assert not at.exception, [e.value for e in at.exception]
    reply = at.chat_message[1]
    tokens = next(e for e in reply.expander if e.label.startswith("Tokens (2"))
    view = " ".join(h.proto.body for h in tokens.get("html"))
    assert 'class="token"' in view and "Olá" in view and "mundo" in view
    assert "top: " in view  # hover lists the alternatives
    assert any("mean log-probability" in c for c in texts(tokens.caption))


def test_a_reply_without_logprobs_has_no_token_view(env_fake: FakeXai) -> None:
    at = chat_app()
    at.chat_input[0].set_value("hi").run()
    assert not [e for e in at.chat_message[1].expander if e.label.startswith("Tokens")]


def test_the_fake_server_answers_chat_logprobs_when_asked(env_fake: FakeXai) -> None:
    from xai_core import XaiClient

    client = XaiClient(api_key=env_fake.api_key, base_url=env_fake.base_url)
    reply = client.chat(
        model="grok-4.3",
        messages=[{"role": "user", "content": "hi"}],
        logprobs=True,
        top_logprobs=2,
    )
    items: Any = reply.choices[0].logprobs.content  # type: ignore[union-attr]
    assert items and len(items[0].top_logprobs) == 2
