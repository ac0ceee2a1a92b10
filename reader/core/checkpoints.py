"""The WAL checkpointed beside a sync, from a thread and a connection of its own.

SQLite copies the WAL back into the store's file (a checkpoint) inside the commit that takes
the WAL past 1,000 pages, and a checkpoint syncs both files to disk: the commits of a cold sync
waited ~25 ms over REST and ~55 ms from RSS only on those syncs, on the one thread all of the
sync's work runs on. While a sync writes, its own connection checkpoints nothing; this thread
does, with SQLite's passive checkpoint, which waits for no reader and no writer: the sync goes
on writing meanwhile, and the frames are copied up to the last commit the checkpoint saw.
SQLite lets the GIL go while it works, so the disk's syncs are waited for on the side.

Nothing changes for durability: every commit is in the WAL as before (a killed sync loses
nothing it committed), and a checkpoint syncs the same files in the same order
(``synchronous=NORMAL``, as on the store's own connection). Readers (the screen's connection
while another process syncs) see each commit as before; a checkpoint never changes what they
read. The thread knows how much was written from the WAL file's size: the sync's connection
has SQLite cut the file back each time it starts the WAL over (``journal_size_limit``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

WAL_BYTES = 1000 * (4096 + 24)
"""How much WAL is let grow before a checkpoint: SQLite's own default, 1,000 pages (each
frame a page and its header)."""
BACKSTOP_PAGES = 4000
"""Past this many pages of WAL the sync's own connection checkpoints in its commit, as SQLite
does by itself at 1,000: the thread was outrun (see ``Store.checkpoint_aside``)."""


class CheckpointsAside:
    """Checkpoints the WAL of the store at ``path`` from a thread, once a commit has taken the
    WAL past :data:`WAL_BYTES`."""

    def __init__(self, path: Path, *, may_write: Callable[[], bool]) -> None:
        self._path = path
        self._may_write = may_write
        """False once the store was found damaged (or full): a checkpoint writes the file."""
        self._wanted = threading.Event()
        self._wal = path.with_name(path.name + "-wal")
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="checkpoints", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """A commit was made: the thread looks at the WAL's size (once the checkpoint under way,
        if any, is over)."""
        self._wanted.set()

    def stop(self) -> None:
        """Checkpoint no more; waits for a checkpoint under way."""
        self._stopping = True
        self._wanted.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            # mode=rw: never creates a file, should the store have gone meanwhile.
            db = sqlite3.connect(
                self._path.resolve().as_uri() + "?mode=rw",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error:
            return
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            while self._next():
                # Busy (another connection checkpointing) or failing, it is only left for
                # later: the WAL keeps every commit meanwhile, and the last connection to close
                # checkpoints it as ever.
                with contextlib.suppress(sqlite3.Error):
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            return
        finally:
            db.close()

    def _next(self) -> bool:
        """Wait until a checkpoint is due; False when stopped."""
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping:
                return False
            try:
                big = self._wal.stat().st_size >= WAL_BYTES
            except OSError:
                big = False
            if big and self._may_write():
                return True
