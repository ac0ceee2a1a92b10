"""Another writer of the store never holds up the screen: opening a post marks it read on
screen at once, and the mark reaches the store once the other writer lets go (issue 16: an
Enter took 1.1 s while another process was syncing the same store)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from textual.pilot import Pilot

from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import workers_done

DEADLINE = 30.0
"""Seconds for a mark to reach the store once the store is free (a deadline, not a speed)."""


@contextmanager
def another_writer(store: Store) -> Iterator[None]:
    """Another program holding the store's write lock for as long as the block runs."""
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE posts SET title = title WHERE id = (SELECT min(id) FROM posts)")
        yield
        other.execute("COMMIT")
    finally:
        other.close()


def _stored_read(store: Store, post_id: int) -> bool:
    post = store.post(post_id)
    assert post is not None
    return post.read


async def _until_stored(store: Store, post_id: int, read: bool, pilot: Pilot[None]) -> None:
    ends = time.monotonic() + DEADLINE
    while _stored_read(store, post_id) is not read:
        assert time.monotonic() < ends, "the read mark never reached the store"
        await pilot.pause(0.02)


async def _help_answers_while_the_writer_waits(
    app: ReaderApp, screen: MainScreen, pilot: Pilot[None], what: str
) -> None:
    """Wait until a write is handed to the screen's store writer (which waits for the other
    program in its own thread, not on the screen's loop); then keys are answered meanwhile:
    the help opens and closes, and the writer still waits."""
    ends = time.monotonic() + DEADLINE
    while not screen._page_writes.busy:
        assert time.monotonic() < ends, f"{what} never reached the store's writer"
        await pilot.pause(0.02)
    await pilot.press("question_mark")
    await pilot.pause()
    assert screen is not app.screen
    await pilot.press("question_mark")
    await pilot.pause()
    assert screen is app.screen
    assert screen._page_writes.busy


async def test_a_post_opens_read_while_another_program_writes_the_store(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    unread = [post for post in store.posts_in() if not post.read]
    first, second = unread[0].id, unread[1].id
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # Both opened once, so their pages are read and stored, then unread again.
        for post_id in (first, second):
            screen.open_post_id(post_id)
            await workers_done(app)
        assert screen._read_marks.wait(DEADLINE)
        for post_id in (first, second):
            store.set_read(post_id, False)
        with another_writer(store):
            screen.open_post_id(first)
            await pilot.pause()
            # Read on screen already, though the store cannot be written yet.
            assert screen.post is not None and screen.post.id == first and screen.post.read
            assert not _stored_read(store, first)
            # m marks it unread, and read again: each after the marks still waiting.
            await pilot.press("m")
            assert screen.post is not None and not screen.post.read
            await pilot.press("m")
            assert screen.post is not None and screen.post.read
            screen.open_post_id(second)
            await pilot.pause()
            assert screen.post is not None and screen.post.id == second and screen.post.read
            # Keys are answered meanwhile.
            await pilot.press("question_mark")
            await pilot.pause()
            assert screen is not app.screen
            await pilot.press("question_mark")
            assert not _stored_read(store, first) and not _stored_read(store, second)
        # Let go: the marks are written in the order they were made (read, unread, read).
        await _until_stored(store, second, True, pilot)
        assert _stored_read(store, first)


async def test_a_page_opened_while_another_program_writes_is_saved_once_it_lets_go(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    post = next(
        stored
        for summary in store.posts_in()
        if (stored := store.post(summary.id)) is not None and not stored.page_fetched
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        with another_writer(store):
            screen.open_post_id(post.id)
            await _help_answers_while_the_writer_waits(app, screen, pilot, "the page")
            # Nothing said about a failure.
            assert post.id not in screen._page_problems
            stored = store.post(post.id)
            assert stored is not None and not stored.page_fetched
        # Let go: the page is stored, and the article shown is the page's.
        ends = time.monotonic() + DEADLINE
        while screen._page_writes.busy or post.id in screen._fetching:
            assert time.monotonic() < ends, "the page was never stored"
            await pilot.pause(0.02)
        stored = store.post(post.id)
        assert stored is not None and stored.page_fetched
        assert screen.post is not None and screen.post.id == post.id
        assert screen.post.page_fetched
        assert post.id not in screen._page_problems


async def test_a_link_to_a_post_never_seen_opens_once_another_program_lets_go(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    gone = store.posts_in()[3]
    store.remove_post(gone.id)
    assert store.find_readable(gone.url) is None
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        with another_writer(store):
            screen.follow(gone.url)
            await _help_answers_while_the_writer_waits(app, screen, pilot, "the post")
        # Let go: the post is stored and opened.
        ends = time.monotonic() + DEADLINE
        while screen.post is None or screen.post.url != gone.url:
            assert time.monotonic() < ends, "the post was never opened"
            await pilot.pause(0.02)
        assert store.find_readable(gone.url) is not None
