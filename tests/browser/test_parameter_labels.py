"""In a real browser at 1440 x 900 (issue 17): the parameter labels of Chat (both APIs) and
Completions wrap between words, never inside one ("frequency_pen alty"), and the tools and JSON
schema editors are full width in the Chat page's main area, not 210 px in the sidebar."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import go_to, open_app, wait_for_app

pytestmark = pytest.mark.browser

#: The words of widget labels whose letters sit on more than one line.
SPLIT_WORDS = """() => {
  const split = [];
  const range = document.createRange();
  for (const label of document.querySelectorAll('[data-testid=stWidgetLabel]')) {
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.textContent.matchAll(/\\S+/g)) {
        const tops = new Set();
        for (let i = 0; i < word[0].length; i++) {
          range.setStart(node, word.index + i);
          range.setEnd(node, word.index + i + 1);
          const box = range.getBoundingClientRect();
          if (box.height) tops.add(Math.round(box.top));
        }
        if (tops.size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""


@pytest.fixture
def wide_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _open_parameters(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_text("Parameters", exact=True).click()
    wait_for_app(page)


def test_no_parameter_label_wraps_inside_a_word(wide_page: Page, app_url: str) -> None:
    page = wide_page
    open_app(page, app_url)  # Chat, on Responses
    _open_parameters(page)
    assert page.evaluate(SPLIT_WORDS) == []
    side = page.get_by_test_id("stSidebar")
    side.get_by_text(re.compile(r"^Chat Completions")).click()
    wait_for_app(page)
    assert page.evaluate(SPLIT_WORDS) == []
    go_to(page, "Completions")
    assert side.get_by_test_id("stNumberInput").count() == 9  # the form is open
    assert page.evaluate(SPLIT_WORDS) == []


def test_the_json_editors_are_full_width(wide_page: Page, app_url: str) -> None:
    page = wide_page
    open_app(page, app_url)
    main = page.get_by_test_id("stMainBlockContainer")
    editors = main.get_by_test_id("stExpander").filter(has_text="Tools and JSON schema")
    editors.locator("summary").click()
    tools = main.get_by_label("Tools", exact=True)
    box = tools.bounding_box()
    assert box is not None and box["width"] >= 600, box  # the sidebar's editor was 210 px
