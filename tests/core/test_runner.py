"""The sync runner: one sync with its own loop, client and store connection, stoppable from
another thread; and jobs run with a client of their own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.fetch import Fetcher
from reader.core.runner import SyncCancelled, SyncRun, run_sync, with_fetcher
from reader.core.source import Source
from reader.core.store import STORE_FILE, Store
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer

SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")


@pytest.fixture(scope="module")
def big_site() -> Iterator[str]:
    """A site of three REST pages of posts, so a sync has steps left to stop before."""
    with SampleServer(generate_site(250, seed=3)) as url:
        yield url


def _store_file(tmp_path: Path) -> Path:
    Store.open_in(tmp_path / "data", section_names=SECTIONS).close()
    return tmp_path / "data" / STORE_FILE


def test_a_sync_runs_with_a_store_connection_and_client_of_its_own(
    sample_site: str, tmp_path: Path
) -> None:
    path = _store_file(tmp_path)
    seen: list[tuple[int, int | None, str]] = []
    report = run_sync(
        path,
        Source.site(sample_site),
        section_names=SECTIONS,
        progress=lambda done, total, what: seen.append((done, total, what)),
    )
    assert report.ok and report.new >= 44, report.errors
    assert seen and seen[0][2].startswith("Reading")
    store = Store(path, section_names=SECTIONS)
    try:
        assert store.count_posts() == report.new
        assert store.last_synced() is not None
    finally:
        store.close()


def test_a_sync_stopped_from_another_thread_keeps_what_it_stored(
    big_site: str, tmp_path: Path
) -> None:
    path = _store_file(tmp_path)
    first_batch = threading.Event()
    stop_sent = threading.Event()

    def progress(done: int, total: int | None, what: str) -> None:
        if what == "Reading the archive" and not first_batch.is_set():
            first_batch.set()
            # Hold the sync here until the other thread has asked it to stop.
            assert stop_sent.wait(timeout=30)

    run = SyncRun(path, Source.site(big_site), section_names=SECTIONS, progress=progress)
    outcome: list[object] = []

    def sync_in_a_thread() -> None:
        try:
            outcome.append(run.run())
        except SyncCancelled as stopped:
            outcome.append(stopped)

    thread = threading.Thread(target=sync_in_a_thread)
    thread.start()
    assert first_batch.wait(timeout=60)
    run.cancel()
    stop_sent.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], SyncCancelled), outcome
    assert run.cancelled
    store = Store(path, section_names=SECTIONS)
    try:
        # The first page of the archive was stored in its own transaction and stays.
        assert store.count_posts() == 100
        assert store.last_synced() is None
        assert store.source_meta(Source.site(big_site), "backfill_done") != "yes"
    finally:
        store.close()
    # The next sync carries on to the end.
    again = run_sync(path, Source.site(big_site), section_names=SECTIONS)
    assert again.ok, again.errors


def test_a_sync_cancelled_before_it_starts_does_nothing(sample_site: str, tmp_path: Path) -> None:
    path = _store_file(tmp_path)
    run = SyncRun(path, Source.site(sample_site), section_names=SECTIONS)
    run.cancel()
    with pytest.raises(SyncCancelled):
        run.run()
    store = Store(path, section_names=SECTIONS)
    try:
        assert store.count_posts() == 0
    finally:
        store.close()


def test_a_store_that_cannot_open_is_one_line_in_the_report(
    sample_site: str, tmp_path: Path
) -> None:
    not_a_store = tmp_path / "store.sqlite"
    not_a_store.write_bytes(b"this is not a database, and must stay as it is" * 20)
    report = run_sync(not_a_store, Source.site(sample_site))
    assert not report.ok and len(report.errors) == 1
    assert not_a_store.read_bytes().startswith(b"this is not a database")


def test_a_job_gets_a_client_of_its_own_closed_after(sample_site: str) -> None:
    closed: list[bool] = []

    class Watched(Fetcher):
        async def aclose(self) -> None:
            closed.append(True)
            await super().aclose()

    async def job(fetcher: Fetcher) -> int:
        assert isinstance(fetcher, Watched) and not closed
        response = await fetcher.get(sample_site + "feed/")
        return len(response.content)

    assert with_fetcher(job, make_fetcher=lambda: Watched(deadline=20)) > 0
    assert closed == [True]
