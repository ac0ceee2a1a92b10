"""``reader store``: check the store's integrity, and rescue what a damaged one still holds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.core.store import STORE_FILE, Store
from reader.core.store_errors import (
    StoreError,
    StoreProblem,
    clear_damage,
    free_space,
    one_line,
    record_damage,
    recorded_damage,
    size_text,
)
from reader.core.store_file import integrity_problems, on_read_only_disk
from reader.core.words import counted

_SHOWN_PROBLEMS = 10


def run_store(args: argparse.Namespace, folder: Path) -> int:
    """Carry out one ``reader store`` action on the store in ``folder``."""
    path = folder / STORE_FILE
    if not path.exists():
        print(f"There is no store at {path} yet: 'reader sync' makes one.", file=sys.stderr)
        return 1
    if args.action == "check":
        return _check(path)
    return _rescue(path, Path(args.output).expanduser())


def _check(path: Path) -> int:
    from reader.command_error import CommandError

    marked = recorded_damage(path)
    unlocked = False
    try:
        try:
            problems, counts = _integrity(path)
        except StoreError as error:
            if error.problem is not StoreProblem.READ_ONLY or not on_read_only_disk(path):
                raise
            # A read-only disk cannot get the WAL's -shm file that a locked read needs; nobody
            # can write the store through this mount, so it is read without locks.
            unlocked = True
            problems, counts = _integrity(path, unlocked=True)
    except StoreError as error:
        extra = (
            " The check needs a little room to run." if error.problem is StoreProblem.FULL else ""
        )
        raise CommandError(f"{error}{extra}") from None
    if problems and unlocked:
        # Without locks a writer through another mount would look like damage: nothing is
        # marked, and nothing could be on this disk anyway.
        print(f"{path} is on a read-only disk; checked without locks, SQLite found:")
        for problem in problems[:_SHOWN_PROBLEMS]:
            print(f"  {one_line(problem)}")
        print(
            "If a reader elsewhere writes this store, that can cause these; check it again"
            " where it can be written. 'reader store rescue -o FILE' saves what can be read."
        )
        return 1
    if problems:
        record_damage(path, problems[0])
        print(f"{path} is damaged. SQLite's integrity check found:")
        for problem in problems[:_SHOWN_PROBLEMS]:
            print(f"  {one_line(problem)}")
        print(
            "It is only read from now on, never written. 'reader store rescue -o FILE' saves"
            " the bookmarks and posts that can still be read, to a new store or (FILE.json)"
            " a JSON export."
        )
        return 1
    posts, bookmarks = counts
    free = free_space(path.parent)
    room = f"; {size_text(free)} free on its disk" if free is not None else ""
    if unlocked:
        room = "; its disk is read-only"
    print(
        f"{path} is whole: {counted(posts, 'post')}, {counted(bookmarks, 'bookmark')},"
        f" {size_text(path.stat().st_size)}{room}."
    )
    if marked is not None and clear_damage(path):
        print("It had been marked damaged; the check finds it whole, so it is written again.")
    return 0


def _integrity(path: Path, *, unlocked: bool = False) -> tuple[list[str], tuple[int, int]]:
    """SQLite's complaints about the store (none when whole) and its (posts, bookmarks)."""
    try:
        # Opening first tells a stranger's file (or a newer reader's) from a damaged store.
        store = Store(path)
    except StoreError as error:
        if error.problem is StoreProblem.DAMAGED:
            return [error.detail], (0, 0)
        raise
    try:
        problems = integrity_problems(path, limit=_SHOWN_PROBLEMS, unlocked=unlocked)
        if problems:
            return problems, (0, 0)
        return [], (store.count_posts(), store.bookmark_count())
    finally:
        store.close()


def _rescue(path: Path, output: Path) -> int:
    from reader.command_error import CommandError
    from reader.core.rescue import RescueError, rescue

    def tell(what: str) -> None:
        print(what, file=sys.stderr, flush=True)

    try:
        report = rescue(path, output, progress=tell)
    except RescueError as error:
        raise CommandError(f"rescue failed: {error}; {path} was not touched") from None
    lost = []
    if report.bookmarks_lost:
        lost.append(counted(report.bookmarks_lost, "bookmark"))
    if report.posts_lost:
        lost.append(counted(report.posts_lost, "post"))
    rescued = f"{counted(report.bookmarks, 'bookmark')} and {counted(report.posts, 'post')}"
    print(f"Rescued {rescued} into {output}.")
    if report.snapshots_cut:
        cut = counted(report.snapshots_cut, "bookmark")
        print(
            f"{cut} kept only {'its' if report.snapshots_cut == 1 else 'their'} address and title."
        )
    if lost:
        print(f"Could not be read: {' and '.join(lost)}.")
    for problem in report.problems:
        print(f"Also: {problem}.")
    if output.suffix.lower() == ".json":
        print(
            f"'reader bookmarks import {output}' brings the bookmarks into a store; the posts"
            " come back with the next 'reader sync'."
        )
    else:
        print(
            f"To use it: move {path} aside, then move {output} to {path}. Its first sync"
            " fetches the whole archive again, to refill what the damage took."
        )
    print(f"{path} was not touched.")
    return 0
