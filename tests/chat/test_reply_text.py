"""A Responses reply's tool calls, citations, incomplete reason and cost split, in words."""

from __future__ import annotations

from playground.chat.reply_text import (
    citations_markdown,
    escape_markdown,
    incomplete_text,
    markdown_link,
    tool_activity_line,
)
from playground.core.replies import ReplyStats, cost_split_text, tool_counts_text
from xai_core import Usage


def test_tool_calls_in_words_while_running_and_once_done() -> None:
    web = {"kind": "web_search", "status": "searching", "query": "xAI news"}
    assert tool_activity_line(web) == "Searching the web: xAI news"
    assert tool_activity_line({**web, "status": "completed"}) == "Searched the web: xAI news"
    x = {"kind": "x_search", "name": "x_keyword_search", "status": "completed", "query": "from:xai"}
    assert tool_activity_line(x) == r"Searched X (x\_keyword\_search): from:xai"
    assert tool_activity_line({"kind": "code_execution", "status": "in_progress"}) == "Running code"
    assert tool_activity_line({"kind": "mcp", "status": "failed"}).endswith("(failed)")


def test_model_text_cannot_inject_markdown_or_html() -> None:
    line = tool_activity_line({"kind": "web_search", "status": "completed", "query": "<b>[x](y)"})
    assert "<b>" not in line and "[x](y)" not in line
    assert escape_markdown("a\nb") == "a b"


def test_citations_are_numbered_links_with_escaped_titles() -> None:
    text = citations_markdown(
        [
            {"url": "https://x.ai/", "title": "xAI [home]"},
            {"url": "https://en.wikipedia.org/wiki/Grok_(chatbot)", "title": ""},
            {"url": "javascript:alert(1)", "title": "bad"},
        ]
    )
    lines = text.splitlines()
    assert lines[0] == r"1. [xAI \[home\]](https://x.ai/)"
    assert lines[1].endswith("(https://en.wikipedia.org/wiki/Grok_%28chatbot%29)")
    assert lines[2] == "3. bad" and "javascript" not in text


def test_a_link_without_http_is_plain_text() -> None:
    assert markdown_link("t", "ftp://x") == "t"


def test_the_incomplete_reason() -> None:
    assert incomplete_text("max_output_tokens") == "Incomplete: it reached max_output_tokens."
    assert incomplete_text("other") == "Incomplete: the server says other."
    assert incomplete_text(None) == "Incomplete."


def test_cost_split_into_tokens_and_tool_fees() -> None:
    counts = {"web_search_calls": 2, "x_search_calls": 0}
    text = cost_split_text(132_865_000, 100_000_000, billed=True, counts=counts)
    assert text == "$0.0133 billed: $0.00329 tokens + $0.01 tools (2 web searches)"
    assert cost_split_text(3_080_000, 0, billed=False, counts={}) == "≈ $0.000308 estimated"


def test_tool_counts() -> None:
    assert tool_counts_text({"x_search_calls": 1, "web_search_calls": 3}) == (
        "3 web searches, 1 X search"
    )


def test_the_stats_line_splits_a_billed_cost_with_web_searches() -> None:
    usage = Usage(
        prompt_tokens=4144,
        completion_tokens=49,
        total_tokens=4193,
        cost_in_usd_ticks=132_865_000,
        server_side_tool_usage_details={"web_search_calls": 2, "x_search_calls": 0},
    )
    stats = ReplyStats("grok-4.3", usage, cost_usd=0.0132865)
    assert "$0.0133 billed: $0.00329 tokens + $0.01 tools (2 web searches)" in stats.line()
    assert "$0.000308" in ReplyStats("m", Usage(), cost_usd=0.000308).line()
