"""Small helpers for tests that read a site: sync it, read pages, open links, run the CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from reader.core.fetch import Fetcher
from reader.core.models import Post, SyncReport
from reader.core.source import Source
from reader.core.store import Store
from reader.core.sync import complete_post, open_link, sync

SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")


def new_store(folder: Path) -> Store:
    """An empty store in ``folder`` with the institute's sections."""
    return Store.open_in(folder, section_names=SECTIONS)


def sync_site(store: Store, url: str, *, feed: bool = False, **kw: object) -> SyncReport:
    """One sync of the site (or, with ``feed``, the single feed) at ``url``."""

    async def run() -> SyncReport:
        source = Source.feed(url) if feed else Source.site(url)
        async with Fetcher(deadline=30) as fetcher:
            return await sync(store, fetcher, source, **kw)  # type: ignore[arg-type]

    return asyncio.run(run())


def read_page(store: Store, post: Post) -> Post:
    """Read ``post``'s page as opening it does."""

    async def run() -> Post:
        async with Fetcher(deadline=30) as fetcher:
            return await complete_post(store, fetcher, post)

    return asyncio.run(run())


def read_every_page(store: Store) -> None:
    """Read the page of every stored post, as reading them all in the app would."""

    async def run() -> None:
        async with Fetcher(deadline=30) as fetcher:
            for summary in store.posts_in():
                post = store.post(summary.id)
                assert post is not None
                await complete_post(store, fetcher, post)

    asyncio.run(run())


def follow(store: Store, site: str, url: str) -> Post:
    """Open an in-site link as the reader does (stored, else fetched and stored)."""

    async def run() -> Post:
        async with Fetcher(deadline=30) as fetcher:
            return await open_link(store, fetcher, Source.site(site), url)

    return asyncio.run(run())


def reader(*args: str, data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real ``reader`` command, headless, on its own data folder."""
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
