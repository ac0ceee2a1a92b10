"""Sync over real HTTP on 127.0.0.1, against the sample site and a real WordPress (classic and
block theme): backfill, fallbacks, no-op reruns, new posts, pages read on demand."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from reader.core.fetch import Fetcher
from reader.core.models import LinkKind, SectionKind, SyncReport
from reader.core.runner import run_sync, with_fetcher
from reader.core.store import Store
from reader.core.sync import Source, complete_post, open_link
from reader.sample.server import SampleServer
from tests.support.sites import ReadSite
from tests.support.wordpress.harness import BLOCK, CLASSIC, WordPressSite
from tests.support.wordpress.seed_data import seed_data

SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")
SAMPLE_POSTS = sum(1 for p in seed_data()["posts"] if p["type"] == "post")
SAMPLE_TAGS = {t["name"] for t in seed_data()["terms"] if t["taxonomy"] == "post_tag"}


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


def test_backfill_over_rest_stores_the_whole_archive(read_site: ReadSite, tmp_path: Path) -> None:
    store = _store(tmp_path)
    report = _sync(store, read_site.url)
    assert report.ok, report.errors
    assert store.source_meta(Source.site(read_site.url), "has_rest_api") == "yes"
    assert store.count_posts() == SAMPLE_POSTS
    sections = store.sections()
    names = [s.name for s in sections if s.kind is SectionKind.SECTION]
    assert names == list(SECTIONS)
    topics = [s.name for s in sections if s.kind is SectionKind.TOPIC]
    assert len(topics) >= 6
    # Tags from the REST API are tags, not topics.
    assert not SAMPLE_TAGS & set(topics)
    tags = {s.name for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG}
    assert tags >= SAMPLE_TAGS
    # Every body is there: the REST API carries it even for excerpt-only feed items.
    for summary in store.posts_in():
        post = store.post(summary.id)
        assert post is not None and post.content, post.url


def test_second_sync_downloads_no_feed_body(own_site: ReadSite, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, own_site.url)
    own_site.mark_requests()
    # Another connection sees data_version change whenever someone else commits.
    watcher = sqlite3.connect(store.path)
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    report = _sync(store, own_site.url)
    assert report.unchanged
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version, "a row was written"
    watcher.close()
    assert own_site.requests() == [("GET", "/feed/", 304)]


def test_without_rest_api_paged_feeds_and_pages_fill_in(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    sites = [(SampleServer(rest_api=False), "sample")]
    for theme in (CLASSIC, BLOCK):
        for rest in ("missing", "locked"):
            sites.append((wordpress_sites(theme, rest=rest), f"{theme} {rest}"))  # type: ignore[arg-type]
    for site, name in sites:
        url = site.start() if isinstance(site, SampleServer) else site.url
        try:
            store = Store.open_in(tmp_path / name, section_names=SECTIONS)
            report = _sync(store, url)
            assert report.ok, (name, report.errors)
            assert store.source_meta(Source.site(url), "has_rest_api") == "no", name
            assert store.count_posts() == SAMPLE_POSTS, name
            # Excerpt-only feed items got their body from their page.
            empty = [p.url for p in store.posts_in() if not (store.post(p.id) or p).content]  # type: ignore[union-attr]
            assert empty == [], name
            store.close()
        finally:
            if isinstance(site, SampleServer):
                site.stop()


def test_page_gives_navigation_and_read_next(site_store: Store, read_site: ReadSite) -> None:
    store = site_store
    oldest = store.posts_in()[-1]
    post = store.post(oldest.id)
    assert post is not None and not post.page_fetched

    done = with_fetcher(lambda fetcher: complete_post(store, fetcher, post))
    assert done.page_fetched  # type: ignore[attr-defined]
    assert (done.link(LinkKind.NEWER) is not None) is read_site.has_post_navigation  # type: ignore[attr-defined]
    assert done.link(LinkKind.OLDER) is None  # type: ignore[attr-defined]
    assert (done.link(LinkKind.READ_NEXT) is not None) is read_site.has_read_this_next  # type: ignore[attr-defined]
    assert bool(done.reading_minutes) is read_site.has_reading_time  # type: ignore[attr-defined]
    assert done.link(LinkKind.TOPIC) is not None  # type: ignore[attr-defined]


def test_failed_sync_keeps_the_store(own_site: ReadSite, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, own_site.url)
    count = store.count_posts()
    first = store.posts_in()[0]
    store.add_bookmark(store.post(first.id))  # type: ignore[arg-type]
    own_site.stop()
    report = _sync(store, own_site.url)
    assert not report.ok and report.offline
    assert own_site.url in report.errors[0]
    assert store.count_posts() == count
    assert store.is_bookmarked(first.url)


def test_new_post_appears_on_next_sync(own_site: ReadSite, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _sync(store, own_site.url)
    count = store.count_posts()
    own_site.add_post("A brand-new post about lab-grown livers", section="news")
    report = _sync(store, own_site.url)
    assert (report.new, report.updated) == (1, 0)
    assert store.count_posts() == count + 1
    assert store.posts_in()[0].title == "A brand-new post about lab-grown livers"


def test_open_link_fetches_an_unstored_post(read_site: ReadSite, tmp_path: Path) -> None:
    store = _store(tmp_path)
    rest = f"{read_site.url}wp-json/wp/v2/posts?per_page=4&_fields=link,title"
    import httpx

    target = httpx.get(rest, timeout=30).json()[3]
    url = target["link"]

    post = with_fetcher(lambda fetcher: open_link(store, fetcher, Source.site(read_site.url), url))
    assert post.title == store.find_post(url).title  # type: ignore[attr-defined,union-attr]
    assert post.page_fetched and post.content  # type: ignore[attr-defined]
    assert store.count_posts() == 1


def test_unknown_site_gives_one_line_error(tmp_path: Path) -> None:
    store = _store(tmp_path)
    report = _sync(store, "http://nonexistent.invalid/")
    assert not report.ok
    message = report.errors[0]
    assert "nonexistent.invalid" in message and "\n" not in message


def test_what_the_archive_needs_first_is_asked_for_at_once(tmp_path: Path) -> None:
    # Asked in turn, the feed, the REST probe, the site's index, its categories, its tags and
    # the archive's first page were six round trips before the first post was stored. The
    # server holds the feed until the probe has come, and the categories until the first page
    # has been asked for: in turn, each would wait out its ten seconds.
    import threading

    from reader.sample.generate import generate_site

    server = SampleServer(generate_site(150, seed=3))
    real = server.respond
    probed, first_asked = threading.Event(), threading.Event()
    waited: dict[str, bool] = {}

    def respond(target: str) -> tuple[int, dict[str, str], bytes, datetime]:
        if "_fields=id" in target:
            probed.set()
        if "_embed=" in target and target.endswith("&page=1"):
            first_asked.set()
        if target.startswith("/feed/") and "feed" not in waited:
            waited["feed"] = probed.wait(10)
        if "/wp/v2/categories" in target and "categories" not in waited:
            waited["categories"] = first_asked.wait(10)
        return real(target)

    server.respond = respond
    with server as url:
        report = _sync(_store(tmp_path), url)
    assert report.ok, report.errors
    assert waited == {"feed": True, "categories": True}
    assert _store(tmp_path).count_posts() == 150


def test_small_feeds_and_pages_are_parsed_on_the_syncs_own_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker thread per feed page and article page cost a cold sync from RSS only ~4% of
    # its wall time; the sync's loop is never the screen's, and these documents are small.
    import asyncio

    from reader.sample.generate import generate_site

    handed: list[str] = []
    real = asyncio.to_thread

    async def to_thread(function: Callable[..., object], /, *args: object, **kw: object) -> object:
        handed.append(getattr(function, "__name__", repr(function)))
        return await real(function, *args, **kw)

    monkeypatch.setattr(asyncio, "to_thread", to_thread)
    with SampleServer(generate_site(40, seed=5), rest_api=False) as url:
        store = _store(tmp_path)
        report = _sync(store, url)
    assert report.ok, report.errors
    assert report.pages_fetched > 0
    assert store.count_posts() == 40
    assert "parse_feed" not in handed
    assert "extract_page" not in handed


def test_a_store_synced_before_term_ids_were_kept_learns_them_once(
    own_site: ReadSite, tmp_path: Path
) -> None:
    # Term ids (for a plain-permalink site's ?cat=ID links) were written by the first sync
    # alone: a store made before they were kept never learned them.
    store = _store(tmp_path)
    assert _sync(store, own_site.url).ok
    raw = sqlite3.connect(store.path)
    ids = "SELECT key, value FROM source_meta WHERE key LIKE 'term:%' ORDER BY key"
    kept = raw.execute(ids).fetchall()
    assert len(kept) >= 10
    with raw:
        raw.execute("DELETE FROM source_meta WHERE key LIKE 'term%'")
    own_site.mark_requests()
    assert _sync(store, own_site.url).ok  # the feed unchanged: 304
    assert raw.execute(ids).fetchall() == kept
    asked = {path.split("?")[0] for _, path, _ in own_site.requests()}
    assert asked == {"/feed/", "/wp-json/wp/v2/categories", "/wp-json/wp/v2/tags"}
    own_site.mark_requests()
    assert _sync(store, own_site.url).ok
    assert own_site.requests() == [("GET", "/feed/", 304)]
    raw.close()


@pytest.mark.parametrize("status", [500, None], ids=["server-error", "offline"])
def test_term_ids_that_cannot_be_read_now_never_keep_new_posts_out(
    own_site: ReadSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int | None
) -> None:
    # The ids are a nicety for ?cat=ID links; a 500 or a dead network while asking for them
    # failed the whole sync, and the feed's new posts were not stored, at every refresh.
    from reader.core import wordpress
    from reader.core.fetch import FetchError

    store = _store(tmp_path)
    assert _sync(store, own_site.url).ok
    raw = sqlite3.connect(store.path)
    ids = "SELECT key, value FROM source_meta WHERE key LIKE 'term%' ORDER BY key"
    kept = raw.execute(ids).fetchall()
    with raw:
        raw.execute("DELETE FROM source_meta WHERE key LIKE 'term%'")

    async def failing(*args: object, **kw: object) -> object:
        raise FetchError(own_site.url, "it failed", status=status, offline=status is None)

    monkeypatch.setattr(wordpress, "terms", failing)
    own_site.add_post("A post while the terms cannot be read")
    report = _sync(store, own_site.url)
    assert report.ok and report.new == 1, report
    assert raw.execute(ids).fetchall() == []  # not marked as read: asked again next time
    monkeypatch.undo()
    assert _sync(store, own_site.url).ok
    assert raw.execute(ids).fetchall() == kept
    raw.close()


_TERM_IDS = "SELECT key, value FROM source_meta WHERE key LIKE 'term:%' ORDER BY key"


def _synced_with_a_tag_id_forgotten(
    site: ReadSite, tmp_path: Path
) -> tuple[Store, sqlite3.Connection, list[tuple[str, str]], str, str]:
    """A store synced from ``site``, one tag's kept id deleted: the store, a connection of
    its own, the ids as kept, that tag's key and its slug."""
    store = _store(tmp_path)
    assert _sync(store, site.url).ok
    raw = sqlite3.connect(store.path)
    kept = raw.execute(_TERM_IDS).fetchall()
    tag = next(key for key, _slug in kept if key.startswith("term:tag:"))
    with raw:
        raw.execute("DELETE FROM source_meta WHERE key=?", (tag,))
    return store, raw, kept, tag, dict(kept)[tag]


def test_a_refused_reread_of_term_ids_keeps_those_already_kept(
    own_site: ReadSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core import wordpress
    from reader.core.fetch import FetchError

    store, raw, kept, tag, slug = _synced_with_a_tag_id_forgotten(own_site, tmp_path)

    async def refused(*args: object, **kw: object) -> object:
        raise FetchError(own_site.url, "server answered 401", status=401)

    monkeypatch.setattr(wordpress, "terms", refused)
    own_site.add_post("A post in a tag whose id is not kept", tags=(slug,))
    assert _sync(store, own_site.url).ok
    assert raw.execute(_TERM_IDS).fetchall() == [row for row in kept if row[0] != tag]
    raw.close()


def test_a_term_whose_id_is_not_kept_is_learned_from_a_changed_post(
    own_site: ReadSite, tmp_path: Path
) -> None:
    # A category or tag made after the ids were read (here: its id forgotten) is named by
    # the next post in it: the ids are read again.
    store, raw, kept, _tag, slug = _synced_with_a_tag_id_forgotten(own_site, tmp_path)
    own_site.add_post("A post in a tag whose id is not kept", tags=(slug,))
    assert _sync(store, own_site.url).ok
    assert raw.execute(_TERM_IDS).fetchall() == kept
    raw.close()
