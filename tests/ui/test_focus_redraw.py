"""Focus moving between the sidebar and the article redraws only the sidebar lines whose look
follows focus (the cursor's, and the guides under it), and what is drawn is what a whole
repaint would draw."""

from __future__ import annotations

from typing import Any

import pytest
from textual._styles_cache import StylesCache
from textual.strip import Strip

from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.sidebar import Sidebar
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, until


def _drawn_and_whole(app: ReaderApp) -> tuple[str, str]:
    """The screen as its widgets hold it drawn, then as the sidebar's lines drawn anew make it."""
    sidebar = main_screen(app).sidebar
    drawn = app.export_screenshot()
    kept = sidebar._styles_cache
    sidebar._styles_cache = StylesCache()
    sidebar._line_cache.clear()
    try:
        return drawn, app.export_screenshot()
    finally:
        sidebar._styles_cache = kept


@pytest.fixture
def sidebar_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The view's line numbers the sidebar draws, in order, from now on."""
    drawn: list[int] = []
    render_line = Sidebar.render_line

    def counted(self: Sidebar, y: int) -> Strip:
        drawn.append(y)
        return render_line(self, y)

    monkeypatch.setattr(Sidebar, "render_line", counted)
    return drawn


async def test_opening_an_article_draws_one_line_of_the_sidebar(
    store: Store, sample_site: str, sidebar_lines: list[int]
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        sidebar = screen.sidebar
        group = sidebar.current_group
        assert group is not None
        posts = sidebar.group_posts(group)
        sidebar.focus()
        # Opened once and left first (its read mark counted, its page read), as the bench does.
        for post in (posts[2], posts[3]):
            sidebar.show_post(group, post.id)
            await settle(app, pilot)
            await pilot.press("enter")
            await until(pilot, lambda p=post: screen.post is not None and screen.post.id == p.id)
            await settle(app, pilot)
            await pilot.press("escape")
            await until(pilot, lambda: sidebar.has_focus)
            await settle(app, pilot)
        sidebar.show_post(group, posts[2].id)
        await settle(app, pilot)
        cursor_row = sidebar.cursor_line - sidebar.scroll_offset.y

        sidebar_lines.clear()
        await pilot.press("enter")
        await until(pilot, lambda: screen.article.has_focus and screen.post is not None)
        await settle(app, pilot)
        assert screen.post is not None and screen.post.id == posts[2].id
        assert sidebar_lines == [cursor_row]  # was every line of the view: 37
        drawn, whole = _drawn_and_whole(app)
        assert drawn == whole

        sidebar_lines.clear()
        await pilot.press("escape")
        await until(pilot, lambda: sidebar.has_focus)
        await settle(app, pilot)
        assert sidebar_lines == [cursor_row]
        drawn, whole = _drawn_and_whole(app)
        assert drawn == whole


async def test_focus_leaving_an_open_group_redraws_the_guides_under_it(
    store: Store, sample_site: str, sidebar_lines: list[int]
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        sidebar = screen.sidebar
        sidebar.focus()
        await settle(app, pilot)
        # The cursor on the open group's own line: its posts' guides are in the cursor's colour
        # while the sidebar has focus.
        node: Any = sidebar.cursor_node
        while node is not None and (node.data is None or node.data.post is not None):
            node = node.parent
        assert node is not None and node.is_expanded
        listed = sidebar.group_posts(node.data.group)  # its posts' lines (no children of it)
        assert listed
        sidebar.move_cursor(node)
        await settle(app, pilot)
        under = [
            line - sidebar.scroll_offset.y
            for line in range(sidebar.cursor_line, sidebar.cursor_line + len(listed) + 1)
            if 0 <= line - sidebar.scroll_offset.y < sidebar.size.height
        ]

        sidebar_lines.clear()
        screen.set_focus(screen.article)
        await until(pilot, lambda: not sidebar.has_focus)
        await settle(app, pilot)
        assert sorted(sidebar_lines) == under
        drawn, whole = _drawn_and_whole(app)
        assert drawn == whole
