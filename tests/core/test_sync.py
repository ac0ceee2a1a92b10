"""Sync against the sample site over real HTTP on 127.0.0.1: backfill, fallbacks, no-op reruns."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.fetch import Fetcher
from reader.core.models import LinkKind, SectionKind, SyncReport
from reader.core.runner import run_sync, with_fetcher
from reader.core.store import Store
from reader.core.sync import Source, complete_post, open_link
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


def _sync(store: Store, url: str, **kw: object) -> SyncReport:
    return run_sync(
        store.path,
        Source.site(url),
        section_names=SECTIONS,
        make_fetcher=lambda: Fetcher(deadline=20),
        **kw,  # type: ignore[arg-type]
    )


def _store(tmp_path: Path) -> Store:
    return Store.open_in(tmp_path / "data", section_names=SECTIONS)


def test_backfill_over_rest_stores_the_whole_archive(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    report = _sync(store, server.url)
    assert report.ok, report.errors
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
    assert report.unchanged
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version, "a row was written"
    watcher.close()
    after = server.request_log[before:]
    assert [(m, p, s) for m, p, s in after] == [("GET", "/feed/", 304)]


def test_without_rest_api_paged_feeds_and_pages_fill_in(tmp_path: Path) -> None:
    with SampleServer(rest_api=False) as url:
        store = _store(tmp_path)
        report = _sync(store, url)
        assert report.ok, report.errors
        assert store.source_meta(Source.site(url), "has_rest_api") == "no"
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

    assert post is not None
    done = with_fetcher(lambda fetcher: complete_post(store, fetcher, post))
    assert done.page_fetched
    assert done.link(LinkKind.NEWER) is not None
    assert done.link(LinkKind.OLDER) is None
    assert done.link(LinkKind.READ_NEXT) is not None
    assert done.reading_minutes


def test_failed_sync_keeps_the_store(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, server.url)
    count = store.count_posts()
    first = store.posts_in()[0]
    store.add_bookmark(store.post(first.id))  # type: ignore[arg-type]
    server.stop()
    report = _sync(store, server.url)
    assert not report.ok and report.offline
    assert server.url in report.errors[0]
    assert store.count_posts() == count
    assert store.is_bookmarked(first.url)


def test_new_post_appears_on_next_sync(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, server.url)
    count = store.count_posts()
    server.site.add_post(title="A brand-new post about lab-grown livers", section="news")
    report = _sync(store, server.url)
    assert report.new == 1
    assert store.count_posts() == count + 1
    assert store.posts_in()[0].title == "A brand-new post about lab-grown livers"


def test_open_link_fetches_an_unstored_post(server: SampleServer, tmp_path: Path) -> None:
    store = _store(tmp_path)
    target = server.site.posts()[3]
    url = server.url_for(target.path)

    post = with_fetcher(lambda fetcher: open_link(store, fetcher, Source.site(server.url), url))
    assert post.title == store.find_post(url).title  # type: ignore[union-attr]
    assert post.page_fetched and post.content


def test_unknown_site_gives_one_line_error(tmp_path: Path) -> None:
    store = _store(tmp_path)
    report = _sync(store, "http://nonexistent.invalid/")
    assert not report.ok
    message = report.errors[0]
    assert "nonexistent.invalid" in message and "\n" not in message
