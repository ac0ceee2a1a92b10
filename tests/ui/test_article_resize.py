"""A resize keeps the reading position: the text at the top stays there after the article is
laid out again at the new width (it was kept as a line number, so the top jumped ahead)."""

from __future__ import annotations

import re

import pytest

from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.article_view import ArticleView
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import until as _until


def _line(view: ArticleView, index: int) -> str:
    layout = view._layout
    assert layout is not None
    return "".join(segment.text for segment in layout.lines[index])


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9$%,.]{3,}", text)


@pytest.mark.parametrize(
    ("start", "end", "presses"),
    [((60, 20), (80, 24), 6), ((60, 20), (120, 40), 6), ((120, 40), (60, 20), 3)],
)
async def test_a_resize_keeps_the_text_at_the_top(
    store: Store,
    sample_site: str,
    start: tuple[int, int],
    end: tuple[int, int],
    presses: int,
) -> None:
    post = next(p for p in store.posts_in() if p.title.startswith("2024 Impact Report"))
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=start) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_post_id(post.id)
        view = screen.article
        await _until(pilot, lambda: view._layout is not None and len(view._layout.lines) > 50)
        view.focus()
        for _ in range(presses):
            await pilot.press("space")
        await pilot.pause()
        top = int(view.scroll_y)
        assert top > 0
        words = _words(_line(view, top))
        assert words, _line(view, top)
        await pilot.resize_terminal(*end)
        await _until(pilot, lambda: view._layout is not None and view.size.width > 0)
        await pilot.pause()
        new_top = int(view.scroll_y)
        near = " ".join(_line(view, i) for i in range(max(0, new_top - 1), new_top + 3))
        # The old top line's first words are still at (or next to) the top.
        first = r"\W+(?:\w{1,2}\W+)*".join(re.escape(word) for word in words[:3])
        assert re.search(first, near), (words, near)


async def test_a_re_render_keeps_a_scroll_still_under_way(store: Store, sample_site: str) -> None:
    # j sets where the view is going at once and moves it on the next frame; a re-render in
    # between (a page fetched, a long post laid out again) took the old place and lost the key.
    post = next(p for p in store.posts_in() if p.title.startswith("2024 Impact Report"))
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_post_id(post.id)
        view = screen.article
        await _until(pilot, lambda: view._layout is not None and len(view._layout.lines) > 50)
        await pilot.pause()
        article = view._article
        assert article is not None
        view.focus()
        await pilot.pause()
        view.action_scroll_down()
        view.restyle(article)
        await pilot.pause()
        assert view.scroll_y == 1
