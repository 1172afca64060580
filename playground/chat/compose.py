"""What the user writes next: attached images (uploads or a URL, with how closely the model
should look at them) and the chat input."""

from __future__ import annotations

import streamlit as st

from playground.chat.conversation import ChatState
from playground.chat.history import show_thumbnails, show_turn
from playground.chat.images import DETAILS, UPLOAD_TYPES, image_data_url

__all__ = ["attach_images", "take_message"]

_DETAIL_KEY = "chat_image_detail"


def attach_images(state: ChatState) -> None:
    """The "Attach images" expander: uploads (several), an image URL, the detail, and the
    thumbnails of what the next message will carry; its widgets get fresh keys once sent."""
    slot = state.image_slot
    attached = _attached(state)
    label = f"Attach images ({len(attached)})" if attached else "Attach images"
    with st.expander(label, icon=":material/image:", expanded=bool(attached)):
        st.file_uploader(
            "Upload",
            type=list(UPLOAD_TYPES),
            key=f"chat_image_upload_{slot}",
            accept_multiple_files=True,
        )
        st.text_input("or an image URL", key=f"chat_image_url_{slot}")
        st.segmented_control(
            "Detail",
            DETAILS,
            key=_DETAIL_KEY,
            default="auto",
            required=True,
            help="How closely the model looks: low is cheaper (fewer image tokens), high reads "
            "fine print; auto lets the server choose.",
        )
        show_thumbnails(attached)


def take_message(state: ChatState, accepts_images: bool) -> None:
    """The chat input: a message (with the attached images, if the model takes images) is added
    to the conversation, drawn, and marked to be sent; an empty one is not."""
    prompt = st.chat_input("Message", submit_mode="stop")
    if prompt is not None and not prompt.strip():
        st.caption(":material/info: Nothing sent: the message is empty.")
    elif prompt:
        images = _attached(state) if accepts_images else []
        if images:
            state.image_slot += 1  # the attachment widgets start empty again
        state.add_user_message(prompt, images, _detail())
        show_turn(state, len(state.turns) - 1, state.turns[-1])


def _detail() -> str | None:
    """The chosen detail; ``None`` for auto (nothing is sent: the server's default)."""
    detail = st.session_state.get(_DETAIL_KEY)
    return detail if detail in DETAILS and detail != "auto" else None


def _attached(state: ChatState) -> list[str]:
    """The attached images (uploads, then the URL) as URLs for the next user message."""
    slot = state.image_slot
    uploads = st.session_state.get(f"chat_image_upload_{slot}") or []
    urls = [image_data_url(u.getvalue(), u.type or "image/png") for u in uploads]
    url = (st.session_state.get(f"chat_image_url_{slot}") or "").strip()
    return urls + ([url] if url else [])
