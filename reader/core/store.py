"""The local store: posts, sections, links, read state, bookmarks, HTTP validators, search.

The SQLite file under it (opening, WAL, transactions, schema upgrades, what errors mean) is
:mod:`reader.core.store_file`; the snapshot a bookmark keeps is :mod:`reader.core.snapshots`.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

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
from reader.core.snapshots import post_from_json, post_to_json
from reader.core.store_errors import (
    StoreError,
    StoreProblem,
    damaged,
    disk_is_full,
    recorded_damage,
)
from reader.core.store_file import (
    SCHEMA_VERSION,
    STORE_FILE,
    Connection,
    open_store_file,
    quick_check,
    write_transaction,
)
from reader.core.text import strip_controls
from reader.core.urls import post_key, shortlink_id

# Callers open, catch and find the store through this module; the file's details stay below it.
__all__ = ["SCHEMA_VERSION", "STORE_FILE", "Store", "StoreError", "StoreProblem", "storage_key"]


# Tags that start or end a line of text; a space goes before each so words on either side stay
# apart. Inline tags (a, em, strong...) get none: "<em>everything</em>." reads "everything.",
# which search snippets show.
_LINE_TAG = re.compile(
    r"<(?=/?(?:p|div|br|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|figure|figcaption|table|caption|tr|"
    r"td|th|pre|hr|img|section|article|header|footer|aside|main|iframe|video|audio)[\s/>])",
    re.IGNORECASE,
)
# Spaces before closing punctuation, and after opening brackets: what indexes made before the
# inline tags above were told apart hold ("everything ." for "<em>everything</em>.").
_SPACED_PUNCTUATION = re.compile(r"(?<=\S) +(?=[.,;:!?)\]’”])|(?<=[(\[“]) +")


def _plain(html: str) -> str:
    """Text of HTML for the search index (lexbor: about five times faster than regexes)."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    from selectolax.lexbor import LexborHTMLParser

    text = LexborHTMLParser(_LINE_TAG.sub(" <", html)).text(separator="")
    # Decoding entities can make control characters (&#27; is ESC): clean after, not before.
    return " ".join(strip_controls(text).split())


def _tidy_snippet(snippet: str) -> str:
    """A search snippet without a space before punctuation (from an index made earlier)."""
    return _SPACED_PUNCTUATION.sub("", snippet)


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
        self._db: Connection = open_store_file(path)
        self._checked = False

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

    def close(self) -> None:
        """Close the connection; the WAL is checkpointed by SQLite."""
        self._db.close()

    @property
    def read_only(self) -> StoreError | None:
        """Why this store may not be written right now (full disk, damage, read-only), or None."""
        return self._db.read_only

    def check_before_writing(self) -> StoreError | None:
        """Refuse a damaged store before its first write in this process; returns the damage.

        Damage in pages a command never reads would otherwise go unseen while it writes
        elsewhere in the file. The check reads every page, once per process, on its own
        connection: the TUI runs :func:`quick_check` in a thread at start and hands its
        verdict to :meth:`record_check`, so its first write never waits.
        """
        if not self._checked:
            self.record_check(quick_check(self.path) if self._db.read_only is None else None)
        return self.read_only if self.damaged else None

    def record_check(self, problem: str | None) -> None:
        """Take the verdict of a quick check of this store (None: whole)."""
        self._checked = True
        if problem is not None and not self.damaged:
            self._db.mark_damaged(damaged(self.path, problem))

    def damage_found_elsewhere(self) -> StoreError | None:
        """Damage another connection (a refresh's) has recorded since this store opened."""
        if self.damaged:
            return self.read_only
        found = recorded_damage(self.path)
        if found is not None:
            self._db.mark_damaged(found)
        return found

    @property
    def damaged(self) -> bool:
        """True once damage has been seen in this store (now or by an earlier command)."""
        reason = self._db.read_only
        return reason is not None and reason.problem is StoreProblem.DAMAGED

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        reason = self._db.read_only
        full = reason is not None and reason.problem is StoreProblem.FULL
        if full and not disk_is_full(self.path.parent):
            # Opened read-only because the disk was full: write again once there is room.
            self._db.close()
            self._db = open_store_file(self.path)
        if not self._checked:
            self.check_before_writing()
        # Section ids are cached within one transaction only: another reader may add or
        # change sections between two of ours.
        self._section_ids = {}
        with write_transaction(self._db) as db:
            yield db

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

    def _section_id(self, db: Connection, slug: str, name: str, is_tag: bool) -> int:
        known = self._section_ids.get((slug, name, is_tag))
        if known is not None:
            return known
        found = self._find_or_add_section(db, slug, name, is_tag)
        self._section_ids[(slug, name, is_tag)] = found
        return found

    def _find_or_add_section(self, db: Connection, slug: str, name: str, is_tag: bool) -> int:
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

    def _find_existing(self, db: Connection, post: IncomingPost) -> sqlite3.Row | None:
        # One query (SQLite serves each OR arm from its index): the URL's key first, then the
        # WordPress id, then the guid.
        key = storage_key(post.url, post.guid)
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM posts WHERE url_key=? OR wp_id=? OR (guid=? AND guid != '')"
            " ORDER BY url_key=? DESC, wp_id IS ? DESC LIMIT 1",
            (key, post.wp_id, post.guid, key, post.wp_id),
        ).fetchone()
        return row

    def _upsert(self, db: Connection, post: IncomingPost) -> tuple[bool, bool]:
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
        featured = post.featured_image
        if featured is not None:
            # Position -1: before the page's own links, and kept when the page is read again.
            db.execute(
                "DELETE FROM links WHERE post_id=? AND kind=?", (post_id, LinkKind.FEATURED.value)
            )
            db.execute(
                "INSERT OR REPLACE INTO links (post_id, position, kind, url, text)"
                " VALUES (?, -1, ?, ?, ?)",
                (post_id, LinkKind.FEATURED.value, featured.url, featured.text),
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
            from_rest = db.execute(
                "SELECT 1 FROM links WHERE post_id=? AND kind=? AND position=-1",
                (post_id, LinkKind.FEATURED.value),
            ).fetchone()
            if from_rest is not None:
                # The REST API's featured image (with its alt text) wins over the page's.
                links = [link for link in links if link.kind is not LinkKind.FEATURED]
                db.execute("DELETE FROM links WHERE post_id=? AND position != -1", (post_id,))
            else:
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
        snapshot = _snapshot(post)
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

    def import_bookmarks(self, bookmarks: Sequence[Bookmark]) -> int:
        """Add bookmarks in one transaction, keeping existing ones; returns how many were new."""
        added = 0
        # Oldest first, so that bookmarks made in the same second (the store keeps seconds) list
        # in the same order after an import as before it; an export lists them newest first.
        oldest_first = sorted(reversed(bookmarks), key=lambda bookmark: bookmark.created)
        with self._write() as db:
            for bookmark in oldest_first:
                cursor = db.execute(
                    """INSERT INTO bookmarks (url_key, url, title, created, snapshot)
                       VALUES (?, ?, ?, ?, ?) ON CONFLICT (url_key) DO NOTHING""",
                    (
                        storage_key(bookmark.url, bookmark.post.guid),
                        bookmark.url,
                        bookmark.title,
                        _ts(bookmark.created),
                        _snapshot(bookmark.post),
                    ),
                )
                added += cursor.rowcount
        return added

    # The snapshot's id was this post's id when it was taken, maybe in another store (an
    # import): only the live post's id may be used here, so the UI never marks read or
    # bookmarks some other post that now has that number. A bookmark whose post is gone gets
    # its own negative id, which no stored post has.
    _BOOKMARK_SELECT = (
        "SELECT b.rowid AS bookmark_id, b.url, b.title, b.created, b.snapshot,"
        " p.id AS post_id FROM bookmarks b LEFT JOIN posts p ON p.url_key = b.url_key"
    )

    # -- search --------------------------------------------------------------------------

    def rebuild_search(self) -> None:
        """Index every post again (a rescued store starts with an empty index)."""
        rows = self._db.execute("SELECT id, title, content, excerpt FROM posts").fetchall()
        with self._write() as db:
            db.execute("DELETE FROM search")
            db.executemany(
                "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                [(r["id"], r["title"], _plain(r["content"] or r["excerpt"])) for r in rows],
            )

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
        return [SearchHit(self._summary(r), _tidy_snippet(r["snippet"])) for r in rows]


def _bookmark_from_row(row: sqlite3.Row) -> Bookmark:
    post = post_from_json(json.loads(row["snapshot"]))
    post = replace(post, id=row["post_id"] if row["post_id"] is not None else -row["bookmark_id"])
    when = datetime.fromtimestamp(row["created"], UTC)
    return Bookmark(row["url"], row["title"], when, post)


def _snapshot(post: Post) -> str:
    """The text kept in the bookmarks table: the whole post, marked bookmarked."""
    return json.dumps(post_to_json(replace(post, bookmarked=True)))
