"""Another program syncing the store (``reader sync`` from cron, a second reader) shows in a
reader already open: its new posts are listed and said, without a refresh of its own; an
unchanged sync elsewhere draws nothing, and the reader's own refresh is not taken for one; on
the sample site and on the real WordPress, each theme."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core.store import Store
from reader.ui import main_screen as main_screen_module
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import SECTIONS, make_app, synced_store
from tests.support.commands import run_reader
from tests.support.pilot_steps import main_screen, status_message, until, workers_done
from tests.support.sites import ReadSite

ELSEWHERE = "stored by a sync outside this reader"


@pytest.fixture
def watched(
    own_site: ReadSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ReadSite, Store]]:
    """Each of the three sites in turn (the sample site, WordPress's two themes), a copy of
    this test's own, and a store synced from it, read by a screen that looks at the store's
    sync mark every 50 ms instead of every 5 s."""
    monkeypatch.setattr(main_screen_module, "WATCH_SECONDS", 0.05)
    synced_store(own_site.url, tmp_path / "data")
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    try:
        yield own_site, store
    finally:
        store.close()


def _app(store: Store, url: str, **kw: Any) -> ReaderApp:
    app = make_app(store, url, **kw)
    assert isinstance(app, ReaderApp)
    return app


async def _reader_sync(store: Store, url: str) -> None:
    """``reader sync --site URL`` on the same store, as a program of its own (in a thread,
    so that the screen's loop goes on meanwhile)."""
    done = await asyncio.to_thread(run_reader, "sync", "--site", url, data_dir=store.path.parent)
    assert done.returncode == 0, done.stdout + done.stderr


def _watches(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """A list that grows by one each time the screen looks at the store's sync mark."""
    looks: list[None] = []
    watch = MainScreen._watch_store

    def counted(self: MainScreen) -> None:
        looks.append(None)
        watch(self)

    monkeypatch.setattr(MainScreen, "_watch_store", counted)
    return looks


async def test_posts_another_program_syncs_in_are_listed_and_said(
    watched: tuple[ReadSite, Store],
) -> None:
    site, store = watched
    async with _app(store, site.url).run_test(size=(120, 40)) as pilot:
        screen = main_screen(pilot.app)  # type: ignore[arg-type]
        group = screen.sidebar.current_group
        assert group is not None
        before = screen.sidebar.current_post
        assert before is not None
        site.add_post("Written while the reader was open", "<p>Words.</p>", section="news")
        site.add_post("Another one from the cron job", "<p>More.</p>", section="news")
        await _reader_sync(store, site.url)
        await until(pilot, lambda: ELSEWHERE in status_message(screen))
        assert status_message(screen).startswith("2 new posts"), status_message(screen)
        await workers_done(pilot.app)
        await pilot.pause()
        titles = [post.title for post in screen.sidebar.group_posts(group)]
        assert "Written while the reader was open" in titles
        assert "Another one from the cron job" in titles
        # The cursor stays on the post it was on, as after a refresh of the reader's own.
        after = screen.sidebar.current_post
        assert after is not None and after.id == before.id


async def test_an_unchanged_sync_elsewhere_draws_nothing(
    watched: tuple[ReadSite, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, store = watched
    reloads: list[None] = []
    reload = MainScreen.reload_sidebar

    def counted(self: MainScreen, *args: Any, **kw: Any) -> None:
        reloads.append(None)
        reload(self, *args, **kw)

    async with _app(store, site.url).run_test(size=(120, 40)) as pilot:
        screen = main_screen(pilot.app)  # type: ignore[arg-type]
        said = status_message(screen)
        stamp = screen._sync_stamp
        monkeypatch.setattr(MainScreen, "reload_sidebar", counted)
        await _reader_sync(store, site.url)
        await until(pilot, lambda: screen._sync_stamp != stamp)  # it looked, and saw the sync
        await workers_done(pilot.app)
        await pilot.pause()
        assert reloads == []
        assert status_message(screen) == said


async def test_the_readers_own_refresh_is_not_taken_for_a_sync_elsewhere(
    watched: tuple[ReadSite, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, store = watched
    looks = _watches(monkeypatch)
    async with _app(store, site.url).run_test(size=(120, 40)) as pilot:
        screen = main_screen(pilot.app)  # type: ignore[arg-type]
        site.add_post("A brand new post", "<p>Fresh words.</p>", section="news")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "1 new" in status_message(screen))
        seen = len(looks)
        await until(pilot, lambda: len(looks) >= seen + 3)  # three looks after its end
        await workers_done(pilot.app)
        await pilot.pause()
        assert status_message(screen).startswith("1 new, 0 updated"), status_message(screen)
