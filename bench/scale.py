"""A store of 100,000 posts: start-up, peak memory, search and a cursor move at that size.

The store is filled from a generated site of 100,000 posts with ``reader sync`` like every
other (see ``bench/store_cache.py``: it is kept between runs, being slow to fill), and read in
a 120x40 pty:

- start-up: process start to the first full screen, alternated with the same on the 1,000-post
  store; the baseline column is the reader itself at 1,000 posts.
- peak memory: the browsing session of the 10,000-post memory figure, under GNU time, begun
  once the screen is still (the whole list filled).
- search: ``/``, then each word pasted into the search box (one search, as a fast typist's last
  letter makes), timed from the paste to the screen showing the store's own first hit for it;
  the box is emptied in between. Words from titles and one found in nearly every body.
- cursor move: ``j`` in the first group (about half the posts), as the 1,000-post figure.

The rest of a long list is filled after the first full screen. The cursor and search figures
are timed from the first full screen on, as a user meets them; the memory session waits until
the screen has been still for a few seconds, and its note says how long after the start.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.context import Context
from bench.figures import Figure, median
from bench.keystrokes import cursor_moves
from bench.memory import TIME, reader_peak
from bench.startup import reader_argv, reader_is_full, time_to_full
from bench.terminal import KeyResponse, TimedPty

STARTUP_ALLOWED = 1.5
MEMORY_LIMIT_MB = 120.0
SEARCH_LIMIT_MS = 50.0
MOVE_LIMIT_B = 600.0
WORDS = ("zebrafish", "kidney", "embryo", "rhythm", "cells")
"""Subjects and findings of generated titles (a few thousand hits each at 100,000 posts), and
a word of nearly every body."""
SETTLE_LIMIT = 180.0
"""Seconds the memory session waits for the screen to be still (the whole list filled)."""
_PLACEHOLDER = "Words to find in titles and text"
"""The empty search box shows this."""
_CLEAR_BOX = "\x15"  # ctrl+u: delete everything left of the cursor
_ESCAPE = "\x1b"


def _paste(text: str) -> str:
    """``text`` as a terminal sends a paste (bracketed paste: one event, not a key a letter)."""
    return f"\x1b[200~{text}\x1b[201~"


def first_hits(data_dir: Path, words: tuple[str, ...]) -> tuple[dict[str, str], list[float]]:
    """The store's first hit for each word, and how long ``Store.search`` alone took (ms)."""
    from reader.core.store import Store

    store = Store.open_in(data_dir)
    hits: dict[str, str] = {}
    times: list[float] = []
    try:
        for word in words:
            started = time.perf_counter()
            found = store.search(word)
            times.append((time.perf_counter() - started) * 1000)
            if not found:
                raise RuntimeError(f"nothing in the store at {data_dir} matches {word!r}")
            hits[word] = found[0].post.title
    finally:
        store.close()
    return hits, times


def in_dialog(screen: str) -> str:
    """The text inside the search dialog's box: the list behind it, whose rows above and below
    the box show, may hold the hit's title too (a word's first hit was "found" there at once,
    while the paste had only been echoed)."""
    inside = []
    for line in screen.splitlines():
        left, right = line.find("│"), line.rfind("│")
        if left < right:
            inside.append(line[left + 1 : right])
    return "\n".join(inside)


def _search_times(app: TimedPty, hits: dict[str, str], runs: int) -> list[float]:
    """Milliseconds from each paste to its first hit on the screen."""
    app.send("/")
    app.time_until(lambda screen: _PLACEHOLDER in screen, timeout=30)
    app.drain(0.3)
    times: list[float] = []
    for _ in range(runs):
        for word, title in hits.items():
            shown = title[:30]

            def found(screen: str, shown: str = shown) -> bool:
                return shown in in_dialog(screen) and _PLACEHOLDER not in screen

            sent = time.monotonic()
            app.send(_paste(word))
            at = app.time_until(found, timeout=30) + app.started_at
            times.append((at - sent) * 1000)
            app.drain(0.2)
            app.send(_CLEAR_BOX)
            app.time_until(lambda screen: _PLACEHOLDER in screen, timeout=30)
            app.drain(0.2)
    app.send(_ESCAPE)
    app.time_until(lambda screen: _PLACEHOLDER not in screen, timeout=30)
    return times


def scale_figures(
    ctx: Context, url: str, data_dir: Path, small_url: str, small_dir: Path
) -> list[Figure]:
    """Start-up, memory, search and cursor move on the big store."""
    posts = ctx.scale.huge
    size = f"{posts:,} posts"
    big, small = reader_argv(url, data_dir), reader_argv(small_url, small_dir)
    # Unmeasured starts first: bytecode written, files in the page cache (and a store written
    # by an older reader upgraded, once).
    time_to_full(ctx, big, reader_is_full)
    time_to_full(ctx, small, reader_is_full)
    ours: list[float] = []
    theirs: list[float] = []
    for run in range(ctx.runs):
        ours.append(time_to_full(ctx, big, reader_is_full))
        theirs.append(time_to_full(ctx, small, reader_is_full))
        ctx.say(f"  start-up, run {run + 1}: {size} {ours[-1]:.3f} s, 1,000 {theirs[-1]:.3f} s")
    startup = Figure(
        key=f"startup_{posts}",
        name=f"start to first full screen, {size}",
        unit="s",
        reader=median(ours),
        baseline=median(theirs),
        baseline_name=f"the reader itself on {ctx.scale.small:,} posts",
        target=f"<= {STARTUP_ALLOWED:g}x the {ctx.scale.small:,}-post start",
        samples={"reader": ours, "baseline": theirs},
    )
    if startup.ratio is not None:
        startup.met = startup.ratio <= STARTUP_ALLOWED

    hits, store_ms = first_hits(data_dir, WORDS)
    with TimedPty(big, env=ctx.pty_env) as app:
        app.time_until(reader_is_full, timeout=120)
        # As a user would: from the first full screen on, while the rest of a long list may
        # still be being filled (the memory session below says how long that goes on).
        moves = cursor_moves(app, ctx.scale.keys)
        searches = _search_times(app, hits, ctx.runs)
    ctx.say(f"  search, {size}: {median(searches) or 0:.1f} ms (median of {len(searches)})")
    search = Figure(
        key=f"search_{posts}",
        name=f"search to first hit shown, {size}",
        unit="ms",
        reader=median(searches),
        target=f"<= {SEARCH_LIMIT_MS:g} ms",
        note=f"words {', '.join(WORDS)}; slowest {max(searches):.0f} ms; Store.search alone: "
        + ", ".join(f"{w} {t:.0f} ms" for w, t in zip(WORDS, store_ms, strict=True)),
        samples={"reader": searches, "store_search": store_ms},
    )
    if search.reader is not None:
        search.met = search.reader <= SEARCH_LIMIT_MS
    move = _move_figure(moves, size)

    peak = Figure(
        key=f"peak_memory_{posts}",
        name=f"peak memory, {size}, after browsing",
        unit="MB",
        reader=None,
        target=f"<= {MEMORY_LIMIT_MB:g} MB",
    )
    if shutil.which(TIME) is None:
        peak.note = f"{TIME} is missing (apt-get install -y time): not measured"
    else:
        # Last: the session marks posts read and bookmarks nothing, but it does write.
        peak.reader, began = reader_peak(ctx, url, data_dir, settle=SETTLE_LIMIT)
        peak.met = peak.reader <= MEMORY_LIMIT_MB
        late = " (still drawing at the limit)" if began >= SETTLE_LIMIT else ""
        peak.note = f"the session began once the screen was still: {began:.0f} s in{late}"
        ctx.say(f"  peak memory, {size}: {peak.reader:.1f} MB")
    return [startup, peak, search, move]


def _move_figure(moves: list[KeyResponse], size: str) -> Figure:
    sizes = [float(r.bytes) for r in moves]
    latencies = [r.latency * 1000 for r in moves if r.latency is not None]
    figure = Figure(
        key="bytes_per_cursor_move_huge",
        name=f"bytes per cursor move, {size}",
        unit="B",
        reader=median(sizes),
        target=f"<= {MOVE_LIMIT_B:g} B",
        note=f"mean over {len(moves)} moves {sum(sizes) / max(1, len(sizes)):.0f} B; latency "
        f"median {median(latencies) or 0:.1f} ms, max {max(latencies, default=0):.1f} ms",
        samples={"reader": sizes, "latency_ms": latencies},
    )
    if figure.reader is not None:
        figure.met = figure.reader <= MOVE_LIMIT_B
    return figure
