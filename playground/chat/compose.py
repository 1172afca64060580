"""What the user writes next: an attached image (upload or URL) and the chat input."""

from __future__ import annotations

import streamlit as st

from playground.chat.conversation import ChatState, image_data_url
from playground.chat.history import show_turn

__all__ = ["attach_image", "take_message"]


def attach_image(state: ChatState) -> None:
    """The "Attach an image" expander; its widgets get fresh keys once an image is sent."""
    with st.expander("Attach an image", icon=":material/image:"):
        slot = state.image_slot
        st.file_uploader(
            "Upload", type=["png", "jpg", "jpeg", "gif", "webp"], key=f"chat_image_upload_{slot}"
        )
        st.text_input("or an image URL", key=f"chat_image_url_{slot}")


def take_message(state: ChatState, accepts_images: bool) -> None:
    """The chat input: a message (with the attached image, if the model takes images) is added
    to the conversation, drawn, and marked to be sent; an empty one is not."""
    prompt = st.chat_input("Message", submit_mode="stop")
    if prompt is not None and not prompt.strip():
        st.caption(":material/info: Nothing sent: the message is empty.")
    elif prompt:
        state.add_user_message(prompt, _take_images(state) if accepts_images else [])
        show_turn(state, len(state.turns) - 1, state.turns[-1])


def _take_images(state: ChatState) -> list[str]:
    """The attached image (upload or URL) as URLs for the next user message."""
    slot = state.image_slot
    urls = []
    upload = st.session_state.get(f"chat_image_upload_{slot}")
    if upload is not None:
        urls.append(image_data_url(upload.getvalue(), upload.type or "image/png"))
    url = (st.session_state.get(f"chat_image_url_{slot}") or "").strip()
    if url:
        urls.append(url)
    if urls:
        state.image_slot = slot + 1
    return urls
