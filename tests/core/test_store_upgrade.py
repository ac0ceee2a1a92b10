"""A store written by the release before sources (schema 1) is upgraded in place, and safely.

``tests/fixtures/store-v1.sqlite3`` was made by that release (see ``tests/fixtures/README.md``):
the sample site synced as ``https://stemcell.example/``, four pages read, five posts read,
three bookmarks, one of them of a post the store has since let go.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.core import store_file
from reader.core.models import LinkKind
from reader.core.source import Source
from reader.core.store import SCHEMA_VERSION, STORE_FILE, Store, StoreError

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store-v1.sqlite3"
SITE = Source.site("https://stemcell.example/")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / STORE_FILE)
    return folder / STORE_FILE


def _v1_contents(path: Path) -> dict[str, object]:
    """What a schema-1 store holds, read with plain SQL (the reader would upgrade it)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            "version": db.execute("PRAGMA user_version").fetchone()[0],
            "posts": db.execute("SELECT id, url, title, read FROM posts ORDER BY id").fetchall(),
            "bookmarks": db.execute("SELECT url, created FROM bookmarks ORDER BY url").fetchall(),
            "links": db.execute("SELECT COUNT(*) FROM links").fetchone()[0],
            "schema": db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall(),
        }
    finally:
        db.close()


def test_fixture_is_a_schema_1_store() -> None:
    before = _v1_contents(FIXTURE)
    assert before["version"] == 1
    assert len(before["posts"]) == 47  # type: ignore[arg-type]


def test_upgrade_keeps_posts_read_state_and_bookmarks_in_their_source(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = _v1_contents(path)
    store = Store(path)
    try:
        (source,) = store.sources()
        assert source.url == SITE.url and source.is_site
        assert source.title == "USC Stem Cell (sample)"
        # The configured site adopts the upgraded rows: same id, nothing copied.
        assert store.add_source(SITE) == source.id
        assert store.sources()[0].posts == 47
        posts = {p.id: p for p in store.posts_in()}
        assert sorted((i, p.url, p.title, int(p.read)) for i, p in posts.items()) == before["posts"]
        assert all(p.source_id == source.id for p in posts.values())
        assert store.unread_count(source=SITE) == 42
        marks = store.bookmarks()
        assert sorted((b.url, int(b.created.timestamp())) for b in marks) == before["bookmarks"]
        assert all(b.post.source_id == source.id for b in marks)
        # The bookmark whose post was let go still reads, from its snapshot.
        gone = [b for b in marks if b.post.id < 0]
        assert len(gone) == 1 and gone[0].post.content
        assert store.find_readable(gone[0].url) == gone[0].post
        # Sections, links, validators and the archive mark are the source's now.
        names = [s.name for s in store.sections(source=SITE)][:4]
        assert names == ["News", "Events", "Videos", "Impact Reports and Newsletters"]
        read = [store.post(i) for i in posts]
        assert sum(len(p.links) for p in read if p) == before["links"]
        assert any(p and p.link(LinkKind.OLDER) for p in read)
        assert store.source_meta(SITE, "backfill_done") == "yes"
        assert store.validators(SITE.feed_url, source=SITE)[0]
        assert store.search("kidney")
        assert store.find_post("https://stemcell.example/?p=535") is not None
    finally:
        store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()


def test_a_failed_upgrade_leaves_the_old_store_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(tmp_path)
    before = _v1_contents(path)

    def fail(step: str) -> None:
        if step == "swap":
            raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(store_file, "upgrade_step", fail)
    with pytest.raises(StoreError, match="simulated"):
        Store(path)
    assert _v1_contents(path) == before
    monkeypatch.setattr(store_file, "upgrade_step", None)
    store = Store(path)
    assert store.count_posts() == 47
    store.close()


_UPGRADER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.core import store_file
    from reader.core.store import Store

    def pause(step):
        if step == sys.argv[2]:
            print(step, flush=True)
            sys.stdin.read()  # held here, mid-upgrade, until the test kills this process

    store_file.upgrade_step = pause
    Store(Path(sys.argv[1]))
    """
)


@pytest.mark.parametrize("step", ["copy", "posts", "bookmarks", "swap"])
def test_a_kill_mid_upgrade_leaves_the_old_store_whole(tmp_path: Path, step: str) -> None:
    path = _copy(tmp_path)
    before = _v1_contents(path)
    process = subprocess.Popen(
        [sys.executable, "-c", _UPGRADER, str(path), step],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == step
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert _v1_contents(path) == before
    store = Store(path)
    try:
        assert store.count_posts() == 47 and store.bookmark_count() == 3
    finally:
        store.close()


def test_two_readers_opening_an_old_store_at_once_both_work(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    opener = "import sys; from pathlib import Path; from reader.core.store import Store\n"
    opener += "s = Store(Path(sys.argv[1])); print(s.count_posts(), s.bookmark_count())"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", opener, str(path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0]
    assert outputs == ["47 3"] * 3


def test_an_old_store_of_a_feed_is_adopted_by_that_feed(tmp_path: Path) -> None:
    # A schema-1 store synced from a feed: no archive mark, a validator for the feed only.
    path = tmp_path / STORE_FILE
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE posts (id INTEGER PRIMARY KEY, url TEXT NOT NULL,
            url_key TEXT NOT NULL UNIQUE, guid TEXT NOT NULL DEFAULT '', wp_id INTEGER,
            title TEXT NOT NULL, author TEXT NOT NULL DEFAULT '',
            published INTEGER NOT NULL DEFAULT 0, modified INTEGER,
            excerpt TEXT NOT NULL DEFAULT '', content TEXT NOT NULL DEFAULT '',
            reading_minutes INTEGER, page_fetched INTEGER NOT NULL DEFAULT 0,
            read INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE sections (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL, kind TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 1000);
        CREATE TABLE post_sections (post_id INTEGER NOT NULL REFERENCES posts (id)
            ON DELETE CASCADE, section_id INTEGER NOT NULL REFERENCES sections (id)
            ON DELETE CASCADE, PRIMARY KEY (post_id, section_id)) WITHOUT ROWID;
        CREATE TABLE links (post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
            position INTEGER NOT NULL, kind TEXT NOT NULL, url TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '', PRIMARY KEY (post_id, position)) WITHOUT ROWID;
        CREATE TABLE bookmarks (url_key TEXT PRIMARY KEY, url TEXT NOT NULL,
            title TEXT NOT NULL, created INTEGER NOT NULL, snapshot TEXT NOT NULL);
        CREATE TABLE validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE VIRTUAL TABLE search USING fts5 (title, body);
        INSERT INTO posts (url, url_key, title, read) VALUES
            ('https://blog.example/one/', '/one', 'One', 1),
            ('https://elsewhere.example/two/', '/two', 'Two', 0);
        INSERT INTO validators VALUES ('https://blog.example/rss.xml', '"v1"', NULL);
        PRAGMA application_id=1380270404;
        PRAGMA user_version=1;
        """
    )
    db.close()
    store = Store(path)
    try:
        feed = Source.feed("https://blog.example/rss.xml")
        assert store.source_id(feed) is not None
        assert store.add_source(feed) == store.source_id(feed)
        assert store.count_posts(source=feed) == 1
        assert store.validators(feed.feed_url, source=feed) == ('"v1"', None)
        # The other host's post got a source of its own; the site adopts it when added.
        other = Source.site("https://elsewhere.example/")
        assert store.count_posts(source=store.add_source(other)) == 1
        one = store.find_post("https://blog.example/one/")
        assert one is not None and one.read
    finally:
        store.close()


def test_a_damaged_old_store_is_rescued_into_a_new_one_with_its_source(tmp_path: Path) -> None:
    from tests.support.damage import scribble_table_page

    path = _copy(tmp_path)
    scribble_table_page(path)
    rescued = tmp_path / "rescued.sqlite3"
    command = ["--data-dir", str(path.parent), "store", "rescue", "-o", str(rescued)]
    result = subprocess.run(
        [sys.executable, "-m", "reader", *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    store = Store(rescued)
    try:
        (source,) = store.sources()
        assert source.key == SITE.key and source.title == "USC Stem Cell (sample)"
        assert store.bookmark_count() == 3 and source.bookmarks == 3
        assert 30 < store.count_posts(source=SITE) < 47
        assert store.add_source(SITE) == source.id
    finally:
        store.close()


# Columns schema 3 added to schema 2 (sources); dropping them gives back a schema-2 store.
_ADDED_IN_3 = {"posts": ("body_origin", "is_page", "utc_offset"), "sections": ("confirmed",)}


def _as_schema_2(path: Path) -> None:
    """Turn a current store back into what the schema-2 release wrote."""
    db = sqlite3.connect(path)
    db.executescript("DROP INDEX posts_counted; DROP INDEX posts_flags;")  # schema 4's
    db.execute("DROP TABLE refresh_failures")  # schema 5's
    for table, columns in _ADDED_IN_3.items():
        for column in columns:
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.execute("PRAGMA user_version=2")
    db.commit()
    db.close()


def test_a_schema_2_store_is_upgraded_in_place_keeping_everything(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    Store(path).close()
    _as_schema_2(path)
    db = sqlite3.connect(path)
    before = db.execute("SELECT id, url, title, read, content FROM posts ORDER BY id").fetchall()
    marks = db.execute("SELECT url, created FROM bookmarks ORDER BY url").fetchall()
    has_api = db.execute("SELECT value FROM source_meta WHERE key = 'has_rest_api'").fetchone()
    db.close()
    store = Store(path)
    try:
        assert store.count_posts() == 47 and store.unread_count(source=SITE) == 42
        assert sorted((b.url, int(b.created.timestamp())) for b in store.bookmarks()) == marks
    finally:
        store.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        after = db.execute("SELECT id, url, title, read, content FROM posts ORDER BY id")
        assert after.fetchall() == before
        for table, columns in _ADDED_IN_3.items():
            have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            assert set(columns) <= have
        # Bodies stored before schema 3 are marked as the API's where the source had one.
        origins = db.execute(
            "SELECT DISTINCT body_origin FROM posts WHERE content != ''"
        ).fetchall()
        assert origins == [(3 if has_api and has_api[0] == "yes" else 1,)]
        assert db.execute("SELECT COUNT(*) FROM posts WHERE is_page").fetchone()[0] == 0
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()


def test_a_schema_3_store_gets_the_count_indexes_keeping_everything(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    Store(path).close()
    db = sqlite3.connect(path)
    db.executescript(
        "DROP INDEX posts_counted; DROP INDEX posts_flags; DROP TABLE refresh_failures;"
        " PRAGMA user_version=3;"
    )
    before = db.execute("SELECT id, url, title, read, content FROM posts ORDER BY id").fetchall()
    db.close()
    store = Store(path)
    try:
        assert store.count_posts() == 47 and store.unread_count(source=SITE) == 42
        assert {s.slug for s in store.sections(source=SITE)}  # the counts' query runs
    finally:
        store.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"posts_counted", "posts_flags"} <= indexes
        after = db.execute("SELECT id, url, title, read, content FROM posts ORDER BY id")
        assert after.fetchall() == before
    finally:
        db.close()


def _as_schema_4(path: Path) -> None:
    """Turn a current store back into what the schema-4 release wrote."""
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE refresh_failures; PRAGMA user_version=4;")
    db.close()


def test_a_schema_4_store_gets_the_refresh_failures_keeping_everything(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    Store(path).close()
    _as_schema_4(path)
    db = sqlite3.connect(path)
    before = db.execute("SELECT id, url, title, read, content FROM posts ORDER BY id").fetchall()
    marks = db.execute("SELECT url, created FROM bookmarks ORDER BY url").fetchall()
    db.close()
    store = Store(path)
    try:
        assert store.refresh_failures([SITE]) == {}
        store.note_refresh_failed(SITE, "Could not reach the site", offline=True, when=1234)
        failure = store.refresh_failures([SITE])[SITE.key]
        assert (failure.message, failure.offline, failure.failed_at) == (
            "Could not reach the site",
            True,
            1234,
        )
        assert sorted((b.url, int(b.created.timestamp())) for b in store.bookmarks()) == marks
    finally:
        store.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        after = db.execute("SELECT id, url, title, read, content FROM posts ORDER BY id")
        assert after.fetchall() == before
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()


def test_a_schema_4_store_that_cannot_be_written_is_read_as_it_is(tmp_path: Path) -> None:
    # Schema 5 only adds the refresh failures: a schema-4 store the reader may not upgrade
    # (damaged, a full disk, a read-only folder) still reads, as having none kept.
    from reader.core.store_errors import record_damage

    path = _copy(tmp_path)
    Store(path).close()
    _as_schema_4(path)
    record_damage(path, "a test says so")
    store = Store(path)
    try:
        assert store.damaged
        assert store.count_posts() == 47 and store.unread_count(source=SITE) == 42
        assert store.refresh_failures([SITE]) == {}
        store.note_refresh_failed(SITE, "not kept")  # nothing to keep it in: no error
        store.note_refresh_worked(SITE)
    finally:
        store.close()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 4
    finally:
        db.close()
