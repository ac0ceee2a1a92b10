"""The app on hostile data and a failing server, driven by Textual's pilot.

A title that reads ``[@click=app.quit]`` must stay text (clicking it must not quit), ``[/]``
must not crash the markup parser, and every post must open. A sync against a server that fails
or drips must name the URL in the status line, leave the store alone, and never freeze the
screen.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets.tree import TreeNode

from reader.core.fetch import Fetcher
from reader.core.models import LinkKind
from reader.core.navigation import AllOf
from reader.core.store import Store
from reader.core.sync import Source, sync
from reader.core.text import UNSAFE_PATTERN
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.sidebar import Entry, Sidebar
from tests.support.hostile_server import (
    FORBIDDEN_CHARS,
    JAVASCRIPT_URL,
    MARKUP,
    HostileServer,
    hostile_server,
    hostile_server_instance,
)
from tests.support.pilot_steps import workers_done

__all__ = ["hostile_server", "hostile_server_instance"]

pytestmark = pytest.mark.timeout(60)

SIZE = (120, 40)
FETCHER: dict[str, Any] = {"deadline": 2.0, "max_bytes": 2**20}
"""What the app's fetchers may spend: seconds, not the default twenty."""


async def synced(folder: Path, url: str) -> Store:
    """A store in ``folder`` holding the feed at ``url``."""
    store = Store.open_in(folder)
    async with Fetcher(**FETCHER) as fetcher:
        report = await sync(store, fetcher, Source.feed(url))
    assert report.ok, report.errors
    return store


def main_screen(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def all_nodes(sidebar: Sidebar) -> Iterator[TreeNode[Entry]]:
    """Every line of the sidebar, its posts' too (made as they are asked for: they are no
    children of their group's node)."""
    for line in sidebar._tree_lines:
        yield line.node


def label_of(node: TreeNode[Entry]) -> str:
    label = node.label
    return label.plain if isinstance(label, Text) else str(label)


def message_of(screen: MainScreen) -> str:
    return str(screen.status.query_one("#message", Static).content)


def article_text(screen: MainScreen) -> str:
    layout = screen.article._layout
    assert layout is not None
    return "\n".join("".join(segment.text for segment in line) for line in layout.lines)


def article_lines(screen: MainScreen) -> list[list[Segment]]:
    layout = screen.article._layout
    assert layout is not None
    return layout.lines


async def settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    await workers_done(app)
    await pilot.pause()


def assert_shows_nothing_a_terminal_obeys(text: str) -> None:
    for char in FORBIDDEN_CHARS:
        assert char not in text, repr(char)
    assert UNSAFE_PATTERN.search(text) is None


# -- a store full of hostile text --------------------------------------------------------------


@pytest.fixture
async def hostile_store(tmp_path: Path, hostile_server: str) -> Store:
    return await synced(tmp_path / "hostile", hostile_server + "/hostile-feed")


def hostile_app(store: Store, base_url: str) -> ReaderApp:
    return ReaderApp(
        store,
        Source.feed(base_url + "/hostile-feed"),
        refresh_on_start=False,
        fetcher_options=FETCHER,
    )


async def test_markup_in_titles_is_shown_literally_and_clicking_it_does_nothing(
    hostile_store: Store, hostile_server: str
) -> None:
    app = hostile_app(hostile_store, hostile_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main_screen(app)
        sidebar = screen.query_one(Sidebar)
        labels = [label_of(node) for node in all_nodes(sidebar)]
        posts = [n for n in all_nodes(sidebar) if n.data is not None and n.data.post]
        assert len(posts) == 2, labels
        for node in posts:
            for markup in MARKUP:
                assert markup in label_of(node), (markup, label_of(node))
        # The category literally named "[/]" is a topic like any other.
        assert any(label.startswith("[/]") for label in labels), labels
        for label in labels:
            assert_shows_nothing_a_terminal_obeys(label)
        title_bar = str(screen.query_one("#title-bar", Static).content)
        assert "[@click=app.quit]" in title_bar
        assert_shows_nothing_a_terminal_obeys(title_bar)

        # Click right on the "[@click=app.quit]" of each post line: as markup it would quit.
        for node in posts:
            row = node.line - int(sidebar.scroll_y)
            column = sidebar.render_line(row).text.index("[@click") + 3
            await pilot.click(sidebar, offset=(column, row))
            await pilot.pause()
            assert app.is_running
            assert app.return_code is None
        assert app.is_running


async def test_every_hostile_post_opens_and_renders_its_text_literally(
    hostile_store: Store, hostile_server: str
) -> None:
    app = hostile_app(hostile_store, hostile_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main_screen(app)
        sidebar = screen.query_one(Sidebar)
        posts = [n for n in all_nodes(sidebar) if n.data is not None and n.data.post]
        assert len(posts) == 2
        opened: list[int] = []
        for node in posts:
            sidebar.focus()
            sidebar.move_cursor(node)
            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.post is not None
            opened.append(screen.post.id)
            text = article_text(screen)
            assert len(article_lines(screen)) > 3
            for markup in MARKUP:
                assert markup in text, (markup, text)
            assert_shows_nothing_a_terminal_obeys(text)
            for line in article_lines(screen):
                for segment in line:
                    link = segment.style.link if segment.style is not None else None
                    # No OSC 8 hyperlink to anything but the web.
                    assert link is None or link.startswith(("http://", "https://")), link
            assert_shows_nothing_a_terminal_obeys(message_of(screen))
        assert sorted(opened) == sorted(n.data.post.id for n in posts if n.data and n.data.post)

        # "[" and "]" step through the list; the titles around hold "[/]" and must not matter.
        for key in ("left_square_bracket", "right_square_bracket") * 2:
            await pilot.press(key)
            await settle(app, pilot)
            assert app.is_running
            assert screen.post is not None
        assert app.is_running


async def test_a_javascript_link_is_refused_and_search_shows_markup_as_text(
    hostile_store: Store, hostile_server: str
) -> None:
    app = hostile_app(hostile_store, hostile_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main_screen(app)
        body = next(p for p in hostile_store.posts_in() if p.url)
        screen.open_post_id(body.id)
        screen.article.focus()
        await settle(app, pilot)
        links = screen.article.links
        script = next(link for link in links if link.url == JAVASCRIPT_URL)
        assert not script.followable
        while screen.article.selected != script.number:
            await pilot.press("tab")
        await pilot.press("enter")
        await settle(app, pilot)
        message = message_of(screen)
        assert "Not followed" in message and JAVASCRIPT_URL in message
        assert screen.post is not None and screen.post.id == body.id
        # The same link by its number, and through "open in browser", goes nowhere either.
        await pilot.press(str(script.number))
        await settle(app, pilot)
        assert "Not followed" in message_of(screen)
        await pilot.press("o")
        await settle(app, pilot)
        assert "Not opened" in message_of(screen)
        assert app.is_running

        await pilot.press("b")  # a snapshot of hostile text in the bookmarks, too
        await settle(app, pilot)
        assert hostile_store.is_bookmarked(body.url)
        await pilot.press("slash")
        await pilot.press(*"[@click=app.quit] [/] Title")
        await settle(app, pilot)
        assert app.is_running
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
        assert app.is_running
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert screen.post is not None
        assert screen.post.link(LinkKind.OLDER) is None  # a feed source fetches no pages


# -- a sync against a server that fails --------------------------------------------------------

_TABLES = ("posts", "sections", "post_sections", "links", "bookmarks", "validators", "meta")


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    try:
        return {t: [tuple(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY 1")] for t in _TABLES}
    finally:
        db.close()


@pytest.fixture
async def reader_store(tmp_path: Path, hostile_server: str) -> Store:
    """A store that already holds posts, a read one and a bookmark."""
    store = await synced(tmp_path / "reader", hostile_server + "/feed")
    posts = store.posts_in()
    store.set_read(posts[0].id)
    bookmarked = store.post(posts[1].id)
    assert bookmarked is not None
    store.add_bookmark(bookmarked)
    return store


async def wait_for_sync_to_end(app: ReaderApp, pilot: Pilot[None], timeout: float) -> None:
    screen = main_screen(app)
    ends = time.monotonic() + timeout
    await workers_done(app)
    while screen.status.syncing:
        assert time.monotonic() < ends, "the sync never reported back"
        await pilot.pause(0.05)


@pytest.mark.parametrize("path", ["/status/500", "/503-always", "/html", "/gzip-bomb"])
async def test_a_failing_sync_names_the_url_and_keeps_the_store(
    reader_store: Store, hostile_server: str, path: str
) -> None:
    url = hostile_server + path
    before = snapshot(reader_store.path)
    # Read beside the feed the store holds: a reader of the failing source alone would list
    # none of the other's posts.
    stored, failing = Source.feed(hostile_server + "/feed"), Source.feed(url)
    app = ReaderApp(
        reader_store,
        stored,
        sources=(stored, failing),
        refresh_on_start=True,
        fetcher_options=FETCHER,
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_sync_to_end(app, pilot, 15)
        screen = main_screen(app)
        message = message_of(screen)
        assert url in message, message
        assert screen.status.has_class("error")
        assert_shows_nothing_a_terminal_obeys(message)
        # The posts already stored are still listed.
        sidebar = screen.query_one(Sidebar)
        source_id = reader_store.source_id(stored)
        assert source_id is not None
        sidebar.open_group(AllOf(source_id))
        await pilot.pause()
        titles = [label_of(n) for n in all_nodes(sidebar) if n.data and n.data.post]
        assert len(titles) == len(before["posts"])
    assert snapshot(reader_store.path) == before


async def test_a_dripping_server_neither_freezes_the_screen_nor_touches_the_store(
    reader_store: Store, hostile_server_instance: HostileServer
) -> None:
    url = hostile_server_instance.url("/drip")
    before = snapshot(reader_store.path)
    hits = hostile_server_instance.hits("/drip")
    app = ReaderApp(reader_store, Source.feed(url), refresh_on_start=True, fetcher_options=FETCHER)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        sidebar = screen.query_one(Sidebar)
        ends = time.monotonic() + 10
        while hostile_server_instance.hits("/drip") == hits:
            assert time.monotonic() < ends, "the sync never asked the server"
            await pilot.pause(0.02)
        # The server is now dripping one byte a second into the sync; keys still work.
        assert screen.status.syncing
        line = sidebar.cursor_line
        await pilot.press("down")
        await pilot.pause()
        assert sidebar.cursor_line == line + 1
        await pilot.press("k")
        await pilot.pause()
        assert sidebar.cursor_line == line
        assert screen.status.syncing, "the sync ended before the keys were tried"

        await wait_for_sync_to_end(app, pilot, 15)
        message = message_of(screen)
        assert url in message and "timed out" in message, message
        assert screen.status.has_class("error")
    assert snapshot(reader_store.path) == before


async def test_an_unreachable_site_says_offline_and_keeps_the_store(
    reader_store: Store,
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed"
    before = snapshot(reader_store.path)
    app = ReaderApp(reader_store, Source.feed(url), refresh_on_start=True, fetcher_options=FETCHER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_sync_to_end(app, pilot, 15)
        screen = main_screen(app)
        assert url in message_of(screen)
        assert screen.status.offline
        state = str(screen.status.query_one("#state", Static).content)
        assert "offline" in state
    assert snapshot(reader_store.path) == before
