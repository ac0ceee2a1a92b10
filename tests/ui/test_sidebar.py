"""The sidebar on its own: long lists fill a screenful at a time, and never twice."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult

from reader.core.models import PostSummary, Section, SectionKind
from reader.ui.sidebar import Sidebar
from reader.ui.themes import reader_variable_defaults


class _Host(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        # The sidebar draws its marks in the reader's own colours, which ReaderApp defines.
        return reader_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        yield Sidebar()


def _posts(count: int, start: int = 0) -> list[PostSummary]:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        PostSummary(n, f"Post {n} [b]not markup[/b]", f"https://e.org/{n}/", when)
        for n in range(start, start + count)
    ]


async def test_a_long_list_fills_gradually_and_a_refill_cancels_the_rest() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 700, 700)], 0)
        sidebar.set_posts("news", _posts(700))
        assert 0 < len(sidebar.group_posts("news")) < 700  # a screenful first
        sidebar.set_posts("news", _posts(650, start=1000))  # a refill mid-way
        for _ in range(10):
            await pilot.pause()
        ids = [p.id for p in sidebar.group_posts("news")]
        assert ids == list(range(1000, 1650))
        # Labels are text, never markup.
        node = sidebar._groups["news"].children[0]
        assert "[b]not markup[/b]" in str(node.label)


async def test_cursor_leaving_the_screen_turns_a_page() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 100, 100)], 0)
        sidebar.set_posts("news", _posts(100))
        sidebar.open_group("news")
        sidebar.focus()
        await pilot.pause()
        height = sidebar.scrollable_content_region.height
        for _ in range(height):
            await pilot.press("j")
        await pilot.pause()
        # The line that stepped off the bottom is now near the top, not at the bottom.
        assert sidebar.scroll_y == sidebar.cursor_line - 1
