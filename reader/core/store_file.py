"""The store's SQLite file: opening it, knowing it is ours, WAL, transactions, schema upgrades.

WAL mode so a second reader (or ``reader sync`` from cron) can read while one writes; a busy
timeout so two writers wait for each other instead of failing; every write in one short
transaction so a kill at any moment leaves either the old or the new state. The schema is
versioned with ``PRAGMA user_version`` and upgraded in place, never by dropping tables that hold
bookmarks or read state. What SQLite reports becomes a :class:`StoreError` naming the file.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def open_store_file(path: Path) -> sqlite3.Connection:
    """The store at ``path``, created or upgraded; opened read-only when it may not be written."""
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
            return _open_read_only(path)
        if not _writable(path):
            raise StoreError(f"Cannot create the store {path}: its folder is read-only.") from None
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


def _open_read_only(path: Path) -> sqlite3.Connection:
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
        raise StoreError(f"{path} is read-only and could not be opened for reading ({problem}).")
    _check_identity(db, path, True, app_id, version)
    if version < SCHEMA_VERSION:
        db.close()
        raise StoreError(
            f"{path} is read-only and was made by an older reader; it cannot be upgraded."
        )
    return db


@contextmanager
def write_transaction(db: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on the store at ``path``; a failure says what to do about it."""
    try:
        with _transaction(db):
            yield db
    except sqlite3.OperationalError as error:
        raise StoreError(_write_problem(path, error)) from None


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
