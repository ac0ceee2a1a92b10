"""Sources in the store: two sources never touch each other's rows."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.core.fetch import Fetcher
from reader.core.models import IncomingPost, SyncReport
from reader.core.source import Source
from reader.core.store import Store
from reader.core.sync import sync, sync_all
from reader.sample.server import SampleServer

A = Source.site("https://a.example/")
B = Source.site("https://b.example/")


def _post(site: str, n: int, **kw: object) -> IncomingPost:
    fields: dict[str, object] = {
        "url": f"https://{site}/2025/01/{n:02d}/post-{n}/",
        "title": f"{site} post {n}",
        "published": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=n),
        "guid": f"https://{site}/?p={n}",
        "wp_id": n,
        "content": f"<p>Body {n} of {site}.</p>",
        "categories": (("news", "News"), ("brain", "Brain")),
    }
    fields.update(kw)
    return IncomingPost(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open_in(tmp_path / "data", section_names=("News",))
    yield store
    store.close()


def test_same_paths_ids_and_guids_in_two_sites_stay_apart(store: Store) -> None:
    # Same path, same WordPress id, same guid shape: each site keeps its own posts.
    assert store.upsert_posts((_post("a.example", n) for n in range(1, 4)), source=A) == (3, 0)
    assert store.upsert_posts((_post("b.example", n) for n in range(1, 4)), source=B) == (3, 0)
    assert store.upsert_posts([_post("b.example", 1, guid="", wp_id=1)], source=B) == (0, 0)
    assert store.count_posts() == 6
    assert store.count_posts(source=A) == store.count_posts(source=B) == 3
    a1 = store.find_post("https://a.example/2025/01/01/post-1/")
    b1 = store.find_post("http://www.b.example/2025/01/01/post-1")
    assert a1 is not None and b1 is not None and a1.id != b1.id
    assert a1.title == "a.example post 1" and b1.title == "b.example post 1"
    assert store.find_post("https://b.example/?p=2") == store.find_post(
        "https://b.example/2025/01/02/post-2/"
    )
    assert store.find_post("https://c.example/2025/01/01/post-1/") is None
    # Read state, sections and "mark all read" are per source.
    store.set_read(a1.id)
    assert store.unread_count(source=A) == 2 and store.unread_count(source=B) == 3
    assert {(s.source_id, s.slug, s.count) for s in store.sections()} == {
        (store.source_id(A), "news", 3),
        (store.source_id(A), "brain", 3),
        (store.source_id(B), "news", 3),
        (store.source_id(B), "brain", 3),
    }
    assert store.mark_all_read("news", source=B) == 3
    assert store.unread_count(source=A) == 2
    # Neighbours by date stay within the post's own source.
    newer = store.neighbour(a1.id, newer=True)
    assert newer is not None and newer.source_id == a1.source_id


def test_removing_a_source_removes_only_its_rows(store: Store) -> None:
    store.upsert_posts((_post("a.example", n) for n in range(1, 4)), source=A)
    store.upsert_posts((_post("b.example", n) for n in range(1, 4)), source=B)
    store.save_validators(A.feed_url, '"a"', None, source=A)
    store.save_validators(B.feed_url, '"b"', None, source=B)
    for site in ("a.example", "b.example"):
        post = store.find_post(f"https://{site}/2025/01/02/post-2/")
        assert post is not None
        store.add_bookmark(post)
    assert store.remove_source(A) == 3
    assert store.count_posts() == 3 and store.count_posts(source=B) == 3
    assert store.search("Body")
    assert all(hit.post.source_id == store.source_id(B) for hit in store.search("Body"))
    assert store.validators(B.feed_url, source=B) == ('"b"', None)
    # A's bookmark is a snapshot and stays, still saying whose it is.
    kept = store.bookmark("https://a.example/2025/01/02/post-2/")
    assert kept is not None and kept.post.content == "<p>Body 2 of a.example.</p>"
    assert kept.post.source_id == store.source_id(A)
    assert store.bookmark_count() == 2
    assert store.remove_source(A, with_bookmarks=True) == 0
    assert store.bookmark_count() == 1 and store.source_id(A) is None
    assert [s.key for s in store.sources()] == [B.key]


def test_a_feed_keeps_posts_of_many_hosts_at_the_same_path(store: Store) -> None:
    planet = Source.feed("https://planet.example/rss")
    posts = [
        IncomingPost(url=f"https://{host}/about/", title=host, guid=f"https://{host}/?p=7", wp_id=7)
        for host in ("one.example", "two.example", "three.example")
    ]
    assert store.upsert_posts(posts, source=planet) == (3, 0)
    assert store.upsert_posts(posts, source=planet) == (0, 0)
    found = store.find_post("https://two.example/about")
    assert found is not None and found.title == "two.example"
    store.add_bookmark(found)
    assert store.is_bookmarked("https://two.example/about/")
    assert not store.is_bookmarked("https://one.example/about/")


def test_a_source_keeps_its_name_and_a_new_spelling_is_the_same_source(store: Store) -> None:
    first = store.add_source(Source.site("https://www.a.example", name="Ours"))
    assert store.add_source(Source.site("http://a.example/")) == first
    assert store.stored_source(first) is not None
    assert store.stored_source(first).name == "Ours"  # type: ignore[union-attr]
    store.rename_source(first, "Theirs")
    assert store.sources()[0].name == "Theirs"


def _sync(store: Store, *sources: Source) -> list[SyncReport]:
    async def run() -> list[SyncReport]:
        async with Fetcher(deadline=20) as fetcher:
            return await sync_all(store, fetcher, sources)

    return asyncio.run(run())


def test_two_sites_synced_into_one_folder_keep_their_own_posts(tmp_path: Path) -> None:
    # The report that started it: --site A sync, then --site B sync into the same folder.
    # B's sync said "0 new, 10 updated", rewrote A's posts to B's host and stopped at 10.
    with SampleServer() as a_url, SampleServer() as b_url:
        store = Store.open_in(tmp_path / "data")
        (a,) = _sync(store, Source.site(a_url))
        (b,) = _sync(store, Source.site(b_url))
        assert a.ok and b.ok, (a.errors, b.errors)
        assert b.new == a.new >= 44 and b.updated == 0
        a_posts = store.posts_in(source=Source.site(a_url))
        b_posts = store.posts_in(source=Source.site(b_url))
        assert len(a_posts) == len(b_posts) == a.new
        assert all(p.url.startswith(a_url) for p in a_posts)
        assert all(p.url.startswith(b_url) for p in b_posts)
        assert not {p.id for p in a_posts} & {p.id for p in b_posts}
        store.close()


def test_one_failing_source_never_stops_the_others(tmp_path: Path) -> None:
    with SampleServer() as good:
        store = Store.open_in(tmp_path / "data")
        dead = Source.site("http://127.0.0.1:9/", name="dead")
        missing = Source.feed(good + "no-such-feed/", name="missing")
        not_a_feed = Source.feed(good + "about/", name="page")
        reports = _sync(store, dead, Source.site(good, name="good"), missing, not_a_feed)
        assert [r.source for r in reports] == ["dead", "good", "missing", "page"]
        assert [r.ok for r in reports] == [False, True, False, False]
        assert "127.0.0.1:9" in reports[0].errors[0]
        assert "404" in reports[2].errors[0]
        assert reports[1].new >= 44
        assert store.count_posts() == reports[1].new
        store.close()


def test_a_failed_first_read_leaves_no_source_and_loses_nothing(tmp_path: Path) -> None:
    # Each wrong address tried once stayed for ever, empty, under "Kept in the store".
    with SampleServer() as good:
        store = Store.open_in(tmp_path / "data")
        kept = Source.site(good, name="good")
        (synced,) = _sync(store, kept)
        assert synced.ok and synced.new >= 44
        post = store.find_post(store.posts_in(source=kept)[0].url)
        assert post is not None
        store.add_bookmark(post)
        failed = [
            Source.site("http://127.0.0.1:9/"),
            Source.feed(good + "no-such-feed/"),
            Source.feed(good + "about/"),
        ]
        reports = _sync(store, *failed)
        assert not any(report.ok for report in reports)
        assert [s.key for s in store.sources()] == [kept.key]
        assert all(store.source_id(source) is None for source in failed)
        posts = store.count_posts()
    # A source that stored posts keeps them, and its bookmark, when a read fails (its server
    # is gone now).
    (gone,) = _sync(store, kept)
    assert not gone.ok
    assert store.count_posts() == posts and store.bookmark_count() == 1
    assert [s.key for s in store.sources()] == [kept.key]
    store.close()


def test_only_a_source_that_holds_nothing_is_forgotten(store: Store) -> None:
    store.upsert_posts([_post("a.example", 1)], source=A)
    post = store.find_post("https://a.example/2025/01/01/post-1/")
    assert post is not None
    store.add_bookmark(post)
    store.add_source(B)
    assert not store.forget_if_empty(A)
    store.remove_source(A)
    # Its posts gone, its bookmark kept: still not empty.
    assert store.bookmark_count() == 1 and not store.forget_if_empty(A)
    assert store.forget_if_empty(B) and store.source_id(B) is None
    assert not store.forget_if_empty(B)


def test_a_sync_of_an_unchanged_source_writes_nothing(tmp_path: Path) -> None:
    with SampleServer() as url:
        store = Store.open_in(tmp_path / "data")
        first = asyncio.run(_one(store, Source.site(url)))
        assert first.ok
        # data_version changes when any other connection commits to the file.
        watcher = sqlite3.connect(store.path)
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        again = asyncio.run(_one(store, Source.site(url)))
        assert again.unchanged and again.ok
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
        watcher.close()
        assert store.last_synced(Source.site(url)) is not None
        store.close()


async def _one(store: Store, source: Source) -> SyncReport:
    async with Fetcher(deadline=20) as fetcher:
        return await sync(store, fetcher, source)


def test_a_bug_met_by_one_source_is_its_failure_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core import sync as sync_module

    real = sync_module.sync

    async def sometimes_broken(store: Store, fetcher: Fetcher, source: Source, **kw: object):  # type: ignore[no-untyped-def]
        if source.name == "broken":
            raise RuntimeError("nobody planned for this")
        return await real(store, fetcher, source, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_module, "sync", sometimes_broken)
    with SampleServer() as url:
        store = Store.open_in(tmp_path / "data")
        broken, good = _sync(store, Source.feed(url + "feed/", name="broken"), Source.site(url))
        assert broken.errors == ["Refresh of broken failed: RuntimeError: nobody planned for this"]
        assert good.ok and good.new >= 44
        store.close()
