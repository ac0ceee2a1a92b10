"""The SQLite store on disk: posts, sections, read state, bookmarks, search, safety."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.core.models import IncomingPost, Link, LinkKind, Origin, SectionKind
from reader.core.source import Source
from reader.core.store import SCHEMA_VERSION, Store, StoreError

SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")
EXAMPLE = Source.site("https://example.org/")


def _post(n: int, **kw: object) -> IncomingPost:
    fields: dict[str, object] = {
        "url": f"https://example.org/2025/01/{n:02d}/post-{n}/",
        "title": f"Post {n}",
        "author": "Ada",
        "published": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=n),
        "guid": f"https://example.org/?p={n}",
        "wp_id": n,
        "excerpt": "<p>Short.</p>",
        "content": f"<p>Body of post {n} about organoids.</p>",
        "categories": (("news", "News"), ("brain", "Brain")),
    }
    fields.update(kw)
    return IncomingPost(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open_in(tmp_path, section_names=SECTIONS)


def test_upsert_and_sections(store: Store) -> None:
    assert store.upsert_posts((_post(n) for n in range(1, 6)), source=EXAMPLE) == (5, 0)
    assert store.upsert_posts((_post(n) for n in range(1, 6)), source=EXAMPLE) == (0, 0)
    assert store.upsert_posts([_post(1, title="Post 1, revised")], source=EXAMPLE) == (0, 1)
    sections = store.sections()
    assert [s.name for s in sections] == ["News", "Brain"]
    assert sections[0].kind is SectionKind.SECTION and sections[1].kind is SectionKind.TOPIC
    assert sections[0].count == 5 and sections[0].unread == 5
    titles = [p.title for p in store.posts_in("news")]
    assert titles[0] == "Post 5" and titles[-1] == "Post 1, revised"


def test_excerpt_only_item_keeps_stored_body(store: Store) -> None:
    store.upsert_posts([_post(1)], source=EXAMPLE)
    store.upsert_posts([_post(1, content=None)], source=EXAMPLE)
    post = store.find_post("https://example.org/2025/01/01/post-1/")
    assert post is not None and "Body of post 1" in post.content


def test_find_post_by_any_spelling(store: Store) -> None:
    store.upsert_posts([_post(3)], source=EXAMPLE)
    for url in (
        "http://www.example.org/2025/01/03/post-3",
        "https://example.org/2025/01/03/post-3/#top",
        "https://example.org/?p=3",
    ):
        found = store.find_post(url)
        assert found is not None and found.title == "Post 3"


def test_read_state_and_neighbours(store: Store) -> None:
    store.upsert_posts((_post(n) for n in range(1, 4)), source=EXAMPLE)
    first = store.find_post("https://example.org/2025/01/01/post-1/")
    assert first is not None
    store.set_read(first.id)
    assert store.unread_count() == 2
    newer = store.neighbour(first.id, newer=True)
    assert newer is not None and newer.title == "Post 2"
    assert store.neighbour(first.id, newer=False) is None
    assert store.mark_all_read("news") == 2
    assert store.unread_count() == 0


def test_page_links_and_tags(store: Store) -> None:
    store.upsert_posts(
        [_post(1, categories=(("news", "News"), ("organoids", "organoids")))], source=EXAMPLE
    )
    post = store.find_post("https://example.org/?p=1")
    assert post is not None
    store.save_page(
        post.id,
        content=None,
        links=[Link(LinkKind.NEWER, "https://example.org/2025/01/02/post-2/", "Post 2")],
        reading_minutes=4,
        tags=["organoids"],
    )
    post = store.post(post.id)
    assert post is not None and post.page_fetched and post.reading_minutes == 4
    assert post.link(LinkKind.NEWER) is not None
    assert post.tags == ("organoids",)
    assert [s.name for s in store.sections()] == ["News"]


def test_bookmark_survives_removal_of_post(store: Store) -> None:
    store.upsert_posts([_post(1)], source=EXAMPLE)
    post = store.find_post("https://example.org/?p=1")
    assert post is not None
    store.add_bookmark(post)
    assert store.find_readable(post.url) == store.find_post(post.url)
    store.remove_post(post.id)
    assert store.find_post(post.url) is None
    bookmark = store.bookmark(post.url)
    assert bookmark is not None and bookmark.post.content == post.content
    # The one lookup the reader opens by: the post, else its bookmark's snapshot.
    assert store.find_readable(post.url) == bookmark.post
    assert store.find_readable("https://example.org/no-such-post/") is None
    assert [b.title for b in store.bookmarks("organoids")] == ["Post 1"]
    assert store.bookmarks("nothing-like-this") == []


def test_import_bookmarks_skips_duplicates(store: Store, tmp_path: Path) -> None:
    store.upsert_posts([_post(1)], source=EXAMPLE)
    post = store.find_post("https://example.org/?p=1")
    assert post is not None
    bookmark = store.add_bookmark(post)
    other = Store.open_in(tmp_path / "other")
    assert other.import_bookmarks([bookmark]) == 1
    assert other.import_bookmarks([bookmark]) == 0


def test_search_is_ranked_and_literal(store: Store) -> None:
    store.upsert_posts((_post(n) for n in range(1, 4)), source=EXAMPLE)
    store.upsert_posts([_post(9, title="Organoids everywhere")], source=EXAMPLE)
    hits = store.search("organoids")
    assert hits[0].post.title == "Organoids everywhere"
    for query in ('"', "*", "NEAR", 'a "b', "AND OR NOT", "(", "-"):
        store.search(query)  # never raises


def test_a_scoped_search_finds_a_sources_few_hits_below_many_better_ones(store: Store) -> None:
    # The index is ranked alone, then the posts of its best rowids read: another source's
    # (and pages') better matches fill the first of that ranking, which must be read on.
    other = Source.site("https://other.example/")
    store.upsert_posts(
        (
            _post(n, url=f"https://other.example/{n}/", content="<p>organoids " * 20 + "</p>")
            for n in range(1, 121)
        ),
        source=other,
    )
    store.upsert_posts(
        (
            _post(n, content="<p>One word about organoids in a long body of text.</p>")
            for n in (1, 2)
        ),
        source=EXAMPLE,
    )
    hits = store.search("organoids", limit=10, source=EXAMPLE)
    assert sorted(hit.post.url for hit in hits) == [
        "https://example.org/2025/01/01/post-1/",
        "https://example.org/2025/01/02/post-2/",
    ]
    assert len(store.search("organoids", limit=10)) == 10
    titled = store.search("post", limit=5, source=EXAMPLE)  # every title says "Post n"
    assert {hit.post.source_id for hit in titled} == {store.source_id(EXAMPLE)}
    assert len(titled) == 2


def test_a_scoped_search_reads_its_posts_by_rowid(store: Store) -> None:
    # With the source's condition beside the rowids, SQLite read every post of the source
    # through an index on (source, page) instead of the ranking's few by their rowids.
    store.upsert_posts((_post(n) for n in range(1, 6)), source=EXAMPLE)
    statements: list[str] = []
    raw = store._db.raw
    raw.set_trace_callback(statements.append)
    try:
        assert store.search("organoids", source=EXAMPLE)
    finally:
        raw.set_trace_callback(None)
    reads = [sql for sql in statements if "FROM posts p" in sql]
    assert reads
    for sql in reads:
        plan = " ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        assert "SEARCH p USING INTEGER PRIMARY KEY" in plan, plan


SPACED = (
    "<p>Stem cells can do <em>everything</em>. Or <a href='/x'>almost</a>, "
    "(<b>really</b>)!</p><p>Next<br>line</p>"
)


def _unmarked(snippet: str) -> str:
    return snippet.replace("\x02", "").replace("\x03", "")


def test_search_snippets_put_no_space_before_punctuation(store: Store) -> None:
    store.upsert_posts([_post(1, content=SPACED)], source=EXAMPLE)
    [hit] = store.search("everything")
    assert _unmarked(hit.snippet) == "Stem cells can do everything. Or almost, (really)! Next line"


def test_snippets_of_an_older_index_are_tidied_too(store: Store) -> None:
    store.upsert_posts([_post(1, content=SPACED)], source=EXAMPLE)
    # How the index read this body before inline tags were told from block tags.
    store._db.execute(
        "UPDATE search SET body=? WHERE rowid=1",
        ("Stem cells can do everything . Or almost , ( really ) ! Next line",),
    )
    store._db.commit()
    [hit] = store.search("everything")
    assert _unmarked(hit.snippet) == "Stem cells can do everything. Or almost, (really)! Next line"


def test_foreign_file_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "reader.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=r"reader\.sqlite3"):
        Store.open_in(tmp_path)
    assert path.read_bytes().startswith(b"this is not")
    other = tmp_path / "other"
    other.mkdir()
    db = sqlite3.connect(other / "reader.sqlite3")
    db.execute("CREATE TABLE mine (x)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="another program"):
        Store.open_in(other)


def test_schema_version_and_wal(store: Store) -> None:
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_read_only_folder_gives_clear_message(tmp_path: Path) -> None:
    store = Store.open_in(tmp_path / "ro")
    store.upsert_posts([_post(1)], source=EXAMPLE)
    store.close()
    ro = sqlite3.connect(f"file:{tmp_path / 'ro' / 'reader.sqlite3'}?mode=ro", uri=True)
    ro.close()
    store = Store(tmp_path / "ro" / "reader.sqlite3")
    store._db.execute("PRAGMA query_only=1")  # what a read-only file looks like to SQLite
    with pytest.raises(StoreError, match=r"nothing was changed|Could not write"):
        store.set_read(1)
    assert store.count_posts() == 1


def test_search_sees_every_post_of_a_batch_as_last_written(store: Store) -> None:
    # The index is written at the end of the batch: a post stored and then changed within the
    # same batch is found by its last title only, and every other post of it is found.
    batch = [_post(n, title=f"Seedling {n}") for n in range(1, 40)]
    batch.append(_post(7, title="Sapling seven", content="<p>Grown up.</p>"))
    assert store.upsert_posts(batch, source=EXAMPLE) == (39, 1)
    assert len(store.search("seedling")) == 38
    assert [h.post.title for h in store.search("sapling")] == ["Sapling seven"]
    assert [h.post.title for h in store.search("grown")] == ["Sapling seven"]
    store.upsert_posts([_post(8, title="Sapling eight")], source=EXAMPLE)
    assert {h.post.title for h in store.search("sapling")} == {"Sapling seven", "Sapling eight"}
    assert len(store.search("seedling")) == 37


def test_a_batch_finds_its_own_posts_by_any_of_their_keys(store: Store) -> None:
    # Which posts of a batch are stored already is looked up for the whole batch at once; a
    # post stored earlier in the same batch is still found, by its WordPress id or its guid.
    moved = _post(2, url="https://example.org/2025/01/02/renamed/", origin=Origin.REST)
    linkless = _post(3, url="", wp_id=None)
    linked = _post(3, wp_id=None, title="Post 3, linked")
    batch = [_post(2, origin=Origin.REST), moved, linkless, linked]
    assert store.upsert_posts(batch, source=EXAMPLE) == (2, 2)
    assert store.count_posts() == 2
    renamed = store.find_post("https://example.org/2025/01/02/renamed/")
    assert renamed is not None and renamed.wp_id == 2
    adopted = store.find_post("https://example.org/2025/01/03/post-3/")
    assert adopted is not None and adopted.title == "Post 3, linked"
    # And against what an earlier batch stored: nothing new.
    assert store.upsert_posts([moved, linked], source=EXAMPLE) == (0, 0)


def test_a_post_filed_again_in_its_own_batch_keeps_only_its_last_terms(store: Store) -> None:
    # A new post's categories and tags are written with the rest of the batch's; the same post
    # again later in the batch (the REST API's terms replace any before) must replace them.
    first = _post(4, origin=Origin.REST, categories=(("news", "News"),), tags=(("old", "Old"),))
    again = _post(4, origin=Origin.REST, categories=(("events", "Events"),), tags=())
    assert store.upsert_posts([first, _post(5), again], source=EXAMPLE) == (2, 0)
    terms = store._db.execute(
        "SELECT p.wp_id, s.slug FROM post_sections ps JOIN posts p ON p.id = ps.post_id"
        " JOIN sections s ON s.id = ps.section_id ORDER BY p.wp_id, s.slug"
    ).fetchall()
    assert [tuple(row) for row in terms] == [(4, "events"), (5, "brain"), (5, "news")]


def test_the_search_text_has_the_emoji_of_every_emoji_picture(store: Store) -> None:
    # The look for a picture before the selector must see what HTML reads as img: any case,
    # and <image>.
    bodies = [
        '<p>Tea <IMG CLASS="wp-smiley" alt="☕"> time</p>',
        '<p>A <image class="emoji" alt="🧪"></p>',
    ]
    store.upsert_posts([_post(n, content=b) for n, b in enumerate(bodies)], source=EXAMPLE)
    texts = [text for (text,) in store._db.execute("SELECT body FROM search ORDER BY rowid")]
    assert texts == ["Tea ☕ time", "A 🧪"]


def test_a_post_is_found_by_its_wordpress_id_through_that_index(tmp_path: Path) -> None:
    # Sorted by the bare is_page, SQLite chose posts_counted and read every post of the
    # source for each lookup: a cold sync grew quadratic.
    from reader.core.store import _BY_WP_ID

    store = Store.open_in(tmp_path, section_names=SECTIONS)
    store.upsert_posts([_post(1)], source=EXAMPLE)
    with sqlite3.connect(tmp_path / "reader.sqlite3") as db:
        rows = db.execute(f"EXPLAIN QUERY PLAN {_BY_WP_ID}", (1, 1)).fetchall()
    plan = " ".join(str(row[-1]) for row in rows)
    assert "posts_by_wp_id" in plan, plan


def test_sections_read_ahead_are_the_counts_and_spare_the_store_a_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.upsert_posts((_post(n) for n in range(1, 6)), source=EXAMPLE)
    wanted = store.sections(source=EXAMPLE)
    store.read_sections_ahead(source=EXAMPLE)
    asked: list[str] = []
    execute = store._db.execute

    def noted(sql: str, *args: object) -> object:
        asked.append(sql)
        return execute(sql, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(store._db, "execute", noted)
    assert store.sections(source=EXAMPLE) == wanted
    assert not any("post_sections" in sql for sql in asked)  # read ahead, not again
    assert store.sections(source=EXAMPLE) == wanted  # once only: read again now
    assert any("post_sections" in sql for sql in asked)


def test_sections_read_ahead_of_a_write_are_not_taken(store: Store) -> None:
    store.upsert_posts((_post(n) for n in range(1, 6)), source=EXAMPLE)
    store.read_sections_ahead(source=EXAMPLE)
    assert store._sections_ahead is not None
    store._sections_ahead[1].join()  # read before the write below
    first = store.posts_in("news")[0]
    store.set_read(first.id)
    news = next(s for s in store.sections(source=EXAMPLE) if s.slug == "news")
    assert news.count == 5 and news.unread == 4
