"""The WAL checkpointed beside a sync's writes, by a thread of its own (reader.core.checkpoints)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader.core.checkpoints import BACKSTOP_PAGES, WAL_BYTES
from reader.core.models import IncomingPost
from reader.core.source import Source
from reader.core.store import Store

EXAMPLE = Source.site("https://example.org/")
BATCH = 40
"""Posts a transaction, as a sync's batch."""


def _batch(start: int) -> list[IncomingPost]:
    # Bodies that FTS5 and the pages cannot squeeze: ~12 KB of distinct words each.
    return [
        IncomingPost(
            url=f"https://example.org/post-{n}/",
            title=f"Post {n}",
            published=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=n),
            guid=f"https://example.org/?p={n}",
            wp_id=n,
            content="<p>" + " ".join(os.urandom(6).hex() for _ in range(1000)) + "</p>",
        )
        for n in range(start, start + BATCH)
    ]


def _count(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM posts").fetchone()[0])


def _wait_for(condition: object, seconds: float = 20.0) -> bool:
    assert callable(condition)
    ends = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > ends:
            return False
        time.sleep(0.01)
    return True


def test_the_wal_is_copied_back_while_the_sync_writes(tmp_path: Path) -> None:
    store = Store.open_in(tmp_path)
    path = store.path
    wal = path.with_name(path.name + "-wal")
    store.checkpoint_aside()
    written = 0
    try:
        for start in range(1, 8 * BATCH, BATCH):
            store.upsert_posts(_batch(start), source=EXAMPLE)
            written += BATCH
            # Another process's connection sees every commit as it is made.
            assert _count(path) == written
        assert path.stat().st_size + wal.stat().st_size > 3 * WAL_BYTES
        # The sync's own connection checkpoints only past BACKSTOP_PAGES, so the main file
        # grows this early only by the thread's checkpoints.
        assert _wait_for(lambda: path.stat().st_size > 2 * WAL_BYTES)
        for start in range(written + 1, written + 12 * BATCH, BATCH):
            store.upsert_posts(_batch(start), source=EXAMPLE)
            written += BATCH
            # The WAL starts over after the checkpoints: it never holds the whole sync.
            assert wal.stat().st_size < 2 * BACKSTOP_PAGES * 4120
    finally:
        store.close()
    assert "checkpoints" not in [thread.name for thread in threading.enumerate()]
    assert _count(path) == written


def test_a_killed_sync_keeps_every_post_it_committed(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from test_checkpoints import BATCH, EXAMPLE, _batch
        from reader.core.store import Store

        store = Store.open_in(Path({str(tmp_path)!r}))
        store.checkpoint_aside()
        for start in range(1, 8 * BATCH, BATCH):
            store.upsert_posts(_batch(start), source=EXAMPLE)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    store = Store.open_in(tmp_path)
    try:
        assert _count(store.path) == 8 * BATCH
        assert store.find_post("https://example.org/post-320/") is not None
    finally:
        store.close()
