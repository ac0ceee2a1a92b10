"""The local SQLite store: posts, sections, links, read state, bookmarks, HTTP validators.

WAL mode so a second reader (or ``reader sync`` from cron) can read while one writes; a busy
timeout so two writers wait for each other instead of failing; every write in one short
transaction so a kill at any moment leaves either the old or the new state. The schema is
versioned with ``PRAGMA user_version`` and upgraded in place, never by dropping tables that hold
bookmarks or read state.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.core.models import (
    Bookmark,
    IncomingPost,
    Link,
    LinkKind,
    Post,
    PostSummary,
    SearchHit,
    Section,
    SectionKind,
)
from reader.core.text import strip_controls
from reader.core.urls import post_key, shortlink_id

SCHEMA_VERSION = 1
STORE_FILE = "reader.sqlite3"
_APPLICATION_ID = 0x52454144  # "READ": tells our store apart from someone else's SQLite file.

_SCHEMA = """
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


class StoreError(Exception):
    """The store cannot be opened or written; the message names the file and the cause."""


def _plain(html: str) -> str:
    """Text of HTML for the search index (lexbor: about five times faster than regexes)."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    from selectolax.lexbor import LexborHTMLParser

    # Decoding entities can make control characters (&#27; is ESC): clean after, not before.
    return " ".join(strip_controls(LexborHTMLParser(html).text(separator=" ")).split())


def _ts(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def _dt(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def storage_key(url: str, guid: str = "") -> str:
    """The key a post is stored under: its URL's key, or its guid's when it has no usable URL.

    Without this, every post whose link was missing or a ``javascript:`` URL would share the
    key of "" and overwrite the others.
    """
    if url:
        return post_key(url)
    return "guid:" + (guid or "unknown")


class Store:
    """The reader's SQLite store. One instance per process; safe with several processes."""

    def __init__(self, path: Path, *, section_names: Sequence[str] = ()) -> None:
        self.path = path
        self.section_names = tuple(section_names)
        self._section_ids: dict[tuple[str, str, bool], int] = {}
        self._db = self._open(path)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open_in(cls, data_dir: Path, *, section_names: Sequence[str] = ()) -> Store:
        """Open (creating when needed) the store in ``data_dir``."""
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"Cannot create the data folder {data_dir}: {error.strerror}"
            ) from None
        return cls(data_dir / STORE_FILE, section_names=section_names)

    def _open(self, path: Path) -> sqlite3.Connection:
        existed = path.exists() and path.stat().st_size > 0
        db: sqlite3.Connection | None = None
        try:
            db = _connect(str(path))
            app_id, version = _identity(db)
        except sqlite3.DatabaseError as error:
            if db is not None:
                db.close()
            if existed and not _writable(path):
                # SQLite cannot make the WAL's shared-memory file beside a store it may not
                # write; read-only it can still open it, so listing and reading keep working.
                return self._open_read_only(path)
            if not _writable(path):
                raise StoreError(
                    f"Cannot create the store {path}: its folder is read-only."
                ) from None
            raise StoreError(
                f"{path} is not a reader store or is damaged ({error}). "
                "It was left untouched; move it aside to start a new store."
            ) from None
        _check_identity(db, path, existed, app_id, version)
        try:
            _use_wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=10000")
            if version < SCHEMA_VERSION:
                # One script, one transaction: a kill mid-upgrade leaves the old schema whole.
                # (executescript commits any open transaction first, so BEGIN goes inside it.)
                db.executescript(
                    "BEGIN IMMEDIATE;"
                    + _SCHEMA
                    + f"PRAGMA application_id={_APPLICATION_ID};"
                    + f"PRAGMA user_version={SCHEMA_VERSION};COMMIT;"
                )
        except sqlite3.DatabaseError as error:
            db.close()
            raise StoreError(f"Cannot prepare the store {path}: {error}") from None
        return db

    def _open_read_only(self, path: Path) -> sqlite3.Connection:
        uri = path.resolve().as_uri()
        problem: sqlite3.DatabaseError | None = None
        # Read-only, SQLite still wants the WAL's -shm file, which a cleanly closed store
        # does not have and a read-only folder cannot get; "immutable" reads without it.
        for options in ("?mode=ro", "?mode=ro&immutable=1"):
            db = _connect(uri + options, uri=True)
            try:
                app_id, version = _identity(db)
                db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                break
            except sqlite3.DatabaseError as error:
                db.close()
                problem = error
        else:
            raise StoreError(
                f"{path} is read-only and could not be opened for reading ({problem})."
            )
        _check_identity(db, path, True, app_id, version)
        if version < SCHEMA_VERSION:
            db.close()
            raise StoreError(
                f"{path} is read-only and was made by an older reader; it cannot be upgraded."
            )
        return db

    def close(self) -> None:
        """Close the connection; the WAL is checkpointed by SQLite."""
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # Section ids are cached within one transaction only: another reader may add or
        # change sections between two of ours.
        self._section_ids = {}
        try:
            with _transaction(self._db):
                yield self._db
        except sqlite3.OperationalError as error:
            raise StoreError(_write_problem(self.path, error)) from None

    # -- meta and validators -------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        """A small setting kept with the data (last sync time, backfill state)."""
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a small value kept with the data."""
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def _sync_mark(self) -> Path:
        return self.path.with_name(self.path.name + ".synced")

    def mark_synced(self, when: float | None = None) -> None:
        """Remember that the site was checked now, without writing to the database.

        A sync of an unchanged site must write nothing to the store, so the time of the last
        check is the modification time of a small file beside it.
        """
        try:
            self._sync_mark.touch()
            if when is not None:
                os.utime(self._sync_mark, (when, when))
        except OSError:
            pass  # a read-only folder: the status line just shows an older time

    def last_synced(self) -> int | None:
        """Unix time of the last successful sync, or None."""
        try:
            return int(self._sync_mark.stat().st_mtime)
        except OSError:
            return None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) last seen for ``url``."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM validators WHERE url=?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember validators so the next request can be conditional."""
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO validators (url, etag, last_modified) VALUES (?, ?, ?)",
                (url, etag, last_modified),
            )

    # -- sections ------------------------------------------------------------------------

    def _section_kind(self, name: str, is_tag: bool) -> tuple[SectionKind, int]:
        for position, section in enumerate(self.section_names):
            if section.casefold() == name.casefold():
                return SectionKind.SECTION, position
        return (SectionKind.TAG if is_tag else SectionKind.TOPIC), 1000

    def _section_id(self, db: sqlite3.Connection, slug: str, name: str, is_tag: bool) -> int:
        known = self._section_ids.get((slug, name, is_tag))
        if known is not None:
            return known
        found = self._find_or_add_section(db, slug, name, is_tag)
        self._section_ids[(slug, name, is_tag)] = found
        return found

    def _find_or_add_section(
        self, db: sqlite3.Connection, slug: str, name: str, is_tag: bool
    ) -> int:
        kind, position = self._section_kind(name, is_tag)
        # By slug, else by name: a feed gives names only, and our slug guess may differ from the
        # site's (e.g. "Q&amp;A" is "qa" on WordPress).
        row = db.execute(
            "SELECT id, kind FROM sections WHERE slug=? OR name=? COLLATE NOCASE"
            " ORDER BY slug=? DESC LIMIT 1",
            (slug, name, slug),
        ).fetchone()
        if row:
            # A name seen in a feed is a topic until the REST API or a page says it is a tag.
            if is_tag and row["kind"] == SectionKind.TOPIC:
                db.execute("UPDATE sections SET kind=? WHERE id=?", (SectionKind.TAG, row["id"]))
            return int(row["id"])
        cursor = db.execute(
            "INSERT INTO sections (slug, name, kind, position) VALUES (?, ?, ?, ?)",
            (slug, name, kind, position),
        )
        return int(cursor.lastrowid or 0)

    def mark_tags(self, slugs: Iterable[str]) -> None:
        """Record that these slugs are tags (the REST API or a page said so)."""
        with self._write() as db:
            db.executemany(
                "UPDATE sections SET kind=? WHERE slug=? AND kind=?",
                [(SectionKind.TAG, slug, SectionKind.TOPIC) for slug in slugs],
            )

    def sections(self, *, include_tags: bool = False) -> list[Section]:
        """Sections in configured order, then topics by name, each with counts and unread."""
        rows = self._db.execute(
            """
            SELECT s.slug, s.name, s.kind, s.position,
                   COUNT(p.id) AS count, COALESCE(SUM(p.read = 0), 0) AS unread
            FROM sections s
            LEFT JOIN post_sections ps ON ps.section_id = s.id
            LEFT JOIN posts p ON p.id = ps.post_id
            GROUP BY s.id
            ORDER BY s.kind != 'section', s.position, s.name COLLATE NOCASE
            """
        ).fetchall()
        found = [
            Section(r["slug"], r["name"], SectionKind(r["kind"]), r["count"], r["unread"])
            for r in rows
            if r["count"] and (include_tags or r["kind"] != SectionKind.TAG)
        ]
        return found

    def section(self, slug: str) -> Section | None:
        """One section, topic or tag by slug."""
        return next((s for s in self.sections(include_tags=True) if s.slug == slug), None)

    # -- posts ---------------------------------------------------------------------------

    def upsert_posts(self, posts: Iterable[IncomingPost]) -> tuple[int, int]:
        """Insert new posts and update changed ones, in one transaction. Returns (new, updated)."""
        new = updated = 0
        with self._write() as db:
            for post in posts:
                was_new, changed = self._upsert(db, post)
                new += was_new
                updated += changed
        return new, updated

    def _find_existing(self, db: sqlite3.Connection, post: IncomingPost) -> sqlite3.Row | None:
        # One query (SQLite serves each OR arm from its index): the URL's key first, then the
        # WordPress id, then the guid.
        key = storage_key(post.url, post.guid)
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM posts WHERE url_key=? OR wp_id=? OR (guid=? AND guid != '')"
            " ORDER BY url_key=? DESC, wp_id IS ? DESC LIMIT 1",
            (key, post.wp_id, post.guid, key, post.wp_id),
        ).fetchone()
        return row

    def _upsert(self, db: sqlite3.Connection, post: IncomingPost) -> tuple[bool, bool]:
        row = self._find_existing(db, post)
        published = _ts(post.published) or (row["published"] if row else int(time.time()))
        values = {
            "url": post.url,
            "url_key": storage_key(post.url, post.guid),
            "guid": post.guid,
            "wp_id": post.wp_id,
            "title": post.title or "(untitled)",
            "author": post.author,
            "published": published,
            "modified": _ts(post.modified),
            "excerpt": post.excerpt,
        }
        if row is None:
            values["content"] = post.content or ""
            columns = ", ".join(values)
            marks = ", ".join("?" * len(values))
            post_id = int(
                db.execute(
                    f"INSERT INTO posts ({columns}) VALUES ({marks})", tuple(values.values())
                ).lastrowid
                or 0
            )
            changed = True
        else:
            post_id = int(row["id"])
            if post.content is not None and post.content != row["content"]:
                values["content"] = post.content
            if not post.author:
                values["author"] = row["author"]
            if post.wp_id is None:
                values["wp_id"] = row["wp_id"]
            if not post.guid:
                values["guid"] = row["guid"]
            changed = any(row[k] != v for k, v in values.items())
            if changed:
                assignments = ", ".join(f"{k}=?" for k in values)
                db.execute(
                    f"UPDATE posts SET {assignments} WHERE id=?", (*values.values(), post_id)
                )
        if post.categories or post.tags:
            if row is not None:
                db.execute("DELETE FROM post_sections WHERE post_id=?", (post_id,))
            section_ids = [self._section_id(db, s, n, False) for s, n in post.categories]
            section_ids += [self._section_id(db, s, n, True) for s, n in post.tags]
            db.executemany(
                "INSERT OR IGNORE INTO post_sections (post_id, section_id) VALUES (?, ?)",
                [(post_id, sid) for sid in section_ids],
            )
        if changed:
            body = post.content if post.content is not None else (row["content"] if row else "")
            if row is not None:
                db.execute("DELETE FROM search WHERE rowid=?", (post_id,))
            db.execute(
                "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                (post_id, values["title"], _plain(body or post.excerpt)),
            )
        return row is None, changed and row is not None

    def save_page(
        self,
        post_id: int,
        *,
        content: str | None,
        links: Sequence[Link],
        author: str = "",
        reading_minutes: int | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        """Store what the article page added: body (if the feed lacked it), links, metadata."""
        with self._write() as db:
            row = db.execute(
                "SELECT content, author, title FROM posts WHERE id=?", (post_id,)
            ).fetchone()
            if row is None:
                return
            body = content if content and not row["content"] else row["content"]
            db.execute(
                "UPDATE posts SET content=?, author=?, reading_minutes=?, page_fetched=1"
                " WHERE id=?",
                (body, row["author"] or author, reading_minutes, post_id),
            )
            db.execute("DELETE FROM links WHERE post_id=?", (post_id,))
            db.executemany(
                "INSERT INTO links (post_id, position, kind, url, text) VALUES (?, ?, ?, ?, ?)",
                [(post_id, i, ln.kind.value, ln.url, ln.text) for i, ln in enumerate(links)],
            )
            if tags:
                db.executemany(
                    "UPDATE sections SET kind=? WHERE slug=? AND kind=?",
                    [(SectionKind.TAG, slug, SectionKind.TOPIC) for slug in tags],
                )
            if body != row["content"]:
                db.execute("DELETE FROM search WHERE rowid=?", (post_id,))
                db.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (post_id, row["title"], _plain(body)),
                )

    def _summary(self, row: sqlite3.Row) -> PostSummary:
        return PostSummary(
            id=row["id"],
            title=row["title"],
            url=row["url"],
            published=datetime.fromtimestamp(row["published"], UTC),
            read=bool(row["read"]),
            bookmarked=bool(row["bookmarked"]),
        )

    _SUMMARY_COLUMNS = (
        "p.id, p.title, p.url, p.published, p.read, "
        "EXISTS (SELECT 1 FROM bookmarks b WHERE b.url_key = p.url_key) AS bookmarked"
    )

    def posts_in(self, slug: str | None = None, *, limit: int | None = None) -> list[PostSummary]:
        """Posts of a section or topic (all posts when ``slug`` is None), newest first."""
        sql = f"SELECT {self._SUMMARY_COLUMNS} FROM posts p"
        params: list[object] = []
        if slug is not None:
            sql += (
                " JOIN post_sections ps ON ps.post_id = p.id"
                " JOIN sections s ON s.id = ps.section_id WHERE s.slug = ?"
            )
            params.append(slug)
        sql += " ORDER BY p.published DESC, p.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._summary(r) for r in self._db.execute(sql, params)]

    def count_posts(self) -> int:
        """How many posts the store holds."""
        return int(self._db.execute("SELECT COUNT(*) FROM posts").fetchone()[0])

    def unread_count(self) -> int:
        """How many posts are unread."""
        return int(self._db.execute("SELECT COUNT(*) FROM posts WHERE read=0").fetchone()[0])

    def post(self, post_id: int) -> Post | None:
        """A whole post with its sections, tags and links, or None."""
        row = self._db.execute("SELECT * FROM posts WHERE id=?", (post_id,)).fetchone()
        return None if row is None else self._post(row)

    def _post(self, row: sqlite3.Row) -> Post:
        sections = self._db.execute(
            """SELECT s.name, s.kind FROM sections s JOIN post_sections ps ON ps.section_id = s.id
               WHERE ps.post_id = ? ORDER BY s.kind != 'section', s.position, s.name""",
            (row["id"],),
        ).fetchall()
        links = self._db.execute(
            "SELECT kind, url, text FROM links WHERE post_id=? ORDER BY position", (row["id"],)
        ).fetchall()
        bookmarked = self._db.execute(
            "SELECT 1 FROM bookmarks WHERE url_key=?", (row["url_key"],)
        ).fetchone()
        return Post(
            id=row["id"],
            url=row["url"],
            title=row["title"],
            author=row["author"],
            published=_dt(row["published"]),
            modified=_dt(row["modified"]),
            guid=row["guid"],
            wp_id=row["wp_id"],
            excerpt=row["excerpt"],
            content=row["content"],
            reading_minutes=row["reading_minutes"],
            sections=tuple(s["name"] for s in sections if s["kind"] != SectionKind.TAG),
            tags=tuple(s["name"] for s in sections if s["kind"] == SectionKind.TAG),
            links=tuple(Link(LinkKind(k["kind"]), k["url"], k["text"]) for k in links),
            read=bool(row["read"]),
            bookmarked=bookmarked is not None,
            page_fetched=bool(row["page_fetched"]),
        )

    def find_post(self, url: str) -> Post | None:
        """The stored post a URL points to, whatever its spelling (see ``urls.post_key``)."""
        post_id = shortlink_id(url)
        row = None
        if post_id is not None:
            row = self._db.execute("SELECT * FROM posts WHERE wp_id=?", (post_id,)).fetchone()
            if row is None:
                row = self._db.execute(
                    "SELECT * FROM posts WHERE guid LIKE ?", (f"%?p={post_id}",)
                ).fetchone()
        if row is None:
            row = self._db.execute(
                "SELECT * FROM posts WHERE url_key=?", (post_key(url),)
            ).fetchone()
        return None if row is None else self._post(row)

    def neighbour(self, post_id: int, *, newer: bool) -> PostSummary | None:
        """The next post by date: the fallback when a page gives no post navigation."""
        row = self._db.execute("SELECT published, id FROM posts WHERE id=?", (post_id,)).fetchone()
        if row is None:
            return None
        if newer:
            sql = (
                f"SELECT {self._SUMMARY_COLUMNS} FROM posts p WHERE (p.published, p.id) > (?, ?)"
                " ORDER BY p.published, p.id LIMIT 1"
            )
        else:
            sql = (
                f"SELECT {self._SUMMARY_COLUMNS} FROM posts p WHERE (p.published, p.id) < (?, ?)"
                " ORDER BY p.published DESC, p.id DESC LIMIT 1"
            )
        found = self._db.execute(sql, (row["published"], row["id"])).fetchone()
        return None if found is None else self._summary(found)

    def remove_post(self, post_id: int) -> None:
        """Drop a post from the cache. Its bookmark, if any, keeps the snapshot."""
        with self._write() as db:
            db.execute("DELETE FROM search WHERE rowid=?", (post_id,))
            db.execute("DELETE FROM posts WHERE id=?", (post_id,))

    # -- read state ----------------------------------------------------------------------

    def set_read(self, post_id: int, read: bool = True) -> None:
        """Mark one post read or unread."""
        with self._write() as db:
            db.execute("UPDATE posts SET read=? WHERE id=?", (int(read), post_id))

    def mark_all_read(self, slug: str | None = None) -> int:
        """Mark every post of a list read; returns how many changed."""
        with self._write() as db:
            if slug is None:
                cursor = db.execute("UPDATE posts SET read=1 WHERE read=0")
            else:
                cursor = db.execute(
                    """UPDATE posts SET read=1 WHERE read=0 AND id IN (
                       SELECT ps.post_id FROM post_sections ps JOIN sections s
                       ON s.id = ps.section_id WHERE s.slug=?)""",
                    (slug,),
                )
            return cursor.rowcount

    # -- bookmarks -----------------------------------------------------------------------

    def add_bookmark(self, post: Post, *, created: datetime | None = None) -> Bookmark:
        """Bookmark a post with a snapshot of the whole article, in one transaction."""
        when = created or datetime.now(UTC)
        snapshot = json.dumps(_post_to_json(replace(post, bookmarked=True)))
        with self._write() as db:
            db.execute(
                """INSERT INTO bookmarks (url_key, url, title, created, snapshot)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (url_key) DO UPDATE SET snapshot=excluded.snapshot,
                   title=excluded.title""",
                (storage_key(post.url, post.guid), post.url, post.title, _ts(when), snapshot),
            )
        return Bookmark(post.url, post.title, when, replace(post, bookmarked=True))

    def remove_bookmark(self, url: str, guid: str = "") -> bool:
        """Remove the bookmark for ``url``; True when there was one."""
        with self._write() as db:
            cursor = db.execute("DELETE FROM bookmarks WHERE url_key=?", (storage_key(url, guid),))
            return cursor.rowcount > 0

    def is_bookmarked(self, url: str, guid: str = "") -> bool:
        """True when ``url`` is bookmarked."""
        row = self._db.execute(
            "SELECT 1 FROM bookmarks WHERE url_key=?", (storage_key(url, guid),)
        ).fetchone()
        return row is not None

    def bookmarks(self, query: str = "") -> list[Bookmark]:
        """Bookmarks newest first, optionally only those whose title or text has ``query``."""
        rows = self._db.execute(
            f"{self._BOOKMARK_SELECT} ORDER BY b.created DESC, b.rowid DESC"
        ).fetchall()
        found = []
        needle = query.casefold().strip()
        for row in rows:
            bookmark = _bookmark_from_row(row)
            post = bookmark.post
            if needle and needle not in (post.title + " " + _plain(post.content)).casefold():
                continue
            found.append(bookmark)
        return found

    def bookmark_count(self) -> int:
        """How many bookmarks there are, without reading their snapshots."""
        return int(self._db.execute("SELECT COUNT(*) FROM bookmarks").fetchone()[0])

    def bookmark(self, url: str, guid: str = "") -> Bookmark | None:
        """The bookmark for ``url`` (any spelling), or None."""
        row = self._db.execute(
            f"{self._BOOKMARK_SELECT} WHERE b.url_key=?", (storage_key(url, guid),)
        ).fetchone()
        return None if row is None else _bookmark_from_row(row)

    def find_readable(self, url: str) -> Post | None:
        """The stored post at ``url``, else its bookmark's snapshot (a post the store let go)."""
        post = self.find_post(url)
        if post is not None:
            return post
        bookmark = self.bookmark(url)
        return bookmark.post if bookmark is not None else None

    # The snapshot's id was this post's id when it was taken, maybe in another store (an
    # import): only the live post's id may be used here, so the UI never marks read or
    # bookmarks some other post that now has that number. A bookmark whose post is gone gets
    # its own negative id, which no stored post has.
    _BOOKMARK_SELECT = (
        "SELECT b.rowid AS bookmark_id, b.url, b.title, b.created, b.snapshot,"
        " p.id AS post_id FROM bookmarks b LEFT JOIN posts p ON p.url_key = b.url_key"
    )

    # -- search --------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text search over titles and bodies; the query is taken literally."""
        words = [w for w in re.findall(r"\w+", query, flags=re.UNICODE) if w]
        if not words:
            return []
        # Each word quoted as an FTS5 string (doubling quotes), so NEAR, *, " and AND are text.
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        match = match[:-1] + '"*' if query.rstrip()[-1:].isalnum() else match
        sql = f"""
            SELECT {self._SUMMARY_COLUMNS},
                   snippet(search, 1, '\x02', '\x03', '…', 12) AS snippet
            FROM search JOIN posts p ON p.id = search.rowid
            WHERE search MATCH ? ORDER BY bm25(search, 5.0, 1.0) LIMIT ?
        """
        try:
            rows = self._db.execute(sql, (match, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [SearchHit(self._summary(r), r["snippet"]) for r in rows]


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(
        target, timeout=10.0, isolation_level=None, check_same_thread=False, uri=uri
    )
    db.row_factory = sqlite3.Row
    return db


def _identity(db: sqlite3.Connection) -> tuple[int, int]:
    """(application_id, user_version): whose file this is, and which schema it has."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    return int(app_id), int(version)


def _check_identity(
    db: sqlite3.Connection, path: Path, existed: bool, app_id: int, version: int
) -> None:
    """Refuse, untouched, a file of another program or of a newer reader."""
    if not existed:
        return
    newer = app_id == _APPLICATION_ID and version > SCHEMA_VERSION
    # A file with no tables at all is a store another reader process is creating right now
    # (its first transaction is not committed yet), not someone else's data.
    blank = version == 0 and db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
    if newer or (app_id != _APPLICATION_ID and not blank):
        db.close()
        why = "is newer than this reader" if newer else "belongs to another program"
        raise StoreError(
            f"{path} {why}. It was left untouched; use --data-dir to choose another folder."
        )


def _use_wal(db: sqlite3.Connection) -> None:
    # Turning a new file to WAL needs an exclusive lock, and SQLite answers "locked" at once,
    # without waiting on the busy timeout, while another process is creating the same store.
    for attempt in range(100):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.02)


def _writable(path: Path) -> bool:
    """False when the store's folder (or the store file) may not be written."""
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK)


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    # BEGIN IMMEDIATE takes the write lock up front, so two processes queue on the busy
    # timeout instead of failing half-way through with "database is locked".
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # SQLite has already rolled back after some errors (a full disk, an I/O error); a
        # second ROLLBACK would fail and hide the error that says what went wrong.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")


def _write_problem(path: Path, error: sqlite3.OperationalError) -> str:
    text = str(error)
    if "full" in text:
        return f"The disk holding {path} is full; nothing was changed."
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only; nothing was changed."
    if "locked" in text:
        return f"{path} is busy in another reader; nothing was changed, try again."
    return f"Could not write {path}: {text}"


def _bookmark_from_row(row: sqlite3.Row) -> Bookmark:
    post = _post_from_json(json.loads(row["snapshot"]))
    post = replace(post, id=row["post_id"] if row["post_id"] is not None else -row["bookmark_id"])
    when = datetime.fromtimestamp(row["created"], UTC)
    return Bookmark(row["url"], row["title"], when, post)


def _post_to_json(post: Post) -> dict[str, object]:
    data = asdict(post)
    data["published"] = _ts(post.published)
    data["modified"] = _ts(post.modified)
    data["links"] = [[link.kind.value, link.url, link.text] for link in post.links]
    return data


def _post_from_json(data: dict[str, Any]) -> Post:
    fields = {k: v for k, v in data.items() if k in Post.__dataclass_fields__}
    fields["published"] = _dt(data.get("published"))
    fields["modified"] = _dt(data.get("modified"))
    fields["links"] = tuple(
        Link(LinkKind(k), str(u), str(t)) for k, u, t in data.get("links") or ()
    )
    fields["sections"] = tuple(data.get("sections") or ())
    fields["tags"] = tuple(data.get("tags") or ())
    return Post(**fields)


def post_to_json(post: Post) -> dict[str, object]:
    """A post as JSON-ready data, the bookmark snapshot format."""
    return _post_to_json(post)


def post_from_json(data: dict[str, Any]) -> Post:
    """Read back :func:`post_to_json`'s output."""
    return _post_from_json(data)


def import_bookmarks(store: Store, bookmarks: Sequence[Bookmark]) -> int:
    """Add bookmarks in one transaction, keeping existing ones; returns how many were new."""
    added = 0
    # Oldest first, so that bookmarks made in the same second (the store keeps seconds) list in
    # the same order after an import as before it; an export lists them newest first.
    oldest_first = sorted(reversed(bookmarks), key=lambda bookmark: bookmark.created)
    with store._write() as db:
        for bookmark in oldest_first:
            cursor = db.execute(
                """INSERT INTO bookmarks (url_key, url, title, created, snapshot)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT (url_key) DO NOTHING""",
                (
                    storage_key(bookmark.url, bookmark.post.guid),
                    bookmark.url,
                    bookmark.title,
                    _ts(bookmark.created),
                    json.dumps(_post_to_json(replace(bookmark.post, bookmarked=True))),
                ),
            )
            added += cursor.rowcount
    return added
