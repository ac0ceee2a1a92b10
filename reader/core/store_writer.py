"""Store writes handed over by the screen's loop, done in a thread with a connection of its own.

A write waits for any other writer of the store to finish its transaction (a refresh's batch,
another reader syncing the same store), up to the store's busy timeout. On the screen's loop
that wait is a frozen screen: opening a post whose page was not stored saved the page there.
:class:`StoreWriter` does such writes one at a time, in order, in a daemon thread (as
:mod:`reader.core.read_marks` does for read marks); the loop awaits each one's result.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from reader.core.store import Store, StoreError
from reader.core.store_errors import StoreProblem

Result = TypeVar("Result")

_ATTEMPTS = 3
"""Tries of a write while another writer keeps the store locked (each waits its busy timeout:
about 30 s in all, as for read marks)."""

_Job = tuple[Callable[[Store], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]


class StoreWrites(Protocol):
    """Runs a write against a store and gives its result (where and when is its own affair)."""

    def __call__(self, write: Callable[[Store], Result]) -> Awaitable[Result]: ...


def writes_to(store: Store) -> StoreWrites:
    """Writes done at once, on the caller's own connection (commands, scripts, the sync)."""

    async def run(write: Callable[[Store], Result]) -> Result:
        return write(store)

    return run


class StoreWriter:
    """A writer thread with its own store connection, started by the first write."""

    def __init__(
        self, path: Path, *, section_names: Sequence[str] = (), checked_by: Store | None = None
    ) -> None:
        self.path = path
        self.section_names = tuple(section_names)
        self.checked_by = checked_by
        """The screen's own store, whose check of the file at start-up this one takes over."""
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def busy(self) -> bool:
        """True while a write handed over is not done yet (waiting for the store, say)."""
        with self._lock:
            return self._pending > 0

    def __call__(self, write: Callable[[Store], Result]) -> Awaitable[Result]:
        """Do ``write`` in the writer's thread, after every write handed over before it."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        with self._lock:
            self._pending += 1
            if self._thread is None:
                # A daemon: a store locked for long by another program never keeps q waiting.
                self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
                self._thread.start()
        self._jobs.put((write, loop, future))
        return future

    def close(self, timeout: float = 0.3) -> None:
        """Let the writes handed over so far finish (up to ``timeout`` seconds), then stop."""
        if self._thread is None:
            return
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        store: Store | None = None
        try:
            while (job := self._jobs.get()) is not None:
                write, loop, future = job
                failed: Exception | None = None
                try:
                    if store is None:
                        store = Store(self.path, section_names=self.section_names)
                        if self.checked_by is not None:
                            store.take_check_from(self.checked_by)
                    result = _patiently(write, store)
                except Exception as error:  # handed to the awaiting task, raised there
                    failed = error
                # Done before the caller hears of it: once its write is answered, the writer
                # is no longer busy with it (the other order raced the caller's next look).
                with self._lock:
                    self._pending -= 1
                if failed is not None:
                    _settle(loop, future, error=failed)
                else:
                    _settle(loop, future, result=result)
        finally:
            if store is not None:
                store.close()


def _patiently(write: Callable[[Store], Result], store: Store) -> Result:
    """``write``, tried again while another writer holds on past the busy timeout (a write
    is one transaction: a locked one wrote nothing)."""
    for _ in range(_ATTEMPTS - 1):
        try:
            return write(store)
        except StoreError as error:
            if error.problem is not StoreProblem.LOCKED:
                raise
    return write(store)


def _settle(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    *,
    result: object = None,
    error: BaseException | None = None,
) -> None:
    """Give the awaiting task its result, unless it stopped waiting or the loop has closed."""

    def settle() -> None:
        if future.done():
            return  # cancelled meanwhile (the post was left): the write stands all the same
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
        loop.call_soon_threadsafe(settle)
