"""A full disk is told from damage, and a damaged store is never written: real processes on a
real full tmpfs and on a store with one page scribbled over, then check and rescue."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.core.store import STORE_FILE, Store, StoreProblem
from reader.core.store_errors import (
    Code,
    damage_mark_file,
    explain,
    size_text,
)
from tests.support.app_fixtures import SECTIONS
from tests.support.commands import run_reader
from tests.support.damage import scribble_table_page
from tests.support.mounts import fill, small_tmpfs


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store_with_bookmarks(template: Path, folder: Path, count: int = 2) -> list[str]:
    """A copy of the synced store in ``folder`` with ``count`` bookmarks, closed cleanly."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / STORE_FILE)
    store = Store.open_in(folder, section_names=SECTIONS)
    try:
        urls = []
        for summary in store.posts_in(limit=count):
            post = store.post(summary.id)
            assert post is not None
            store.add_bookmark(post)
            urls.append(post.url)
        return urls
    finally:
        store.close()


# -- telling the troubles apart ----------------------------------------------------------------


def _error(code: int, text: str = "boom") -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (Code.FULL, StoreProblem.FULL),
        (Code.CORRUPT, StoreProblem.DAMAGED),
        (Code.CORRUPT | (1 << 8), StoreProblem.DAMAGED),  # SQLITE_CORRUPT_VTAB
        (Code.READONLY, StoreProblem.READ_ONLY),
        (Code.BUSY, StoreProblem.LOCKED),
        (Code.LOCKED, StoreProblem.LOCKED),
        (Code.IOERR | (19 << 8), StoreProblem.UNREADABLE),  # SQLITE_IOERR_SHMSIZE, room left
    ],
)
def test_each_sqlite_error_is_named_for_what_it_is(
    code: int, problem: StoreProblem, tmp_path: Path
) -> None:
    found = explain(_error(code), tmp_path / STORE_FILE)
    assert found.problem is problem
    assert str(tmp_path / STORE_FILE) in str(found)
    assert ("damaged" in str(found)) == (problem is StoreProblem.DAMAGED)


def test_a_stranger_file_is_not_a_store_and_a_scribbled_header_is_damage(tmp_path: Path) -> None:
    stranger = tmp_path / "a" / STORE_FILE
    stranger.parent.mkdir()
    stranger.write_bytes(os.urandom(8192))
    assert explain(_error(Code.NOTADB), stranger).problem is StoreProblem.NOT_A_STORE
    ours = tmp_path / "b" / STORE_FILE
    ours.parent.mkdir()
    ours.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    assert explain(_error(Code.NOTADB), ours).problem is StoreProblem.DAMAGED


def test_sizes_read_as_people_say_them() -> None:
    assert [size_text(n) for n in (0, 1, 900, 12 * 1024, int(3.4 * 2**20), 75 * 2**30)] == [
        "0 bytes",
        "1 byte",
        "900 bytes",
        "12 KB",
        "3.4 MB",
        "75 GB",
    ]


# -- a full disk -------------------------------------------------------------------------------


def test_a_full_disk_is_reported_full_and_reading_commands_still_work(template: Path) -> None:
    with small_tmpfs(template.stat().st_size // 1024 + 512) as disk:
        folder = disk / "data"
        urls = _store_with_bookmarks(template, folder)
        store_file = folder / STORE_FILE
        before = _digest(store_file)
        filler = fill(disk)

        for command in (["list"], ["bookmarks", "list"], ["bookmarks", "export"], ["show", "1"]):
            result = run_reader(*command, data_dir=folder)
            assert result.returncode == 0, (command, result.stderr)
            assert result.stdout.strip(), command
            assert "damaged" not in result.stderr
        assert urls[0] in run_reader("bookmarks", "list", data_dir=folder).stdout

        for command in (["bookmarks", "add", "3"], ["bookmarks", "remove", urls[0]]):
            result = run_reader(*command, data_dir=folder)
            assert result.returncode == 1, command
            assert "Traceback" not in result.stderr
            assert f"The disk holding {store_file} is full (0 bytes free)" in result.stderr
            assert "nothing was changed" in result.stderr
            assert "damaged" not in result.stderr and "move it aside" not in result.stderr
            assert "Logging error" not in result.stderr  # the log cannot be written either
        checked = run_reader("store", "check", data_dir=folder)
        assert checked.returncode == 1 and "is full" in checked.stderr
        assert "damaged" not in checked.stdout + checked.stderr
        assert _digest(store_file) == before
        assert not damage_mark_file(store_file).exists()

        # In one process: read-only while full, writing again as soon as there is room.
        store = Store.open_in(folder, section_names=SECTIONS)
        try:
            assert store.read_only is not None and store.read_only.problem is StoreProblem.FULL
            assert store.count_posts() > 0
            post = store.post(3)
            assert post is not None
            with pytest.raises(Exception, match="is full"):
                store.add_bookmark(post)
            filler.unlink()
            store.add_bookmark(post)
            assert store.is_bookmarked(post.url)
        finally:
            store.close()

        added = run_reader("bookmarks", "add", "4", data_dir=folder)
        assert added.returncode == 0, added.stderr
        assert (
            len(json.loads(run_reader("bookmarks", "list", "--json", data_dir=folder).stdout)) == 4
        )
        assert run_reader("store", "check", data_dir=folder).returncode == 0


# -- a damaged store ---------------------------------------------------------------------------


@pytest.fixture
def damaged_folder(template: Path, tmp_path: Path) -> Path:
    """A store with two bookmarks and one page of its posts table overwritten with noise."""
    folder = tmp_path / "damaged"
    _store_with_bookmarks(template, folder)
    scribble_table_page(folder / STORE_FILE)
    return folder


def test_a_damaged_store_is_never_written_by_any_command(damaged_folder: Path) -> None:
    store_file = damaged_folder / STORE_FILE
    before = _digest(store_file)
    # The bookmarks pages are whole: before the fix, these wrote to the damaged file.
    for command in (["bookmarks", "add", "5"], ["bookmarks", "remove", "1"]):
        result = run_reader(*command, data_dir=damaged_folder)
        assert result.returncode == 1, (command, result.stdout)
        assert "Traceback" not in result.stderr
        assert f"{store_file} is damaged" in result.stderr
        assert "reader store rescue -o FILE" in result.stderr
        assert _digest(store_file) == before
    assert damage_mark_file(store_file).exists()
    # Reading what is whole still works, with a word about the damage.
    listed = run_reader("bookmarks", "list", data_dir=damaged_folder)
    assert listed.returncode == 0 and listed.stdout.count("http") == 2
    assert "is damaged" in listed.stderr
    # What does cross the damage says so, without a traceback.
    everything = run_reader("list", data_dir=damaged_folder)
    assert everything.returncode == 1 and "is damaged" in everything.stderr
    assert "Traceback" not in everything.stderr
    store = Store.open_in(damaged_folder, section_names=SECTIONS)
    try:
        assert store.damaged
        with pytest.raises(Exception, match="is damaged"):
            store.set_meta("x", "y")
    finally:
        store.close()
    assert _digest(store_file) == before


def test_store_check_finds_the_damage_and_clears_a_mark_once_whole(
    damaged_folder: Path, template: Path, tmp_path: Path
) -> None:
    checked = run_reader("store", "check", data_dir=damaged_folder)
    assert checked.returncode == 1
    assert "is damaged" in checked.stdout and "reader store rescue" in checked.stdout
    assert damage_mark_file(damaged_folder / STORE_FILE).exists()

    whole = tmp_path / "whole"
    _store_with_bookmarks(template, whole)
    mark = damage_mark_file(whole / STORE_FILE)
    store = Store.open_in(whole)
    store._db.mark_damaged(explain(_error(Code.CORRUPT), whole / STORE_FILE))
    store.close()
    assert mark.exists()
    refused = run_reader("bookmarks", "add", "5", data_dir=whole)
    assert refused.returncode == 1 and "damaged" in refused.stderr
    checked = run_reader("store", "check", data_dir=whole)
    assert checked.returncode == 0, checked.stdout
    assert "is whole" in checked.stdout and "written again" in checked.stdout
    assert not mark.exists()
    assert run_reader("bookmarks", "add", "5", data_dir=whole).returncode == 0


def test_a_mark_for_a_file_since_replaced_is_dropped(damaged_folder: Path, template: Path) -> None:
    store_file = damaged_folder / STORE_FILE
    assert run_reader("bookmarks", "add", "5", data_dir=damaged_folder).returncode == 1
    assert damage_mark_file(store_file).exists()
    store_file.unlink()
    shutil.copy(template, store_file)  # a new file where the damaged one was
    assert run_reader("bookmarks", "add", "5", data_dir=damaged_folder).returncode == 0
    assert not damage_mark_file(store_file).exists()


def test_rescue_saves_bookmarks_and_readable_posts_without_touching_the_original(
    damaged_folder: Path, template: Path, tmp_path: Path
) -> None:
    store_file = damaged_folder / STORE_FILE
    before = _digest(store_file)
    listing = sorted(p.name for p in damaged_folder.iterdir())
    original_posts = sqlite3.connect(template).execute("SELECT COUNT(*) FROM posts").fetchone()[0]

    rescued = tmp_path / "rescued.sqlite3"
    result = run_reader("store", "rescue", "-o", str(rescued), data_dir=damaged_folder)
    assert result.returncode == 0, result.stderr
    assert "Rescued 2 bookmarks" in result.stdout
    assert "Could not be read:" in result.stdout and "posts" in result.stdout
    assert _digest(store_file) == before
    assert sorted(p.name for p in damaged_folder.iterdir()) == listing
    assert not list(tmp_path.glob(".reader-rescue-*"))

    # The rescued store is a whole store: it opens, lists, searches, and keeps the bookmarks.
    new_folder = tmp_path / "new"
    new_folder.mkdir()
    shutil.move(rescued, new_folder / STORE_FILE)
    store = Store.open_in(new_folder, section_names=SECTIONS)
    try:
        assert len(store.bookmarks()) == 2
        assert all(b.post.content for b in store.bookmarks())
        kept = store.count_posts()
        assert original_posts - 20 < kept < original_posts
        assert store.sections()
        word = store.posts_in(limit=1)[0].title.split()[0]
        assert store.search(word)
        # Every post still belongs to the source it came from.
        (source,) = store.sources()
        assert source.posts == kept and source.bookmarks == 2
        original = sqlite3.connect(template).execute("SELECT key FROM sources").fetchall()
        assert [(source.key,)] == original
        # No validators and no "archive done": the next sync refills what the damage took.
        feed = source.url + "feed/"
        assert store.validators(feed, source=source.id) == (None, None)
        assert store.source_meta(source.id, "backfill_done") == ""
    finally:
        store.close()
    assert run_reader("store", "check", data_dir=new_folder).returncode == 0

    exported = tmp_path / "rescued.json"
    result = run_reader("store", "rescue", "-o", str(exported), data_dir=damaged_folder)
    assert result.returncode == 0, result.stderr
    document = json.loads(exported.read_text())
    assert len(document["bookmarks"]) == 2 and len(document["posts"]) == kept
    imported = run_reader("bookmarks", "import", str(exported), data_dir=tmp_path / "fresh")
    assert imported.returncode == 0 and "Imported 2 new bookmarks" in imported.stdout
    again = run_reader("store", "rescue", "-o", str(exported), data_dir=damaged_folder)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert _digest(store_file) == before


def test_damage_seen_mid_session_never_reaches_the_file_even_on_close(
    template: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "live"
    _store_with_bookmarks(template, folder)
    store = Store.open_in(folder, section_names=SECTIONS)
    store.set_meta("written", "before the damage")  # frames in the WAL, not yet in the file
    page = scribble_table_page(folder / STORE_FILE)
    damaged = _digest(folder / STORE_FILE)
    with pytest.raises(Exception, match="is damaged"):
        for summary in store.posts_in():
            store.post(summary.id)
    assert store.damaged
    with pytest.raises(Exception, match="is damaged"):
        store.set_meta("written", "after the damage")
    assert store.get_meta("written") == "before the damage"
    store.close()
    # Closing did not checkpoint the WAL into the damaged file.
    assert _digest(folder / STORE_FILE) == damaged, f"page {page} was scribbled, then written"
    again = Store.open_in(folder, section_names=SECTIONS)
    try:
        assert again.damaged and again.get_meta("written") == "before the damage"
    finally:
        again.close()
