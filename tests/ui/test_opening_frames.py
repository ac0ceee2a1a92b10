"""Opening an article draws it once: no layout of the whole screen, one frame with the
article, the sidebar's new look and the scrollbar as they stay."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import RenderableType
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.screen import Screen

from reader.core.store import Store
from reader.ui.app import ReaderApp
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, status_message, until


def _longest(store: Store, ids: list[int]) -> int:
    """The post of ``ids`` with the longest body."""
    posts = [store.post(post_id) for post_id in ids]
    return max((post for post in posts if post is not None), key=lambda p: len(p.content)).id


async def test_opening_an_article_lays_out_nothing_and_draws_one_frame(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts: list[Screen[Any]] = []
    frames: list[tuple[int, bool]] = []
    """(the article's length, whether the sidebar has focus) at each frame drawn."""
    refresh_layout = Screen._refresh_layout
    display = ReaderApp._display

    def counted_layout(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(screen)
        refresh_layout(screen, *args, **kwargs)

    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)

    def noted_display(self: ReaderApp, screen: Screen[Any], renderable: RenderableType) -> None:
        if renderable is not None:
            view = main_screen(self).article
            frames.append((view.virtual_size.height, main_screen(self).sidebar.has_focus))
        display(self, screen, renderable)

    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        group = screen.sidebar.current_group
        assert group is not None
        longest = _longest(store, [post.id for post in screen.sidebar.group_posts(group)])
        screen.sidebar.focus()
        await pilot.pause()
        screen.sidebar.show_post(group, longest)
        await pilot.pause()
        current = screen.sidebar.current_post
        assert current is not None and current.id == longest
        # Opened once and left (its page read, its read mark counted), as the bench does.
        await pilot.press("enter")
        await until(pilot, lambda: screen.post is not None and screen.post.id == longest)
        await settle(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: screen.sidebar.has_focus)
        await settle(app, pilot)
        await pilot.pause(0.2)
        monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
        monkeypatch.setattr(ReaderApp, "_display", noted_display)
        await pilot.press("enter")
        await until(pilot, lambda: screen.article.has_focus)
        await settle(app, pilot)
        await pilot.pause(0.2)
        length = screen.article.virtual_size.height
        assert not screen.article._laying_out
        assert length > screen.article.size.height  # a scrollbar with something to say
        assert layouts == []
        assert frames, "nothing was drawn"
        # Every frame drawn had the article's whole length (the scrollbar as it stays) and the
        # sidebar in its blurred look.
        assert frames == [(length, False)] * len(frames)


async def test_a_post_s_page_is_read_only_after_its_text_is_drawn(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page's first reading imports the network stack (about 100 ms in the reader's own
    # process): begun before the article's frame, it kept the text waiting (issue 14).
    import reader.core.sync as sync

    drawn: list[int] = []
    """The article's length at each frame drawn with a post open."""
    asked_after: list[int] = []
    """How many such frames had been drawn when the page was asked for."""
    display = ReaderApp._display
    complete_post = sync.complete_post
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)

    def noted_display(self: ReaderApp, screen: Screen[Any], renderable: RenderableType) -> None:
        if renderable is not None and main_screen(self).post is not None:
            drawn.append(main_screen(self).article.virtual_size.height)
        display(self, screen, renderable)

    async def noted_complete_post(*args: Any, **kwargs: Any) -> Any:
        asked_after.append(len(drawn))
        return await complete_post(*args, **kwargs)

    monkeypatch.setattr(sync, "complete_post", noted_complete_post)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        posts = (store.post(summary.id) for summary in store.posts_in(None))
        post = next(p for p in posts if p is not None and not p.page_fetched)
        monkeypatch.setattr(ReaderApp, "_display", noted_display)
        screen.open_post_id(post.id)
        await until(pilot, lambda: asked_after)
        await settle(app, pilot)
        assert asked_after[0] >= 1, "the page was asked for before the text was drawn"
        assert drawn[0] > 0, "the first frame had no text"


def _rows(renderable: RenderableType) -> set[int]:
    """The screen rows a frame draws on."""
    if isinstance(renderable, ChopsUpdate):
        return {y for y, _, _ in renderable.spans}
    if isinstance(renderable, LayoutUpdate):
        return set(range(renderable.region.y, renderable.region.bottom))
    raise AssertionError(f"a frame of another kind: {renderable!r}")


async def test_enter_draws_the_status_line_in_the_article_s_frame(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enter opens the post in the app's turn (its binding's): the status line, told the post's
    # address there, asked the screen for its repaint only once the screen had begun its
    # frame, and was drawn a frame later (20-40 ms on the key-to-article bench, issue 17).
    frames: list[set[int]] = []
    """The rows each frame drew on, from enter on."""
    display = ReaderApp._display
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)

    def noted_display(self: ReaderApp, screen: Screen[Any], renderable: RenderableType) -> None:
        if renderable is not None:
            frames.append(_rows(renderable))
        display(self, screen, renderable)

    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        group = screen.sidebar.current_group
        assert group is not None
        posts = screen.sidebar.group_posts(group)
        screen.sidebar.focus()
        screen.sidebar.show_post(group, posts[1].id)
        await settle(app, pilot)
        await pilot.pause(0.2)  # rendered ahead, as under a reader's resting cursor
        monkeypatch.setattr(ReaderApp, "_display", noted_display)
        await pilot.press("enter")
        await until(pilot, lambda: screen.article.has_focus)
        await settle(app, pilot)
        await pilot.pause(0.2)
        assert status_message(screen) == posts[1].url
        status_row = screen.status.query_one("#message").region.y
        assert frames, "nothing was drawn"
        assert status_row in frames[0], "the status line was left out of the article's frame"
        assert not any(status_row in rows for rows in frames[1:])
