"""Reading a real WordPress for offline use: 'reader show' reads the page, 'reader sync --pages'
reads them all, resumably (defect 10)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reader.core.store import STORE_FILE
from tests.support.reading import reader
from tests.support.sites import ReadSite
from tests.support.wordpress.harness import WordPressSite
from tests.support.wordpress.seed_data import seed_data

POSTS = sum(1 for p in seed_data()["posts"] if p["type"] == "post")


def _pages_read(data: Path) -> int:
    db = sqlite3.connect(f"file:{data / STORE_FILE}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT COUNT(*) FROM posts WHERE page_fetched=1").fetchone()[0])
    finally:
        db.close()


def _article_requests(site: ReadSite) -> list[str]:
    return [t for _, t, _ in site.requests() if t.startswith("/20")]


def test_show_reads_the_page_once(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    site = ReadSite("classic", (made := wordpress_sites()).url, wordpress=made)
    data = tmp_path / "data"
    assert reader("--site", site.url, "sync", data_dir=data).returncode == 0
    listed = reader("--site", site.url, "list", "--limit", "5", data_dir=data).stdout
    post_id = listed.splitlines()[2].split()[0]
    site.mark_requests()
    shown = reader("--site", site.url, "show", post_id, "--width", "100", data_dir=data)
    assert shown.returncode == 0, shown.stderr
    # The page gives what the feed and the API do not: the post navigation.
    assert "Older:" in shown.stdout and "Newer:" in shown.stdout, shown.stdout[:800]
    assert len(_article_requests(site)) == 1
    again = reader("--site", site.url, "show", post_id, data_dir=data)
    assert again.returncode == 0 and "Older:" in again.stdout
    assert len(_article_requests(site)) == 1, "read once, then from the store"


def test_sync_pages_reads_every_page_and_resumes_after_a_kill(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    site = ReadSite("classic", (made := wordpress_sites()).url, wordpress=made)
    data = tmp_path / "data"
    assert reader("--site", site.url, "sync", data_dir=data).returncode == 0
    site.mark_requests()
    env = {**os.environ, "READER_DATA_DIR": str(data)}
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--site", site.url, "sync", "--pages"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _pages_read(data) < 8:
        assert process.poll() is None, "finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    read_before = _pages_read(data)
    assert 8 <= read_before < POSTS
    done = reader("--site", site.url, "sync", "--pages", data_dir=data)
    assert done.returncode == 0, done.stderr
    assert _pages_read(data) == POSTS
    assert f"{POSTS - read_before} pages read" in done.stdout, done.stdout
    # Every page asked for once, but for the few in flight when the kill came.
    asked = _article_requests(site)
    assert POSTS <= len(asked) <= POSTS + 4, len(asked)
    again = reader("--site", site.url, "sync", "--pages", data_dir=data)
    assert again.returncode == 0 and "0 pages read" in again.stdout
    assert len(_article_requests(site)) == len(asked)
