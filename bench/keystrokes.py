"""Redraw cost of a cursor move in the sidebar: bytes per key and key-to-last-byte latency.

Over SSH every byte counts. In a 120x40 pty with ``TERM=xterm-256color`` (256 colours), the
reader opens a group of 1,000 posts (a site where every post is filed under News) and ``j`` is
pressed 100 times, each after the screen has settled; the same for the minimal Textual list app
on the same store. One move is made first and not counted: it is the one that takes the
cursor from the group's line into the list.

The first thirty-odd moves stay on the screen; the rest scroll the list by a line. Both kinds
are reported: the median of all 50 and the median of the moves that scrolled (those that
redrew more than a few rows), which is what paging through a long list costs.
"""

from __future__ import annotations

from pathlib import Path

from bench.baseline_list import READY, stored_titles
from bench.context import Context
from bench.figures import Figure, median
from bench.startup import STORE_FILE, baseline_argv, baseline_is_full, reader_argv, reader_is_full
from bench.terminal import KeyResponse, TimedPty

BYTES_LIMIT = 600.0
LATENCY_LIMIT_MS = 16.0
_QUIET = 0.15
_IN_PLACE_ROWS = 3
"""A move that redraws more rows than this has scrolled the list."""


def cursor_moves(app: TimedPty, count: int) -> list[KeyResponse]:
    """``count`` moves down, after one that is not counted (from the group into its list)."""
    app.drain()
    # Every move redraws something: its answer is waited for even when it starts late (a busy
    # machine), so it is never counted with the next move's.
    app.press("j", quiet=_QUIET, answer_within=2.0)
    return [app.press("j", quiet=_QUIET, answer_within=2.0) for _ in range(count)]


def keystroke_figures(ctx: Context, url: str, data_dir: Path, posts: int) -> list[Figure]:
    """Bytes per cursor move and median latency, reader and baseline."""
    titles = stored_titles(str(data_dir / STORE_FILE))
    data = ctx.copy_of(data_dir, "keys")
    with TimedPty(reader_argv(url, data), env=ctx.pty_env) as app:
        app.time_until(reader_is_full, timeout=120)
        screen = app.screen_text()
        if f"News {posts}" not in screen:
            raise RuntimeError(f"the first group does not list {posts} posts:\n{screen}")
        ours = cursor_moves(app, ctx.scale.keys)
    with TimedPty(baseline_argv(data_dir), env=ctx.pty_env) as app:
        app.time_until(baseline_is_full(titles[0]), timeout=120)
        if READY not in app.screen_text():
            raise RuntimeError("the baseline list did not start")
        theirs = cursor_moves(app, ctx.scale.keys)

    def sizes(responses: list[KeyResponse]) -> list[float]:
        return [float(r.bytes) for r in responses]

    def latencies(responses: list[KeyResponse]) -> list[float]:
        return [r.latency * 1000 for r in responses if r.latency is not None]

    def rows(responses: list[KeyResponse]) -> list[float]:
        return [float(r.rows) for r in responses]

    ctx.say(f"  cursor moves: reader {median(sizes(ours))} B, baseline {median(sizes(theirs))} B")
    size = Figure(
        key="bytes_per_cursor_move",
        name=f"bytes per cursor move, sidebar of {posts:,} (120x40, 256 colours)",
        unit="B",
        reader=median(sizes(ours)),
        baseline=median(sizes(theirs)),
        baseline_name="minimal Textual app (OptionList) on the same titles",
        target=f"<= {BYTES_LIMIT:g} B",
        note=(
            f"max reader {max(sizes(ours)):.0f} B, baseline {max(sizes(theirs)):.0f} B; rows "
            f"redrawn per move: reader {median(rows(ours))}, baseline {median(rows(theirs))}"
        ),
        samples={"reader": sizes(ours), "baseline": sizes(theirs)},
    )
    size.met = size.reader is not None and size.reader <= BYTES_LIMIT
    scrolled = [index for index, r in enumerate(ours) if r.rows > _IN_PLACE_ROWS]
    scrolling = Figure(
        key="bytes_per_scrolling_move",
        name="bytes per cursor move that scrolls the sidebar",
        unit="B",
        reader=median([sizes(ours)[i] for i in scrolled]),
        baseline=median([sizes(theirs)[i] for i in scrolled if i < len(theirs)]),
        baseline_name="minimal Textual app (OptionList) on the same titles",
        target=f"<= {BYTES_LIMIT:g} B",
        note=f"{len(scrolled)} of {len(ours)} moves scrolled; rows redrawn: reader "
        f"{median([rows(ours)[i] for i in scrolled])}",
    )
    # Whether a move that scrolls is cheap matters less than how often one happens: the
    # sidebar turns a page at a time, so the mean over a run is the cost a user pays.
    scrolling.target = "(see the mean)"
    mean = Figure(
        key="bytes_per_move_mean",
        name=f"mean bytes per cursor move over {len(ours)} moves, scrolls included",
        unit="B",
        reader=sum(sizes(ours)) / len(ours),
        baseline=sum(sizes(theirs)) / len(theirs),
        baseline_name="minimal Textual app (OptionList) on the same titles",
        target=f"<= {BYTES_LIMIT:g} B",
        note=f"{len(scrolled)} of {len(ours)} reader moves scrolled the list",
    )
    mean.met = mean.reader is not None and mean.reader <= BYTES_LIMIT
    latency = Figure(
        key="key_latency",
        name="median key-to-last-byte latency, cursor move",
        unit="ms",
        reader=median(latencies(ours)),
        baseline=median(latencies(theirs)),
        baseline_name="minimal Textual app (OptionList) on the same titles",
        target=f"<= {LATENCY_LIMIT_MS:g} ms",
        note=f"max reader {max(latencies(ours), default=0):.1f} ms, "
        f"baseline {max(latencies(theirs), default=0):.1f} ms",
        samples={"reader": latencies(ours), "baseline": latencies(theirs)},
    )
    latency.met = latency.reader is not None and latency.reader <= LATENCY_LIMIT_MS
    return [size, mean, scrolling, latency]
