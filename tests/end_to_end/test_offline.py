"""Reading with the site gone: a bookmark made online reads the same offline, from the store,
from ``reader show`` and in the app; the app starts offline on a synced store and says so."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from reader.core.fetch import Fetcher
from reader.core.models import Link, LinkKind, Post
from reader.core.navigation import Shelf
from reader.core.runner import run_sync, with_fetcher
from reader.core.store import STORE_FILE, Store
from reader.core.sync import Source, complete_post
from reader.render.article import render_post, render_text
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.pickers import Picker
from tests.support.app_fixtures import SECTIONS, make_app, synced_store
from tests.support.pilot_steps import workers_done

ROOT = Path(__file__).resolve().parents[2]
SIZE = (120, 40)


@dataclass(frozen=True)
class Gone:
    """A data folder synced while the site was up, and what it held, with the site now gone."""

    folder: Path
    site: str
    """The site's address; nothing answers there any more."""
    bookmarked: Post
    """The bookmarked post as it was read online (its page fetched)."""
    text: str
    """``render_text`` of it online, at 80 columns."""
    links: tuple[Link, ...]
    body_links: list[str]
    cached: Post
    """A post still in the store."""
    uncached_url: str
    """An in-site post address that is not stored, so it can only come from the network."""


@pytest.fixture(scope="module")
def gone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gone]:
    server = SampleServer()
    url = server.start()
    folder = tmp_path_factory.mktemp("gone")
    try:
        synced_store(url, folder)
        store = Store.open_in(folder, section_names=SECTIONS)
        posts = [store.post(s.id) for s in store.posts_in("news")]
        chosen = next(p for p in posts if p is not None and "<a " in p.content)
        cached = next(p for p in posts if p is not None and p.id != chosen.id)
        uncached = next(p for p in posts if p is not None and p.id not in (chosen.id, cached.id))

        async def read_pages(fetcher: Fetcher) -> Post:
            await complete_post(store, fetcher, cached)
            return await complete_post(store, fetcher, chosen)

        online = with_fetcher(read_pages)
        assert online.page_fetched and online.link(LinkKind.OLDER) is not None
        store.add_bookmark(online)
        # The post leaves the site; a sync after that must leave the bookmark alone.
        wp_id = online.wp_id
        assert wp_id is not None
        server.site.remove_post(wp_id)

        store.set_source_meta(Source.site(url), "backfill_done", "")
        report = run_sync(store.path, Source.site(url), section_names=SECTIONS)
        assert report.ok, report.errors
        # ... and it leaves the store too, as a post the reader no longer keeps.
        store.remove_post(online.id)
        store.remove_post(uncached.id)
        cached_now = store.post(cached.id)
        assert cached_now is not None
        store.close()
    finally:
        server.stop()
    # Hold the port, bound but not listening: connections are refused, as with the site down,
    # and no server started later in the session can be given this port.
    guard = socket.socket()
    with contextlib.suppress(OSError):
        guard.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        guard.bind(("127.0.0.1", server.port))
    yield Gone(
        folder=folder,
        site=url,
        bookmarked=online,
        text=render_text(online, width=80),
        links=online.links,
        body_links=[link.url for link in render_post(online).links],
        cached=cached_now,
        uncached_url=uncached.url,
    )
    guard.close()


@pytest.fixture
def mine(gone: Gone, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the offline store (the app writes read state)."""
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(gone.folder / STORE_FILE, folder / STORE_FILE)
    store = Store.open_in(folder, section_names=SECTIONS)
    yield store
    store.close()


def _same_article(post: Post, gone: Gone) -> None:
    assert render_text(post, width=80) == gone.text
    assert post.links == gone.links
    assert [link.url for link in render_post(post).links] == gone.body_links


# -- the bookmark, offline -------------------------------------------------------------------


def test_bookmark_reads_offline_from_the_store(gone: Gone) -> None:
    store = Store.open_in(gone.folder, section_names=SECTIONS)
    try:
        assert store.find_post(gone.bookmarked.url) is None
        bookmark = store.bookmark(gone.bookmarked.url)
        assert bookmark is not None
        _same_article(bookmark.post, gone)
        assert [b.url for b in store.bookmarks()] == [gone.bookmarked.url]
    finally:
        store.close()


def test_reader_show_prints_the_bookmark_offline(gone: Gone) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "--site",
            gone.site,
            "--data-dir",
            str(gone.folder),
            "show",
            gone.bookmarked.url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == gone.text


def _article_text(screen: MainScreen) -> str:
    layout = screen.article._layout
    assert layout is not None
    return "\n".join("".join(segment.text for segment in line) for line in layout.lines)


async def _settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    await workers_done(app)
    await pilot.pause()


def _screen(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def _message(screen: MainScreen) -> str:
    return str(screen.status.query_one("#message", Static).content)


def _state(screen: MainScreen) -> str:
    return str(screen.status.query_one("#state", Static).content)


def _words(text: str) -> list[str]:
    return text.split()


async def test_app_opens_the_bookmark_offline_from_the_group_and_from_B(
    mine: Store, gone: Gone
) -> None:
    app = make_app(mine, gone.site, refresh_on_start=True)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await _settle(app, pilot)
        assert "offline" in _state(screen)
        # From the Bookmarks group in the sidebar.
        screen.sidebar.open_group(Shelf.BOOKMARKS)
        await _settle(app, pilot)
        screen.sidebar.focus()
        await pilot.press("down", "enter")
        await _settle(app, pilot)
        assert screen.post is not None
        _same_article(screen.post, gone)
        # The article pane shows that text, wrapped to its own width.
        assert _words(_article_text(screen)) == _words(gone.text.split("\nLinks\n")[0])
        assert [link.url for link in screen.article.links] == gone.body_links
        # From B, after going elsewhere.
        screen.open_post_id(gone.cached.id)
        await _settle(app, pilot)
        await pilot.press("B")
        await _settle(app, pilot)
        assert isinstance(app.screen, Picker)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.url == gone.bookmarked.url
        _same_article(screen.post, gone)
        # Its navigation still leads somewhere: the older post is in the store.
        await pilot.press("p")
        await _settle(app, pilot)
        older = gone.bookmarked.link(LinkKind.OLDER)
        assert older is not None and screen.post.url == older.url


# -- starting offline ------------------------------------------------------------------------


async def test_app_starts_offline_on_a_synced_store(mine: Store, gone: Gone) -> None:
    app = make_app(mine, gone.site, refresh_on_start=True)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await _settle(app, pilot)
        # The sync failed for want of a site, and the status line says so, calmly.
        assert screen.status.offline
        assert "offline" in _state(screen)
        assert not screen.status.syncing
        # The stored posts are listed.
        news = mine.section("news")
        assert news is not None and news.count > 0
        screen.sidebar.open_group("news")
        await _settle(app, pilot)
        listed = screen.sidebar.group_posts("news")
        assert [p.id for p in listed] == [p.id for p in mine.posts_in("news")]
        # A stored post opens (its page was read while online).
        screen.open_post_id(gone.cached.id)
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.id == gone.cached.id
        assert gone.cached.title in _article_text(screen)
        # A post that is not stored cannot come from the network: it says so.
        screen.follow(gone.uncached_url)
        await _settle(app, pilot)
        message = _message(screen)
        assert "Offline" in message and "cannot be opened" in message, message
        assert screen.post.id == gone.cached.id


async def test_a_post_without_its_page_still_opens_offline(mine: Store, gone: Gone) -> None:
    # Excerpt-only or not yet completed: what is stored is shown, and the status says why.
    summary = next(
        s
        for s in mine.posts_in()
        if not mine.post(s.id).page_fetched  # type: ignore[union-attr]
    )
    app = make_app(mine, gone.site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        screen.open_post_id(summary.id)
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.id == summary.id
        assert summary.title in _article_text(screen)
        assert "offline" in _message(screen)
        stored = mine.post(summary.id)
        assert stored is not None and not stored.page_fetched and stored.read


async def test_a_site_never_reached_points_to_the_bookmarks_kept(mine: Store, gone: Gone) -> None:
    # Another site, never synced and not answering: nothing of it is stored, but the bookmark
    # (of another site) reads offline. The page said "nothing to show offline".
    with socket.socket() as guard:
        guard.bind(("127.0.0.1", 0))  # bound, not listening: refused
        dead = f"http://127.0.0.1:{guard.getsockname()[1]}/"
        app = make_app(mine, dead, refresh_on_start=True)
        assert isinstance(app, ReaderApp)
        async with app.run_test(size=SIZE) as pilot:
            screen = _screen(app)
            await _settle(app, pilot)
            shown = " ".join(_article_text(screen).split())
            assert "The site could not be reached" in shown, shown
            assert "nothing to show offline" not in shown, shown
            assert "1 bookmark reads offline: B lists it." in shown, shown
