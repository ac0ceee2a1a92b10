"""The post the sidebar's cursor rests on is rendered, and its lines made, ahead of enter:
enter then only draws it, as an opening would have drawn it; anything its rendering reads
changing meanwhile renders it anew, and a new width lays it out anew."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from rich.segment import Segment
from textual.pilot import Pilot

import reader.render.article as article_module
import reader.ui.article_view as article_view_module
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, until


class _Counts:
    """Calls of ``render_post`` (post ids) and of the article view's ``lines_of``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.renders: list[int] = []
        self.layouts = 0
        render_post = article_module.render_post
        lines_of = article_view_module.lines_of

        def counted_render(post: Any, *args: Any, **kwargs: Any) -> Any:
            self.renders.append(post.id)
            return render_post(post, *args, **kwargs)

        def counted_lines_of(*args: Any, **kwargs: Any) -> Any:
            self.layouts += 1
            return lines_of(*args, **kwargs)

        monkeypatch.setattr(article_module, "render_post", counted_render)
        monkeypatch.setattr(article_view_module, "lines_of", counted_lines_of)

    def clear(self) -> None:
        self.renders.clear()
        self.layouts = 0


async def _rest_on(pilot: Pilot[None], screen: MainScreen, post_id: int) -> None:
    """Move the sidebar's cursor to ``post_id`` (another post open) and wait for its
    rendering ahead."""
    group = screen.sidebar.current_group
    assert group is not None
    screen.sidebar.focus()
    screen.sidebar.show_post(group, post_id)
    await pilot.pause()
    # Away and back by the reader's own keys: a cursor put there by the reader itself
    # (following an article opened) renders nothing ahead.
    await pilot.press("j", "k")
    await until(pilot, lambda: screen._ahead is not None and screen._ahead[0][0] == post_id)


async def _enter(pilot: Pilot[None], screen: MainScreen, post_id: int) -> None:
    await pilot.press("enter")
    await until(pilot, lambda: screen.post is not None and screen.post.id == post_id)
    await settle(screen.app, pilot)  # type: ignore[arg-type]


async def _two_long_posts(pilot: Pilot[None], screen: MainScreen, store: Store) -> list[int]:
    """The two longest posts with whole bodies in the sidebar's open group, each opened once
    (its page read, as the bench's are) and the first one open."""
    group = screen.sidebar.current_group
    assert group is not None
    posts = [store.post(summary.id) for summary in screen.sidebar.group_posts(group)]
    whole = [post for post in posts if post is not None and post.content.strip()]
    whole.sort(key=lambda post: len(post.content), reverse=True)
    ids = [post.id for post in whole[:2]]
    for post_id in reversed(ids):
        screen.open_post_id(post_id)
        await until(pilot, partial(_open, screen, post_id))
        await settle(screen.app, pilot)  # type: ignore[arg-type]
    # Forgotten: the next opening of either renders it (or takes it made ahead).
    screen._rendered.clear()
    screen.article._kept.clear()
    return ids


def _open(screen: MainScreen, post_id: int) -> bool:
    return screen.post is not None and screen.post.id == post_id


def _lines(screen: MainScreen) -> tuple[object, ...]:
    """The article shown, laid out: its lines and what the view found in them."""
    layout = screen.article._layout
    assert layout is not None and not screen.article._laying_out
    lines: list[list[Segment]] = layout.lines
    return (
        layout.width,
        lines,
        layout.link_lines,
        layout.lines_with_links,
        layout.anchors,
        layout.block_starts,
    )


async def _settled_app(pilot: Pilot[None], app: ReaderApp) -> MainScreen:
    screen = main_screen(app)
    await settle(app, pilot)
    return screen


async def test_enter_on_a_post_rendered_ahead_neither_renders_nor_lays_out(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _Counts(monkeypatch)
    app = make_app(store, sample_site, images="off")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settled_app(pilot, app)
        first, second = await _two_long_posts(pilot, screen, store)
        await _rest_on(pilot, screen, second)
        assert counts.renders[-1:] == [second]
        counts.clear()
        await _enter(pilot, screen, second)
        assert counts.renders == [], "rendered on enter"
        assert counts.layouts == 0, "laid out on enter"
        ahead = _lines(screen)
        length = len(screen.article._layout.lines)  # type: ignore[union-attr]
        assert length > screen.article.size.height  # the whole article, not a screen
        assert screen.article.virtual_size.height == length
        assert ahead[2], "no links found in it"
        # As an opening without it draws the same post: nothing kept, rendered and laid out.
        screen._rendered.clear()
        screen.article._kept.clear()
        screen.open_post_id(first)
        await until(pilot, lambda: screen.post is not None and screen.post.id == first)
        await settle(app, pilot)
        screen._rendered.clear()
        screen.article._kept.clear()
        counts.clear()
        screen.open_post_id(second)
        await until(pilot, lambda: screen.post is not None and screen.post.id == second)
        await settle(app, pilot)
        assert counts.renders == [second] and counts.layouts > 0
        assert _lines(screen) == ahead


async def test_a_post_changed_after_its_rendering_ahead_is_rendered_anew(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _Counts(monkeypatch)
    app = make_app(store, sample_site, images="off")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settled_app(pilot, app)
        _first, second = await _two_long_posts(pilot, screen, store)
        await _rest_on(pilot, screen, second)
        store._db.execute(
            "UPDATE posts SET content=? WHERE id=?", ("<p>Rewritten since: a new body.</p>", second)
        )
        counts.clear()
        await _enter(pilot, screen, second)
        assert counts.renders == [second]
        shown = [screen.article.render_line(y).text for y in range(screen.article.size.height)]
        assert any("Rewritten since" in line for line in shown)


async def test_a_theme_changed_after_a_rendering_ahead_renders_anew(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _Counts(monkeypatch)
    app = make_app(store, sample_site, images="off")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settled_app(pilot, app)
        _first, second = await _two_long_posts(pilot, screen, store)
        await _rest_on(pilot, screen, second)
        styles = screen._styles
        app.theme = next(name for name in app.available_themes if name != app.theme)
        await until(pilot, lambda: screen._styles is not styles)
        await settle(app, pilot)
        counts.clear()
        screen.sidebar.focus()
        await pilot.pause()
        await _enter(pilot, screen, second)
        assert counts.renders == [second]
        assert counts.layouts > 0, "shown with the lines made in the old theme"


async def test_a_width_changed_after_a_rendering_ahead_lays_out_anew(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _Counts(monkeypatch)
    app = make_app(store, sample_site, images="off")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settled_app(pilot, app)
        _first, second = await _two_long_posts(pilot, screen, store)
        await _rest_on(pilot, screen, second)
        made_at = screen.article.shown_width
        await pilot.resize_terminal(130, 40)
        await settle(app, pilot)
        assert screen.article.shown_width != made_at
        counts.clear()
        screen.sidebar.focus()
        await pilot.pause()
        await _enter(pilot, screen, second)
        assert counts.renders == [], "rendered again for a new width"
        assert counts.layouts > 0, "the lines made at the old width were shown"
        layout = screen.article._layout
        assert layout is not None and layout.width == screen.article.shown_width
