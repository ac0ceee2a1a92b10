"""What a source's last refresh hit is kept in the store until a refresh of it works, so the
next start can show it; a source never synced has nothing kept and no row."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.fetch import Fetcher
from reader.core.runner import run_sync, run_sync_all
from reader.core.source import Source
from reader.core.store import STORE_FILE, Store
from reader.core.sync import sync
from tests.support.hostile_server import HostileServer, hostile_server_instance

FEED = Path(__file__).parent.parent / "support" / "feeds" / "media_rss.xml"

__all__ = ["hostile_server_instance"]  # a fixture


def test_a_failure_is_kept_until_the_next_refresh_that_works(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    Store(path).close()
    file = tmp_path / "lab.xml"
    source = Source.feed(str(file), name="lab")
    report = run_sync(path, source)
    assert not report.ok
    store = Store(path)
    try:
        # A first read that failed stores no source row, and still its failure is kept.
        assert store.source_id(source) is None
        kept = store.refresh_failures([source])
        assert list(kept) == [source.key]
        assert kept[source.key].message == report.errors[0]
        assert kept[source.key].offline == report.offline
        assert kept[source.key].failed_at > 0
    finally:
        store.close()
    file.write_bytes(FEED.read_bytes())
    assert run_sync(path, source).ok
    store = Store(path)
    try:
        assert store.refresh_failures([source]) == {}
    finally:
        store.close()


def test_each_source_keeps_its_own_and_removing_one_forgets_it(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    Store(path).close()
    good = tmp_path / "good.xml"
    good.write_bytes(FEED.read_bytes())
    working = Source.feed(str(good), name="good")
    dead = Source.feed(str(tmp_path / "missing.xml"), name="missing")
    never = Source.feed(str(tmp_path / "never.xml"), name="never")
    reports = run_sync_all(path, [working, dead])
    assert [r.ok for r in reports] == [True, False]
    store = Store(path)
    try:
        assert set(store.refresh_failures([working, dead, never])) == {dead.key}
        # Only the sources asked about: one dropped from the list is not said.
        assert store.refresh_failures([working, never]) == {}
        store.remove_source(dead)
        assert store.refresh_failures([dead]) == {}
    finally:
        store.close()


def test_a_refresh_that_works_writes_nothing_when_nothing_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A sync of an unchanged site writes nothing to the store: clearing a failure that is not
    # there must not open a write either.
    store = Store(tmp_path / STORE_FILE)
    try:

        def no_write() -> None:
            raise AssertionError("wrote")

        monkeypatch.setattr(store, "_write", no_write)
        store.note_refresh_worked(Source.site("https://example.org/"))
    finally:
        store.close()


async def test_a_refresh_told_to_wait_keeps_the_wait_not_an_older_failure(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    # A refresh turned away by the server's running wait kept nothing: the next start said a
    # failure older than the wait ('Last refresh: ... offline'). What a start says is the wait
    # and when it ends, not how long was left when it was kept.
    url = hostile_server_instance.url("/retry-after-long")
    source = Source.feed(url)
    store = Store.open_in(tmp_path / "data")
    try:
        async with Fetcher() as fetcher:
            first = await sync(store, fetcher, Source.feed(url))
            assert "asks to wait 24 hours" in first.errors[0]
            told = store.refresh_failures([source])[source.key]
            assert told.message.startswith(f"Not asking {url} again before "), told
            assert "from now" not in told.message and "429" in told.message
            # Another process's failure, kept since: the refresh turned away must replace it.
            store.note_refresh_failed(source, "Could not reach it: offline", offline=True)
            second = await sync(store, fetcher, Source.feed(url))
        assert "(24 hours from now)" in second.errors[0]
        kept = store.refresh_failures([source])[source.key]
        assert kept.message == told.message and not kept.offline
    finally:
        store.close()
