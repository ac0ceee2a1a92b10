"""The store's SQLite file: opening it, knowing it is ours, WAL, transactions, schema upgrades.

WAL mode so a second reader (or ``reader sync`` from cron) can read while one writes; a busy
timeout so two writers wait for each other instead of failing; every write in one short
transaction so a kill at any moment leaves either the old or the new state. The schema is
versioned with ``PRAGMA user_version`` and upgraded in place, never by dropping tables that hold
bookmarks or read state. What SQLite reports about the file becomes a :class:`StoreError` that
says what kind of trouble it is (:mod:`reader.core.store_errors`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.core.store_errors import (
    StoreError,
    StoreProblem,
    explain,
    full_disk,
    is_about_the_file,
    is_corruption,
    read_only,
    record_damage,
    recorded_damage,
    writable,
)

if TYPE_CHECKING:
    # The upgrade from schema 1 is imported when a store of that schema is opened: every
    # start imported it (1-2 ms), for stores that are years past it.
    from reader.core.store_upgrade import UpgradeStep

_log = logging.getLogger("reader.store")

SCHEMA_VERSION = 5
OLDEST_READ_AS_IS = 4
"""The oldest schema this reader reads without upgrading it (a store it may not write):
schema 5 only adds ``refresh_failures``, which a schema-4 store is read as having empty."""
STORE_FILE = "reader.sqlite3"
_APPLICATION_ID = 0x52454144  # "READ": tells our store apart from someone else's SQLite file.

# Every row belongs to one source: posts, sections and bookmarks are unique within theirs, so
# two sites with a post at the same path never touch each other's rows.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    legacy INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS source_meta (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (source_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
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
    read INTEGER NOT NULL DEFAULT 0,
    body_origin INTEGER NOT NULL DEFAULT 0,
    is_page INTEGER NOT NULL DEFAULT 0,
    utc_offset INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS posts_by_key ON posts (url_key, source_id);
CREATE INDEX IF NOT EXISTS posts_by_date ON posts (published DESC, id DESC);
CREATE INDEX IF NOT EXISTS posts_by_source ON posts (source_id, published DESC, id DESC);
CREATE INDEX IF NOT EXISTS posts_by_wp_id ON posts (wp_id, source_id);
CREATE INDEX IF NOT EXISTS posts_by_guid ON posts (guid, source_id);
CREATE INDEX IF NOT EXISTS posts_unread ON posts (read, source_id);
-- Counting reads only these: a post's row holds its whole body in overflow pages, and
-- read and is_page come after it, so a count over the rows reads every body (schema 4).
CREATE INDEX IF NOT EXISTS posts_counted ON posts (source_id, is_page, read);
CREATE INDEX IF NOT EXISTS posts_flags ON posts (id, is_page, read);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 1000,
    confirmed INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS sections_by_slug ON sections (source_id, slug);
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
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    url_key TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    created INTEGER NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS bookmarks_by_key ON bookmarks (url_key, source_id);
CREATE TABLE IF NOT EXISTS validators (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    PRIMARY KEY (source_id, url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
-- What each source's last refresh hit when it failed, until one succeeds, so a start shows it
-- (schema 5). By the source's key, not its id: a first read that failed leaves no source row.
CREATE TABLE IF NOT EXISTS refresh_failures (
    source_key TEXT PRIMARY KEY,
    message TEXT NOT NULL,
    offline INTEGER NOT NULL DEFAULT 0,
    failed_at INTEGER NOT NULL
) WITHOUT ROWID;
"""


class Cursor:
    """A cursor of the store's :class:`Connection`: rows, with file errors explained."""

    __slots__ = ("_connection", "_cursor")

    def __init__(self, cursor: sqlite3.Cursor, connection: Connection) -> None:
        self._cursor = cursor
        self._connection = connection

    def fetchone(self) -> Any:
        """The next row, or None."""
        try:
            return self._cursor.fetchone()
        except sqlite3.DatabaseError as error:
            raise self._connection.failed(error) from error

    def fetchall(self) -> list[Any]:
        """Every remaining row."""
        try:
            return self._cursor.fetchall()
        except sqlite3.DatabaseError as error:
            raise self._connection.failed(error) from error

    def __iter__(self) -> Iterator[Any]:
        try:
            yield from self._cursor
        except sqlite3.DatabaseError as error:
            raise self._connection.failed(error) from error

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the row the last INSERT made."""
        return self._cursor.lastrowid

    @property
    def rowcount(self) -> int:
        """How many rows the last statement changed."""
        return self._cursor.rowcount


class Connection:
    """The store's SQLite connection. What SQLite reports about the file (full, read-only,
    locked, corrupt) becomes a :class:`StoreError` that says which; SQL mistakes stay bugs.

    Damage seen through it is recorded beside the file and makes the connection read-only at
    once, so nothing more is written to a damaged store by this process or any later one.
    """

    def __init__(
        self,
        raw: sqlite3.Connection,
        path: Path,
        *,
        read_only: StoreError | None = None,
        immutable: bool = False,
    ) -> None:
        self.raw = raw
        """The sqlite3 connection underneath."""
        self.path = path
        """The store's file."""
        self.read_only = read_only
        """Why this store may not be written (a full disk, damage, a read-only folder), or None."""
        self.immutable = immutable
        """True when opened with SQLite's ``immutable`` flag (no locks: a last resort)."""
        self.raw_read_only = read_only is not None
        """True when SQLite itself was asked for a read-only connection."""

    def execute(self, sql: str, parameters: Sequence[object] | Mapping[str, object] = ()) -> Cursor:
        """Run one statement."""
        try:
            return Cursor(self.raw.execute(sql, parameters), self)
        except sqlite3.DatabaseError as error:
            raise self.failed(error) from error

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> Cursor:
        """Run one statement for each of ``rows``."""
        try:
            return Cursor(self.raw.executemany(sql, rows), self)
        except sqlite3.DatabaseError as error:
            raise self.failed(error) from error

    def executescript(self, script: str) -> None:
        """Run several statements (the schema)."""
        try:
            self.raw.executescript(script)
        except sqlite3.DatabaseError as error:
            raise self.failed(error) from error

    def commit(self) -> None:
        """Commit an open transaction (the store runs in autocommit: only tests open one)."""
        try:
            self.raw.commit()
        except sqlite3.DatabaseError as error:
            raise self.failed(error) from error

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open."""
        return self.raw.in_transaction

    def close(self) -> None:
        """Close the connection; SQLite checkpoints the WAL."""
        self.raw.close()

    def failed(self, error: sqlite3.DatabaseError) -> Exception:
        """The exception to raise for ``error``: a :class:`StoreError` when it is about the file."""
        if not is_about_the_file(error):
            return error
        problem = explain(error, self.path)
        _log.warning("%s (SQLite: %s)", problem, error)
        if problem.problem is StoreProblem.DAMAGED:
            if self.immutable:
                # Without locks, another process writing right now looks like damage: say so,
                # and never mark a store damaged on that evidence.
                return StoreError(
                    f"Could not read {self.path} ({problem.detail}) while its disk is full;"
                    " try again once some space is free.",
                    problem=StoreProblem.UNREADABLE,
                    path=self.path,
                )
            self.mark_damaged(problem)
        return problem

    def mark_damaged(self, problem: StoreError) -> None:
        """Damage was seen: remember it beside the file and never write through this again."""
        record_damage(self.path, problem.detail)
        self.read_only = problem
        if self.immutable or self.raw_read_only:
            return
        # Closing the last read-write connection checkpoints the WAL into the file: a write
        # to the damaged store. A read-only connection opened first makes this one not the
        # last, and cannot checkpoint itself, so the WAL stays beside the file, still read.
        try:
            replacement = _connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
            replacement.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self.raw.execute("PRAGMA query_only=1")
            return
        self.raw.close()
        self.raw = replacement
        self.raw_read_only = True


def open_store_file(path: Path) -> Connection:
    """The store at ``path``, created or upgraded; opened read-only when it may not be written
    (a read-only folder, a full disk, damage seen now or earlier)."""
    known = recorded_damage(path)
    if known is not None:
        return _open_read_only(path, because=known)
    existed = path.exists() and path.stat().st_size > 0
    raw: sqlite3.Connection | None = None
    try:
        raw = _connect(str(path))
        identity = _identity(raw)
    except sqlite3.DatabaseError as error:
        if raw is not None:
            raw.close()
        problem = explain(error, path)
        if not existed and problem.problem is not StoreProblem.FULL and not writable(path):
            raise StoreError(
                f"Cannot create the store {path}: its folder is read-only.",
                problem=StoreProblem.READ_ONLY,
                path=path,
            ) from None
        if existed and not writable(path):
            # SQLite cannot make the WAL's shared-memory file beside a store it may not
            # write; read-only it can still open it, so listing and reading keep working.
            problem = read_only(path)
        if existed and problem.problem in _READABLE_ANYWAY:
            if problem.problem is StoreProblem.DAMAGED:
                record_damage(path, problem.detail)
            return _open_read_only(path, because=problem)
        raise problem from None
    db = Connection(raw, path)
    _check_identity(db, path, existed, identity)
    try:
        _use_wal(raw)
        raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute("PRAGMA foreign_keys=ON")
        raw.execute("PRAGMA busy_timeout=10000")
        if identity.version < SCHEMA_VERSION:
            _upgrade(raw)
    except sqlite3.DatabaseError as error:
        raw.close()
        problem = explain(error, path)
        readable = OLDEST_READ_AS_IS <= identity.version <= SCHEMA_VERSION
        if existed and readable and problem.problem in _READABLE_ANYWAY:
            return _open_read_only(path, because=problem)
        raise problem from None
    return db


# Troubles that still let the store be read: it is opened read-only and says why on a write.
_READABLE_ANYWAY = frozenset({StoreProblem.FULL, StoreProblem.READ_ONLY, StoreProblem.DAMAGED})


_SCHEMA_STATEMENTS = [s.strip() for s in _SCHEMA.split(";") if s.strip()]

_ADDED_IN_3 = (
    # Where each body came from (a poorer source never replaces a richer one), WordPress Pages
    # kept apart from posts, the offset of the site's clock for each post, and which
    # categories and tags the REST API confirmed.
    ("posts", "body_origin", "INTEGER NOT NULL DEFAULT 0"),
    ("posts", "is_page", "INTEGER NOT NULL DEFAULT 0"),
    ("posts", "utc_offset", "INTEGER"),
    ("sections", "confirmed", "INTEGER NOT NULL DEFAULT 0"),
)
"""Columns schema 3 adds to schema 2's tables: (table, column, declaration)."""

# The bodies a store from before schema 3 holds came from the REST API when its source had
# one (the first sync takes every post from it), else from the feed.
_BODIES_BEFORE_3 = (
    "UPDATE posts SET body_origin = CASE WHEN EXISTS (SELECT 1 FROM source_meta m"
    " WHERE m.source_id = posts.source_id AND m.key = 'has_rest_api' AND m.value = 'yes')"
    " THEN 3 ELSE 1 END WHERE body_origin = 0 AND content != ''"
)


def _upgrade_from_2(db: sqlite3.Connection) -> None:
    """Schema 2 to 3, in the caller's transaction: columns added, nothing rebuilt."""
    for table, column, declaration in _ADDED_IN_3:
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


upgrade_step: UpgradeStep | None = None
"""Called at each step of an upgrade; tests use it to kill an upgrade half-way."""


def _upgrade(db: sqlite3.Connection) -> None:
    """Create or upgrade the schema in one transaction: a kill leaves the old one whole."""
    # Tables are rebuilt by copy and rename; with foreign keys on, dropping the old posts
    # table would first delete every row that refers to it. The pragma is a no-op inside a
    # transaction, so it is set before BEGIN.
    # It runs on the raw connection: any SQLite error rolls back here, and the caller says
    # what kind of trouble it was.
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another reader may have created or upgraded the store while this one waited.
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version < SCHEMA_VERSION:
                if version == 1:
                    from reader.core.store_upgrade import upgrade_from_1

                    upgrade_from_1(db, _SCHEMA_STATEMENTS, upgrade_step)
                elif version == 2:
                    _upgrade_from_2(db)
                    for statement in _SCHEMA_STATEMENTS:
                        db.execute(statement)
                else:
                    for statement in _SCHEMA_STATEMENTS:
                        db.execute(statement)
                if version in (1, 2):
                    db.execute(_BODIES_BEFORE_3)
                broken = db.execute("PRAGMA foreign_key_check").fetchone()
                if broken is not None:
                    raise sqlite3.DatabaseError(f"the upgrade left a dangling row in {broken[0]}")
                db.execute(f"PRAGMA application_id={_APPLICATION_ID}")
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        if not db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.execute("PRAGMA foreign_keys=ON")


def _open_read_only(path: Path, *, because: StoreError) -> Connection:
    uri = path.resolve().as_uri()
    problem: sqlite3.DatabaseError | None = None
    # Read-only, SQLite still wants the WAL's -shm file, which a cleanly closed store does
    # not have and a read-only folder (or a full disk) cannot get; "immutable" reads
    # without it, and without locks, so it is the last resort.
    for options in ("?mode=ro", "?mode=ro&immutable=1"):
        raw = _connect(uri + options, uri=True)
        try:
            raw.execute("PRAGMA busy_timeout=10000")
            identity = _identity(raw)
            raw.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            break
        except sqlite3.DatabaseError as error:
            raw.close()
            problem = error
    else:
        assert problem is not None
        if because.problem is StoreProblem.DAMAGED:
            raise because
        found = explain(problem, path)
        if found.problem is StoreProblem.DAMAGED:
            record_damage(path, found.detail)
            raise found from None
        raise StoreError(
            f"{because} It could not be opened for reading either ({problem}).",
            problem=because.problem,
            path=path,
        ) from None
    db = Connection(raw, path, read_only=because, immutable="immutable" in options)
    _check_identity(db, path, True, identity)
    if identity.version < OLDEST_READ_AS_IS:
        raw.close()
        raise StoreError(
            f"{because} It was made by an older reader and cannot be upgraded until then.",
            problem=because.problem,
            path=path,
        )
    return db


def quick_check(path: Path) -> str | None:
    """What SQLite's quick check finds wrong with the store at ``path``, or None when whole.

    It reads every page (about 0.2 s per 100 MB on a warm cache), on a connection of its own
    so it can run in a thread. Anything that stops the check itself (a lock, a full disk) is
    not evidence of damage and gives None.
    """
    try:
        problems = integrity_problems(path, quick=True, limit=1)
    except StoreError:
        return None
    return problems[0] if problems else None


def integrity_problems(
    path: Path, *, quick: bool = False, limit: int = 20, unlocked: bool = False
) -> list[str]:
    """SQLite's integrity check of the store at ``path``: its complaints, [] when whole.

    ``unlocked`` reads with SQLite's ``immutable`` flag, the one way to read a store whose
    folder cannot get the WAL's -shm file (a read-only disk); without locks, a writer
    elsewhere could look like damage, so its complaints are only a hint.
    Raises :class:`StoreError` when the check cannot run at all (a full disk, a lock).
    """
    pragma = "quick_check" if quick else "integrity_check"
    options = "?mode=ro&immutable=1" if unlocked else "?mode=ro"
    try:
        raw = _connect(path.resolve().as_uri() + options, uri=True)
        try:
            raw.execute("PRAGMA busy_timeout=10000")
            rows = raw.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
        finally:
            raw.close()
    except sqlite3.DatabaseError as error:
        if is_corruption(error):
            return [str(error)]
        raise explain(error, path) from None
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def on_read_only_disk(path: Path) -> bool:
    """True when the file system holding ``path`` is mounted read-only."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


@contextmanager
def write_transaction(db: Connection) -> Iterator[Connection]:
    """One write transaction; refused at once on a store that may not be written."""
    if db.read_only is not None:
        reason = db.read_only
        # A full disk may have more (or less) room by now: say how much there is.
        raise full_disk(db.path) if reason.problem is StoreProblem.FULL else reason
    with _transaction(db):
        yield db


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(
        target, timeout=10.0, isolation_level=None, check_same_thread=False, uri=uri
    )
    db.row_factory = sqlite3.Row
    return db


class _Identity(NamedTuple):
    """Whose file this is, which schema it has, and whether it has any tables yet."""

    app_id: int
    version: int
    tables: int


def _identity(db: sqlite3.Connection) -> _Identity:
    """The file's identity, read in one statement so that it is one snapshot.

    Read in separate statements, another process's first transaction could commit in between:
    an application id of 0 from before it and a table count from after it looked like another
    program's file (seen when several processes create one store at once).
    """
    row = db.execute(
        "SELECT (SELECT application_id FROM pragma_application_id()),"
        " (SELECT user_version FROM pragma_user_version()),"
        " (SELECT COUNT(*) FROM sqlite_master)"
    ).fetchone()
    return _Identity(int(row[0]), int(row[1]), int(row[2]))


def _check_identity(db: Connection, path: Path, existed: bool, identity: _Identity) -> None:
    """Refuse, untouched, a file of another program or of a newer reader."""
    if not existed:
        return
    app_id, version, tables = identity
    newer = app_id == _APPLICATION_ID and version > SCHEMA_VERSION
    # A file with no tables at all is a store another reader process is creating right now
    # (its first transaction is not committed yet), not someone else's data.
    blank = version == 0 and tables == 0
    if newer or (app_id != _APPLICATION_ID and not blank):
        db.close()
        why = "is newer than this reader" if newer else "belongs to another program"
        raise StoreError(
            f"{path} {why}. It was left untouched; use --data-dir to choose another folder.",
            problem=StoreProblem.NOT_A_STORE,
            path=path,
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


@contextmanager
def _transaction(db: Connection) -> Iterator[None]:
    # BEGIN IMMEDIATE takes the write lock up front, so two processes queue on the busy
    # timeout instead of failing half-way through with "database is locked".
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # SQLite has already rolled back after some errors (a full disk, an I/O error); a
        # second ROLLBACK would fail and hide the error that says what went wrong.
        if db.in_transaction:
            with contextlib.suppress(StoreError, sqlite3.Error):
                db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")
