"""Start to first full screen: the reader against a minimal Textual list of the same titles.

Both run in a 120x40 pseudo-terminal. The clock starts just before the process is started and
stops when the chunk arrives after which the screen is full: for the reader, the sidebar shows
a group with its counts and a screenful of posts, and the status line says when it last
updated; for the baseline, its list shows the newest title and its status line is drawn.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from bench.baseline_list import READY, stored_titles
from bench.context import Context, script
from bench.figures import Figure, median
from bench.sites import reader_command
from bench.terminal import TimedPty

_GROUP_WITH_COUNT = re.compile(r"^\S+ \w[\w ]* \d+(/\d+)?\s*(▕|$)", re.MULTILINE)
_TREE_LINE = ("├", "└")
STORE_FILE = "reader.sqlite3"


def reader_is_full(screen: str) -> bool:
    """The reader's first screen is complete: counts, posts listed, status line."""
    lines = screen.splitlines()
    posts = sum(1 for line in lines if line.startswith(_TREE_LINE))
    status = "\n".join(lines[-3:])
    return bool(_GROUP_WITH_COUNT.search(screen)) and posts >= 20 and "updated" in status


def baseline_is_full(first_title: str) -> Callable[[str], bool]:
    """The baseline's first screen is complete: newest title and status line shown."""
    start = first_title[:20]

    def ready(screen: str) -> bool:
        return READY in screen and start in screen

    return ready


def reader_argv(url: str, data_dir: Path) -> list[str]:
    """The reader on a stored site, without refreshing at start."""
    return reader_command("--site", url, "--data-dir", str(data_dir), "--no-refresh")


def baseline_argv(data_dir: Path) -> list[str]:
    """The minimal list app on the same store."""
    return [sys.executable, script("baseline_list.py"), "--store", str(data_dir / STORE_FILE)]


def time_to_full(ctx: Context, argv: list[str], ready: Callable[[str], bool]) -> float:
    """Seconds from starting ``argv`` in a pty to its first full screen."""
    with TimedPty(argv, env=ctx.pty_env) as app:
        return app.time_until(ready, timeout=120)


def startup(ctx: Context, url: str, data_dir: Path, posts: int, allowed: float) -> Figure:
    """The start-up figure for a store of ``posts`` posts."""
    titles = stored_titles(str(data_dir / STORE_FILE))
    ready = baseline_is_full(titles[0])
    reader, baseline = reader_argv(url, data_dir), baseline_argv(data_dir)
    # One unmeasured start of each first: bytecode written, files in the page cache.
    time_to_full(ctx, reader, reader_is_full)
    time_to_full(ctx, baseline, ready)
    ours: list[float] = []
    theirs: list[float] = []
    for run in range(ctx.runs):
        # Alternate, so a busy moment on the shared machine hits both alike.
        ours.append(time_to_full(ctx, reader, reader_is_full))
        theirs.append(time_to_full(ctx, baseline, ready))
        ctx.say(
            f"  start-up, {posts} posts, run {run + 1}: reader {ours[-1]:.3f} s, "
            f"baseline {theirs[-1]:.3f} s"
        )
    figure = Figure(
        key=f"startup_{posts}",
        name=f"start to first full screen, {posts:,} posts",
        unit="s",
        reader=median(ours),
        baseline=median(theirs),
        baseline_name=f"minimal Textual app (OptionList) listing all {posts:,} titles",
        target=f"<= {allowed:g}x baseline",
        samples={"reader": ours, "baseline": theirs},
    )
    ratio = figure.ratio
    figure.met = None if ratio is None else ratio <= allowed
    return figure
