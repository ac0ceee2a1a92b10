"""Rescue: what can still be read from a damaged store, into a new store or a JSON export.

The damaged store is never touched, not even by SQLite's housekeeping files: it is copied
(with its WAL, which may hold the latest commits) into a scratch folder beside the output and
read there. Bookmarks come first, since nothing else holds them, then sections, posts, their
links and topics. Each table is read a block of keys at a time; a block that hits a damaged
page is read again key by key, so one bad page costs only the rows it held.

Left out on purpose: HTTP validators and the "archive fetched" marks, so that the first sync
of a rescued store fetches the whole archive again and refills what the damage took.

A store of schema 2 keeps its sources: their rows are read first, and a source whose row was
lost gets a stand-in, so every post and bookmark still belongs to the source it came from. A
damaged store of schema 1 (before sources) is rebuilt in its own shape and then upgraded like
any other.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.snapshots import export_json
from reader.core.store_errors import StoreError
from reader.core.store_file import Connection, open_store_file, write_transaction
from reader.core.store_upgrade import SCHEMA_1

_BLOCK = 256
"""Keys read at once; a damaged block is read again one key at a time."""
_GIVE_UP_AFTER = 64
"""Blocks in a row without a single row, past the last key seen, before a walk stops."""

Progress = Callable[[str], None]
"""Told what the rescue is doing, e.g. "Reading posts"."""


class RescueError(Exception):
    """The rescue could not start or nothing could be read; ``str()`` says why."""


@dataclass
class RescueReport:
    """What a rescue saved and what it could not read."""

    output: Path
    bookmarks: int = 0
    posts: int = 0
    bookmarks_lost: int = 0
    """Bookmarks whose row could not be read (their keys fell in damaged pages)."""
    posts_lost: int = 0
    """Post ids that could not be read."""
    snapshots_cut: int = 0
    """Bookmarks kept with their address and title only: their snapshot was unreadable."""
    problems: list[str] = field(default_factory=list)
    """Tables that could not be read at all, with SQLite's words."""


@dataclass
class _Table:
    name: str
    key: str
    columns: tuple[str, ...]


_BOOKMARKS = _Table("bookmarks", "rowid", ("url_key", "url", "title", "created", "snapshot"))
_SECTIONS = _Table("sections", "id", ("id", "slug", "name", "kind", "position"))
_POSTS = _Table(
    "posts",
    "id",
    (
        "id",
        "url",
        "url_key",
        "guid",
        "wp_id",
        "title",
        "author",
        "published",
        "modified",
        "excerpt",
        "content",
        "reading_minutes",
        "page_fetched",
        "read",
    ),
)
_POST_SECTIONS = _Table("post_sections", "post_id", ("post_id", "section_id"))
_SOURCES = _Table("sources", "id", ("id", "key", "kind", "url", "name", "title", "legacy"))


def _with_source(table: _Table) -> _Table:
    """``table`` as schema 2 has it: every row names its source."""
    key = "id" if table.key == "rowid" else table.key
    first = ("id",) if table.name == "bookmarks" else ()
    return _Table(table.name, key, (*first, "source_id", *table.columns))


_LINKS = _Table("links", "post_id", ("post_id", "position", "kind", "url", "text"))


def rescue(store_path: Path, output: Path, *, progress: Progress | None = None) -> RescueReport:
    """Save what can be read of the store at ``store_path`` to ``output`` (a new file).

    ``output`` ending in ``.json`` gets a bookmarks export (``reader bookmarks import`` reads
    it) that also lists the posts; any other name gets a new store.
    """
    tell = progress or (lambda what: None)
    if output.exists():
        raise RescueError(f"{output} already exists; give the name of a new file")
    if not store_path.exists():
        raise RescueError(f"there is no store at {store_path}")
    folder = output.parent if str(output.parent) else Path(".")
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".reader-rescue-", dir=folder))
    except OSError as error:
        raise RescueError(f"cannot write in {folder}: {error.strerror}") from None
    try:
        damaged = _copy_of(store_path, scratch)
        as_json = output.suffix.lower() == ".json"
        # A new store is built under a scratch name, so a rescue cut short never leaves a
        # file that looks finished.
        building = scratch / "rescued.sqlite3"
        report = RescueReport(output)
        _rescue_into(damaged, building, report, tell)
        if as_json:
            tell("Writing the export")
            _write_json(building, scratch / "rescued.json")
            os.replace(scratch / "rescued.json", output)
        else:
            os.replace(building, output)
        return report
    except OSError as error:
        raise RescueError(f"could not write the rescue: {error.strerror or error}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _copy_of(store_path: Path, scratch: Path) -> Path:
    """A copy of the store and its WAL: SQLite may read (and tidy) the copy as it likes."""
    copy = scratch / "damaged.sqlite3"
    shutil.copyfile(store_path, copy)
    wal = store_path.with_name(store_path.name + "-wal")
    with contextlib.suppress(FileNotFoundError):
        if wal.stat().st_size > 0:
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    return copy


def _has_sources(db: sqlite3.Connection) -> bool:
    """True for a store of schema 2 (its posts name their source)."""
    try:
        columns = db.execute("PRAGMA table_info(posts)").fetchall()
    except sqlite3.DatabaseError:
        columns = []
    if columns:
        return any(column[1] == "source_id" for column in columns)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0]) >= 2
    except sqlite3.DatabaseError:
        return True


def _schema_1_store(building: Path) -> Connection:
    """A new, empty store of schema 1, to copy a schema-1 store's rows into."""
    raw = sqlite3.connect(building, isolation_level=None, check_same_thread=False)
    raw.row_factory = sqlite3.Row
    raw.executescript(SCHEMA_1 + "PRAGMA application_id=1380270404; PRAGMA user_version=1;")
    return Connection(raw, building)


def _rescue_into(damaged: Path, building: Path, report: RescueReport, tell: Progress) -> None:
    try:
        source = sqlite3.connect(damaged, isolation_level=None)
        source.execute("PRAGMA query_only=1")
        source.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise RescueError(f"nothing could be read from the store ({error})") from None
    sources = _has_sources(source)
    try:
        target = open_store_file(building) if sources else _schema_1_store(building)
    except (StoreError, sqlite3.DatabaseError) as error:
        source.close()
        raise RescueError(str(error)) from None
    tables = {t.name: _with_source(t) if sources else t for t in (_SECTIONS, _POSTS, _BOOKMARKS)}
    try:
        if sources:
            tell("Reading sources")
            _copy_sources(source, target, report)
        tell("Reading bookmarks")
        _copy_bookmarks(source, target, report, tables["bookmarks"])
        tell("Reading sections")
        sections = _copy_rows(source, target, tables["sections"], report)
        tell("Reading posts")
        posts = _copy_posts(source, target, report, tables["posts"])
        tell("Reading links and topics")

        def of_saved_posts(row: tuple[object, ...]) -> bool:
            return row[0] in posts and row[1] in sections

        _copy_rows(source, target, _POST_SECTIONS, report, keep=of_saved_posts)
        _copy_rows(source, target, _LINKS, report, keep=lambda r: r[0] in posts)
        if not sources:
            _copy_site_title(source, target)
    finally:
        source.close()
        target.close()
    if report.bookmarks == 0 and report.posts == 0 and report.problems:
        raise RescueError(f"nothing could be read from the store ({report.problems[0]})")
    tell("Rebuilding the search index")
    from reader.core.store import Store

    rebuilt = Store(building)
    try:
        rebuilt.rebuild_search()
    finally:
        rebuilt.close()


def _copy_sources(source: sqlite3.Connection, target: Connection, report: RescueReport) -> None:
    rows = list(_salvage(source, _SOURCES, report, [0]))
    with write_transaction(target) as db:
        db.executemany(
            "INSERT OR IGNORE INTO sources (id, key, kind, url, name, title, legacy)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _stand_ins(target: Connection, rows: Sequence[Sequence[object]], at: int) -> None:
    """A source row for each source id in ``rows`` (column ``at``) whose own row was lost."""
    wanted = {int(str(row[at])) for row in rows}
    known = {int(r[0]) for r in target.execute("SELECT id FROM sources").fetchall()}
    with write_transaction(target) as db:
        db.executemany(
            "INSERT INTO sources (id, key, kind, url, legacy) VALUES (?, ?, 'site', '', 1)",
            [(number, f"legacy:lost-{number}") for number in sorted(wanted - known)],
        )


def _copy_bookmarks(
    source: sqlite3.Connection, target: Connection, report: RescueReport, table: _Table
) -> None:
    rows = []
    lost = [0]
    for row in _salvage(source, table, report, lost):
        head, (url_key, url, title, created, snapshot) = row[:-5], row[-5:]
        try:
            json.loads(snapshot)
        except (TypeError, ValueError):
            # The article is gone, the bookmark need not be: keep its address and title.
            snapshot = json.dumps({"id": 0, "url": url, "title": title, "bookmarked": True})
            report.snapshots_cut += 1
        rows.append((*head, url_key, url, title, created, snapshot))
    report.bookmarks_lost = lost[0]
    if "source_id" in table.columns:
        _stand_ins(target, rows, table.columns.index("source_id"))
    columns = ", ".join(table.columns)
    marks = ", ".join("?" * len(table.columns))
    with write_transaction(target) as db:
        cursor = db.executemany(
            f"INSERT OR IGNORE INTO bookmarks ({columns}) VALUES ({marks})", rows
        )
        report.bookmarks = max(cursor.rowcount, 0)


def _copy_posts(
    source: sqlite3.Connection, target: Connection, report: RescueReport, table: _Table
) -> set[int]:
    saved: set[int] = set()
    lost = [0]
    batch: list[Sequence[object]] = []
    columns = ", ".join(table.columns)
    marks = ", ".join("?" * len(table.columns))
    at = table.columns.index("source_id") if "source_id" in table.columns else None

    def flush() -> None:
        if at is not None:
            _stand_ins(target, batch, at)
        with write_transaction(target) as db:
            db.executemany(f"INSERT OR IGNORE INTO posts ({columns}) VALUES ({marks})", batch)
        batch.clear()

    for row in _salvage(source, table, report, lost):
        batch.append(row)
        saved.add(int(row[0]))
        if len(batch) >= 500:
            flush()
    if batch:
        flush()
    report.posts = len(saved)
    report.posts_lost = lost[0]
    return saved


def _copy_rows(
    source: sqlite3.Connection,
    target: Connection,
    table: _Table,
    report: RescueReport,
    *,
    keep: Callable[[tuple[object, ...]], bool] = lambda row: True,
) -> set[object]:
    rows = [row for row in _salvage(source, table, report, [0]) if keep(row)]
    if "source_id" in table.columns:
        _stand_ins(target, rows, table.columns.index("source_id"))
    columns = ", ".join(table.columns)
    marks = ", ".join("?" * len(table.columns))
    with write_transaction(target) as db:
        db.executemany(f"INSERT OR IGNORE INTO {table.name} ({columns}) VALUES ({marks})", rows)
    return {row[0] for row in rows}


def _copy_site_title(source: sqlite3.Connection, target: Connection) -> None:
    try:
        row = source.execute("SELECT value FROM meta WHERE key='site_title'").fetchone()
    except sqlite3.DatabaseError:
        return
    if row is not None:
        with write_transaction(target) as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('site_title', ?)", row)


def _salvage(
    db: sqlite3.Connection, table: _Table, report: RescueReport, lost: list[int]
) -> Iterator[tuple[Any, ...]]:
    """Every readable row of ``table``; ``lost[0]`` counts the keys that could not be read."""
    columns = ", ".join(table.columns)
    by_range = f"SELECT {columns} FROM {table.name} WHERE {table.key} BETWEEN ? AND ?"
    by_key = f"SELECT {columns} FROM {table.name} WHERE {table.key} = ?"
    low, high = _key_range(db, table)
    if low is None or high is None:
        report.problems.append(f"the {table.name} table could not be read")
        return
    start = low
    empty_blocks = 0
    while start <= high or (high < 0 and empty_blocks < _GIVE_UP_AFTER):
        end = start + _BLOCK - 1 if high < 0 else min(start + _BLOCK - 1, high)
        try:
            rows = db.execute(by_range, (start, end)).fetchall()
        except sqlite3.DatabaseError:
            rows = []
            for key in range(start, end + 1):
                try:
                    rows.extend(db.execute(by_key, (key,)).fetchall())
                except sqlite3.DatabaseError:
                    lost[0] += 1
        empty_blocks = 0 if rows else empty_blocks + 1
        yield from (tuple(row) for row in rows)
        start = end + 1


def _key_range(db: sqlite3.Connection, table: _Table) -> tuple[int | None, int | None]:
    """The lowest and highest key of ``table``; -1 as the high end when only the low is known."""
    try:
        row = db.execute(f"SELECT min({table.key}), max({table.key}) FROM {table.name}").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is not None:
        low, high = row
        return (1, 0) if low is None else (int(low), int(high))
    # The ends of the table are damaged: start at the first key and walk until the rows stop.
    return 1, -1


def _write_json(building: Path, output: Path) -> None:
    from reader.core.store import Store

    store = Store(building)
    try:
        posts = [store.post(summary.id) for summary in store.posts_in()]
        text = export_json(store.bookmarks(), posts=[p for p in posts if p is not None])
    finally:
        store.close()
    output.write_text(text, encoding="utf-8")
