"""An article opened again is shown from what its last showing made: not rendered, not laid
out, and drawn the same; anything its rendering reads changing renders it anew."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

import reader.render.article as article_module
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.article_view import ArticleView
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, until


def _pane_lines(view: ArticleView) -> list[str]:
    """The article pane's visible lines as text."""
    return [view.render_line(y).text for y in range(view.size.height)]


async def _open(pilot: Pilot[None], screen: MainScreen, post_id: int) -> None:
    screen.open_post_id(post_id)
    await until(pilot, lambda: screen.post is not None and screen.post.id == post_id)
    await settle(screen.app, pilot)  # type: ignore[arg-type]


def _two_long_posts(store: Store) -> list[int]:
    """Two posts with whole bodies (longest first), so each fills the pane."""
    posts = [store.post(summary.id) for summary in store.posts_in(None)]
    whole = [post for post in posts if post is not None and post.content.strip()]
    whole.sort(key=lambda post: len(post.content), reverse=True)
    return [post.id for post in whole[:2]]


async def test_an_article_opened_again_is_neither_rendered_nor_laid_out_again(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[int] = []
    layouts: list[int] = []
    render_post = article_module.render_post
    lay_out = ArticleView._lay_out

    def counted_render(post: Any, *args: Any, **kwargs: Any) -> Any:
        renders.append(post.id)
        return render_post(post, *args, **kwargs)

    def counted_lay_out(view: ArticleView, **kwargs: Any) -> None:
        layouts.append(1)
        lay_out(view, **kwargs)

    monkeypatch.setattr(article_module, "render_post", counted_render)
    app = make_app(store, sample_site, images="off")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        first, second = _two_long_posts(store)
        await _open(pilot, screen, first)
        shown_first = _pane_lines(screen.article)
        await _open(pilot, screen, second)
        shown_second = _pane_lines(screen.article)
        assert set(renders) == {first, second}  # each page read and drawn again once
        renders.clear()
        monkeypatch.setattr(ArticleView, "_lay_out", counted_lay_out)
        await _open(pilot, screen, first)
        assert _pane_lines(screen.article) == shown_first
        await _open(pilot, screen, second)
        assert _pane_lines(screen.article) == shown_second
        assert renders == [], "rendered again"
        assert layouts == [], "laid out again"
        # Its whole length, so the scrollbar and the end key still know it.
        view = screen.article
        assert view._layout is not None
        assert view.virtual_size.height == len(view._layout.lines)
        assert not view._laying_out


async def test_a_kept_article_follows_a_new_width_and_a_new_theme(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[int] = []
    render_post = article_module.render_post

    def counted_render(post: Any, *args: Any, **kwargs: Any) -> Any:
        renders.append(post.id)
        return render_post(post, *args, **kwargs)

    monkeypatch.setattr(article_module, "render_post", counted_render)
    app = make_app(store, sample_site, images="off")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        first, second = _two_long_posts(store)
        await _open(pilot, screen, first)
        wide = screen.article._layout
        assert wide is not None
        await _open(pilot, screen, second)
        renders.clear()
        await pilot.resize_terminal(140, 40)
        await settle(app, pilot)
        await _open(pilot, screen, first)
        view = screen.article
        assert view._layout is not None and view._layout is not wide
        assert view._layout.width == view._text_width() != wide.width
        assert renders == []  # the same rendering, laid out at the new width
        # Another theme: its colours are in the styles the article is rendered with.
        app.theme = next(name for name in app.available_themes if name != app.theme)
        await settle(app, pilot)
        await _open(pilot, screen, second)
        assert renders == [first, second]
