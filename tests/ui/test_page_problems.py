"""An excerpt whose page could not be fetched says so, and why, instead of "not fetched yet"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from reader.core.models import IncomingPost
from reader.core.navigation import StoredPost
from reader.core.source import Source
from reader.core.store import Store
from reader.render.article import EXCERPT_NOTE, FEED_EXCERPT_NOTE
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen

DEAD = Source.site("http://127.0.0.1:9/")


@pytest.fixture
def excerpt_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open_in(tmp_path / "data")
    when = datetime(2025, 9, 3, tzinfo=UTC)
    post = IncomingPost(
        DEAD.url + "2025/09/03/a-summary/", "A summary only", published=when, excerpt="<p>Gist.</p>"
    )
    store.upsert_posts([post], source=DEAD)
    feed = Source.feed("https://example.org/rss.xml")
    item = IncomingPost(
        "https://example.org/item/", "A feed item", published=when, excerpt="<p>Item gist.</p>"
    )
    store.upsert_posts([item], source=feed)
    yield store
    store.close()


def _notes(screen: MainScreen) -> list[str]:
    assert screen.post is not None
    article = screen.render_article(screen.post)
    return [str(block) for block in article.renderables if isinstance(block, Text)]


async def _open_until_its_page_fails(screen: MainScreen, pilot: Pilot[None], post_id: int) -> None:
    """Open the post and wait (10 s at most) until its page is known not to come."""
    screen.go_to(StoredPost(post_id))
    for _ in range(200):
        await pilot.pause(0.05)
        if post_id in screen._page_problems:
            break
    await pilot.pause()
    assert post_id in screen._page_problems, "the page's failure was never noted"


async def test_an_unreachable_page_is_said_in_the_article_and_the_status_line(
    excerpt_store: Store,
) -> None:
    app = ReaderApp(excerpt_store, DEAD, refresh_on_start=False, fetcher_options={"deadline": 5.0})
    (post,) = excerpt_store.posts_in(source=DEAD)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _open_until_its_page_fails(screen, pilot, post.id)
        notes = _notes(screen)
        assert EXCERPT_NOTE not in notes
        said = [n for n in notes if "could not be fetched" in n]
        assert len(said) == 1 and "refused" in said[0], notes
        message = str(screen.status.query_one("#message", Static).content)
        assert "could not be fetched" in message and "refused" in message


async def test_a_feed_items_excerpt_does_not_promise_a_fetch(excerpt_store: Store) -> None:
    feed = Source.feed("https://example.org/rss.xml")
    app = ReaderApp(excerpt_store, feed, refresh_on_start=False)
    (item,) = excerpt_store.posts_in(source=feed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.go_to(StoredPost(item.id))
        await pilot.pause()
        notes = _notes(screen)
        assert FEED_EXCERPT_NOTE in notes and EXCERPT_NOTE not in notes


async def test_a_whole_body_is_not_rendered_again_when_its_page_fails(
    excerpt_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The article is the same whatever the page's fate: only an excerpt has a note about it.
    when = datetime(2025, 9, 4, tzinfo=UTC)
    body = IncomingPost(
        DEAD.url + "2025/09/04/a-whole-body/", "A whole body", published=when, content="<p>All.</p>"
    )
    excerpt_store.upsert_posts([body], source=DEAD)
    post = next(p for p in excerpt_store.posts_in(source=DEAD) if p.title == "A whole body")
    renders: list[str] = []
    renderer = MainScreen._renderer

    def counted(screen: MainScreen, post: object) -> object:
        renders.append(getattr(post, "title", ""))
        return renderer(screen, post)  # type: ignore[arg-type]

    monkeypatch.setattr(MainScreen, "_renderer", counted)
    app = ReaderApp(excerpt_store, DEAD, refresh_on_start=False, fetcher_options={"deadline": 5.0})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _open_until_its_page_fails(screen, pilot, post.id)
        message = str(screen.status.query_one("#message", Static).content)
        assert "could not be fetched" in message
        assert renders.count("A whole body") == 1, renders
