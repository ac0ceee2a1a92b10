"""The article's paging keys work from the list beside it, and space reads on at its end.

With the list focused and the article shown beside it (100 columns and up), space, ``g`` and
``G`` did nothing (space on a post's line is a Tree's open/close, which a post has not), while
slrn and mutt users page the article shown from their index with space. ``j``/``k`` still
move the list. At the article's end space goes on to the next unread post, as ``u`` does, in
the article as from the list.
"""

from __future__ import annotations

from reader.core.store import Store
from reader.ui.app import ReaderApp
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle
from tests.support.pilot_steps import until as _until


async def test_space_g_and_G_page_the_article_beside_the_list(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(110, 16)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        await pilot.press("enter")
        view = screen.article
        await _until(pilot, lambda: screen.post is not None and view.max_scroll_y > 0)
        first = screen.post
        assert first is not None
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is screen.sidebar
        line = screen.sidebar.cursor_line

        await pilot.press("space")
        await pilot.pause()
        assert view.scroll_y > 0
        assert screen.focused is screen.sidebar and screen.sidebar.cursor_line == line
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0
        # j and k are still the list's.
        await pilot.press("j")
        await pilot.pause()
        assert screen.sidebar.cursor_line == line + 1 and view.scroll_y == 0
        assert screen.post is first

        # At the end, space goes on to the next unread post after the one read.
        await pilot.press("G", "space")
        await pilot.pause()
        assert screen.post is not None and screen.post.id != first.id
        listed = [post.id for post in screen.sidebar.listed(screen.sidebar.current_group)]
        assert listed.index(screen.post.id) == listed.index(first.id) + 1


async def test_space_at_the_article_s_end_opens_the_next_unread(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(110, 16)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        await pilot.press("enter")
        view = screen.article
        await _until(pilot, lambda: screen.post is not None and view.max_scroll_y > 0)
        first = screen.post
        assert first is not None and screen.focused is view
        await pilot.press("space")
        await pilot.pause()
        assert screen.post is first and view.scroll_y > 0
        await pilot.press("G")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert screen.post is not None and screen.post.id != first.id


async def test_space_on_a_post_of_the_list_alone_does_nothing(
    store: Store, sample_site: str
) -> None:
    # Below 100 columns the list has the whole width: no article is in view to page.
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None)
        first = screen.post
        await pilot.press("escape")
        await pilot.pause()
        top = screen.article.scroll_y
        await pilot.press("space", "space", "space", "G")
        await pilot.pause()
        assert screen.post is first and screen.article.scroll_y == top
