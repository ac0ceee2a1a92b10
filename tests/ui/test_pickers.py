"""The picker on its own: its one-line title, cut to fit, says that it was."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.widgets import Static

from reader.ui.pickers import Choice, Picker


async def test_a_title_cut_to_fit_ends_in_an_ellipsis() -> None:
    title = "Links in this article (12,345: the first 500 that match) [b]not markup[/b]"
    app: App[None] = App()
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(Picker(title, [Choice(Text("a link"), 1)]))
        await pilot.pause()
        shown = app.screen.query_one("#picker-title", Static).render_line(0).text.strip()
        assert shown.endswith("…") and title.startswith(shown[:-1]), shown
