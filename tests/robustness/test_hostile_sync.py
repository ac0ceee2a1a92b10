"""Sync against a server that stalls, floods, lies and hangs up: the store must not suffer.

Every failing endpoint must give one clear line naming the URL and leave a store that already
holds posts, read state and bookmarks exactly as it was. The hostile feed must be stored with
nothing a terminal would obey. A sync killed half-way must leave either the old or the new
state, never a mix, and the next sync must finish the job.
"""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from reader.core.fetch import Fetcher
from reader.core.models import IncomingPost, Link, LinkKind, SyncReport
from reader.core.store import STORE_FILE, Store
from reader.core.sync import Source, sync
from reader.core.text import UNSAFE_PATTERN
from reader.render.article import render_body
from tests.support.hostile_server import (
    DATA_URL,
    JAVASCRIPT_URL,
    MARKUP,
    WRONG_CHARSET_TITLE,
    HostileServer,
    hostile_server,
    hostile_server_instance,
    wordpress_feed,
)

__all__ = ["hostile_server", "hostile_server_instance"]

pytestmark = pytest.mark.timeout(30)

MEMORY_LIMIT = 200 * 2**20
"""No sync, however hostile the server, may need more than this."""

SHORT: dict[str, Any] = {"deadline": 2.0, "max_bytes": 2**20}
"""A fetcher that gives up quickly, so endless endpoints cost seconds, not minutes."""

ROOT = Path(__file__).resolve().parents[2]

# -- the store a reader already has ------------------------------------------------------------


def _seeded_post(number: int) -> IncomingPost:
    return IncomingPost(
        url=f"https://example.org/news/seeded-story-{number}/",
        title=f"Seeded story {number} about blood stem cells",
        author="Morgan Curator",
        published=datetime(2025, 3, 1, tzinfo=UTC) + timedelta(days=number),
        guid=f"https://example.org/?p={9000 + number}",
        wp_id=9000 + number,
        excerpt=f"<p>Excerpt of seeded story {number}.</p>",
        content=f"<p>The whole of seeded story {number}, with <em>emphasis</em>.</p>",
        categories=(("news", "News"), ("cancer", "Cancer")),
    )


async def seed(store: Store, base_url: str) -> None:
    """Posts from the server's own feed and by hand, links, read state and two bookmarks."""
    async with Fetcher(**SHORT) as fetcher:
        report = await sync(store, fetcher, Source.feed(base_url + "/feed"))
    assert report.ok, report.errors
    store.upsert_posts(
        (_seeded_post(n) for n in range(1, 4)), source=Source.site("https://example.org/")
    )
    first = store.find_post("https://example.org/news/seeded-story-1/")
    second = store.find_post("https://example.org/news/seeded-story-2/")
    from_feed = store.find_post(base_url + "/news/organoid-study-2/")
    assert first is not None and second is not None and from_feed is not None
    store.save_page(
        first.id,
        content=None,
        links=[
            Link(LinkKind.OLDER, "https://example.org/news/seeded-story-2/", "Older story"),
            Link(LinkKind.TOPIC, "https://example.org/category/cancer/", "Cancer"),
        ],
        reading_minutes=4,
    )
    store.set_read(second.id)
    store.set_read(from_feed.id)
    for post_id in (first.id, from_feed.id):
        post = store.post(post_id)
        assert post is not None
        store.add_bookmark(post)


Snapshot = dict[str, list[tuple[Any, ...]]]

_TABLES = {
    "posts": "SELECT * FROM posts ORDER BY id",
    "sections": "SELECT * FROM sections ORDER BY id",
    "post_sections": "SELECT * FROM post_sections ORDER BY post_id, section_id",
    "links": "SELECT * FROM links ORDER BY post_id, position",
    "bookmarks": "SELECT * FROM bookmarks ORDER BY url_key",
    "validators": "SELECT * FROM validators ORDER BY url",
    "meta": "SELECT * FROM meta ORDER BY key",
}


def snapshot(path: Path) -> Snapshot:
    """Every row the reader keeps, read through a connection of its own."""
    db = sqlite3.connect(path)
    try:
        return {table: [tuple(row) for row in db.execute(sql)] for table, sql in _TABLES.items()}
    finally:
        db.close()


def assert_healthy(path: Path) -> None:
    """SQLite and the FTS5 index both find nothing wrong with the file."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.execute("INSERT INTO search (search) VALUES ('integrity-check')")
    finally:
        db.close()


def assert_kept(before: Snapshot, after: Snapshot) -> None:
    """Every row that was there before is still there, unchanged (new rows are allowed)."""
    for table in ("posts", "sections", "post_sections", "links", "bookmarks"):
        missing = [row for row in before[table] if row not in after[table]]
        assert not missing, f"{table} lost or changed rows: {missing}"


@pytest.fixture
async def store(tmp_path: Path, hostile_server: str) -> Store:
    opened = Store.open_in(tmp_path / "data")
    await seed(opened, hostile_server)
    return opened


async def measured_sync(store: Store, url: str, **fetcher_options: Any) -> tuple[SyncReport, int]:
    """Sync ``url`` as a feed; returns the report and the most memory Python held meanwhile."""
    tracemalloc.start()
    try:
        async with Fetcher(**fetcher_options) as fetcher:
            report = await sync(store, fetcher, Source.feed(url))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return report, peak


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- endpoints that must fail cleanly ----------------------------------------------------------

FAILING = [
    ("/drip", "timed out"),
    ("/stall", "timed out"),
    ("/gzip-bomb", "larger than"),
    ("/gzip-corrupt", "decompress"),
    ("/huge", "larger than"),
    ("/huge-unsized", "larger than"),
    ("/huge-promise", "larger than"),
    ("/redirect-loop", "redirect loop"),
    ("/redirect-chain/9", "too many redirects"),
    ("/redirect-file", "not an http(s) address"),
    ("/redirect-to?url=javascript:alert(1)", "not an http(s) address"),
    ("/status/500", "500"),
    ("/status/404", "404"),
    ("/503-always", "503"),
    ("/truncated", "cut short"),
    ("/truncated-xml", "malformed XML"),
    ("/html", "HTML page"),
    ("/json", "not a feed"),
    ("/reset", "reset"),
    ("/reset?early=1", "connection"),
]


def assert_one_clear_error(report: SyncReport, url: str, words: str) -> None:
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    message = report.errors[0]
    assert url in message, message
    assert words in message, message
    assert "\n" not in message and "Traceback" not in message
    assert UNSAFE_PATTERN.search(message) is None
    assert (report.new, report.updated, report.pages_fetched) == (0, 0, 0)


@pytest.mark.parametrize(("path", "words"), FAILING, ids=[path for path, _ in FAILING])
async def test_a_failing_endpoint_reports_one_line_and_changes_nothing(
    store: Store, hostile_server: str, path: str, words: str
) -> None:
    before = snapshot(store.path)
    url = hostile_server + path
    report, peak = await measured_sync(store, url, **SHORT)
    assert_one_clear_error(report, url, words)
    assert snapshot(store.path) == before
    assert_healthy(store.path)
    assert peak < MEMORY_LIMIT


async def test_a_cut_off_feed_does_not_overwrite_stored_posts(
    store: Store, hostile_server: str
) -> None:
    # /truncated-xml is /feed cut inside its first item: that item arrives without its guid,
    # excerpt, categories and body. Storing it would replace the whole post with the stump.
    before = snapshot(store.path)
    report, _ = await measured_sync(store, hostile_server + "/truncated-xml", **SHORT)
    stored = store.find_post(hostile_server + "/news/organoid-study-1/")
    assert stored is not None
    assert "short excerpt of study 1" in stored.excerpt
    assert stored.guid == hostile_server + "/?p=101"
    assert snapshot(store.path) == before, report


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:{port}/feed", "connection refused"),
        ("http://nonexistent.invalid/feed", "name not found"),
    ],
    ids=["refused", "dns"],
)
async def test_an_unreachable_host_is_reported_as_offline(
    store: Store, url: str, words: str
) -> None:
    url = url.format(port=free_port())
    before = snapshot(store.path)
    report, peak = await measured_sync(store, url, **SHORT)
    assert_one_clear_error(report, url, words)
    assert report.offline
    assert snapshot(store.path) == before
    assert_healthy(store.path)
    assert peak < MEMORY_LIMIT


async def test_the_default_caps_hold_a_gzip_bomb_and_a_huge_body_in_memory(
    store: Store, hostile_server: str
) -> None:
    # The reader's own limits (not the test's tighter ones) are what protect a real user.
    before = snapshot(store.path)
    for path in ("/gzip-bomb", "/huge"):
        report, peak = await measured_sync(store, hostile_server + path, deadline=10.0)
        assert_one_clear_error(report, hostile_server + path, "larger than")
        assert peak < MEMORY_LIMIT
    assert snapshot(store.path) == before


# -- endpoints that must succeed ---------------------------------------------------------------


async def test_retry_after_waits_and_then_syncs(store: Store, hostile_server: str) -> None:
    before = snapshot(store.path)
    url = f"{hostile_server}/retry-after?client={uuid.uuid4().hex}"
    report, peak = await measured_sync(store, url, **SHORT)
    assert report.ok, report.errors
    assert_kept(before, snapshot(store.path))
    assert_healthy(store.path)
    assert peak < MEMORY_LIMIT


@pytest.mark.parametrize("declared", ["utf-8", "none", "latin-1"])
async def test_a_wrongly_declared_charset_still_reads(
    store: Store, hostile_server: str, declared: str
) -> None:
    before = snapshot(store.path)
    report, _ = await measured_sync(
        store, f"{hostile_server}/wrong-charset?declared={declared}", **SHORT
    )
    assert report.ok, report.errors
    assert report.new == 1
    cafe = store.find_post("https://example.org/cafe/")
    assert cafe is not None
    assert cafe.title == WRONG_CHARSET_TITLE
    assert_kept(before, snapshot(store.path))


async def test_an_etag_makes_the_second_sync_a_no_op(
    store: Store, hostile_server_instance: HostileServer
) -> None:
    url = hostile_server_instance.url("/etag")
    first, _ = await measured_sync(store, url, **SHORT)
    assert first.ok, first.errors
    after_first = snapshot(store.path)
    hits = hostile_server_instance.hits("/etag")
    second, _ = await measured_sync(store, url, **SHORT)
    assert second.ok and second.unchanged
    assert hostile_server_instance.hits("/etag") == hits + 1
    after_second = snapshot(store.path)
    # Only the time of the last sync may move.
    assert {k: v for k, v in after_second.items() if k != "meta"} == {
        k: v for k, v in after_first.items() if k != "meta"
    }


# -- the hostile feed ------------------------------------------------------------------------


def _stored_strings(path: Path) -> Iterator[tuple[str, str, str]]:
    """(table, column, value) for every text value in every table, search index included."""
    db = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")
            if not row[0].startswith(("sqlite_", "search_"))
        ]
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str):
                        yield table, column, value
    finally:
        db.close()


async def test_the_hostile_feed_is_stored_without_a_single_control_character(
    store: Store, hostile_server: str, tmp_path: Path
) -> None:
    before = snapshot(store.path)
    report, peak = await measured_sync(store, hostile_server + "/hostile-feed", **SHORT)
    assert report.ok, report.errors
    assert report.new == 2
    assert peak < MEMORY_LIMIT
    assert_kept(before, snapshot(store.path))
    assert_healthy(store.path)

    hostile = [p for p in store.posts_in() if "Title" in p.title or "Second" in p.title]
    assert len(hostile) == 2
    for summary in hostile:
        post = store.post(summary.id)
        assert post is not None
        store.add_bookmark(post)

    checked = 0
    for table, column, value in _stored_strings(store.path):
        found = UNSAFE_PATTERN.search(value)
        assert found is None, f"{table}.{column} holds {found.group()!r}: {value!r}"
        assert "\r" not in value
        checked += 1
    assert checked > 50
    for bookmark in store.bookmarks():
        for value in (
            bookmark.title,
            bookmark.url,
            bookmark.post.title,
            bookmark.post.author,
            bookmark.post.content,
            bookmark.post.excerpt,
            *bookmark.post.sections,
        ):
            assert UNSAFE_PATTERN.search(value) is None

    titles = [p.title for p in hostile]
    for markup in MARKUP:
        assert all(markup in title for title in titles), (markup, titles)
    first = next(store.post(p.id) for p in hostile if "Title" in p.title)
    assert first is not None
    assert "[@click=app.quit]" in first.author
    assert any("[@click=app.quit]" in name for name in first.sections)
    assert "[/]" in first.sections
    # A post whose own link is javascript: keeps no address rather than that one.
    for summary in hostile:
        assert not summary.url.lower().startswith(("javascript:", "data:"))
        assert summary.url == "" or urlsplit(summary.url).scheme in ("http", "https")

    # The channel's title becomes the site title of a store that has none yet.
    fresh = Store.open_in(tmp_path / "fresh")
    try:
        report, _ = await measured_sync(fresh, hostile_server + "/hostile-feed", **SHORT)
        assert report.ok, report.errors
        site_title = fresh.sources()[0].title
        assert "Channel" in site_title and "[@click=app.quit]" in site_title
        assert UNSAFE_PATTERN.search(site_title) is None
    finally:
        fresh.close()


async def test_script_links_in_a_hostile_body_are_never_followable(
    store: Store, hostile_server: str
) -> None:
    report, _ = await measured_sync(store, hostile_server + "/hostile-feed", **SHORT)
    assert report.ok, report.errors
    post = next(
        store.post(p.id) for p in store.posts_in() if "Title" in p.title and "Second" not in p.title
    )
    assert post is not None
    links = render_body(post.content, post.url).links
    by_url = {link.url: link for link in links}
    assert by_url[JAVASCRIPT_URL].followable is False
    assert by_url[DATA_URL].followable is False
    for link in links:
        assert UNSAFE_PATTERN.search(link.url) is None and UNSAFE_PATTERN.search(link.text) is None
        if link.followable:
            assert urlsplit(link.url).scheme in ("http", "https")
        else:
            # No OSC 8 hyperlink either: the terminal must not offer it as a click.
            assert link.style.link is None


async def test_items_whose_links_are_all_scripts_stay_separate_posts(
    store: Store, tmp_path: Path
) -> None:
    # Each item loses its javascript: link (rightly); they must not then all share one empty
    # address and overwrite each other, the last one winning.
    items = "".join(
        f"<item><title>Linkless item {n}</title><link>javascript:alert({n})</link>"
        f'<guid isPermaLink="false">linkless-{n}</guid><description>Text {n}</description></item>'
        for n in range(1, 4)
    )
    feed = tmp_path / "linkless.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Linkless</title>'
        f"<link>https://example.org/</link><description>x</description>{items}</channel></rss>"
    )
    before = snapshot(store.path)
    async with Fetcher(**SHORT) as fetcher:
        report = await sync(store, fetcher, Source.feed(str(feed)))
    assert report.ok, report.errors
    titles = {p.title for p in store.posts_in()}
    assert {"Linkless item 1", "Linkless item 2", "Linkless item 3"} <= titles
    assert report.new == 3
    assert_kept(before, snapshot(store.path))


@pytest.mark.parametrize(
    "href",
    [
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "java\tscript:alert(1)",
        "java&#10;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:image/svg+xml;base64,PHN2Zz4=",
        "file:///etc/passwd",
    ],
)
def test_no_spelling_of_a_script_link_becomes_followable(href: str) -> None:
    body = f'<p><a href="{href}">click</a></p>'
    links = render_body(body, "https://example.org/news/story/").links
    # Dropping the link is as safe as refusing it; following it is the one wrong answer.
    for link in links:
        if link.followable:
            assert urlsplit(link.url).scheme.lower() in ("http", "https"), link
        else:
            assert link.style.link is None


# -- a sync killed half-way --------------------------------------------------------------------


def _reader(*args: str) -> list[str]:
    return [sys.executable, "-m", "reader", *args]


def _wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.01)


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def _run_sync(source: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _reader("sync", "--feed", source, "--data-dir", str(data_dir)),
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        check=False,
    )


async def test_a_sync_killed_while_the_feed_drips_leaves_the_store_whole(
    tmp_path: Path, hostile_server_instance: HostileServer
) -> None:
    data_dir = tmp_path / "killed"
    seeded = Store.open_in(data_dir)
    await seed(seeded, hostile_server_instance.base_url)
    seeded.close()
    path = data_dir / STORE_FILE
    before = snapshot(path)

    hits = hostile_server_instance.hits("/drip")
    process = subprocess.Popen(
        _reader(
            "sync", "--feed", hostile_server_instance.url("/drip"), "--data-dir", str(data_dir)
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        _wait_until(lambda: hostile_server_instance.hits("/drip") > hits, 15, "the request")
        time.sleep(0.3)  # a few bytes of body in flight
        assert process.poll() is None, "the sync ended before it could be killed"
    finally:
        _kill(process)
    assert process.returncode == -signal.SIGKILL

    assert_healthy(path)
    assert snapshot(path) == before

    # The next sync (of a feed that answers) runs to the end over the killed one's store.
    finished = _run_sync(hostile_server_instance.url("/feed"), data_dir)
    assert finished.returncode == 0, finished.stderr
    after = snapshot(path)
    assert_kept(before, after)
    assert_healthy(path)
    reopened = Store.open_in(data_dir)
    try:
        assert len(reopened.bookmarks()) == 2
        assert reopened.find_post(hostile_server_instance.url("/news/organoid-study-3/"))
    finally:
        reopened.close()


def _holding_the_write_lock(path: Path) -> bool:
    """True while another connection is inside a write transaction on ``path``."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


async def test_a_sync_killed_in_the_middle_of_writing_keeps_old_or_new_never_half(
    tmp_path: Path, hostile_server: str
) -> None:
    data_dir = tmp_path / "killed"
    seeded = Store.open_in(data_dir)
    await seed(seeded, hostile_server)
    held = seeded.count_posts()
    seeded.close()
    path = data_dir / STORE_FILE
    before = snapshot(path)
    items = 2000
    feed = tmp_path / "big-feed.xml"
    # Other paths and ids than the seeded feed's, so that no seeded post is legitimately updated.
    feed.write_bytes(
        wordpress_feed("https://big.example.org", items=items)
        .replace(b"/organoid-study-", b"/archive-study-")
        .replace(b"?p=", b"?p=7")
    )

    process = subprocess.Popen(
        _reader("sync", "--feed", str(feed), "--data-dir", str(data_dir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    caught_writing = False
    try:
        deadline = time.monotonic() + 20
        while process.poll() is None and time.monotonic() < deadline:
            if _holding_the_write_lock(path):
                caught_writing = True
                break
            time.sleep(0.002)
    finally:
        _kill(process)
    assert caught_writing, "the sync was never seen writing; make the feed bigger"

    assert_healthy(path)
    after_kill = snapshot(path)
    assert_kept(before, after_kill)
    # One transaction per batch: either none of the feed's posts are stored, or all of them.
    count = len(after_kill["posts"])
    assert count in (held, held + items), count

    finished = _run_sync(str(feed), data_dir)
    assert finished.returncode == 0, finished.stderr
    assert_healthy(path)
    final = snapshot(path)
    assert_kept(before, final)
    assert len(final["posts"]) == held + items


# Runs a command as its own child and writes that child's peak RSS (KiB) to a file. A child
# forked straight from pytest would not do: Linux carries the parent's peak into the child's
# ru_maxrss across exec (vfork and fork alike), so a test process grown past the limit would
# fail the check however small the command stays. Forked from this small launcher instead,
# the command starts from the launcher's few megabytes.
_PEAK_OF_CHILD = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_the_cli_sync_of_a_gzip_bomb_stays_small(tmp_path: Path, hostile_server: str) -> None:
    # The real command with its default limits, measured by the kernel rather than Python.
    log = tmp_path / "stderr.txt"
    peak = tmp_path / "peak.txt"
    command = _reader(
        "sync", "--feed", hostile_server + "/gzip-bomb", "--data-dir", str(tmp_path / "bomb")
    )
    with log.open("wb") as stderr:
        process = subprocess.run(
            [sys.executable, "-c", _PEAK_OF_CHILD, str(peak), *command],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=ROOT,
            timeout=120,
        )
    errors = log.read_text()
    assert process.returncode == 1
    assert "larger than" in errors and hostile_server + "/gzip-bomb" in errors
    assert int(peak.read_text()) * 1024 < MEMORY_LIMIT  # Linux counts ru_maxrss in KiB


async def test_a_wordpress_feed_that_ignores_paged_is_read_once_not_500_times(
    hostile_server_instance: HostileServer, store: Store
) -> None:
    url = hostile_server_instance.url("/unpaged-wordpress-feed")
    async with Fetcher(**SHORT) as fetcher:
        report = await sync(store, fetcher, Source.feed(url))
    assert report.ok, report.errors
    assert report.new == 3
    # The first page, then one window of older pages that only repeat it.
    assert hostile_server_instance.hits("/unpaged-wordpress-feed") <= 1 + 4
