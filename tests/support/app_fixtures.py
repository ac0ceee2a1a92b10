"""Helpers for tests that run the app: a store synced from the sample site, and the app on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.models import IncomingPost
from reader.core.runner import run_sync
from reader.core.source import Source
from reader.core.store import STORE_FILE, Store
from reader.sample.stable import STABLE_SITE as STABLE_SITE

if TYPE_CHECKING:
    from reader.sample.server import SampleServer

SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")


def synced_store(url: str, folder: Path) -> Path:
    """Sync the site at ``url`` into ``folder`` once; returns the store file."""
    folder.mkdir(parents=True, exist_ok=True)
    Store.open_in(folder, section_names=SECTIONS).close()
    report = run_sync(folder / STORE_FILE, Source.site(url), section_names=SECTIONS)
    assert report.ok, report.errors
    return folder / STORE_FILE


def copy_store(template: Path, folder: Path) -> Store:
    """A private copy of a synced store, so each test may change it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / STORE_FILE)
    return Store.open_in(folder, section_names=SECTIONS)


def make_app(store: Store, url: str, **kw: object) -> object:
    """The reader app on ``store``, reading the site at ``url``, not refreshing on start."""
    from reader.ui.app import ReaderApp

    options: dict[str, object] = {"refresh_on_start": False, "section_names": SECTIONS}
    options.update(kw)
    return ReaderApp(store, Source.site(url), **options)  # type: ignore[arg-type]


def stable_store(url: str, folder: Path, *, pages: int = 6) -> Path:
    """A synced store whose URLs name STABLE_SITE, with the newest pages fetched."""
    from reader.sample.stable import build_stable_store

    return build_stable_store(folder, pages=pages, url=url)


@contextmanager
def own_sample_site(folder: Path) -> Iterator[tuple[SampleServer, Store]]:
    """A sample site of the test's own (it may add posts to it), and a store in ``folder``
    synced from it; both closed after."""
    from reader.sample.server import SampleServer

    server = SampleServer()
    server.start()
    try:
        synced_store(server.url, folder)
        store = Store.open_in(folder, section_names=SECTIONS)
        try:
            yield server, store
        finally:
            store.close()
    finally:
        server.stop()


UNREACHED_SITE = Source.site("http://127.0.0.1:9/")
"""A site nothing answers at (port 9, discard): every post of it is read from the store."""


def numbered_store(folder: Path, posts: int) -> Store:
    """A store of ``posts`` News posts of :data:`UNREACHED_SITE`, "Post number 0" (the newest)
    to ``posts - 1``, an hour apart; the caller closes it."""
    store = Store.open_in(folder, section_names=SECTIONS)
    newest = datetime(2025, 9, 3, tzinfo=UTC)
    store.upsert_posts(
        [
            IncomingPost(
                f"{UNREACHED_SITE.url}post-{n}/",
                f"Post number {n}",
                published=newest - timedelta(hours=n),
                content=f"<p>Body {n}.</p>",
                categories=(("news", "News"),),
            )
            for n in range(posts)
        ],
        source=UNREACHED_SITE,
    )
    return store
