"""The local store: posts, sections, links, read state, bookmarks, HTTP validators, search.

Every row belongs to one source (a site or a feed): posts, sections and bookmarks are unique
within their source, validators and archive marks are kept per source, and a source's rows are
removed together. Reading (lists, counts, search, bookmarks, finding a post by its address)
works across all sources, or within one when asked.

The SQLite file under it (opening, WAL, transactions, schema upgrades, what errors mean) is
:mod:`reader.core.store_file`; the snapshot a bookmark keeps is :mod:`reader.core.snapshots`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TypeAlias
from urllib.parse import urlsplit, urlunsplit

from reader.core.checkpoints import BACKSTOP_PAGES, CheckpointsAside
from reader.core.models import (
    Bookmark,
    IncomingPost,
    Link,
    LinkKind,
    Origin,
    Post,
    PostSummary,
    RefreshFailure,
    SearchHit,
    Section,
    SectionKind,
    StoredSource,
)
from reader.core.search_snippet import snippet_of
from reader.core.search_text import plain_text as _plain
from reader.core.snapshots import post_from_json, post_to_json
from reader.core.source import Source, source_key
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
from reader.core.urls import host_and_port, same_site, shortlink_id, site_root, storage_key

SourceScope: TypeAlias = Source | int | Sequence[Source | int] | None
"""Whose rows a query covers: one source, any of several, or every source (None)."""
# Callers open, catch and find the store through this module; the file's details stay below it.
_FEED_PICTURE = -2
"""The links position of a feed's own picture of a post (the REST API's featured image is -1)."""
_ADDRESSES = "addresses"
"""The source_meta key of a site's other addresses, space-separated ``host[:port]``."""
_TERM_ID = "term:"
"""Before ``<kind>:<WordPress id>`` in a source's meta: the key of that term's slug."""
_TERM_IDS_READ = "term_ids"
"""A source's meta: "yes" once its terms' ids were kept (stores synced before they were kept,
and their sites, have none: see :meth:`Store.term_ids_read`)."""
CHECK_WAIT = 600.0
"""Seconds a writer waits for the start-up check of the same file before checking alone."""

__all__ = [
    "SCHEMA_VERSION",
    "STORE_FILE",
    "SourceScope",
    "Store",
    "StoreError",
    "StoreProblem",
    "storage_key",
]


# Spaces before closing punctuation, and after opening brackets: what indexes made before the
# inline tags of the search text were told apart hold ("everything ." for "<em>everything</em>.").
_SPACED_PUNCTUATION = re.compile(r"(?<=\S) +(?=[.,;:!?)\]’”])|(?<=[(\[“]) +")


def same_text(one: str, other: str) -> bool:
    """True when two bodies say the same thing, whatever their markup (REST, feed or page)."""
    return one == other or _plain(one) == _plain(other)


_UNTITLED = "(untitled)"
# "+is_page": sorting by the bare column let SQLite walk posts_counted (source_id, is_page, ...)
# through every post of the source, reading each body, instead of finding the one or two rows
# by posts_by_wp_id (a cold sync of 1,000 posts spent 0.42 s here, growing with the store).
_BY_WP_ID = "SELECT * FROM posts WHERE source_id=? AND wp_id=? ORDER BY +is_page LIMIT 1"


def _tidy_snippet(snippet: str) -> str:
    """A search snippet without a space before punctuation (from an index made earlier)."""
    return _SPACED_PUNCTUATION.sub("", snippet)


def _ts(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def site_zone(name: str, offset_hours: str = "") -> tzinfo | None:
    """The site's time zone from the REST index (``timezone_string``, else ``gmt_offset``)."""
    if name:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except (ImportError, ValueError, OSError, KeyError):
            pass  # no time zone database here: the offset still gives the right dates mostly
    try:
        hours = float(offset_hours)
    except ValueError:
        return None
    return timezone(timedelta(hours=hours)) if -15 < hours < 15 else None


def _section_of(row: sqlite3.Row) -> Section:
    return Section(
        row["slug"],
        row["name"],
        SectionKind(row["kind"]),
        row["count"],
        row["unread"],
        source_id=row["source_id"],
    )


def _sections_sql(where: str) -> str:
    """Sections (of the sources ``where`` picks, when given) with their counts of posts and
    of unread posts (see :meth:`Store.sections`)."""
    return f"""
        SELECT s.source_id, s.slug, s.name, s.kind, s.position,
               COUNT(p.id) AS count, COALESCE(SUM(p.read = 0), 0) AS unread
        FROM sections s
        LEFT JOIN post_sections ps ON ps.section_id = s.id
        LEFT JOIN posts p INDEXED BY posts_flags ON p.id = ps.post_id AND p.is_page = 0
        {"WHERE " + where if where else ""}
        GROUP BY s.id
        ORDER BY s.source_id, s.kind != 'section', s.position, s.name COLLATE NOCASE
        """


class Store:
    """The reader's SQLite store. One instance per process; safe with several processes."""

    def __init__(self, path: Path, *, section_names: Sequence[str] = ()) -> None:
        self.path = path
        self.section_names = tuple(section_names)
        """Categories shown as sections for a source that names none of its own."""
        self._section_ids: dict[tuple[int, str, str, bool, bool], int] = {}
        self._zones: dict[int, tzinfo | None] = {}
        """Each source's time zone, read from its meta on first use."""
        self._source_ids: dict[str, int] = {}
        self._source_sections: dict[int, tuple[str, ...]] = {}
        self._db: Connection = open_store_file(path)
        self._checked = False
        self._has_failures = False
        """True once the table of refresh failures was seen (see :meth:`_failures_kept`)."""
        self._checkpoints: CheckpointsAside | None = None
        """Checkpoints the WAL from a thread while a sync writes (:meth:`checkpoint_aside`)."""
        self._check_over: threading.Event | None = None
        """Set once a check begun elsewhere (:meth:`begin_check`) has given its verdict."""
        self._sections_ahead: (
            tuple[tuple[str, tuple[object, ...]], threading.Thread, list[list[sqlite3.Row]]] | None
        ) = None
        """Sections being read ahead (see :meth:`read_sections_ahead`): for which sources,
        the thread, and what it read."""

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open_in(cls, data_dir: Path, *, section_names: Sequence[str] = ()) -> Store:
        """Open (creating when needed) the store in ``data_dir``."""
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if data_dir.exists() and not data_dir.is_dir():
                # mkdir's "File exists" reads as if the folder were there and fine.
                raise StoreError(
                    f"The data folder {data_dir} is a file, not a folder: give another "
                    "--data-dir, or move the file aside"
                ) from None
            raise StoreError(
                f"Cannot create the data folder {data_dir}: {error.strerror}"
            ) from None
        return cls(data_dir / STORE_FILE, section_names=section_names)

    def close(self) -> None:
        """Close the connection; the WAL is checkpointed by SQLite."""
        self._stop_checkpoints()
        self._db.close()

    def checkpoint_aside(self) -> None:
        """Have the WAL checkpointed by a thread of its own from now until :meth:`close`
        (see :mod:`reader.core.checkpoints`): for a sync's connection, which writes a lot."""
        if self._checkpoints is not None or self._db.read_only is not None:
            return
        # SQLite's own checkpoints (in this connection's commits) only past four times the
        # thread's threshold: the WAL starts over only at a transaction begun after a complete
        # checkpoint, and a sync writing without a pause could otherwise outrun the thread and
        # let the WAL grow with the whole sync.
        self._db.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        # The WAL file's size then says how much was written since the last checkpoint: SQLite
        # cuts it back to the first commit's frames each time it starts the WAL over.
        self._db.execute("PRAGMA journal_size_limit=0")
        self._checkpoints = CheckpointsAside(
            self.path, may_write=lambda: self._db.read_only is None
        )

    def _stop_checkpoints(self) -> None:
        checkpoints, self._checkpoints = self._checkpoints, None
        if checkpoints is None:
            return
        checkpoints.stop()
        with contextlib.suppress(sqlite3.Error, StoreError):
            # SQLite's own checkpoints again, for whatever this connection still writes.
            self._db.execute("PRAGMA wal_autocheckpoint=1000")
            self._db.execute("PRAGMA journal_size_limit=-1")

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

    def begin_check(self) -> None:
        """A quick check of this store's file has begun elsewhere (a thread).

        Stores that take their verdict from this one (:meth:`take_check_from`) wait for it
        rather than read every page a second time. :meth:`record_check` or
        :meth:`abandon_check` ends the wait.
        """
        self._check_over = threading.Event()

    def record_check(self, problem: str | None) -> None:
        """Take the verdict of a quick check of this store (None: whole)."""
        if problem is not None and not self.damaged:
            self._db.mark_damaged(damaged(self.path, problem))
        # Last: a writer's thread taking this verdict must find the damage marked already.
        self._checked = True
        if self._check_over is not None:
            self._check_over.set()

    def abandon_check(self) -> None:
        """The check begun elsewhere gave no verdict (cancelled): waiting stores check alone."""
        if self._check_over is not None:
            self._check_over.set()

    def take_check_from(self, other: Store, *, wait: float = CHECK_WAIT) -> None:
        """Take ``other``'s verdict on the same file, once it has one and found it whole.

        The check reads every page (seconds on a large store, more with two at once): once
        a process is enough, not once a connection. A check ``other`` has begun and not
        finished is waited for, up to ``wait`` seconds; this runs in a writer's thread, never
        on the event loop. A store ``other`` found damaged is checked again here.
        """
        over = other._check_over
        if over is not None and not other._checked:
            over.wait(wait)
        if other._checked and not other.damaged:
            self._checked = True

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
        self._sections_ahead = None  # counts read before this write are not its counts
        with write_transaction(self._db) as db:
            yield db
        if self._checkpoints is not None:
            self._checkpoints.committed()

    # -- sources -------------------------------------------------------------------------

    def add_source(self, source: Source) -> int:
        """The id of ``source``'s rows: found by its key, adopted from an upgrade, or new.

        Writes only when the source is new or its name or address changed. Its own sections
        (else the store's) decide which of its categories are sections from now on.
        """
        sections = self.section_names if source.sections is None else source.sections
        key = source.key
        known = self._source_ids.get(key)
        if known is not None:
            self._source_sections[known] = sections
            return known
        row = self._db.execute(
            "SELECT id, url, name, legacy FROM sources WHERE key=?", (key,)
        ).fetchone()
        stale = row is None or row["url"] != source.url or row["legacy"]
        if row is None or stale or (source.name and row["name"] != source.name):
            with self._write() as db:
                source_id = self._claim_source(db, source, key)
        else:
            source_id = int(row["id"])
        self._source_ids[key] = source_id
        self._source_sections[source_id] = sections
        return source_id

    def _claim_source(self, db: Connection, source: Source, key: str) -> int:
        kind = "site" if source.is_site else "feed"
        row = db.execute("SELECT id, name FROM sources WHERE key=?", (key,)).fetchone()
        if row is None:
            row = self._legacy_on_host(db, source)
            if row is not None and (row["kind"] == "site") != source.is_site:
                _rekey(db, int(row["id"]), with_host=not source.is_site)
        if row is None:
            cursor = db.execute(
                "INSERT INTO sources (key, kind, url, name) VALUES (?, ?, ?, ?)",
                (key, kind, source.url, source.name),
            )
            return int(cursor.lastrowid or 0)
        db.execute(
            "UPDATE sources SET key=?, kind=?, url=?, name=?, legacy=0 WHERE id=?",
            (key, kind, source.url, source.name or row["name"], row["id"]),
        )
        return int(row["id"])

    def _legacy_on_host(self, db: Connection, source: Source) -> sqlite3.Row | None:
        """A source an upgrade (or a bookmark import) guessed, on the same host as ``source``."""
        rows: list[sqlite3.Row] = db.execute(
            "SELECT id, kind, url, name FROM sources WHERE legacy=1"
        ).fetchall()
        if source.is_file:
            # A feed file has no host; the one guessed source of a store made from it is its.
            return rows[0] if len(rows) == 1 and not rows[0]["url"] else None
        where = host_and_port(source.url)
        same_kind = [r for r in rows if (r["kind"] == "site") == source.is_site]
        for row in same_kind + [r for r in rows if r not in same_kind]:
            if not row["url"] or host_and_port(row["url"]) == where:
                return row
        return None

    def move_site(self, old_root: str, new_root: str) -> bool:
        """Carry the site stored at ``old_root`` over to ``new_root``; False when nothing moved.

        For a site whose address changes under it (the sample site on another port): its
        posts, read state, bookmarks and the links in its bodies stay one source and point at
        the new address. Nothing moves when the new address already has rows of its own.
        """
        old, new = Source.site(old_root), Source.site(new_root)
        source_id = self.source_id(old)
        if source_id is None or old.key == new.key or self.source_id(new) is not None:
            return False
        was, now = old.url, new.url
        moved = "replace({0}, ?, ?)"
        with self._write() as db:
            db.execute("UPDATE sources SET key=?, url=? WHERE id=?", (new.key, new.url, source_id))
            db.execute(
                "UPDATE refresh_failures SET source_key=? WHERE source_key=?", (new.key, old.key)
            )
            db.execute(
                f"UPDATE posts SET url={moved.format('url')}, excerpt={moved.format('excerpt')},"
                f" content={moved.format('content')} WHERE source_id=?",
                (was, now, was, now, was, now, source_id),
            )
            db.execute(
                f"UPDATE links SET url={moved.format('url')}"
                " WHERE post_id IN (SELECT id FROM posts WHERE source_id=?)",
                (was, now, source_id),
            )
            db.execute(
                f"UPDATE bookmarks SET url={moved.format('url')},"
                f" snapshot={moved.format('snapshot')} WHERE source_id=?",
                (was, now, was, now, source_id),
            )
            db.execute(
                f"UPDATE source_meta SET value={moved.format('value')} WHERE source_id=?",
                (was, now, source_id),
            )
            # The pages' bytes (and so their validators) change with the address in them.
            db.execute("DELETE FROM validators WHERE source_id=?", (source_id,))
            row = db.execute(
                "SELECT value FROM source_meta WHERE source_id=? AND key=?",
                (source_id, _ADDRESSES),
            ).fetchone()
            if row is not None:
                where = {host_and_port(was): host_and_port(now)}
                names = " ".join(sorted({where.get(n, n) for n in str(row[0]).split()}))
                db.execute(
                    "UPDATE source_meta SET value=? WHERE source_id=? AND key=?",
                    (names, source_id, _ADDRESSES),
                )
        self._source_ids.pop(old.key, None)
        self._source_ids[new.key] = source_id
        return True

    def source_id(self, source: Source) -> int | None:
        """The id of ``source``'s rows, without creating any; None when it has none yet."""
        known = self._source_ids.get(source.key)
        if known is not None:
            return known
        row = self._db.execute("SELECT id FROM sources WHERE key=?", (source.key,)).fetchone()
        return None if row is None else int(row[0])

    def _sid(self, source: Source | int) -> int:
        return source if isinstance(source, int) else self.add_source(source)

    def source_on_host(self, url: str) -> int:
        """The id of the stored source whose host ``url`` is on; else of one made for that
        host to hold only what is opened or bookmarked from it (see ``_source_on_host``).

        A post of a site the reader does not read, opened by its address, goes there: under
        the source read first it showed in that site's sections, topics and counts.
        """
        with self._write() as db:
            return int(self._source_on_host(db, url)["id"])

    def bookmark_only_sources(self) -> set[int]:
        """The ids of the sources made only to hold bookmarks of a site never read (see
        ``_source_on_host``): no site's posts are filed under them."""
        rows = self._db.execute("SELECT id FROM sources WHERE legacy=1").fetchall()
        return {int(row[0]) for row in rows}

    def sources(self) -> list[StoredSource]:
        """Every source the store holds rows of, oldest first, with its counts."""
        rows = self._db.execute(
            """SELECT s.id, s.key, s.kind, s.url, s.name, s.title,
                   (SELECT COUNT(*) FROM posts p WHERE p.source_id = s.id AND p.is_page = 0)
                       AS posts,
                   (SELECT COUNT(*) FROM posts p WHERE p.source_id = s.id AND p.read = 0
                       AND p.is_page = 0)
                       AS unread,
                   (SELECT COUNT(*) FROM bookmarks b WHERE b.source_id = s.id) AS bookmarks
               FROM sources s ORDER BY s.id"""
        ).fetchall()
        return [
            StoredSource(
                id=r["id"],
                key=r["key"],
                url=r["url"],
                is_site=r["kind"] == "site",
                name=r["name"],
                title=r["title"],
                posts=r["posts"],
                unread=r["unread"],
                bookmarks=r["bookmarks"],
            )
            for r in rows
        ]

    def source_urls(self) -> list[str]:
        """The address of every source (a feed file's path for a local one), without counts."""
        return [row[0] for row in self._db.execute("SELECT url FROM sources ORDER BY id")]

    def stored_source(self, source_id: int) -> StoredSource | None:
        """One stored source by id, with its counts."""
        return next((s for s in self.sources() if s.id == source_id), None)

    def rename_source(self, source: Source | int, name: str) -> None:
        """Remember the name a source is called by."""
        source_id = self._sid(source)
        with self._write() as db:
            db.execute("UPDATE sources SET name=? WHERE id=?", (name, source_id))

    def remove_source(self, source: Source | int, *, with_bookmarks: bool = False) -> int:
        """Remove one source's posts, categories, validators and marks; returns posts removed.

        Its bookmarks stay (each is a whole snapshot of its article) unless ``with_bookmarks``;
        no other source's rows are touched.
        """
        source_id = source if isinstance(source, int) else self.source_id(source)
        if source_id is None:
            if isinstance(source, Source):
                self._forget_failure(source.key)  # it failed before anything was stored
            return 0
        with self._write() as db:
            db.execute(
                "DELETE FROM refresh_failures WHERE source_key IN"
                " (SELECT key FROM sources WHERE id=?)",
                (source_id,),
            )
            db.execute(
                "DELETE FROM search WHERE rowid IN (SELECT id FROM posts WHERE source_id=?)",
                (source_id,),
            )
            removed = db.execute("DELETE FROM posts WHERE source_id=?", (source_id,)).rowcount
            for table in ("sections", "validators", "source_meta"):
                db.execute(f"DELETE FROM {table} WHERE source_id=?", (source_id,))
            if with_bookmarks:
                db.execute("DELETE FROM bookmarks WHERE source_id=?", (source_id,))
            kept = db.execute(
                "SELECT 1 FROM bookmarks WHERE source_id=? LIMIT 1", (source_id,)
            ).fetchone()
            if kept is None:
                db.execute("DELETE FROM sources WHERE id=?", (source_id,))
        self._source_ids = {k: v for k, v in self._source_ids.items() if v != source_id}
        self._sync_mark_of(source_id).unlink(missing_ok=True)
        return int(removed)

    def forget_if_empty(self, source: Source | int) -> bool:
        """Remove a source that holds nothing: no post, page or bookmark; True if it went.

        A failed first read (a wrong host, a 404, a page that is no feed) made a source row
        that would sit under "Kept in the store" for ever. The test for emptiness is in the
        same statement as the delete, so a post another process stores meanwhile keeps it
        (removing a source cascades to its posts).
        """
        source_id = source if isinstance(source, int) else self.source_id(source)
        if source_id is None:
            return False
        with self._write() as db:
            gone = db.execute(
                """DELETE FROM sources WHERE id=?
                   AND NOT EXISTS (SELECT 1 FROM posts WHERE source_id=?)
                   AND NOT EXISTS (SELECT 1 FROM bookmarks WHERE source_id=?)""",
                (source_id, source_id, source_id),
            ).rowcount
        if not gone:
            return False
        self._source_ids = {k: v for k, v in self._source_ids.items() if v != source_id}
        self._sync_mark_of(source_id).unlink(missing_ok=True)
        return True

    def note_refresh_failed(
        self, source: Source, message: str, *, offline: bool = False, when: float | None = None
    ) -> None:
        """Remember what ``source``'s refresh just hit, to be shown at the next start too."""
        if not self._failures_kept():
            return  # a schema-4 store read as it is: it cannot be written either
        moment = int(time.time() if when is None else when)
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO refresh_failures (source_key, message, offline, failed_at)"
                " VALUES (?, ?, ?, ?)",
                (source.key, message, int(offline), moment),
            )

    def _failures_kept(self) -> bool:
        """Whether the store has the table of refresh failures: a schema-4 store opened
        read-only (see ``OLDEST_READ_AS_IS``) has none, and is read as having none."""
        if not self._has_failures:
            found = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='refresh_failures'"
            ).fetchone()
            self._has_failures = found is not None
        return self._has_failures

    def note_refresh_worked(self, source: Source) -> None:
        """``source``'s refresh worked: its last failure goes (a write only when it had one,
        so a sync of an unchanged site still writes nothing)."""
        self._forget_failure(source.key)

    def _forget_failure(self, key: str) -> None:
        if not self._failures_kept():
            return
        row = self._db.execute("SELECT 1 FROM refresh_failures WHERE source_key=?", (key,))
        if row.fetchone() is not None:
            with self._write() as db:
                db.execute("DELETE FROM refresh_failures WHERE source_key=?", (key,))

    def refresh_failures(self, sources: Sequence[Source]) -> dict[str, RefreshFailure]:
        """What the last refresh of each of ``sources`` hit, by key, for those whose last
        refresh failed."""
        if not self._failures_kept():
            return {}
        wanted = {source.key for source in sources}
        rows = self._db.execute(
            "SELECT source_key, message, offline, failed_at FROM refresh_failures"
        ).fetchall()
        return {
            str(key): RefreshFailure(str(message), bool(offline), int(failed_at))
            for key, message, offline, failed_at in rows
            if key in wanted
        }

    def source_title(self, source: Source | int) -> str:
        """The title the source's feed gives itself, or ""."""
        source_id = source if isinstance(source, int) else self.source_id(source)
        row = self._db.execute("SELECT title FROM sources WHERE id=?", (source_id,)).fetchone()
        return str(row[0]) if row else ""

    def source_titles(self) -> dict[str, str]:
        """The titles the sources' feeds give themselves, by source key (those with one)."""
        rows = self._db.execute("SELECT key, title FROM sources WHERE title != ''").fetchall()
        return {str(key): str(title) for key, title in rows}

    def set_source_title(self, source: Source | int, title: str) -> None:
        """Remember the title the source's feed gives itself."""
        source_id = self._sid(source)
        with self._write() as db:
            db.execute("UPDATE sources SET title=? WHERE id=?", (title, source_id))

    # -- meta and validators -------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        """A small setting kept with the data, for the whole store."""
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a small value kept with the data, for the whole store."""
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def source_meta(self, source: Source | int, key: str, default: str = "") -> str:
        """A small value kept for one source (whether its archive was read, its REST API)."""
        source_id = source if isinstance(source, int) else self.source_id(source)
        row = self._db.execute(
            "SELECT value FROM source_meta WHERE source_id=? AND key=?", (source_id, key)
        ).fetchone()
        return str(row[0]) if row else default

    def set_source_meta(self, source: Source | int, key: str, value: str) -> None:
        """Set a small value kept for one source."""
        source_id = self._sid(source)
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO source_meta (source_id, key, value) VALUES (?, ?, ?)",
                (source_id, key, value),
            )

    def unread_page_ids(self, *, source: Source | int) -> list[int]:
        """Posts of ``source`` whose article page was never read, newest first."""
        return [
            int(row[0])
            for row in self._db.execute(
                "SELECT id FROM posts WHERE source_id=? AND page_fetched=0 AND is_page=0"
                " ORDER BY published DESC, id DESC",
                (self._sid(source),),
            )
        ]

    def site_addresses(self, source: Source | int) -> frozenset[str]:
        """Every ``host[:port]`` a site calls itself by: its REST index, feed, canonical links.

        Reached through a proxy or another port, a site still names itself by its own
        address in every link; those links are the site's, not the world's.
        """
        return frozenset(self.source_meta(source, _ADDRESSES).split())

    def add_site_addresses(self, source: Source | int, urls: Iterable[str]) -> None:
        """Remember more addresses a site calls itself by (see :meth:`site_addresses`)."""
        known = self.site_addresses(source)
        found = {host_and_port(url) for url in urls if url} - {""}
        if not found <= known:
            self.set_source_meta(source, _ADDRESSES, " ".join(sorted(known | found)))

    def set_site_clock(self, source: Source | int, timezone_string: str, gmt_offset: str) -> None:
        """Remember a site's time zone (REST index), so dates read as the site shows them."""
        source_id = self._sid(source)
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO source_meta (source_id, key, value) VALUES (?, ?, ?)",
                [
                    (source_id, "site_timezone", timezone_string),
                    (source_id, "site_gmt_offset", gmt_offset),
                ],
            )
        self._zones.pop(source_id, None)

    def _local(self, stamp: int | None, offset: int | None, source_id: int) -> datetime | None:
        """A stored time as the site's clock showed it: the post's own offset, else the zone."""
        if stamp is None:
            return None
        moment = datetime.fromtimestamp(stamp, UTC)
        if offset is not None and -900 < offset < 900:
            return moment.astimezone(timezone(timedelta(minutes=offset)))
        if source_id not in self._zones:
            self._zones[source_id] = site_zone(
                self.source_meta(source_id, "site_timezone"),
                self.source_meta(source_id, "site_gmt_offset"),
            )
        zone = self._zones[source_id]
        return moment.astimezone(zone) if zone is not None else moment

    @property
    def _sync_mark(self) -> Path:
        return self.path.with_name(self.path.name + ".synced")

    def _sync_mark_of(self, source_id: int) -> Path:
        return self.path.with_name(self.path.name + ".synced.d") / str(source_id)

    def mark_synced(self, when: float | None = None, *, source: Source | int | None = None) -> None:
        """Remember that the store (or one source) was checked now, without writing to it.

        A sync of an unchanged site must write nothing to the store, so the time of the last
        check is the modification time of a small file beside it (one per source).
        """
        marks = [self._sync_mark]
        if source is not None:
            source_id = source if isinstance(source, int) else self.source_id(source)
            if source_id is not None:
                marks.append(self._sync_mark_of(source_id))
        for mark in marks:
            try:
                if mark.parent != self.path.parent:
                    mark.parent.mkdir(mode=0o700, exist_ok=True)
                mark.touch()
                if when is not None:
                    os.utime(mark, (when, when))
            except OSError:
                pass  # a read-only folder: the status line just shows an older time

    def sync_mark_stamp(self) -> int | None:
        """The store's last sync mark as a stamp (nanoseconds), or None when none was made.

        Every sync that reads a source touches the mark, from whatever process it runs in:
        a screen compares stamps to learn that another program (``reader sync`` from cron, a
        second reader) stored what it does not show yet, at the cost of a ``stat``.
        """
        try:
            return self._sync_mark.stat().st_mtime_ns
        except OSError:
            return None

    def last_synced(self, source: Source | int | None = None) -> int | None:
        """Unix time of the last successful sync (of any source, or of ``source``), or None."""
        mark = self._sync_mark
        if source is not None:
            source_id = source if isinstance(source, int) else self.source_id(source)
            if source_id is None:
                return None
            mark = self._sync_mark_of(source_id)
        try:
            return int(mark.stat().st_mtime)
        except OSError:
            return None

    def validators(self, url: str, *, source: Source | int) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) last seen for ``url`` by ``source``."""
        source_id = source if isinstance(source, int) else self.source_id(source)
        row = self._db.execute(
            "SELECT etag, last_modified FROM validators WHERE source_id=? AND url=?",
            (source_id, url),
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(
        self, url: str, etag: str | None, last_modified: str | None, *, source: Source | int
    ) -> None:
        """Remember validators so the next request can be conditional."""
        source_id = self._sid(source)
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO validators (source_id, url, etag, last_modified)"
                " VALUES (?, ?, ?, ?)",
                (source_id, url, etag, last_modified),
            )

    # -- sections ------------------------------------------------------------------------

    def _section_kind(self, source_id: int, name: str, is_tag: bool) -> tuple[SectionKind, int]:
        names = self._source_sections.get(source_id, self.section_names)
        for position, section in enumerate(names):
            if section.casefold() == name.casefold():
                return SectionKind.SECTION, position
        return (SectionKind.TAG if is_tag else SectionKind.TOPIC), 1000

    def _section_id(
        self,
        db: Connection,
        source_id: int,
        slug: str,
        name: str,
        is_tag: bool,
        confirmed: bool = False,
    ) -> int:
        key = (source_id, slug, name, is_tag, confirmed)
        known = self._section_ids.get(key)
        if known is not None:
            return known
        found = self._find_or_add_section(db, source_id, slug, name, is_tag, confirmed)
        self._section_ids[key] = found
        return found

    def _find_or_add_section(
        self,
        db: Connection,
        source_id: int,
        slug: str,
        name: str,
        is_tag: bool,
        confirmed: bool = False,
    ) -> int:
        kind, position = self._section_kind(source_id, name, is_tag)
        # By slug, else by name: a feed gives names only, and our slug guess may differ from the
        # site's (e.g. "Q&amp;A" is "qa" on WordPress).
        row = db.execute(
            "SELECT id, kind, confirmed FROM sections WHERE source_id=?"
            " AND (slug=? OR name=? COLLATE NOCASE) ORDER BY slug=? DESC LIMIT 1",
            (source_id, slug, name, slug),
        ).fetchone()
        if row:
            if confirmed and (row["kind"] != kind or not row["confirmed"]):
                # The REST API says what a term is; it also mends what a poorer source got wrong.
                db.execute("UPDATE sections SET kind=?, confirmed=1 WHERE id=?", (kind, row["id"]))
            elif is_tag and row["kind"] == SectionKind.TOPIC and not row["confirmed"]:
                # A name seen in a feed is a topic until a page's /tag/ link says it is a tag.
                db.execute("UPDATE sections SET kind=? WHERE id=?", (SectionKind.TAG, row["id"]))
            return int(row["id"])
        cursor = db.execute(
            "INSERT INTO sections (source_id, slug, name, kind, position, confirmed)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (source_id, slug, name, kind, position, int(confirmed)),
        )
        return int(cursor.lastrowid or 0)

    def mark_terms(
        self,
        categories: Mapping[int, tuple[str, str]],
        tags: Mapping[int, tuple[str, str]],
        *,
        source: Source | int,
    ) -> None:
        """Record what the REST API says each term of ``source`` is: its (slug, name) by its
        WordPress id (the ids are kept: a plain-permalink site links ``?cat=ID``)."""
        source_id = self._sid(source)
        with self._write() as db:
            # The ids as the site has them now: a term deleted there goes from here too.
            db.execute(
                "DELETE FROM source_meta WHERE source_id=? AND key LIKE ?",
                (source_id, _TERM_ID + "%"),
            )
            db.executemany(
                "INSERT OR REPLACE INTO source_meta (source_id, key, value) VALUES (?, ?, ?)",
                [
                    *(
                        (source_id, f"{_TERM_ID}{kind}:{wp_id}", slug)
                        for kind, terms in (("category", categories), ("tag", tags))
                        for wp_id, (slug, _) in terms.items()
                        if slug
                    ),
                    (source_id, _TERM_IDS_READ, "yes"),
                ],
            )
            for is_tag, named in ((False, categories), (True, tags)):
                for slug, name in named.values():
                    row = db.execute(
                        "SELECT id FROM sections WHERE source_id=? AND slug=?", (source_id, slug)
                    ).fetchone()
                    if row is not None:
                        kind, _ = self._section_kind(source_id, name, is_tag)
                        db.execute(
                            "UPDATE sections SET kind=?, confirmed=1 WHERE id=?",
                            (kind, row["id"]),
                        )

    def mark_term_ids_read(self, source: Source | int) -> None:
        """Note that ``source``'s term ids were asked for (and refused), keeping any kept."""
        self.set_source_meta(source, _TERM_IDS_READ, "yes")

    def term_ids_read(self, source: Source | int) -> bool:
        """Whether :meth:`mark_terms` kept ``source``'s term ids (a store synced before it
        kept them has only the terms' slugs and names)."""
        return self.source_meta(source, _TERM_IDS_READ) == "yes"

    def term_slugs(self, source: Source | int) -> set[str]:
        """The slugs of every term of ``source`` whose id is kept."""
        rows = self._db.execute(
            "SELECT value FROM source_meta WHERE source_id=? AND key LIKE ?",
            (self._sid(source), _TERM_ID + "%"),
        ).fetchall()
        return {str(row[0]) for row in rows}

    def mark_listed_terms(
        self,
        source: Source | int,
        listed: Callable[[str, str], tuple[str, bool] | None],
    ) -> int:
        """Set the kind of each of ``source``'s terms the REST API never confirmed by what
        ``listed(name, slug)`` says: (the site's slug, whether it is a tag), or None to leave
        it. Returns how many changed kind."""
        source_id = self._sid(source)
        changed = 0
        with self._write() as db:
            rows = db.execute(
                "SELECT id, slug, name, kind FROM sections WHERE source_id=? AND confirmed=0",
                (source_id,),
            ).fetchall()
            for row in rows:
                found = listed(row["name"], row["slug"])
                if found is None:
                    continue
                slug, is_tag = found
                kind, _ = self._section_kind(source_id, row["name"], is_tag)
                if kind != row["kind"]:
                    db.execute("UPDATE sections SET kind=? WHERE id=?", (kind, row["id"]))
                    changed += 1
                # The site's own slug, as a page's links would give it later (when free).
                db.execute(
                    "UPDATE sections SET slug=? WHERE id=? AND slug!=? AND NOT EXISTS"
                    " (SELECT 1 FROM sections WHERE source_id=? AND slug=?)",
                    (slug, row["id"], slug, source_id, slug),
                )
        return changed

    def term_slug(self, source: Source | int, kind: str, wp_id: int) -> str | None:
        """The slug of ``source``'s category or tag (``kind``) whose WordPress id is ``wp_id``,
        as its REST API last said; None when it never said."""
        found = self.source_meta(source, f"{_TERM_ID}{kind}:{wp_id}")
        return found or None

    def read_sections_ahead(self, *, source: SourceScope = None) -> None:
        """Begin reading :meth:`sections` of ``source`` in a thread, on a connection of its
        own: the first call for them takes what it read, unless this store wrote meanwhile.

        At 100,000 posts the counts take 0.15-0.5 s; the UI's imports and start-up take
        longer, and SQLite lets go of the interpreter while it counts, so begun before them
        the counts cost the first screen nothing.
        """
        where, params = self._of_source("s", source)
        found: list[list[sqlite3.Row]] = []

        def read() -> None:
            try:
                db = sqlite3.connect(self.path, timeout=1.0)
                try:
                    db.row_factory = sqlite3.Row
                    found.append(db.execute(_sections_sql(where), params).fetchall())
                finally:
                    db.close()
            except sqlite3.Error:
                pass  # the caller reads them on its own connection, which says what is wrong

        thread = threading.Thread(target=read, name="reader-counts", daemon=True)
        self._sections_ahead = ((where, tuple(params)), thread, found)
        thread.start()

    def sections(self, *, include_tags: bool = False, source: SourceScope = None) -> list[Section]:
        """Sections in configured order, then topics by name, each with counts and unread.

        Of one source, or of every source (each section saying whose it is) when ``source`` is
        None.
        """
        where, params = self._of_source("s", source)
        ahead, self._sections_ahead = self._sections_ahead, None
        rows: list[sqlite3.Row] | None = None
        if ahead is not None and ahead[0] == (where, tuple(params)):
            ahead[1].join()
            rows = ahead[2][0] if ahead[2] else None
        if rows is None:
            rows = self._db.execute(_sections_sql(where), params).fetchall()
        return [
            _section_of(r)
            for r in rows
            if r["count"] and (include_tags or r["kind"] != SectionKind.TAG)
        ]

    def sections_named(self, slugs: Sequence[str], *, source: SourceScope = None) -> list[Section]:
        """The sections, topics or tags of ``slugs`` (of ``source``) that hold posts, with
        their counts, in :meth:`sections`' order.

        One query that counts their posts alone: through :meth:`section` (every section's
        and tag's counts), ten opened tags listed at start held the first frame of a
        100,000-post store 9.4 s, against 1.4 s now.
        """
        if not slugs:
            return []
        where, params = self._of_source("s", source)
        named = f"s.slug IN ({', '.join('?' * len(slugs))})"
        sql = _sections_sql(f"{where} AND {named}" if where else named)
        rows = self._db.execute(sql, [*params, *slugs]).fetchall()
        return [_section_of(r) for r in rows if r["count"]]

    def section(self, slug: str, *, source: SourceScope = None) -> Section | None:
        """One section, topic or tag by slug (of ``source``, else of the first source with it)."""
        # Its own counts alone: every section's and tag's took 0.8 s at 100,000 posts.
        return next(iter(self.sections_named([slug], source=source)), None)

    def _of_source(self, alias: str, source: SourceScope) -> tuple[str, list[object]]:
        """A WHERE condition for rows of ``source``, or of any of several (none for all)."""
        if source is None:
            return "", []
        if isinstance(source, Source | int):
            source_id = source if isinstance(source, int) else self.source_id(source)
            return f"{alias}.source_id = ?", [source_id if source_id is not None else -1]
        # A source not stored yet has no rows: it adds nothing (and -1 keeps IN () valid).
        ids = [s if isinstance(s, int) else self.source_id(s) for s in source]
        known: list[object] = [i for i in ids if i is not None] or [-1]
        return f"{alias}.source_id IN ({', '.join('?' * len(known))})", known

    # -- posts ---------------------------------------------------------------------------

    def upsert_posts(
        self, posts: Iterable[IncomingPost], *, source: Source | int
    ) -> tuple[int, int]:
        """Insert new posts of ``source`` and update changed ones, in one transaction.

        Returns (new, updated). Only ``source``'s posts are matched: another source's post at
        the same path, with the same WordPress id or guid, is never touched.
        """
        source_id = self._sid(source)
        with_host = self._keys_with_host(source_id)
        new = updated = 0
        with self._write() as db:
            # The search index is written last, in the same transaction: a statement that needs
            # a savepoint (INSERT OR REPLACE, foreign keys) after an FTS5 write makes FTS5 flush
            # its pending terms to a segment of their own, so interleaved, every post cost a
            # flush (a cold sync of 1,000 posts: 0.2 s of its links and search writes).
            indexed: dict[int, tuple[str, str]] = {}
            batch = [(storage_key(p.url, p.guid, with_host=with_host), p) for p in posts]
            known = _Known(db, source_id, batch)
            filed: list[tuple[int, int]] = []
            for key, post in batch:
                was_new, changed = self._upsert(
                    db, source_id, with_host, post, key, indexed, known, filed
                )
                new += was_new
                updated += changed
            _file_new(db, filed)
            self._index(db, indexed)
        return new, updated

    @staticmethod
    def _index(db: Connection, indexed: dict[int, tuple[str, str]]) -> None:
        """Index the title and body text of each of ``indexed``'s posts, in place of any before."""
        if not indexed:
            return
        db.executemany("DELETE FROM search WHERE rowid=?", [(i,) for i in indexed])
        db.executemany(
            "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
            [(i, title, body) for i, (title, body) in indexed.items()],
        )

    def _keys_with_host(self, source_id: int) -> bool:
        row = self._db.execute("SELECT kind FROM sources WHERE id=?", (source_id,)).fetchone()
        return row is not None and row[0] != "site"

    def _find_existing(
        self, db: Connection, source_id: int, with_host: bool, post: IncomingPost, key: str
    ) -> sqlite3.Row | None:
        # Posts are told apart by their link first: feeds give distinct items one guid, and an
        # item without a link is never the post that has one. A WordPress id the REST API or a
        # page gives is the post's own, so a post whose address changed is still found (a
        # feed's posts may come from many sites, whose ids say nothing: not there); a linked
        # item may also adopt a post stored before under its guid alone.
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM posts WHERE source_id=? AND url_key=?", (source_id, key)
        ).fetchone()
        if row is not None or not post.url:
            return row
        if post.wp_id is not None and post.origin >= Origin.PAGE and not with_host:
            row = db.execute(_BY_WP_ID, (source_id, post.wp_id)).fetchone()
            if row is not None:
                return row
        if post.guid:
            row = db.execute(
                "SELECT * FROM posts WHERE source_id=? AND url_key=?",
                (source_id, storage_key("", post.guid, with_host=with_host)),
            ).fetchone()
        return row

    def _insert(
        self,
        db: Connection,
        source_id: int,
        key: str,
        post: IncomingPost,
        indexed: dict[int, tuple[str, str]],
    ) -> int:
        values = {
            "source_id": source_id,
            "url": post.url,
            "url_key": key,
            "guid": post.guid,
            "wp_id": post.wp_id,
            "title": post.title or _UNTITLED,
            "author": post.author,
            "published": _ts(post.published) or int(time.time()),
            "modified": _ts(post.modified),
            "excerpt": post.excerpt,
            "content": post.content or "",
            "body_origin": int(post.origin if post.content else Origin.NONE),
            "is_page": int(post.is_page),
            "utc_offset": post.utc_offset,
        }
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cursor = db.execute(
            f"INSERT INTO posts ({columns}) VALUES ({marks})", tuple(values.values())
        )
        post_id = int(cursor.lastrowid or 0)
        indexed[post_id] = (str(values["title"]), _plain(post.content or post.excerpt))
        return post_id

    def _upsert(
        self,
        db: Connection,
        source_id: int,
        with_host: bool,
        post: IncomingPost,
        key: str,
        indexed: dict[int, tuple[str, str]],
        known: _Known,
        filed: list[tuple[int, int]],
    ) -> tuple[bool, bool]:
        """Insert or update one post of a batch. A new post's categories and tags are added
        to ``filed``, for :func:`_file_new` to write with the others' in one statement (1,000
        statements in a cold sync before); any other post's filing first writes them, so that
        what it reads and replaces is what one statement a post left."""
        # The post's key is worked out once, by the caller: finding, inserting and comparing
        # all use it (three times a new post before: ~20 ms of a cold sync of 1,000 posts).
        may_exist = known.may_exist(post, key, with_host)
        known.add(post, key)
        row = self._find_existing(db, source_id, with_host, post, key) if may_exist else None
        if row is None:
            post_id = self._insert(db, source_id, key, post, indexed)
            filed.extend((post_id, section_id) for section_id in self._terms(db, source_id, post))
            self._feature(db, post_id, post, new=True)
            return True, False
        _file_new(db, filed)
        post_id = int(row["id"])
        changes, edited = self._changes(db, row, key, post)
        if changes:
            assignments = ", ".join(f"{k}=?" for k in changes)
            db.execute(f"UPDATE posts SET {assignments} WHERE id=?", (*changes.values(), post_id))
        if "title" in changes or "content" in changes:
            indexed[post_id] = (
                str(changes.get("title", row["title"])),
                _plain(str(changes.get("content", row["content"]) or row["excerpt"])),
            )
        if post.categories or post.tags:
            # The REST API's categories and tags stand until the REST API says otherwise; a
            # feed (which mixes the two) files only posts the API has not filed.
            confirmed = db.execute(
                "SELECT 1 FROM post_sections ps JOIN sections s ON s.id = ps.section_id"
                " WHERE ps.post_id=? AND s.confirmed=1 LIMIT 1",
                (post_id,),
            ).fetchone()
            if post.origin is Origin.REST or confirmed is None:
                self._file(db, source_id, post_id, post, replace_all=True)
        self._feature(db, post_id, post)
        return False, edited

    def _changes(
        self, db: Connection, row: sqlite3.Row, key: str, post: IncomingPost
    ) -> tuple[dict[str, object], bool]:
        """What ``post`` changes in the stored ``row``, and whether that is an edit of the post.

        "Updated" means the post changed on the site: its title, its text or its date. A
        richer copy of the same text (the REST API's after the feed's) replaces the stored one
        quietly, and a poorer one (a feed after the REST API) leaves it alone.
        """
        changes: dict[str, object] = {}
        edited = False
        title = post.title if post.title and post.title != _UNTITLED else row["title"]
        if title != row["title"]:
            changes["title"] = title
            edited = True
        published = _ts(post.published)
        if published is not None and published != row["published"]:
            changes["published"] = published
            edited = True
        if post.url and key != row["url_key"]:
            taken = db.execute(
                "SELECT 1 FROM posts WHERE source_id=? AND url_key=?", (row["source_id"], key)
            ).fetchone()
            if taken is None:
                changes.update(url=post.url, url_key=key)
                edited = edited or bool(row["url"])
        if post.content is not None and post.content != row["content"]:
            if not row["content"] or not same_text(post.content, row["content"]):
                changes.update(content=post.content, body_origin=int(post.origin))
                edited = edited or bool(row["content"])
            elif post.origin > row["body_origin"]:
                changes.update(content=post.content, body_origin=int(post.origin))
        richer = post.origin >= row["body_origin"]
        modified = _ts(post.modified)
        if modified is not None and (row["modified"] is None or modified > row["modified"]):
            changes["modified"] = modified
        for field, value in (("excerpt", post.excerpt), ("author", post.author)):
            if value and value != row[field] and (richer or not row[field]):
                changes[field] = value
        if not row["guid"] and post.guid:
            changes["guid"] = post.guid
        if post.wp_id not in (None, row["wp_id"]) and (
            row["wp_id"] is None or post.origin is Origin.REST
        ):
            changes["wp_id"] = post.wp_id
        if post.utc_offset is not None and post.utc_offset != row["utc_offset"]:
            changes["utc_offset"] = post.utc_offset
        if post.is_page and not row["is_page"]:
            changes["is_page"] = 1
        return changes, edited

    def _file(
        self,
        db: Connection,
        source_id: int,
        post_id: int,
        post: IncomingPost,
        *,
        replace_all: bool,
    ) -> None:
        """File the post under its categories and tags."""
        if not (post.categories or post.tags):
            return
        if replace_all:
            db.execute("DELETE FROM post_sections WHERE post_id=?", (post_id,))
        db.executemany(_FILE, [(post_id, sid) for sid in self._terms(db, source_id, post)])

    def _terms(self, db: Connection, source_id: int, post: IncomingPost) -> list[int]:
        """The sections of ``post``'s categories, then of its tags (added when new)."""
        sure = post.origin is Origin.REST
        section_ids = [
            self._section_id(db, source_id, s, n, False, sure) for s, n in post.categories
        ]
        section_ids += [self._section_id(db, source_id, s, n, True, sure) for s, n in post.tags]
        return section_ids

    def _feature(
        self, db: Connection, post_id: int, post: IncomingPost, *, new: bool = False
    ) -> None:
        """Keep the picture the source names; a feed's never replaces a richer source's.

        The REST API's (position -1) and the article page's (among its links) come with alt
        text, often full size; a feed's Media RSS picture (position :data:`_FEED_PICTURE`) has
        none, so it is kept only until one of them names the post's picture.

        A ``new`` post, inserted in this transaction, has no links to look at or take out: a
        post's links go with it (``ON DELETE CASCADE``, foreign keys on), so none can wait
        under a row id that SQLite gives again (a cold REST sync of 1,000 posts: 400 DELETEs).
        """
        featured = post.featured_image
        if featured is None:
            return
        position = -1 if post.origin is Origin.REST else _FEED_PICTURE
        if not new:
            if (
                position == _FEED_PICTURE
                and db.execute(
                    "SELECT 1 FROM links WHERE post_id=? AND kind=? AND position!=?",
                    (post_id, LinkKind.FEATURED.value, _FEED_PICTURE),
                ).fetchone()
            ):
                return
            # Before the page's own links; the REST API's is kept when the page is read again.
            db.execute(
                "DELETE FROM links WHERE post_id=? AND kind=?", (post_id, LinkKind.FEATURED.value)
            )
        db.execute(
            "INSERT OR REPLACE INTO links (post_id, position, kind, url, text)"
            " VALUES (?, ?, ?, ?, ?)",
            (post_id, position, LinkKind.FEATURED.value, featured.url, featured.text),
        )

    def save_page(
        self,
        post_id: int,
        *,
        content: str | None,
        links: Sequence[Link],
        author: str = "",
        reading_minutes: int | None = None,
        tags: Sequence[str] = (),
        exact: bool = True,
        is_page: bool = False,
        utc_offset: int | None = None,
        terms: Sequence[tuple[str, str]] = (),
    ) -> bool:
        """Store what the article page added: body, links, metadata. True when the page's text
        differs from a body the REST API gave (an edit, or a theme's additions: ask the API).

        ``exact`` says the body came from the theme's own content element, not a guess at the
        whole ``<article>``: only then may it replace a stored body whose text differs.
        ``terms`` are the (slug, name) of the page's category and tag links: the site's own
        slugs, which replace the ones guessed from a feed's names.
        """
        with self._write() as db:
            row = db.execute(
                "SELECT content, author, title, excerpt, body_origin, utc_offset, source_id"
                " FROM posts WHERE id=?",
                (post_id,),
            ).fetchone()
            if row is None:
                return False
            body, origin, differs = row["content"], row["body_origin"], False
            if content and content != body:
                if not body:
                    body, origin = content, Origin.PAGE
                elif not same_text(content, body):
                    if row["body_origin"] >= Origin.REST:
                        differs = True
                    elif exact:
                        # The page is read now: newer than the feed copy the store had.
                        body, origin = content, Origin.PAGE
                elif row["body_origin"] < Origin.PAGE:
                    body, origin = content, Origin.PAGE
            db.execute(
                "UPDATE posts SET content=?, body_origin=?, author=?, reading_minutes=?,"
                " page_fetched=1, is_page=MAX(is_page, ?), utc_offset=COALESCE(utc_offset, ?)"
                " WHERE id=?",
                (
                    body,
                    int(origin),
                    row["author"] or author,
                    reading_minutes,
                    int(is_page),
                    utc_offset,
                    post_id,
                ),
            )
            from_rest = db.execute(
                "SELECT 1 FROM links WHERE post_id=? AND kind=? AND position=-1",
                (post_id, LinkKind.FEATURED.value),
            ).fetchone()
            if from_rest is not None:
                # The REST API's featured image (with its alt text) wins over the page's.
                links = [link for link in links if link.kind is not LinkKind.FEATURED]
                db.execute("DELETE FROM links WHERE post_id=? AND position != -1", (post_id,))
            elif any(link.kind is LinkKind.FEATURED for link in links):
                # The page's featured image (with its alt text) wins over a feed's picture.
                db.execute("DELETE FROM links WHERE post_id=?", (post_id,))
            else:
                db.execute(
                    "DELETE FROM links WHERE post_id=? AND position!=?", (post_id, _FEED_PICTURE)
                )
            db.executemany(
                "INSERT INTO links (post_id, position, kind, url, text) VALUES (?, ?, ?, ?, ?)",
                [(post_id, i, ln.kind.value, ln.url, ln.text) for i, ln in enumerate(links)],
            )
            source_id = row["source_id"]
            for slug, name in terms:
                db.execute(
                    "UPDATE sections SET slug=? WHERE source_id=? AND name=? COLLATE NOCASE"
                    " AND slug!=? AND confirmed=0 AND NOT EXISTS"
                    " (SELECT 1 FROM sections WHERE source_id=? AND slug=?)",
                    (slug, source_id, name, slug, source_id, slug),
                )
            if tags:
                # A page's /tag/ link says a feed's name is a tag; never what the API said.
                db.executemany(
                    "UPDATE sections SET kind=? WHERE source_id=? AND slug=? AND kind=?"
                    " AND confirmed=0",
                    [(SectionKind.TAG, source_id, slug, SectionKind.TOPIC) for slug in tags],
                )
            if body != row["content"]:
                db.execute("DELETE FROM search WHERE rowid=?", (post_id,))
                db.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (post_id, row["title"], _plain(body or row["excerpt"])),
                )
            return differs

    def _summary(self, row: sqlite3.Row) -> PostSummary:
        published = self._local(row["published"], row["utc_offset"], row["source_id"])
        assert published is not None
        return PostSummary(
            id=row["id"],
            title=row["title"],
            url=row["url"],
            published=published,
            read=bool(row["read"]),
            bookmarked=bool(row["bookmarked"]),
            source_id=row["source_id"],
        )

    _SUMMARY_COLUMNS = (
        "p.id, p.title, p.url, p.published, p.utc_offset, p.read, p.source_id, "
        "EXISTS (SELECT 1 FROM bookmarks b WHERE b.url_key = p.url_key"
        " AND b.source_id = p.source_id) AS bookmarked"
    )

    def posts_in(
        self,
        slug: str | None = None,
        *,
        limit: int | None = None,
        source: SourceScope = None,
        unread: bool = False,
    ) -> list[PostSummary]:
        """Posts of a section or topic (all posts when ``slug`` is None), newest first.

        Of one source, or of every source when ``source`` is None; only unread ones when
        ``unread``.
        """
        sql = f"SELECT {self._SUMMARY_COLUMNS} FROM posts p"
        # WordPress Pages are readable and kept, but they are not posts of any list.
        conditions: list[str] = ["p.is_page = 0"]
        params: list[object] = []
        if slug is not None:
            sql += (
                " JOIN post_sections ps ON ps.post_id = p.id"
                " JOIN sections s ON s.id = ps.section_id"
            )
            conditions.append("s.slug = ?")
            params.append(slug)
        where, more = self._of_source("p", source)
        if where:
            conditions.append(where)
            params.extend(more)
        if unread:
            conditions.append("p.read = 0")
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " ORDER BY p.published DESC, p.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._summary(r) for r in self._db.execute(sql, params)]

    def last_modified(self, *, source: Source | int) -> datetime | None:
        """The latest edit of any of ``source``'s posts (UTC), where sync asks the site from."""
        stamp = self._db.execute(
            "SELECT MAX(modified) FROM posts WHERE source_id=?", (self._sid(source),)
        ).fetchone()[0]
        return None if stamp is None else datetime.fromtimestamp(stamp, UTC)

    # The counts name their index: left to choose, SQLite reads the posts' rows (whole bodies
    # in overflow pages) to learn is_page or read, a hundred times slower (see posts_counted).

    def count_posts(self, *, source: SourceScope = None) -> int:
        """How many posts the store (or one source) holds."""
        where, params = self._of_source("p", source)
        sql = "SELECT COUNT(*) FROM posts p INDEXED BY posts_counted WHERE p.is_page = 0" + (
            f" AND {where}" if where else ""
        )
        return int(self._db.execute(sql, params).fetchone()[0])

    def unread_count(self, *, source: SourceScope = None) -> int:
        """How many posts (of every source, or of one) are unread."""
        where, params = self._of_source("p", source)
        sql = (
            "SELECT COUNT(*) FROM posts p INDEXED BY posts_counted WHERE p.read=0 AND p.is_page = 0"
            + (f" AND {where}" if where else "")
        )
        return int(self._db.execute(sql, params).fetchone()[0])

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
            "SELECT 1 FROM bookmarks WHERE url_key=? AND source_id=?",
            (row["url_key"], row["source_id"]),
        ).fetchone()
        return Post(
            id=row["id"],
            url=row["url"],
            title=row["title"],
            author=row["author"],
            published=self._local(row["published"], row["utc_offset"], row["source_id"]),
            modified=self._local(row["modified"], row["utc_offset"], row["source_id"]),
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
            source_id=row["source_id"],
        )

    def find_post(self, url: str, *, source: SourceScope = None) -> Post | None:
        """The stored post a URL points to, whatever its spelling (see ``urls.post_key``).

        Across every source (or within ``source``): a post matches when its source's site or
        its own address is on the URL's host, so two sites with a post at the same path are
        told apart.
        """
        where, params = self._of_source("p", source)
        scope = f" AND {where}" if where else ""
        row = None
        post_id = shortlink_id(url)
        if post_id is not None:
            row = self._on_host(
                url, f"p.wp_id=?{scope}", [post_id, *params], feeds=False
            ) or self._on_host(url, f"p.guid LIKE ?{scope}", [f"%?p={post_id}", *params])
        if row is None:
            keys = [storage_key(url), storage_key(url, with_host=True)]
            row = self._on_host(url, f"p.url_key IN (?, ?){scope}", [*keys, *params])
        return None if row is None else self._post(row)

    def _on_host(
        self, url: str, condition: str, params: list[object], *, feeds: bool = True
    ) -> sqlite3.Row | None:
        """The first post meeting ``condition`` whose source or address is on ``url``'s host."""
        rows: list[sqlite3.Row] = self._db.execute(
            "SELECT p.*, s.url AS source_url, s.kind AS source_kind FROM posts p"
            f" JOIN sources s ON s.id = p.source_id WHERE {condition} ORDER BY p.source_id",
            params,
        ).fetchall()
        where = host_and_port(url)
        for row in rows:
            if row["source_kind"] != "site" and not feeds:
                continue
            if not where or host_and_port(row["url"]) == where:
                return row
            if row["source_kind"] == "site" and same_site(url, row["source_url"]):
                return row
        return None

    def neighbour(self, post_id: int, *, newer: bool) -> PostSummary | None:
        """The next post of the same source by date: when a page gives no post navigation."""
        row = self._db.execute(
            "SELECT published, id, source_id FROM posts WHERE id=?", (post_id,)
        ).fetchone()
        if row is None:
            return None
        if newer:
            sql = (
                f"SELECT {self._SUMMARY_COLUMNS} FROM posts p WHERE p.source_id = ?"
                " AND p.is_page = 0 AND (p.published, p.id) > (?, ?)"
                " ORDER BY p.published, p.id LIMIT 1"
            )
        else:
            sql = (
                f"SELECT {self._SUMMARY_COLUMNS} FROM posts p WHERE p.source_id = ?"
                " AND p.is_page = 0 AND (p.published, p.id) < (?, ?)"
                " ORDER BY p.published DESC, p.id DESC LIMIT 1"
            )
        found = self._db.execute(sql, (row["source_id"], row["published"], row["id"])).fetchone()
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

    def mark_all_read(self, slug: str | None = None, *, source: SourceScope = None) -> int:
        """Mark every post of a list read (of one source, or of all); returns how many changed."""
        where, params = self._of_source("p", source)
        scope = f" AND {where}" if where else ""
        with self._write() as db:
            if slug is None:
                cursor = db.execute(
                    f"UPDATE posts AS p SET read=1 WHERE read=0 AND is_page=0{scope}", params
                )
            else:
                cursor = db.execute(
                    f"""UPDATE posts AS p SET read=1 WHERE read=0{scope} AND id IN (
                       SELECT ps.post_id FROM post_sections ps JOIN sections s
                       ON s.id = ps.section_id WHERE s.slug=?)""",
                    [*params, slug],
                )
            return cursor.rowcount

    # -- bookmarks -----------------------------------------------------------------------

    def add_bookmark(self, post: Post, *, created: datetime | None = None) -> Bookmark:
        """Bookmark a post with a snapshot of the whole article, in one transaction."""
        when = created or datetime.now(UTC)
        snapshot = _snapshot(post)
        with self._write() as db:
            source_id, key = self._bookmark_place(db, post)
            db.execute(
                """INSERT INTO bookmarks (source_id, url_key, url, title, created, snapshot)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (url_key, source_id) DO UPDATE SET snapshot=excluded.snapshot,
                   title=excluded.title""",
                (source_id, key, post.url, post.title, _ts(when), snapshot),
            )
        return Bookmark(
            post.url, post.title, when, replace(post, bookmarked=True, source_id=source_id)
        )

    def _bookmark_place(self, db: Connection, post: Post) -> tuple[int, str]:
        """(source id, key) a bookmark of ``post`` is kept under: its source's, or a guess."""
        row = None
        if post.source_id > 0:
            row = db.execute(
                "SELECT id, kind FROM sources WHERE id=?", (post.source_id,)
            ).fetchone()
        if row is None:
            stored = self.find_post(post.url) if post.url else None
            if stored is not None:
                row = db.execute(
                    "SELECT id, kind FROM sources WHERE id=?", (stored.source_id,)
                ).fetchone()
        if row is None:
            row = self._source_on_host(db, post.url)
        return int(row["id"]), storage_key(post.url, post.guid, with_host=row["kind"] != "site")

    def _source_on_host(self, db: Connection, url: str) -> sqlite3.Row:
        """The source whose site ``url`` is on; else a new one for that site (``legacy``).

        A bookmark imported from another store may be of a site this one never read: it is
        kept under a source of its own, which the site adopts when it is added.
        """
        rows: list[sqlite3.Row] = db.execute(
            "SELECT id, kind, url FROM sources ORDER BY id"
        ).fetchall()
        where = host_and_port(url)
        for row in rows:
            if row["url"] and where and host_and_port(row["url"]) == where:
                return row
        # The host's root, not site_root(url): that keeps the path, and the url here is a
        # post's (a bookmark), so 'sources list' named the post as the site.
        parts = urlsplit(url)
        home = urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], "/", "", ""))
        root = site_root(home) if where else ""
        key = source_key(root, is_site=True) if root else "legacy:"
        found: sqlite3.Row | None = db.execute(
            "SELECT id, kind, url FROM sources WHERE key=?", (key,)
        ).fetchone()
        if found is not None:
            return found
        db.execute(
            "INSERT INTO sources (key, kind, url, legacy) VALUES (?, 'site', ?, 1)", (key, root)
        )
        found = db.execute("SELECT id, kind, url FROM sources WHERE key=?", (key,)).fetchone()
        assert found is not None
        return found

    def _bookmark_row(self, url: str, guid: str = "") -> sqlite3.Row | None:
        """The bookmark of ``url`` (any spelling, any source whose host it is on)."""
        keys = [storage_key(url, guid), storage_key(url, guid, with_host=True)]
        rows: list[sqlite3.Row] = self._db.execute(
            f"{self._BOOKMARK_SELECT} JOIN sources s ON s.id = b.source_id"
            " WHERE b.url_key IN (?, ?) ORDER BY b.source_id",
            keys,
        ).fetchall()
        where = host_and_port(url)
        for row in rows:
            if not where or host_and_port(row["url"]) == where:
                return row
        for row in rows:
            if same_site(url, row["source_url"]):
                return row
        return None

    def remove_bookmark(self, url: str, guid: str = "") -> bool:
        """Remove the bookmark for ``url``; True when there was one."""
        row = self._bookmark_row(url, guid)
        if row is None:
            return False
        with self._write() as db:
            cursor = db.execute("DELETE FROM bookmarks WHERE id=?", (row["bookmark_id"],))
            return cursor.rowcount > 0

    def is_bookmarked(self, url: str, guid: str = "") -> bool:
        """True when ``url`` is bookmarked."""
        return self._bookmark_row(url, guid) is not None

    def bookmarks(self, query: str = "", *, source: SourceScope = None) -> list[Bookmark]:
        """Bookmarks newest first, optionally only those whose title or text has ``query``."""
        where, params = self._of_source("b", source)
        rows = self._db.execute(
            f"{self._BOOKMARK_SELECT} JOIN sources s ON s.id = b.source_id"
            f"{' WHERE ' + where if where else ''} ORDER BY b.created DESC, b.id DESC",
            params,
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

    def bookmark_count(self, *, source: SourceScope = None) -> int:
        """How many bookmarks there are, without reading their snapshots."""
        where, params = self._of_source("b", source)
        sql = "SELECT COUNT(*) FROM bookmarks b" + (f" WHERE {where}" if where else "")
        return int(self._db.execute(sql, params).fetchone()[0])

    def bookmark(self, url: str, guid: str = "") -> Bookmark | None:
        """The bookmark for ``url`` (any spelling), or None."""
        row = self._bookmark_row(url, guid)
        return None if row is None else _bookmark_from_row(row)

    def find_readable(self, url: str) -> Post | None:
        """The stored post at ``url``, else its bookmark's snapshot (a post the store let go)."""
        post = self.find_post(url)
        if post is not None:
            return post
        bookmark = self.bookmark(url)
        return bookmark.post if bookmark is not None else None

    def import_bookmarks(self, bookmarks: Sequence[Bookmark]) -> int:
        """Add bookmarks in one transaction, keeping existing ones; returns how many were new.

        Each goes to the source its address is on (one is made for a site this store never
        read), so an import never files one site's bookmark under another.
        """
        added = 0
        # Oldest first, so that bookmarks made in the same second (the store keeps seconds) list
        # in the same order after an import as before it; an export lists them newest first.
        oldest_first = sorted(reversed(bookmarks), key=lambda bookmark: bookmark.created)
        with self._write() as db:
            for bookmark in oldest_first:
                post = replace(bookmark.post, source_id=0, url=bookmark.post.url or bookmark.url)
                source_id, key = self._bookmark_place(db, post)
                cursor = db.execute(
                    """INSERT INTO bookmarks (source_id, url_key, url, title, created, snapshot)
                       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url_key, source_id) DO NOTHING""",
                    (
                        source_id,
                        key,
                        bookmark.url,
                        bookmark.title,
                        _ts(bookmark.created),
                        _snapshot(replace(bookmark.post, source_id=source_id)),
                    ),
                )
                added += cursor.rowcount
        return added

    # The snapshot's id was this post's id when it was taken, maybe in another store (an
    # import): only the live post's id may be used here, so the UI never marks read or
    # bookmarks some other post that now has that number. A bookmark whose post is gone gets
    # its own negative id, which no stored post has.
    _BOOKMARK_SELECT = (
        "SELECT b.id AS bookmark_id, b.url, b.title, b.created, b.snapshot, b.source_id,"
        " s.url AS source_url, p.id AS post_id FROM bookmarks b"
        " LEFT JOIN posts p ON p.url_key = b.url_key AND p.source_id = b.source_id"
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

    def search(self, query: str, *, limit: int = 50, source: SourceScope = None) -> list[SearchHit]:
        """Ranked full-text search over titles and bodies; the query is taken literally."""
        words = [w for w in re.findall(r"\w+", query, flags=re.UNICODE) if w]
        if not words:
            return []
        # Each word quoted as an FTS5 string (doubling quotes), so NEAR, *, " and AND are text.
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        prefix = query.rstrip()[-1:].isalnum()
        match = match[:-1] + '"*' if prefix else match
        try:
            # Posts whose title has every word come first: BM25 alone, title weighted, still
            # put short bodies that repeat the words above the post the words name. Asked
            # apart, the title's matches are few, and when they fill the page the whole
            # text's (every post with the words: the dear part) is never ranked at all.
            titled = self._ranked(f"title : ({match})", limit, source, set())
            rows = list(titled)
            if len(rows) < limit:
                rows += self._ranked(match, limit - len(rows), source, {r["id"] for r in rows})
            snippets = self._fts_snippets(match, [r["id"] for r in rows[len(titled) :]])
        except sqlite3.OperationalError:
            return []
        # The title's query marks words in the title only: those hits' snippets are made
        # from their bodies (see search_snippet), read in one statement.
        bodies = self._bodies([r["id"] for r in titled])
        hits = []
        for i, row in enumerate(rows):
            if i < len(titled):
                text = snippet_of(bodies.get(row["id"], ""), words, last_is_prefix=prefix)
            else:
                text = snippets.get(row["id"], "")
            hits.append(SearchHit(self._summary(row), _tidy_snippet(text)))
        return hits

    def _bodies(self, ids: Sequence[int]) -> dict[int, str]:
        """The indexed text of each of ``ids``' bodies."""
        if not ids:
            return {}
        return {
            rowid: body or ""
            for rowid, body in self._db.execute(
                f"SELECT rowid, body FROM search WHERE rowid IN ({', '.join('?' * len(ids))})",
                tuple(ids),
            ).fetchall()
        }

    def _ranked(
        self, match: str, limit: int, source: SourceScope, skip: set[int]
    ) -> list[sqlite3.Row]:
        """Up to ``limit`` posts of ``source`` matching ``match`` best first (BM25, title
        weighted), leaving out ``skip`` and pages.

        The index is ranked alone and the posts read for its best rowids only: ranked joined
        with ``posts``, every match's row was read before the ranking (a post's row holds its
        body), 6,000 of them for a word of a few titles at 100,000 posts, 4x the ranking's own
        time. When pages, other sources or ``skip`` leave too few, more of the ranking is read.
        """
        where, params = self._of_source("p", source)
        ask = limit + len(skip)
        while True:
            ranked = [
                row[0]
                for row in self._db.execute(
                    "SELECT rowid FROM search WHERE search MATCH ?"
                    " ORDER BY bm25(search, 5.0, 1.0) LIMIT ?",
                    (match, ask),
                ).fetchall()
            ]
            wanted = [rowid for rowid in ranked if rowid not in skip]
            rows = self._summaries_of(wanted, where, params)
            if len(rows) >= limit or len(ranked) < ask:
                return rows[:limit]
            ask *= 4

    def _summaries_of(
        self, ids: Sequence[int], where: str, params: Sequence[object]
    ) -> list[sqlite3.Row]:
        """The rows of the posts of ``ids`` (in that order) that are not pages and meet
        ``where``."""
        if not ids:
            return []
        # NOT INDEXED: with the source's condition SQLite chose posts_counted (source, page)
        # and walked every post of the source for the 50 rowids, 11 ms at 100,000 posts.
        found = {
            row["id"]: row
            for row in self._db.execute(
                f"SELECT {self._SUMMARY_COLUMNS} FROM posts p NOT INDEXED"
                f" WHERE p.id IN ({', '.join('?' * len(ids))}) AND p.is_page = 0"
                f" {'AND ' + where if where else ''}",
                (*ids, *params),
            ).fetchall()
        }
        return [found[rowid] for rowid in ids if rowid in found]

    def _fts_snippets(self, match: str, ids: Sequence[int]) -> dict[int, str]:
        """SQLite's own snippet of the body under ``match`` for each of ``ids`` (asked for these
        alone: in the ranking's query it was made for every match before the best were kept)."""
        if not ids:
            return {}
        return {
            rowid: text
            for rowid, text in self._db.execute(
                "SELECT rowid, snippet(search, 1, '\x02', '\x03', '…', 12) FROM search"
                f" WHERE search MATCH ? AND rowid IN ({', '.join('?' * len(ids))})",
                (match, *ids),
            ).fetchall()
        }


class _Known:
    """The keys and WordPress ids a batch's posts could find among the source's stored posts.

    Looked up for the whole batch in a few statements, so a post none of whose keys is there
    is known to be new without its own look-ups (three statements a post before: 3,000 for a
    cold sync of 1,000 posts over REST). Each post of the batch adds its own (inserted, or
    given to the row it updates), so a post met twice in one batch is still found.
    """

    _CHUNK = 500
    """Keys per statement (older SQLite allows 999 parameters)."""

    def __init__(
        self, db: Connection, source_id: int, batch: Sequence[tuple[str, IncomingPost]]
    ) -> None:
        keys = {key for key, _ in batch}
        keys.update(storage_key("", post.guid) for _, post in batch if post.guid)
        wp_ids = {post.wp_id for _, post in batch if post.wp_id is not None}
        self.keys = self._found(db, source_id, "url_key", sorted(keys))
        self.wp_ids = self._found(db, source_id, "wp_id", sorted(wp_ids))

    @classmethod
    def _found(
        cls, db: Connection, source_id: int, column: str, values: Sequence[object]
    ) -> set[object]:
        found: set[object] = set()
        for start in range(0, len(values), cls._CHUNK):
            chunk = values[start : start + cls._CHUNK]
            marks = ", ".join("?" * len(chunk))
            found.update(
                row[0]
                for row in db.execute(
                    f"SELECT {column} FROM posts WHERE source_id=? AND {column} IN ({marks})",
                    (source_id, *chunk),
                )
            )
        return found

    def may_exist(self, post: IncomingPost, key: str, with_host: bool) -> bool:
        """False when :meth:`Store._find_existing` can find no row for ``post``."""
        if key in self.keys:
            return True
        if not post.url:
            return False
        if post.wp_id is not None and post.wp_id in self.wp_ids:
            return True
        return bool(post.guid) and storage_key("", post.guid, with_host=with_host) in self.keys

    def add(self, post: IncomingPost, key: str) -> None:
        """``post`` is stored under ``key`` (and its WordPress id) from now on."""
        self.keys.add(key)
        if post.wp_id is not None:
            self.wp_ids.add(post.wp_id)


_FILE = "INSERT OR IGNORE INTO post_sections (post_id, section_id) VALUES (?, ?)"


def _file_new(db: Connection, filed: list[tuple[int, int]]) -> None:
    """Write the (post, section) pairs gathered in ``filed`` (see :meth:`Store._upsert`)."""
    if filed:
        db.executemany(_FILE, filed)
        filed.clear()


def _rekey(db: Connection, source_id: int, *, with_host: bool) -> None:
    """Re-key a source's posts and bookmarks when it turns out to be a feed, or a site."""
    for table in ("posts", "bookmarks"):
        guid = "guid" if table == "posts" else "''"
        rows = db.execute(
            f"SELECT id, url, {guid} FROM {table} WHERE source_id=?", (source_id,)
        ).fetchall()
        db.executemany(
            f"UPDATE OR IGNORE {table} SET url_key=? WHERE id=?",
            [(storage_key(url, g, with_host=with_host), i) for i, url, g in rows],
        )


def _bookmark_from_row(row: sqlite3.Row) -> Bookmark:
    post = post_from_json(json.loads(row["snapshot"]))
    post = replace(
        post,
        id=row["post_id"] if row["post_id"] is not None else -row["bookmark_id"],
        source_id=row["source_id"],
    )
    when = datetime.fromtimestamp(row["created"], UTC)
    return Bookmark(row["url"], row["title"], when, post)


def _snapshot(post: Post) -> str:
    """The text kept in the bookmarks table: the whole post, marked bookmarked."""
    return json.dumps(post_to_json(replace(post, bookmarked=True)))
