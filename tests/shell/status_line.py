"""The sidebar's one-line connection status in AppTest (the label of its popover)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block


def status_line(at: AppTest) -> str:
    """The connection status line drawn in the sidebar, e.g. ``xAI · key ok``."""
    labels = [str(block.proto.popover.label) for block in _popovers(at.sidebar)]
    assert len(labels) == 1, labels
    return labels[0]


def _popovers(node: Block) -> list[Block]:
    found: list[Block] = []
    for child in node.children.values():
        if isinstance(child, Block):
            if child.type == "popover":
                found.append(child)
            found.extend(_popovers(child))
    return found
