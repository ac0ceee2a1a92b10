"""Sync against the sample site over real HTTP on 127.0.0.1: backfill, fallbacks, no-op reruns."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.fetch import Fetcher
from reader.core.models import LinkKind, SectionKind
from reader.core.store import Store
from reader.core.sync import Source, complete_post, open_link, sync
from reader.sample.server import SampleServer

SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")


@pytest.fixture
def server() -> Iterator[SampleServer]:
    """A sample server of our own: these tests count its requests or change its site."""
    server = SampleServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _sync(store: Store, url: str, **kw: object) -> object:
    async def run() -> object:
        async with Fetcher(deadline=20) as fetcher:
            return await sync(store, fetcher, Source.site(url), **kw)  # type: ignore[arg-type]

    return asyncio.run(run())


def _store(tmp_path: Path) -> Store:
    return Store.open_in(tmp_path / "data", section_names=SECTIONS)


def test_backfill_over_rest_stores_the_whole_archive(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    report = _sync(store, server.url)
    assert report.ok, report.errors  # type: ignore[attr-defined]
    site_posts = server.site.posts()
    assert store.count_posts() == len(site_posts) >= 44
    sections = store.sections()
    names = [s.name for s in sections if s.kind is SectionKind.SECTION]
    assert names == list(SECTIONS)
    topics = [s.name for s in sections if s.kind is SectionKind.TOPIC]
    assert len(topics) >= 6
    # Tags from the REST API are tags, not topics.
    tag_names = {t.name for t in server.site.terms("post_tag")}
    assert not tag_names & set(topics)
    # Every body is there: the REST API carries it even for excerpt-only feed items.
    for summary in store.posts_in():
        post = store.post(summary.id)
        assert post is not None and post.content, post.url


def test_second_sync_downloads_no_feed_body(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, server.url)
    before = len(server.request_log)
    # Another connection sees data_version change whenever someone else commits.
    watcher = sqlite3.connect(store.path)
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    report = _sync(store, server.url)
    assert report.unchanged  # type: ignore[attr-defined]
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version, "a row was written"
    watcher.close()
    after = server.request_log[before:]
    assert [(m, p, s) for m, p, s in after] == [("GET", "/feed/", 304)]


def test_without_rest_api_paged_feeds_and_pages_fill_in(tmp_path: Path) -> None:
    with SampleServer(rest_api=False) as url:
        store = _store(tmp_path)
        report = _sync(store, url)
        assert report.ok, report.errors  # type: ignore[attr-defined]
        assert store.get_meta("has_rest_api") == "no"
        assert store.count_posts() >= 44
        # Excerpt-only feed items got their body from their page.
        empty = [p for p in store.posts_in() if not (store.post(p.id) or p).content]  # type: ignore[union-attr]
        assert empty == []


def test_page_gives_navigation_and_read_next(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, server.url)
    oldest = store.posts_in()[-1]
    post = store.post(oldest.id)
    assert post is not None and not post.page_fetched

    async def run() -> object:
        async with Fetcher() as fetcher:
            return await complete_post(store, fetcher, post)

    done = asyncio.run(run())
    assert done.page_fetched  # type: ignore[attr-defined]
    assert done.link(LinkKind.NEWER) is not None  # type: ignore[attr-defined]
    assert done.link(LinkKind.OLDER) is None  # type: ignore[attr-defined]
    assert done.link(LinkKind.READ_NEXT) is not None  # type: ignore[attr-defined]
    assert done.reading_minutes  # type: ignore[attr-defined]


def test_failed_sync_keeps_the_store(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, server.url)
    count = store.count_posts()
    first = store.posts_in()[0]
    store.add_bookmark(store.post(first.id))  # type: ignore[arg-type]
    server.stop()
    report = _sync(store, server.url)
    assert not report.ok and report.offline  # type: ignore[attr-defined]
    assert server.url in report.errors[0]  # type: ignore[attr-defined]
    assert store.count_posts() == count
    assert store.is_bookmarked(first.url)


def test_new_post_appears_on_next_sync(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, server.url)
    count = store.count_posts()
    server.site.add_post(title="A brand-new post about lab-grown livers", section="news")
    report = _sync(store, server.url)
    assert report.new == 1  # type: ignore[attr-defined]
    assert store.count_posts() == count + 1
    assert store.posts_in()[0].title == "A brand-new post about lab-grown livers"


def test_open_link_fetches_an_unstored_post(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    target = server.site.posts()[3]
    url = server.url_for(target.path)

    async def run() -> object:
        async with Fetcher() as fetcher:
            return await open_link(store, fetcher, Source.site(server.url), url)

    post = asyncio.run(run())
    assert post.title == store.find_post(url).title  # type: ignore[attr-defined,union-attr]
    assert post.page_fetched and post.content  # type: ignore[attr-defined]


def test_unknown_site_gives_one_line_error(tmp_path: Path) -> None:
    store = _store(tmp_path)
    report = _sync(store, "http://nonexistent.invalid/")
    assert not report.ok  # type: ignore[attr-defined]
    message = report.errors[0]  # type: ignore[attr-defined]
    assert "nonexistent.invalid" in message and "\n" not in message
