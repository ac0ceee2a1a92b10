"""Network work run from plain code: a job with a network client, or a whole sync, each in an
event loop of its own.

``reader sync``, the reader's refresh (in a process of its own, ``reader.core.sync_process``, or
a worker thread), the bookmark commands, the screenshots,
the benchmarks and the tests all go through here rather than each writing ``asyncio.run`` and
``async with Fetcher()`` again. A sync opens a store connection of its own, so it can run in any
thread while the caller's connection stays in the caller's.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from reader.core.models import SyncReport
from reader.core.source import Source

if TYPE_CHECKING:
    from reader.core.fetch import Fetcher
    from reader.core.sync import Progress

Result = TypeVar("Result")

FetcherMaker = Callable[[], "Fetcher"]
"""Makes a network client (tests and the app pass their settings this way)."""


def _default_fetcher() -> Fetcher:
    # Imported when first used: httpx is not needed to start the reader.
    from reader.core.fetch import Fetcher

    return Fetcher()


def with_fetcher(
    job: Callable[[Fetcher], Awaitable[Result]], *, make_fetcher: FetcherMaker | None = None
) -> Result:
    """Run ``job`` with a network client of its own, in an event loop of its own; its result."""

    async def run() -> Result:
        async with (make_fetcher or _default_fetcher)() as fetcher:
            return await job(fetcher)

    return asyncio.run(run())


class SyncCancelled(Exception):
    """The sync was stopped by :meth:`SyncRun.cancel`; what it stored so far stays stored."""


class SyncRun:
    """One sync of ``source`` (or of several sources at once) into the store at ``store_path``.

    :meth:`run` blocks until the sync ends (call it from a worker thread to keep a screen
    moving); :meth:`cancel` may be called from any thread, and stops it at its next network or
    parsing step. Every batch is written in its own transaction, so a stopped sync keeps what it
    read.
    """

    def __init__(
        self,
        store_path: Path,
        source: Source | Sequence[Source],
        *,
        section_names: Sequence[str] = (),
        make_fetcher: FetcherMaker | None = None,
        progress: Progress | None = None,
        backfill: bool = True,
    ) -> None:
        self.store_path = store_path
        self.sources: tuple[Source, ...] = (
            (source,) if isinstance(source, Source) else tuple(source)
        )
        """What is synced, in this order (one report each)."""
        self.source = self.sources[0] if self.sources else Source.site("https://invalid./")
        self.section_names = tuple(section_names)
        self._make_fetcher = make_fetcher or _default_fetcher
        self._progress = progress
        self._backfill = backfill
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[list[SyncReport]] | None = None

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._stop.is_set()

    def run(self) -> SyncReport:
        """Sync now; the report says what changed and what went wrong.

        Raises :class:`SyncCancelled` when stopped; network, feed and store trouble is in the
        report, never raised. With several sources, the first one's report (see
        :meth:`run_all`).
        """
        return self.run_all()[0]

    def run_all(self) -> list[SyncReport]:
        """Sync every source at once; one report per source, in order (see :meth:`run`)."""
        return asyncio.run(self._main())

    def cancel(self) -> None:
        """Stop the sync (from any thread); it raises :class:`SyncCancelled` in :meth:`run`."""
        self._stop.set()
        with self._lock:
            loop, task = self._loop, self._task
        if loop is not None and task is not None:
            # A closed loop raises RuntimeError: the sync is over already.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(task.cancel)

    async def _main(self) -> list[SyncReport]:
        # Imported here, when a sync runs, so importing the runner stays cheap.
        from reader.core.store import Store, StoreError
        from reader.core.sync import sync_all

        task = asyncio.current_task()
        assert task is not None
        with self._lock:
            self._loop, self._task = asyncio.get_running_loop(), task
        if self._stop.is_set():  # cancelled before it could start
            raise SyncCancelled
        try:
            store = Store(self.store_path, section_names=self.section_names)
        except StoreError as error:
            return [
                SyncReport(source.feed_url, source=source.label, errors=[str(error)])
                for source in self.sources
            ]
        store.checkpoint_aside()
        try:
            async with self._make_fetcher() as fetcher:
                return await sync_all(
                    store,
                    fetcher,
                    self.sources,
                    progress=self._progress,
                    backfill=self._backfill,
                )
        except asyncio.CancelledError:
            if self._stop.is_set():
                raise SyncCancelled from None
            raise
        finally:
            store.close()


def run_sync(
    store_path: Path,
    source: Source,
    *,
    section_names: Sequence[str] = (),
    make_fetcher: FetcherMaker | None = None,
    progress: Progress | None = None,
    backfill: bool = True,
) -> SyncReport:
    """Sync ``source`` into the store at ``store_path`` once, here and now; the report.

    (:func:`run_sync_all` syncs several.)
    """
    return SyncRun(
        store_path,
        source,
        section_names=section_names,
        make_fetcher=make_fetcher,
        progress=progress,
        backfill=backfill,
    ).run()


def run_sync_all(
    store_path: Path,
    sources: Sequence[Source],
    *,
    section_names: Sequence[str] = (),
    make_fetcher: FetcherMaker | None = None,
    progress: Progress | None = None,
    backfill: bool = True,
) -> list[SyncReport]:
    """Sync every one of ``sources`` at once, here and now; one report each, in order."""
    return SyncRun(
        store_path,
        sources,
        section_names=section_names,
        make_fetcher=make_fetcher,
        progress=progress,
        backfill=backfill,
    ).run_all()
