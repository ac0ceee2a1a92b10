"""Read marks written to the store in a thread of their own, in the order they were made.

Opening a post marks it read. Written on the screen's loop, that write waits for any other
writer of the store to finish its transaction: a refresh's batch of a hundred posts, or
another reader syncing the same store (an Enter took 1.1 s then). The screen shows the mark at
once and hands the write to :class:`ReadMarks`, which has its own connection and waits there.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.core.store import Store, StoreError
from reader.core.store_errors import StoreProblem

Written = Callable[[int, bool, StoreError | None], None]
"""Told, in the writer's thread, of each mark written (post id, read, and the error if any)."""

_STOP = None
_ATTEMPTS = 3
"""Tries of a mark while another writer keeps the store locked (each waits its busy timeout)."""


class ReadMarks:
    """A writer of read marks with its own store connection, started on the first mark."""

    def __init__(
        self,
        path: Path,
        *,
        section_names: Sequence[str] = (),
        written: Written,
        checked_by: Store | None = None,
    ) -> None:
        self.path = path
        self.section_names = tuple(section_names)
        self.checked_by = checked_by
        """The screen's own store, whose check of the file at start-up this one takes over."""
        self._written = written
        self._marks: queue.SimpleQueue[tuple[int, bool] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._pending = 0
        self._unwritten: dict[int, bool] = {}

    def mark(self, post_id: int, read: bool) -> None:
        """Write ``post_id``'s read mark soon, after every mark made before it."""
        with self._lock:
            self._pending += 1
            self._unwritten[post_id] = read
            self._idle.clear()
        if self._thread is None:
            # A daemon: a store locked for long by another program never keeps q waiting.
            self._thread = threading.Thread(target=self._run, name="read-marks", daemon=True)
            self._thread.start()
        self._marks.put((post_id, read))

    def unwritten(self, post_id: int) -> bool | None:
        """The read mark made for ``post_id`` and not written yet, if any (the store's is
        older)."""
        with self._lock:
            return self._unwritten.get(post_id)

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every mark made so far; True once written."""
        return self._idle.wait(timeout)

    def close(self, timeout: float = 0.3) -> None:
        """Let the marks made so far be written (up to ``timeout`` seconds), then stop."""
        if self._thread is None:
            return
        self._marks.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        store: Store | None = None
        try:
            while (mark := self._marks.get()) is not _STOP:
                post_id, read = mark
                error = None
                for _ in range(_ATTEMPTS):
                    try:
                        if store is None:
                            store = Store(self.path, section_names=self.section_names)
                            if self.checked_by is not None:
                                store.take_check_from(self.checked_by)
                        store.set_read(post_id, read)
                    except StoreError as failure:
                        error = failure
                        if failure.problem is StoreProblem.LOCKED:
                            continue  # another writer held on past the busy timeout: again
                    else:
                        error = None
                    break
                self._written(post_id, read, error)
                with self._lock:
                    self._pending -= 1
                    if self._unwritten.get(post_id) is read:
                        del self._unwritten[post_id]
                    if self._pending == 0:
                        self._idle.set()
        finally:
            if store is not None:
                store.close()
