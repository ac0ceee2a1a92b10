"""The screen's loop is spared work that can be done elsewhere or once: the cycle collector's
walks over what lives for the whole run, and the making of network clients."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from typing import Any

import pytest

from reader.core.store import Store
from reader.ui import collector
from reader.ui.app import ReaderApp
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, until


def test_survivors_are_frozen_without_the_young_garbage_and_thawed_again() -> None:
    gc.unfreeze()

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    garbage = Cycle()
    gone = weakref.ref(garbage)
    alive = [Cycle() for _ in range(100)]
    del garbage
    collector.freeze_survivors()
    assert gone() is None  # young garbage is not frozen: it is freed first
    walked = {id(o) for o in gc.get_objects()}  # what the collector still walks
    assert not any(id(cycle) in walked for cycle in alive)
    collector.thaw()
    assert gc.get_freeze_count() == 0
    walked = {id(o) for o in gc.get_objects()}
    assert all(id(cycle) in walked for cycle in alive)


def _full_collections() -> tuple[list[int], object]:
    """A list that grows by one at the start of each full collection, and its callback."""
    started: list[int] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            started.append(1)

    gc.callbacks.append(noted)
    return started, noted


def _make_cycles(count: int) -> None:
    for _ in range(count):
        cycle: list[object] = []
        cycle.append(cycle)


def test_full_collections_wait_for_the_app_and_their_spacing() -> None:
    # Begun by an allocation, a full collection (20-55 ms) held a key's answer being drawn.
    threshold = gc.get_threshold()
    at = time.monotonic() + 10_000  # after any collection an app ran in this process
    started, noted = _full_collections()
    try:
        collector.defer_full()
        _make_cycles(300_000)  # ~430 young collections, ~43 middle ones: 4 full ones due
        assert started == []
        assert collector.full_due(now=at)
        assert collector.collect_if_due(now=at)
        assert started == [1]
        _make_cycles(300_000)
        assert not collector.collect_if_due(now=at + collector.FULL_SPACING / 2)
        assert collector.collect_if_due(now=at + collector.FULL_SPACING)
        assert started == [1, 1]
        _make_cycles(300_000)
        assert not collector.collect_if_due(now=at + 100, idle=False)  # keys are coming
        _make_cycles(3_000_000)  # ~430 middle collections: ten full ones owed and more
        assert collector.collect_if_due(now=at + 100, idle=False)
        collector.hold()
        _make_cycles(300_000)
        assert not collector.collect_if_due(now=at + 1_000)  # held: a long layout is being made
        collector.release()
    finally:
        collector.undefer_full()
        gc.callbacks.remove(noted)
    assert gc.get_threshold() == threshold
    assert not collector.full_due(now=at + 2_000)


async def test_full_collections_are_deferred_while_the_app_runs(
    store: Store, sample_site: str
) -> None:
    threshold = gc.get_threshold()
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: gc.get_threshold()[2] > threshold[2])
        started, noted = _full_collections()
        try:
            _make_cycles(300_000)
            assert started == []
            await until(pilot, lambda: started)  # the app ran it, the pilot being idle
        finally:
            gc.callbacks.remove(noted)
    assert gc.get_threshold() == threshold


async def test_what_start_up_made_is_frozen_until_the_app_ends(
    store: Store, sample_site: str
) -> None:
    # A refresh's thread sets collections off; each walked the 80,000 objects start-up made
    # (modules, styles, screens), 50-100 ms of the screen's loop a few seconds apart.
    gc.unfreeze()
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: gc.get_freeze_count() > 0)
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


async def test_the_article_renderer_is_loaded_off_the_loop_before_the_first_opening(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first opening imported it on the loop: 100-120 ms of its CPU on that key's path.
    importing: list[bool] = []

    class Noted:
        """Notes which thread looks for the renderer, and leaves the finding to the others."""

        @staticmethod
        def find_spec(name: str, *args: object) -> None:
            if name == "reader.render.article":
                importing.append(threading.current_thread() is threading.main_thread())

    monkeypatch.delitem(sys.modules, "reader.render.article")
    monkeypatch.setattr(sys, "meta_path", [Noted(), *sys.meta_path])
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "reader.render.article" in sys.modules)
        assert importing == [False]
        screen = main_screen(app)
        screen.open_post_id(store.posts_in()[0].id)
        await settle(app, pilot)
        assert screen.post is not None
    assert importing == [False]


async def test_the_first_page_read_makes_the_network_client_off_the_loop(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Making a client loads the system's certificates: 50-80 ms of the loop, after the first
    # article's frame, in which the next key waited.
    from reader.core.fetch import Fetcher

    made_in: list[bool] = []
    make = Fetcher.__init__

    def noted(self: Fetcher, **kw: Any) -> None:
        made_in.append(threading.current_thread() is threading.main_thread())
        make(self, **kw)

    monkeypatch.setattr(Fetcher, "__init__", noted)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        unread = [s for s in store.posts_in() if not (store.post(s.id) or s).page_fetched]
        for summary in unread[:2]:
            screen.open_post_id(summary.id)
            await settle(app, pilot)
            assert screen.post is not None and screen.post.page_fetched
    assert made_in == [False]
