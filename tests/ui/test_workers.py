"""Background work in the app reports back: failures are said and logged, a refresh can be
stopped, and progress shows while it runs; nothing stays "refreshing" for good."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

import reader.core.sync as sync_module
from reader.core.store import Store
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from tests.support.app_fixtures import SECTIONS, make_app
from tests.support.pilot_steps import main_screen as _screen
from tests.support.pilot_steps import status_message as _message


async def _settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Wait for every worker to end, however it ends, and for the screen to hear of it."""
    await asyncio.gather(*(worker.wait() for worker in app.workers), return_exceptions=True)
    await pilot.pause()


async def test_an_unexpected_error_in_a_refresh_is_said_logged_and_ends_it(
    store: Store,
    sample_site: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("the feed had something nobody planned for")

    monkeypatch.setattr(sync_module, "sync", broken)
    log = tmp_path / "textual.log"
    # Textual writes its log to this file when it is set (TEXTUAL_LOG), read at each line.
    monkeypatch.setattr("textual.constants.LOG_FILE", str(log))
    # The sync changed here runs in a thread of this process, not in one of its own.
    app = make_app(store, sample_site, refresh_on_start=True, refresh_apart=False)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        screen = _screen(app)
        assert screen.status.syncing == ""
        message = _message(screen)
        assert "Refresh failed" in message, message
        assert "RuntimeError: the feed had something nobody planned for" in message
        assert screen.status.has_class("error")
        # The reader goes on: the store is still shown, and a new refresh can start.
        assert screen.sidebar.first_group is not None
        await pilot.press("ctrl+r")
        await _settle(app, pilot)
        assert screen.status.syncing == "" and "Refresh failed" in _message(screen)
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: the feed had something" in logged
    # The reader's own log (reader.log, for bug reports) has the traceback too.
    errors = [r for r in caplog.records if r.name == "reader" and r.levelname == "ERROR"]
    assert errors and "Traceback" in errors[0].getMessage()
    assert "RuntimeError: the feed had something" in errors[0].getMessage()


async def test_an_unexpected_error_opening_a_link_is_said(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("a page shaped like nothing seen before")

    monkeypatch.setattr(sync_module, "open_link", broken)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        screen.follow(sample_site + "2030/01/01/a-post-the-store-has-not-seen/")
        await _settle(app, pilot)
        message = _message(screen)
        assert "failed" in message and "ValueError: a page shaped like nothing" in message


@pytest.fixture(scope="module")
def big_site() -> Iterator[str]:
    """Three REST pages of posts: a refresh with steps left to stop before."""
    with SampleServer(generate_site(250, seed=5)) as url:
        yield url


async def test_x_stops_a_refresh_which_keeps_what_it_read(
    big_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_sync = sync_module.sync
    held = threading.Event()
    stop_pressed = threading.Event()

    async def sync_held_after_its_first_batch(*args: Any, **kwargs: Any) -> object:
        progress = kwargs.pop("progress")

        def tell(done: int, total: int | None, what: str) -> None:
            progress(done, total, what)
            if what == "Reading the archive" and not held.is_set():
                held.set()
                # The sync waits here (in its own thread) until x has been pressed.
                assert stop_pressed.wait(timeout=30)

        return await real_sync(*args, progress=tell, **kwargs)

    monkeypatch.setattr(sync_module, "sync", sync_held_after_its_first_batch)
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    # The sync changed here runs in a thread of this process, not in one of its own.
    app = make_app(store, big_site, refresh_on_start=True, refresh_apart=False)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        assert await asyncio.to_thread(held.wait, 60)
        await pilot.pause()
        # Progress came as messages while the sync ran in its thread.
        assert screen.status.syncing == "Reading the archive 100/250"
        await pilot.press("x")
        stop_pressed.set()
        await _settle(app, pilot)
        assert screen.status.syncing == ""
        assert _message(screen) == "Refresh stopped; posts read so far are kept."
        assert store.count_posts() == 100
        # What was kept is listed.
        first = screen.sidebar.first_group
        assert first is not None and len(screen.sidebar.group_posts(first)) > 0
        # x with no refresh running says there is none to stop.
        await pilot.press("x")
        assert _message(screen).startswith("No refresh is running")


async def test_quitting_during_a_refresh_stops_it_and_leaves_quietly(
    big_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.runner import SyncRun

    real_sync = sync_module.sync
    real_cancel = SyncRun.cancel
    held = threading.Event()
    released = threading.Event()

    def cancel_then_release(run: SyncRun) -> None:
        real_cancel(run)
        released.set()

    async def sync_held_after_its_first_batch(*args: Any, **kwargs: Any) -> object:
        progress = kwargs.pop("progress")

        def tell(done: int, total: int | None, what: str) -> None:
            progress(done, total, what)
            if what == "Reading the archive" and not held.is_set():
                held.set()
                assert released.wait(timeout=30)

        return await real_sync(*args, progress=tell, **kwargs)

    monkeypatch.setattr(sync_module, "sync", sync_held_after_its_first_batch)
    monkeypatch.setattr(SyncRun, "cancel", cancel_then_release)
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    # The sync changed here runs in a thread of this process, not in one of its own.
    app = make_app(store, big_site, refresh_on_start=True, refresh_apart=False)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await asyncio.to_thread(held.wait, 60)
        await pilot.press("q")
    assert released.is_set() and app.return_code == 0
    again = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    try:
        assert again.count_posts() == 100
    finally:
        again.close()


async def test_a_wide_search_that_fails_unexpectedly_says_so(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core import wordpress
    from reader.ui.search_screen import SearchScreen

    async def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("results")

    monkeypatch.setattr(wordpress, "search", broken)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"organoid", "ctrl+o")
        await _settle(app, pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        hint = str(search.query_one("#picker-hint", Static).content)
        assert hint == "Searching the whole site failed: KeyError: 'results'", hint
