"""Script-injection payloads and the checks that none of them ran or became markup."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Dialog, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

SCRIPT = "<script>window.__xss=1;document.title='pwned';alert('script')</script>"
IMG = "<img src=x onerror=\"window.__xss=2;document.title='pwned';alert('img')\">"
LINK = "[click here](javascript:window.__xss=3;document.title='pwned';alert('link'))"
SVG = "<svg onload=\"window.__xss=4;alert('svg')\"></svg>"
ALL = f"{SCRIPT} then {IMG} then {LINK} then {SVG}"

_INJECTED = """() => {
  const found = [];
  for (const s of document.querySelectorAll('script')) {
    if (s.textContent.includes('__xss')) found.push('script: ' + s.textContent.slice(0, 60));
  }
  for (const el of document.querySelectorAll('img[onerror], svg[onload], [onload], [onerror]')) {
    found.push(el.tagName + ' with an event handler');
  }
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const where = el.tagName + '.' + attr.name;
      if (attr.name.startsWith('on') && attr.value.includes('__xss')) found.push(where);
      if (/^\\s*javascript:/i.test(attr.value)) found.push(where + '=javascript:');
    }
  }
  return {flag: window.__xss === undefined ? null : window.__xss, found};
}"""


class XssWatch:
    """Records every dialog (``alert``) a page opens; checks every frame for injected markup."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dismiss)

    def _dismiss(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_inert(self) -> None:
        """No payload ran (no flag, title or dialog) and none became an element or a link."""
        self.page.wait_for_timeout(500)  # an onerror fires once the broken image fails to load
        for frame in self.page.frames:
            result = frame.evaluate(_INJECTED)
            assert result["flag"] is None, f"a payload ran in {frame.url}: {result}"
            assert result["found"] == [], f"injected markup in {frame.url}: {result['found']}"
        assert self.page.title() != "pwned"
        assert self.dialogs == [], self.dialogs


def hover_points(page: Page, chart_index: int = 0, limit: int = 20) -> list[str]:
    """Move the mouse over each point of a plotly chart; the text of each hover label drawn."""
    chart = page.get_by_test_id("stPlotlyChart").nth(chart_index)
    chart.scroll_into_view_if_needed()
    labels = []
    for point in chart.locator("path.point, g.point > path").all()[:limit]:
        box = point.bounding_box()
        if box is not None:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            with contextlib.suppress(PlaywrightTimeoutError):  # generous: the machine is shared
                chart.locator(".hoverlayer .hovertext").first.wait_for(timeout=3_000)
            labels.append(" ".join(chart.locator(".hoverlayer").all_text_contents()))
    return labels
