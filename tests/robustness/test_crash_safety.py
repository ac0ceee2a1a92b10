"""The store survives what happens to real stores: kills mid-sync, damage, foreign files,
read-only folders and a full disk. Real processes, real HTTP on 127.0.0.1, files on disk."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.core.models import IncomingPost
from reader.core.source import Source
from reader.core.store import STORE_FILE, Store, StoreError
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from tests.support.commands import run_reader

SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")
ROOT = Path(__file__).resolve().parents[2]


def _integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def _bookmarked(folder: Path) -> set[str]:
    store = Store.open_in(folder, section_names=SECTIONS)
    try:
        return {b.url for b in store.bookmarks()}
    finally:
        store.close()


def _incoming(n: int, site: str = "https://elsewhere.example") -> IncomingPost:
    return IncomingPost(
        url=f"{site}/2024/05/{n:02d}/kept-post-{n}/",
        title=f"Kept post {n}",
        published=datetime(2024, 5, 1, tzinfo=UTC) + timedelta(days=n),
        content=f"<p>Text of kept post {n}.</p>",
        categories=(("news", "News"),),
    )


# -- SIGKILL during sync ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_site() -> Iterator[SampleServer]:
    """~300 posts and no REST API: the sync walks 30 feed pages and fetches 60 article pages,
    one transaction each, so there is a long stretch of writes to kill it in."""
    server = SampleServer(generate_site(300, seed=4), rest_api=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Kill:
    """How one sync process ended."""

    killed: bool
    at: str
    """The last progress line the sync printed before it died."""


def _sync_and_kill(
    url: str, folder: Path, rng: random.Random, during: Callable[[], None] | None = None
) -> Kill:
    """Start ``reader sync`` and SIGKILL it at a random point of its progress.

    The point is chosen by what the sync has printed (a feed page number, or the article-page
    phase) plus a few random milliseconds, so the kill lands inside the sync however fast or
    slow the machine is. ``during`` runs just before the kill, while the sync still writes.
    """
    # Feed pages 2-31 are read four at a time, announced as "Reading feed pages 2-5", ...
    windows = list(range(2, 32, 4))
    choice = rng.randrange(0, len(windows) + 2)
    target = 1 if choice == 0 else windows[choice - 1] if choice <= len(windows) else 99
    pages = 31
    wanted = f"Reading feed pages {target}-" if target <= pages else "Reading article pages"
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--site", url, "--data-dir", str(folder), "sync"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    last = ""
    try:
        for line in process.stderr:
            last = line.strip()
            if last.startswith(wanted) or (target == 1 and last.startswith("Reading")):
                if during is not None:
                    during()
                time.sleep(rng.uniform(0, 0.02 if target <= pages else 0.05))
                break
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    return Kill(killed=code == -signal.SIGKILL, at=last)


@pytest.mark.timeout(180)
def test_kills_during_sync_of_fresh_stores_leave_them_whole(
    big_site: SampleServer, tmp_path: Path
) -> None:
    # Each fresh store starts with confirmed bookmarks: add_bookmark returned, the store closed.
    template = tmp_path / "template"
    store = Store.open_in(template, section_names=SECTIONS)
    store.upsert_posts(
        (_incoming(n) for n in range(1, 4)), source=Source.site("https://example.org/")
    )
    for summary in store.posts_in():
        post = store.post(summary.id)
        assert post is not None
        store.add_bookmark(post)
    kept = {b.url for b in store.bookmarks()}
    store.close()
    assert len(kept) == 3

    rng = random.Random(20)
    kills = []
    # Ten kills that landed mid-sync: a sync that finished before its kill is retried, so a
    # fast machine cannot turn this into a test of clean exits.
    for round_ in range(20):
        if sum(k.killed for k in kills) == 10:
            break
        folder = tmp_path / f"fresh-{round_}"
        folder.mkdir()
        shutil.copy(template / STORE_FILE, folder / STORE_FILE)
        kills.append(_sync_and_kill(big_site.url, folder, rng))
        assert _integrity(folder / STORE_FILE) == "ok", kills[-1]
        assert _bookmarked(folder) >= kept, kills[-1]
    assert sum(k.killed for k in kills) == 10, kills

    # The last killed store syncs to the end afterwards, and holds the whole site.
    done = run_reader("--site", big_site.url, "sync", data_dir=folder)
    assert done.returncode == 0, done.stderr
    store = Store.open_in(folder, section_names=SECTIONS)
    try:
        assert store.count_posts() == len(big_site.site.posts()) + 3
    finally:
        store.close()


@pytest.mark.timeout(180)
def test_kills_during_repeated_syncs_of_one_store_keep_every_bookmark(
    big_site: SampleServer, tmp_path: Path
) -> None:
    folder = tmp_path / "same"
    rng = random.Random(7)
    confirmed: set[str] = set()
    kills = []
    # Start from a complete sync, so there are posts to bookmark while the next syncs run.
    first = run_reader("--site", big_site.url, "sync", data_dir=folder)
    assert first.returncode == 0, first.stderr

    def bookmark_one() -> None:
        # Another process (this one) bookmarks while the sync writes: the busy timeout makes
        # one wait for the other, and once add_bookmark returns the bookmark must survive.
        store = Store.open_in(folder, section_names=SECTIONS)
        try:
            posts = store.posts_in()
            post = store.post(rng.choice(posts).id)
            assert post is not None
            store.add_bookmark(post)
            confirmed.add(post.url)
        finally:
            store.close()

    for round_ in range(20):
        if sum(k.killed for k in kills) == 10:
            break
        # Make the next sync long again: forget that the archive was read, drop the feed's
        # validators, and edit some posts so the walk has changes to write.
        store = Store.open_in(folder, section_names=SECTIONS)
        store.set_source_meta(Source.site(big_site.url), "backfill_done", "")
        store.save_validators(big_site.url + "feed/", None, None, source=Source.site(big_site.url))
        store.close()
        for sample in rng.sample(big_site.site.posts(), 15):
            big_site.site.touch_post(sample.id, title=f"{sample.title} (round {round_})")
        kills.append(_sync_and_kill(big_site.url, folder, rng, during=bookmark_one))
        assert _integrity(folder / STORE_FILE) == "ok", kills[-1]
        assert _bookmarked(folder) >= confirmed, kills[-1]
    assert sum(k.killed for k in kills) == 10, kills
    assert len(confirmed) >= 5

    done = run_reader("--site", big_site.url, "sync", data_dir=folder)
    assert done.returncode == 0, done.stderr
    store = Store.open_in(folder, section_names=SECTIONS)
    try:
        assert store.count_posts() == len(big_site.site.posts())
        assert {b.url for b in store.bookmarks()} >= confirmed
        # The last round's edits arrived: the sync after the kills really ran to the end.
        titles = {p.title for p in store.posts_in()}
        assert any(t.endswith("(round 9)") for t in titles)
    finally:
        store.close()


_OPENER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from reader.core.models import IncomingPost
from reader.core.source import Source
from reader.core.store import Store

folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
(folder.parent / f"ready-{name}").touch()
while len(list(folder.parent.glob("ready-*"))) < count:
    time.sleep(0.002)
store = Store.open_in(folder)
url = f"https://elsewhere.example/{name}/"
store.upsert_posts([IncomingPost(url=url, title=name, published=datetime.now(UTC))], source=Source.site("https://example.org/"))
post = store.find_post(url)
store.add_bookmark(post)
store.close()
"""


def test_processes_creating_one_store_at_once_all_succeed(tmp_path: Path) -> None:
    # Three readers started together on an empty folder (cron's sync, the app, a script):
    # none may take the half-made file for someone else's, or give up on a lock.
    for round_ in range(5):
        folder = tmp_path / f"round-{round_}" / "data"
        folder.mkdir(parents=True)
        names = [f"reader{n}" for n in range(3)]
        openers = [
            subprocess.Popen(
                [sys.executable, "-c", _OPENER, str(folder), name, str(len(names))],
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for name in names
        ]
        for opener in openers:
            _, err = opener.communicate(timeout=60)
            assert opener.returncode == 0, err
        assert len(_bookmarked(folder)) == len(names)
        assert _integrity(folder / STORE_FILE) == "ok"


# -- damaged, foreign and read-only stores ---------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_random_bytes_store_is_named_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    store_file = folder / STORE_FILE
    store_file.write_bytes(random.Random(3).randbytes(64 * 1024))
    before = _digest(store_file)
    result = run_reader("list", data_dir=folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(store_file) in result.stderr
    assert "not a reader store" in result.stderr and "damaged" not in result.stderr
    assert _digest(store_file) == before
    # Nothing beside it but the log, which holds the warning.
    assert sorted(p.name for p in folder.iterdir()) == ["reader.log", STORE_FILE]


def test_foreign_sqlite_file_is_named_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    store_file = folder / STORE_FILE
    db = sqlite3.connect(store_file)
    db.execute("CREATE TABLE invoices (number INTEGER, amount TEXT)")
    db.execute("INSERT INTO invoices VALUES (1, '12.50')")
    db.commit()
    db.close()
    before = _digest(store_file)
    for command in (["list"], ["bookmarks", "list"]):
        result = run_reader(*command, data_dir=folder)
        assert result.returncode == 1, result
        assert "Traceback" not in result.stderr
        assert str(store_file) in result.stderr and "another program" in result.stderr
    assert _digest(store_file) == before


def test_store_with_damaged_pages_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = Store.open_in(folder, section_names=SECTIONS)
    store.upsert_posts(
        (_incoming(n) for n in range(1, 40)), source=Source.site("https://example.org/")
    )
    store.close()
    store_file = folder / STORE_FILE
    data = bytearray(store_file.read_bytes())
    noise = random.Random(5).randbytes(len(data) - 8192)
    data[8192:] = noise  # the header and the first page stay, the rest is noise
    store_file.write_bytes(bytes(data))
    before = _digest(store_file)
    result = run_reader("list", data_dir=folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(store_file) in result.stderr and "damaged" in result.stderr
    assert _digest(store_file) == before


def _read_only_runner(folder: Path) -> list[str]:
    """A command prefix under which ``folder`` cannot be written, or a skip.

    chmod alone does not stop root, and these tests often run as root; there the reader runs
    in a private mount namespace where the folder is a read-only bind mount of itself, which
    refuses writes to everyone, root included, and vanishes with the process.
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("running as root (chmod does not stop root) and no unshare(1) here")
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    prefix = [unshare, "-m", "--propagation", "private", "sh", "-c", script, str(folder)]
    probe = subprocess.run([*prefix, "sh", "-c", f"! touch '{folder}/probe'"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("running as root and a read-only mount namespace is not allowed here")
    return prefix


def test_read_only_folder_still_reads_and_refuses_writes_clearly(
    sample_site: str, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    store = Store.open_in(folder, section_names=SECTIONS)
    store.upsert_posts(
        (_incoming(n) for n in range(1, 4)), source=Source.site("https://example.org/")
    )
    store.close()
    store_file = folder / STORE_FILE
    store_file.chmod(0o444)
    before = _digest(store_file)
    prefix = _read_only_runner(folder)
    try:

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "-m", "reader", "--data-dir", str(folder), *args]
            return subprocess.run(
                [*prefix, *command], capture_output=True, text=True, timeout=60, cwd=ROOT
            )

        listed = run("list")
        assert listed.returncode == 0, listed.stderr
        assert "Kept post 3" in listed.stdout
        synced = run("--site", sample_site, "sync")
        assert synced.returncode == 1
        assert "Traceback" not in synced.stderr
        assert f"{store_file} is read-only; nothing was changed" in synced.stderr
        added = run("bookmarks", "add", _incoming(2).url)
        assert added.returncode == 1
        assert "read-only; nothing was changed" in added.stderr
        # A check only reads: on a read-only disk it runs (without locks, as nobody can write
        # through this mount) instead of refusing the store as read-only.
        checked = run("store", "check")
        if prefix:
            assert checked.returncode == 0, checked.stderr
            assert "is whole: 3 posts, 0 bookmarks" in checked.stdout
            assert "its disk is read-only" in checked.stdout
    finally:
        folder.chmod(0o755)
    assert _digest(store_file) == before


def test_read_only_store_in_process_names_the_cause(tmp_path: Path) -> None:
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    store.upsert_posts([_incoming(1)], source=Source.site("https://example.org/"))
    post = store.find_post(_incoming(1).url)
    assert post is not None
    # What SQLite reports for a store it may read but not write, whoever runs the test.
    store._db.execute("PRAGMA query_only=1")
    for write in (lambda: store.set_read(post.id), lambda: store.add_bookmark(post)):
        with pytest.raises(StoreError, match="is read-only; nothing was changed"):
            write()
    assert store.bookmarks() == [] and store.unread_count() == 1
    store.close()


def test_full_disk_says_full_and_changes_nothing(tmp_path: Path) -> None:
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    store.upsert_posts(
        (_incoming(n) for n in range(1, 4)), source=Source.site("https://example.org/")
    )
    # A disk with no room left, for this connection only: the file may not grow any further.
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count={pages}")
    big = [
        IncomingPost(
            url=f"https://elsewhere.example/big-{n}/",
            title=f"Big {n}",
            content="<p>" + "organoid " * 2000 + "</p>",
            published=datetime(2025, 1, 1, tzinfo=UTC),
        )
        for n in range(40)
    ]
    with pytest.raises(StoreError, match="is full; nothing was changed"):
        store.upsert_posts(big, source=Source.site("https://example.org/"))
    assert store.count_posts() == 3
    assert _integrity(store.path) == "ok"
    # Room again: the same store takes the same writes.
    store._db.execute("PRAGMA max_page_count=1073741823")
    assert store.upsert_posts(big, source=Source.site("https://example.org/")) == (40, 0)
    store.close()
