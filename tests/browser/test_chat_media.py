"""Images and the token view on the Chat page in headless Chromium, against the fake xAI server:
two uploads show as thumbnails before and after sending (never as data URL text), go out in one
request with the detail chosen, and a reply with log-probabilities opens its token view.

With ``SCREENSHOT_DIR`` set, each step is saved there as a PNG to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_exception, open_app, send_chat, use_chat_completions
from tests.browser.conftest import wait_for_app as settle
from tests.chat.test_page_media import logprob_stream
from tests.fake_xai import FakeXai

pytestmark = pytest.mark.browser


def picture(path: Path, colour: str) -> Path:
    Image.new("RGB", (320, 200), colour).save(path, format="PNG")
    return path


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_images_as_thumbnails_with_detail_then_a_token_view(
    page: Page, app_url: str, fake_xai: FakeXai, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    open_app(page, app_url)
    use_chat_completions(page)
    composer = (
        page.get_by_test_id("stMainBlockContainer")
        .get_by_test_id("stExpander")
        .filter(has_text="Attach images")
    )
    composer.get_by_text("Attach images").click()
    files = [picture(tmp_path / "sunrise.png", "orange"), picture(tmp_path / "sea.png", "teal")]
    composer.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)
    settle(page)
    composer.get_by_text("low", exact=True).click()
    settle(page)
    expect(composer.get_by_test_id("stImage")).to_have_count(2)
    shoot(page, "chat-composer-thumbnails")

    send_chat(page, "Which is warmer?")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("finish:", timeout=20_000)
    user = page.get_by_test_id("stChatMessage").nth(0)
    expect(user.get_by_test_id("stImage")).to_have_count(2)
    expect(user).to_contain_text("2 images · detail: low")
    assert "data:image" not in page.get_by_test_id("stMainBlockContainer").inner_text()
    body = [r.body for r in fake_xai.requests if r.path == "/v1/chat/completions"][-1]
    parts = body["messages"][-1]["content"]
    assert [p["image_url"]["detail"] for p in parts if p["type"] == "image_url"] == ["low", "low"]
    shoot(page, "chat-history-thumbnails")

    fake_xai.set_stream_script(logprob_stream(["Sunrise", " is", " warmer."]))
    send_chat(page, "In three words?")
    second = page.get_by_test_id("stChatMessage").nth(3)
    expect(second).to_contain_text("finish:", timeout=20_000)
    second.get_by_text("Tokens (3").click()
    view = second.locator(".token-view .token")
    expect(view).to_have_count(3)
    assert "top: " in (view.first.get_attribute("title") or "")
    expect(second).to_contain_text("mean log-probability")
    assert_no_exception(page)
    second.scroll_into_view_if_needed()
    shoot(page, "chat-token-view")
