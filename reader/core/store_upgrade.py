"""Upgrading a store of schema 1 (one source, never named) to schema 2 (rows per source).

A schema-1 store never said which site its rows came from, so the upgrade works it out: the
feeds it kept validators for are its sources (a site when it was ever backfilled, which only
sites are), and each post, bookmark and validator goes to the source on its host. Posts on a
host no validator names (a feed file's, or a store whose validators were cleared) get a source
of their own for that host. These sources are marked ``legacy``: the first configured source
on the same host adopts one, keeping its posts, read state and bookmarks.

The caller runs this inside the one transaction that also sets the new ``user_version``, with
foreign keys off (tables are rebuilt by copy and rename), so a kill at any point leaves the
schema-1 store whole.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from reader.core.source import source_key
from reader.core.urls import host_and_port, is_followable, storage_key

# The tables of schema 1, as the release before sources made them: a rescue of a damaged
# schema-1 store rebuilds it in this shape, then upgrades it like any other.
SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL UNIQUE,
    guid TEXT NOT NULL DEFAULT '',
    wp_id INTEGER,
    title TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL DEFAULT 0,
    modified INTEGER,
    excerpt TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    reading_minutes INTEGER,
    page_fetched INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS posts_by_date ON posts (published DESC, id DESC);
CREATE INDEX IF NOT EXISTS posts_by_wp_id ON posts (wp_id);
CREATE INDEX IF NOT EXISTS posts_by_guid ON posts (guid);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 1000
);
CREATE TABLE IF NOT EXISTS post_sections (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, section_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS post_sections_by_section ON post_sections (section_id, post_id);
CREATE TABLE IF NOT EXISTS links (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (post_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bookmarks (
    url_key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    created INTEGER NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""

UpgradeStep = Callable[[str], None]
"""Told the name of each step as it starts (tests use it to kill an upgrade half-way)."""


@dataclass(eq=False)
class _Legacy:
    """A source the upgrade found."""

    id: int
    key: str
    url: str
    is_site: bool
    posts: list[int] = field(default_factory=list)


# Tables whose unique keys change: rebuilt under a new name, copied, then renamed into place.
_REBUILT = ("posts", "sections", "bookmarks", "validators")


def upgrade_from_1(
    db: sqlite3.Connection, schema: list[str], step: UpgradeStep | None = None
) -> None:
    """Turn a schema-1 store into schema 2 in the caller's transaction; ``schema`` is v2's DDL."""
    tell = step or (lambda name: None)
    tell("sources")
    meta = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
    was_site = "backfill_done" in meta or "has_rest_api" in meta
    found: dict[str, _Legacy] = {}
    db.execute(_statement(schema, "sources"))
    db.execute(_statement(schema, "source_meta"))

    def source_for(url: str, is_site: bool) -> _Legacy:
        key = source_key(url, is_site=is_site)
        if key not in found:
            found[key] = _Legacy(len(found) + 1, key, url, is_site)
        return found[key]

    for (url,) in db.execute("SELECT url FROM validators ORDER BY rowid"):
        if was_site and url.endswith("/feed/"):
            source_for(url.removesuffix("feed/"), True)
        else:
            source_for(url, False)

    def owner(url: str) -> _Legacy | None:
        where = host_and_port(url)
        if not where:
            return None
        matches = [s for s in found.values() if host_and_port(s.url) == where]
        if matches:
            return next((s for s in matches if s.is_site), matches[0])
        if not is_followable(url):
            return None
        parts = urlsplit(url)
        return source_for(f"{parts.scheme}://{parts.netloc}/", True)

    homeless: list[int] = []
    for post_id, url in db.execute("SELECT id, url FROM posts ORDER BY id"):
        source = owner(url)
        if source is None:
            homeless.append(post_id)
        else:
            source.posts.append(post_id)
    bookmarks = [(row[0], row[1]) for row in db.execute("SELECT rowid, url FROM bookmarks")]
    homeless_bookmarks = [rowid for rowid, url in bookmarks if owner(url) is None]
    if not found and (homeless or homeless_bookmarks):
        # Rows, but no address to tell whose: one source stands for them.
        found["legacy:"] = _Legacy(1, "legacy:", "", True)
    if not found:
        _rebuild(db, schema, {}, {}, tell)
        return
    counts = Counter({s.key: len(s.posts) for s in found.values()})
    primary = found[max(found, key=lambda key: (counts[key], -found[key].id))]
    primary.posts.extend(homeless)

    tell("copy")
    db.executemany(
        "INSERT INTO sources (id, key, kind, url, title, legacy) VALUES (?, ?, ?, ?, ?, 1)",
        [
            (
                s.id,
                s.key,
                "site" if s.is_site else "feed",
                s.url,
                meta.get("site_title", "") if s is primary else "",
            )
            for s in found.values()
        ],
    )
    # Only the source the store was backfilled for has its archive; any other (a store that
    # mixed sites, the bug this schema fixes) reads its archive again on its next sync.
    db.executemany(
        "INSERT INTO source_meta (source_id, key, value) VALUES (?, ?, ?)",
        [(primary.id, key, meta[key]) for key in ("backfill_done", "has_rest_api") if key in meta],
    )
    db.execute("DELETE FROM meta WHERE key IN ('backfill_done', 'has_rest_api', 'site_title')")
    post_source = {post_id: s for s in found.values() for post_id in s.posts}
    bookmark_source = {
        rowid: (owner(url) or primary) if url else primary for rowid, url in bookmarks
    }
    _rebuild(db, schema, post_source, bookmark_source, tell, primary=primary)


def _rebuild(
    db: sqlite3.Connection,
    schema: list[str],
    post_source: dict[int, _Legacy],
    bookmark_source: dict[int, _Legacy],
    tell: UpgradeStep,
    *,
    primary: _Legacy | None = None,
) -> None:
    """Copy every rebuilt table into its schema-2 shape, then swap the copies in."""
    for table in _REBUILT:
        db.execute(_statement(schema, table).replace(f" {table} (", f" {table}_v2 (", 1))
    tell("posts")
    db.execute("CREATE TEMP TABLE upgrade_posts (post_id INTEGER PRIMARY KEY, source_id, url_key)")
    rows = db.execute("SELECT id, url, guid FROM posts").fetchall()
    db.executemany(
        "INSERT INTO upgrade_posts VALUES (?, ?, ?)",
        [
            (
                post_id,
                post_source[post_id].id,
                storage_key(url, guid, with_host=not post_source[post_id].is_site),
            )
            for post_id, url, guid in rows
        ],
    )
    columns = (
        "guid, wp_id, title, author, published, modified, excerpt, content, "
        "reading_minutes, page_fetched, read"
    )
    db.execute(
        f"INSERT INTO posts_v2 (id, source_id, url, url_key, {columns})"
        f" SELECT p.id, m.source_id, p.url, m.url_key, {columns}"
        " FROM posts p JOIN temp.upgrade_posts m ON m.post_id = p.id"
    )
    tell("sections")
    _copy_sections(db, primary)
    tell("bookmarks")
    marks = db.execute("SELECT rowid, url, url_key, title, created, snapshot FROM bookmarks")
    db.executemany(
        "INSERT OR IGNORE INTO bookmarks_v2 (id, source_id, url_key, url, title, created,"
        " snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (rowid, owner.id, _key_in(owner, url, key), url, title, created, snapshot)
            for rowid, url, key, title, created, snapshot in marks
            for owner in (bookmark_source[rowid],)
        ],
    )
    tell("validators")
    if primary is not None:
        owners = {host_and_port(s.url): s for s in set(post_source.values()) | {primary}}
        validators = db.execute("SELECT url, etag, last_modified FROM validators").fetchall()
        db.executemany(
            "INSERT OR IGNORE INTO validators_v2 (source_id, url, etag, last_modified)"
            " VALUES (?, ?, ?, ?)",
            [
                (owners.get(host_and_port(url), primary).id, url, etag, modified)
                for url, etag, modified in validators
            ],
        )
    tell("swap")
    db.execute("DROP TABLE temp.upgrade_posts")
    for table in _REBUILT:
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_v2 RENAME TO {table}")
    for statement in schema:
        db.execute(statement)


def _key_in(source: _Legacy, url: str, key: str) -> str:
    """A bookmark's key in its source: a feed's keep the host (see ``urls.storage_key``)."""
    return key if source.is_site or not url else storage_key(url, with_host=True)


def _copy_sections(db: sqlite3.Connection, primary: _Legacy | None) -> None:
    """Each source gets its own copy of the categories its posts are in."""
    if primary is None:
        return
    # The primary source keeps every section under its old id, used or not; a category that
    # other sources' posts are in is copied for each of them and their posts moved over.
    db.execute(
        "INSERT INTO sections_v2 (id, source_id, slug, name, kind, position)"
        " SELECT id, ?, slug, name, kind, position FROM sections",
        (primary.id,),
    )
    used = db.execute(
        """SELECT DISTINCT m.source_id, ps.section_id FROM post_sections ps
           JOIN temp.upgrade_posts m ON m.post_id = ps.post_id WHERE m.source_id != ?""",
        (primary.id,),
    ).fetchall()
    for source_id, section_id in used:
        cursor = db.execute(
            "INSERT INTO sections_v2 (source_id, slug, name, kind, position)"
            " SELECT ?, slug, name, kind, position FROM sections WHERE id=?",
            (source_id, section_id),
        )
        db.execute(
            """UPDATE post_sections SET section_id=? WHERE section_id=? AND post_id IN
               (SELECT post_id FROM temp.upgrade_posts WHERE source_id=?)""",
            (cursor.lastrowid, section_id, source_id),
        )


def _statement(schema: list[str], table: str) -> str:
    """The ``CREATE TABLE`` statement of ``table`` in the new schema."""
    head = f"CREATE TABLE IF NOT EXISTS {table} ("
    return next(s for s in schema if s.startswith(head))
