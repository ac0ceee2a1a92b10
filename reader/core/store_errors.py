"""What can go wrong with the store's file, told apart: a full disk, a read-only folder, a lock,
real damage, or a file that is not a reader store. Each says so, with its own advice.

A full disk must never be reported as damage: the advice for damage (rescue what can be read,
start a new store) would throw away a healthy store that only needs some free space. So the
kind of a failure comes from SQLite's error code and the state of the disk, never from a guess,
and only SQLite's own "corrupt" verdict (or a header that is ours but unreadable) is damage.

Damage, once seen, is remembered in a small file beside the store (``reader.sqlite3.damaged``),
so that every later command opens it read-only, until ``reader store check`` finds it whole or
the file is replaced (the mark names the file it was made for).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from pathlib import Path

# Below this much free space, an I/O error while writing is a full disk: SQLite reports a
# full disk as "disk I/O error" when the WAL's shared-memory file cannot grow.
FULL_BELOW = 256 * 1024

_SQLITE_MAGIC = b"SQLite format 3\x00"


class Code(IntEnum):
    """SQLite's primary result codes that concern the file (the low byte of the extended code)."""

    PERM = 3
    BUSY = 5
    LOCKED = 6
    READONLY = 8
    IOERR = 10
    CORRUPT = 11
    FULL = 13
    CANTOPEN = 14
    NOTADB = 26


_FILE_CODES = frozenset(Code)


def primary_code(error: BaseException) -> int:
    """SQLite's primary result code of ``error`` (0 when it carries none)."""
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def is_about_the_file(error: BaseException) -> bool:
    """True for errors about the file (full, locked, corrupt...), False for SQL mistakes (bugs)."""
    return primary_code(error) in _FILE_CODES


def is_corruption(error: BaseException) -> bool:
    """True when SQLite says the file is corrupt or not a database at all."""
    return primary_code(error) in (Code.CORRUPT, Code.NOTADB)


class StoreProblem(StrEnum):
    """What kind of trouble the store is in."""

    FULL = "disk full"
    """The disk (or its inodes) is full: the store is fine, writing waits for free space."""
    READ_ONLY = "read-only"
    """The file or its folder may not be written: reading works."""
    LOCKED = "locked"
    """Another process held the write lock for longer than the busy timeout."""
    DAMAGED = "damaged"
    """SQLite found the file corrupt: it is read-only from now on, and can be rescued."""
    NOT_A_STORE = "not a reader store"
    """Someone else's file, not SQLite at all, or a store of a newer reader."""
    UNREADABLE = "unreadable"
    """Anything else the disk reported (an I/O error with room to spare, a missing folder)."""


class StoreError(Exception):
    """The store cannot be opened or written; the message names the file, cause and remedy."""

    problem: StoreProblem
    """Which kind of trouble, for callers that act on it (the TUI's damaged-store screen)."""
    path: Path | None
    """The store's file, when known."""
    detail: str
    """What SQLite said, for damage (shown by ``reader store check``); "" otherwise."""

    def __init__(
        self,
        message: str,
        *,
        problem: StoreProblem = StoreProblem.UNREADABLE,
        path: Path | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.problem = problem
        self.path = path
        self.detail = detail


def free_space(folder: Path) -> int | None:
    """Bytes an unprivileged process may still write under ``folder`` (None when unknown)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_is_full(folder: Path) -> bool:
    """True when the disk holding ``folder`` has (almost) no room or no free inodes left."""
    free = free_space(folder)
    if free is not None and free < FULL_BELOW:
        return True
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    # tmpfs and some file systems run out of inodes first: no new -wal or -shm file then.
    return stats.f_files > 0 and stats.f_favail == 0


def size_text(count: int) -> str:
    """A byte count as people say it: "0 bytes", "12 KB", "3.4 MB", "1.2 GB"."""
    if count < 1024:
        return f"{count} bytes" if count != 1 else "1 byte"
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if count >= scale:
            value = count / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{count} bytes"  # pragma: no cover - the loop always returns


def full_disk(path: Path) -> StoreError:
    """The error for a store on a full disk, with the free space, and the reassurance."""
    free = free_space(path.parent)
    # With plenty of room the limit is another (a quota, SQLite's page limit): no figure then.
    room = f" ({size_text(free)} free)" if free is not None and free < FULL_BELOW else ""
    return StoreError(
        f"The disk holding {path} is full{room}; nothing was changed. The store itself is fine:"
        " free some space and try again (reading works meanwhile).",
        problem=StoreProblem.FULL,
        path=path,
    )


def read_only(path: Path) -> StoreError:
    """The error for a store that may be read but not written."""
    return StoreError(
        f"{path} is read-only; nothing was changed.", problem=StoreProblem.READ_ONLY, path=path
    )


def one_line(detail: str) -> str:
    """SQLite's report as one line, without the integrity check's "*** in database main ***"."""
    lines = [line.strip() for line in detail.splitlines()]
    return "; ".join(line for line in lines if line and not line.startswith("***"))


def damaged(path: Path, detail: str) -> StoreError:
    """The error for real damage, with what to do about it."""
    detail = one_line(detail)
    return StoreError(
        f"{path} is damaged ({detail}). It is now only read, never written, so nothing more is"
        " lost: 'reader store check' says what is wrong, and 'reader store rescue -o FILE'"
        " saves the bookmarks and posts that can still be read.",
        problem=StoreProblem.DAMAGED,
        path=path,
        detail=detail,
    )


def explain(error: sqlite3.Error, path: Path) -> StoreError:
    """What an SQLite error about the store at ``path`` means, as a :class:`StoreError`."""
    code = primary_code(error)
    text = str(error)
    if code == Code.FULL or (code in (Code.IOERR, Code.CANTOPEN) and disk_is_full(path.parent)):
        return full_disk(path)
    if code == Code.CORRUPT:
        return damaged(path, text)
    if code == Code.NOTADB:
        return _not_a_database(path, text)
    if code in (Code.READONLY, Code.PERM) or (code == Code.CANTOPEN and not writable(path)):
        return read_only(path)
    if code in (Code.BUSY, Code.LOCKED):
        return StoreError(
            f"{path} is busy in another reader; nothing was changed, try again.",
            problem=StoreProblem.LOCKED,
            path=path,
        )
    if code == Code.IOERR:
        name = getattr(error, "sqlite_errorname", "") or "SQLITE_IOERR"
        return StoreError(
            f"The disk reported an input/output error on {path} ({name}); nothing was changed."
            " 'reader store check' tells whether the store itself is whole.",
            path=path,
        )
    return StoreError(f"Could not use the store {path}: {text}", path=path)


def _not_a_database(path: Path, text: str) -> StoreError:
    # SQLite says "not a database" both for a stranger's file and for a store whose first
    # page was overwritten; the magic string at the start tells the two apart.
    try:
        with path.open("rb") as file:
            head = file.read(len(_SQLITE_MAGIC))
    except OSError:
        head = b""
    if head == _SQLITE_MAGIC:
        return damaged(path, text)
    return StoreError(
        f"{path} is not a reader store (it is not an SQLite database). It was left untouched;"
        " move it aside, or use --data-dir to choose another folder.",
        problem=StoreProblem.NOT_A_STORE,
        path=path,
    )


def writable(path: Path) -> bool:
    """False when the store's folder (or the store file) may not be written."""
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK)


# -- the damage mark -----------------------------------------------------------------------------


def damage_mark_file(path: Path) -> Path:
    """The small file beside the store that says it was found damaged."""
    return path.with_name(path.name + ".damaged")


def _identity(path: Path) -> list[int] | None:
    """What tells this file from one put in its place: device, inode, size, modification time.

    The inode alone is not enough (a file system reuses a freed inode at once). A damaged store
    is never written again, so its size and time stay put; should another program change it
    anyway, the mark is dropped and the check before the next write looks afresh.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


def recorded_damage(path: Path) -> StoreError | None:
    """The damage seen earlier in the store at ``path``, if its mark is for this very file.

    A mark left beside a file that has since been replaced (a rescued store moved into place,
    a new store after the old one was moved aside) is stale and is removed.
    """
    mark = damage_mark_file(path)
    try:
        data = json.loads(mark.read_text(encoding="utf-8"))
        made_for = [int(number) for number in data["file"]]
        detail = str(data.get("problem") or "damage found earlier")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # An unreadable mark still says damage was seen; never ignore it silently.
        return damaged(path, "damage found earlier")
    if made_for != _identity(path):
        with contextlib.suppress(OSError):
            mark.unlink()
        return None
    return damaged(path, detail)


def record_damage(path: Path, detail: str) -> None:
    """Remember that the store at ``path`` is damaged (best effort: the disk may refuse).

    The first damage seen is kept: later commands stumbling on it add nothing.
    """
    identity = _identity(path)
    if identity is None or recorded_damage(path) is not None:
        return
    mark = {
        "store": str(path),
        "file": identity,
        "seen": datetime.now(UTC).isoformat(timespec="seconds"),
        "problem": detail,
    }
    with contextlib.suppress(OSError):
        damage_mark_file(path).write_text(json.dumps(mark) + "\n", encoding="utf-8")


def clear_damage(path: Path) -> bool:
    """Forget recorded damage (the store checked whole); True when there was a mark."""
    try:
        damage_mark_file(path).unlink()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return True
