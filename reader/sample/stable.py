"""A store of the sample site with fixed URLs: for screenshots and snapshot tests.

The sample server listens on a random port, which would show in every URL on screen. This
syncs from it, fetches the newest pages (so their navigation shows without a network), then
rewrites every URL to :data:`STABLE_SITE`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.core.fetch import Fetcher
from reader.core.runner import run_sync, with_fetcher
from reader.core.source import Source
from reader.core.store import STORE_FILE, Store
from reader.core.sync import complete_post

STABLE_SITE = "https://stemcell.example/"
SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")


def build_stable_store(folder: Path, *, pages: int = 6, url: str | None = None) -> Path:
    """Sync the sample site into ``folder`` and fix its URLs; returns the store file."""
    from reader.sample.server import SampleServer

    server = None
    if url is None:
        server = SampleServer()
        url = server.start()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        store = Store.open_in(folder, section_names=SECTIONS)
        report = run_sync(store.path, Source.site(url), section_names=SECTIONS)
        if not report.ok:
            raise RuntimeError(report.errors[0])

        async def read_pages(fetcher: Fetcher) -> None:
            for summary in store.posts_in()[:pages]:
                post = store.post(summary.id)
                if post is not None:
                    await complete_post(store, fetcher, post)

        with_fetcher(read_pages)
        store.close()
    finally:
        if server is not None:
            server.stop()
    old, new = url.rstrip("/"), STABLE_SITE.rstrip("/")
    db = sqlite3.connect(folder / STORE_FILE)
    with db:
        db.execute(
            "UPDATE posts SET url=replace(url, ?, ?), guid=replace(guid, ?, ?),"
            " content=replace(content, ?, ?)",
            (old, new, old, new, old, new),
        )
        db.execute("UPDATE links SET url=replace(url, ?, ?)", (old, new))
    db.close()
    # The source itself moves too: a reader of STABLE_SITE reads only that source's rows.
    store = Store.open_in(folder, section_names=SECTIONS)
    try:
        store.move_site(url, STABLE_SITE)
    finally:
        store.close()
    return folder / STORE_FILE
