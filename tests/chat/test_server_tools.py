"""Server-side tools: the ``tools`` entries sent, and every input xAI refuses caught before."""

from __future__ import annotations

from playground.chat.server_tools import ServerToolSettings, server_tools, split_entries


def test_nothing_on_sends_no_tool() -> None:
    assert server_tools(ServerToolSettings()) == ([], [])


def test_every_tool_with_its_parameters() -> None:
    settings = ServerToolSettings(
        web_search=True,
        allowed_domains=("X.ai", "docs.x.ai"),
        web_image_understanding=True,
        x_search=True,
        excluded_handles=("spam_bot",),
        from_date="2026-01-01",
        to_date="2026-01-31",
        x_video_understanding=True,
        code_execution=True,
    )
    tools, errors = server_tools(settings)
    assert errors == []
    assert tools == [
        {
            "type": "web_search",
            "allowed_domains": ["x.ai", "docs.x.ai"],
            "enable_image_understanding": True,
        },
        {
            "type": "x_search",
            "excluded_x_handles": ["spam_bot"],
            "from_date": "2026-01-01",
            "to_date": "2026-01-31",
            "enable_video_understanding": True,
        },
        {"type": "code_interpreter"},
    ]


def test_more_than_five_domains_is_refused() -> None:
    domains = tuple(f"site{k}.com" for k in range(6))
    _, errors = server_tools(ServerToolSettings(web_search=True, excluded_domains=domains))
    assert errors == ["Web search domains: at most 5 excluded, not 6."]


def test_allowed_and_excluded_domains_together_are_refused() -> None:
    settings = ServerToolSettings(
        web_search=True, allowed_domains=("a.com",), excluded_domains=("b.com",)
    )
    assert server_tools(settings)[1] == [
        "Web search domains: give allowed or excluded ones, not both."
    ]


def test_a_url_is_not_a_domain() -> None:
    settings = ServerToolSettings(web_search=True, allowed_domains=("https://x.ai/news",))
    tools, errors = server_tools(settings)
    assert len(errors) == 1 and "'https://x.ai/news'" in errors[0]
    assert "allowed_domains" not in tools[0]


def test_handles_are_written_without_at_and_at_most_ten() -> None:
    _, errors = server_tools(ServerToolSettings(x_search=True, allowed_handles=("@xai", "grok")))
    assert errors == ["X handles are written without @: 'xai' not '@xai'."]
    many = tuple(f"user{k}" for k in range(11))
    _, errors = server_tools(ServerToolSettings(x_search=True, allowed_handles=many))
    assert errors == ["X handles: at most 10 allowed, not 11."]


def test_dates_must_be_iso_and_in_order() -> None:
    bad = ServerToolSettings(x_search=True, from_date="01/02/2026", to_date="2026-02-30")
    errors = server_tools(bad)[1]
    assert len(errors) == 2 and "YYYY-MM-DD" in errors[0] and "'2026-02-30'" in errors[1]
    reversed_range = ServerToolSettings(x_search=True, from_date="2026-03-01", to_date="2026-02-01")
    assert server_tools(reversed_range)[1] == [
        "X search from date 2026-03-01 is after the to date 2026-02-01."
    ]


def test_entries_split_on_lines_and_commas() -> None:
    assert split_entries(" a.com, b.com\n\nc.com ,") == ("a.com", "b.com", "c.com")
