"""Sync figures: ``reader sync`` of 1,000 posts, cold and unchanged, against Newsboat.

- cold over REST: ``reader sync --site URL`` into an empty data folder, the sample server
  with its REST API; cold from RSS only: the same with the API locked (404), so the reader
  walks the paged feeds (and reads up to 60 pages of excerpt-only posts, as it always does).
  The baseline is ``newsboat -x reload`` of the same 1,000 posts as one RSS document, into an
  empty cache.
- unchanged: ``reader sync`` again on the filled store. The server's log tells whether
  anything but a 304 was answered (a 200 would mean a feed or page to parse); a connection
  held open on the store tells whether anything was committed (``PRAGMA data_version``) and
  a checksum of every table which ones changed. Newsboat reloads its filled cache alike.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

from bench.context import Context
from bench.figures import Figure, median
from bench.newsboat import Newsboat
from bench.sites import ServedSite, SingleFeedServer, sync_store

STORE_FILE = "reader.sqlite3"
UNCHANGED_LIMIT = 0.25


class StoreWatch:
    """A read-only look at a store, to tell what a sync committed."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)

    def close(self) -> None:
        """Let the store go."""
        self._db.close()

    def data_version(self) -> int:
        """Changes when another connection commits."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def checksums(self) -> dict[str, str]:
        """Row count and a digest of the rows of every table."""
        names = [
            str(name)
            for (name,) in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        sums: dict[str, str] = {}
        for name in names:
            digest = hashlib.sha256()
            count = 0
            for row in self._db.execute(f'SELECT * FROM "{name}"'):
                digest.update(repr(tuple(row)).encode())
                count += 1
            sums[name] = f"{count}:{digest.hexdigest()[:16]}"
        return sums

    def posts(self) -> int:
        """How many posts are stored."""
        return int(self._db.execute("SELECT count(*) FROM posts").fetchone()[0])


def server_floor(base: str, targets: list[str], passes: int = 2) -> float:
    """Seconds the sample server at ``base`` alone needs to answer ``targets`` in turn (best
    of two).

    The sample server renders every answer in Python, on the same two cores; Newsboat's feed
    is bytes made beforehand. This is the part of a reader sync that is the server's, to read
    the reader's own share off the figure.
    """
    import httpx

    best = float("inf")
    for _ in range(passes):
        started = time.perf_counter()
        with httpx.Client(headers={"Accept-Encoding": "gzip"}) as client:
            for target in targets:
                client.get(base + target)
        best = min(best, time.perf_counter() - started)
    return best


def _cold_reader(
    ctx: Context, served: ServedSite, label: str, posts: int
) -> tuple[list[float], float]:
    """Wall times of cold syncs, and the server's floor for the same requests."""
    times: list[float] = []
    targets: list[str] = []
    for run in range(ctx.runs):
        folder = ctx.fresh_dir(f"cold-{label}")
        before = served.requests
        times.append(sync_store(served.url, folder, ctx.env))
        targets = [target for _, target, _ in served.server.request_log[before:]]
        watch = StoreWatch(folder / STORE_FILE)
        try:
            stored = watch.posts()
        finally:
            watch.close()
        if stored < posts:
            raise RuntimeError(f"a cold {label} sync stored {stored} of {posts} posts")
        ctx.say(
            f"  cold sync ({label}), run {run + 1}: {times[-1]:.2f} s, "
            f"{served.requests - before} requests"
        )
    return times, server_floor(served.server.base, targets)


def _cold_newsboat(ctx: Context, newsboat: Newsboat, posts: int) -> list[float]:
    times: list[float] = []
    for run in range(ctx.runs):
        newsboat.forget()
        times.append(newsboat.reload(ctx.env))
        if newsboat.items() < posts:
            raise RuntimeError(f"newsboat stored {newsboat.items()} of {posts} items")
        ctx.say(f"  cold reload (newsboat), run {run + 1}: {times[-1]:.2f} s")
    return times


def _cold_figure(
    key: str, name: str, ours: list[float], theirs: list[float] | None, allowed: float | None
) -> Figure:
    figure = Figure(
        key=key,
        name=name,
        unit="s",
        reader=median(ours),
        baseline=median(theirs) if theirs else None,
        baseline_name="newsboat -x reload of the same posts as one RSS document",
        target=f"<= {allowed:g}x baseline" if allowed else "",
        samples={"reader": ours, "baseline": theirs or []},
    )
    ratio = figure.ratio
    if allowed is not None and ratio is not None:
        figure.met = ratio <= allowed
    if theirs is None:
        figure.note = "Newsboat is not installed: baseline skipped"
    return figure


def sync_figures(
    ctx: Context,
    rest: ServedSite,
    rss_only: ServedSite,
    feed: SingleFeedServer,
    newsboat: Newsboat | None,
    posts: int,
) -> list[Figure]:
    """Cold syncs over REST, from RSS only, and from the single feed; then unchanged."""
    theirs = _cold_newsboat(ctx, newsboat, posts) if newsboat is not None else None
    over_rest, rest_floor = _cold_reader(ctx, rest, "REST", posts)
    from_rss, rss_floor = _cold_reader(ctx, rss_only, "RSS only", posts)
    single: list[float] = []
    for _ in range(max(1, ctx.runs // 2)):
        folder = ctx.fresh_dir("cold-single-feed")
        single.append(sync_store(feed.url, folder, ctx.env, feed=True))
    ctx.say(f"  cold sync (one RSS document, --feed): {median(single) or 0:.2f} s")
    figures = [
        _cold_figure(
            "cold_sync_rest", f"cold sync of {posts:,} posts over REST", over_rest, theirs, 2.0
        ),
        _cold_figure(
            "cold_sync_rss", f"cold sync of {posts:,} posts from RSS only", from_rss, theirs, 4.0
        ),
        _cold_figure(
            "cold_sync_single_feed",
            f"cold sync of the same {posts:,}-item RSS (--feed), for reference",
            single,
            theirs,
            None,
        ),
    ]
    figures[0].note = _floor_note(figures[0], rest_floor)
    figures[1].note = "paged feeds, 10 posts a page, plus up to 60 article pages; " + _floor_note(
        figures[1], rss_floor
    )
    figures.append(_unchanged(ctx, rest, newsboat))
    return figures


def _floor_note(figure: Figure, floor: float) -> str:
    if figure.reader is None:
        return ""
    note = f"the sample server's own share: {floor:.2f} s"
    if figure.baseline:
        note += f" (reader less that: {(figure.reader - floor) / figure.baseline:.1f}x Newsboat)"
    return note


def _unchanged(ctx: Context, served: ServedSite, newsboat: Newsboat | None) -> Figure:
    folder = ctx.fresh_dir("unchanged")
    sync_store(served.url, folder, ctx.env)
    watch = StoreWatch(folder / STORE_FILE)
    times: list[float] = []
    answered: list[tuple[str, str, int]] = []
    changed: set[str] = set()
    commits = 0
    try:
        for run in range(ctx.runs):
            sums = watch.checksums()
            version = watch.data_version()
            before = served.requests
            times.append(sync_store(served.url, folder, ctx.env))
            answered.extend(served.server.request_log[before:])
            if watch.data_version() != version:
                commits += 1
            after = watch.checksums()
            changed.update(name for name in after if after[name] != sums.get(name))
            ctx.say(f"  unchanged sync, run {run + 1}: {times[-1]:.3f} s")
    finally:
        watch.close()
    theirs: list[float] = []
    if newsboat is not None:
        if newsboat.items() == 0:
            newsboat.reload(ctx.env)
        theirs = [newsboat.reload(ctx.env) for _ in range(ctx.runs)]
    parsed = [entry for entry in answered if entry[2] == 200]
    statuses = sorted({str(entry[2]) for entry in answered})
    figure = Figure(
        key="unchanged_sync",
        name="sync of an unchanged site",
        unit="s",
        reader=median(times),
        baseline=median(theirs) if theirs else None,
        baseline_name="newsboat -x reload, warm cache",
        target=f"nothing parsed or written; <= {UNCHANGED_LIMIT:g} s",
        samples={"reader": times, "baseline": theirs},
    )
    problems = []
    if parsed:
        problems.append(f"{len(parsed)} answers were 200 (parsed): {parsed[:3]}")
    if commits:
        problems.append(
            f"{commits} of {ctx.runs} syncs committed; tables changed: "
            f"{', '.join(sorted(changed)) or 'none (same rows rewritten)'}"
        )
    figure.note = (
        f"{len(answered) // max(1, ctx.runs)} request(s) a sync, answered "
        f"{'/'.join(statuses) or 'nothing'}"
        + ("; " + "; ".join(problems) if problems else "; nothing parsed, nothing written")
    )
    figure.met = not problems and (figure.reader or 0) <= UNCHANGED_LIMIT
    return figure
