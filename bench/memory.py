"""Peak memory after browsing 10,000 stored posts: the reader against Newsboat.

Each program runs under ``/usr/bin/time -v`` in a 120x40 pty and is driven through the same
kind of session: open the list, move down twenty posts, open an article and scroll it, open ten
more articles, then quit. The figure is the "Maximum resident set size" that ``time`` reports
for the whole process (decimal megabytes).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from bench.context import Context
from bench.figures import Figure
from bench.newsboat import Newsboat
from bench.startup import reader_argv, reader_is_full
from bench.terminal import QUIET, TimedPty

TIME = "/usr/bin/time"
LIMIT_MB = 90.0
EXPECT_TIMEOUT = 60.0
"""Seconds a step of the session may take to show (opening a post of a big site reads its
page from the sample server, slow with many posts on a busy machine)."""
QUIT_TIMEOUT = 120.0
"""Seconds a program may take to end after its quit keys: GNU time writes its report only when
the program it measures ends by itself (a slow search may still be working through keys)."""
_STILL = 5.0
"""Seconds without output after which a screen is taken to be still, for ``settle``."""
_PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_DOWN = "\x1b[B"
_ESCAPE = "\x1b"


def peak_megabytes(report: Path) -> float:
    """The peak RSS in a ``time -v`` report, in decimal megabytes."""
    found = _PEAK.search(report.read_text())
    if found is None:
        raise RuntimeError(f"no peak memory in {report}:\n{report.read_text()[-500:]}")
    return int(found.group(1)) * 1024 / 1e6


def _expect(app: TimedPty, text: str) -> None:
    """Stop with the screen when a step of the session did not do what it should."""
    try:
        app.time_until(lambda screen: text in screen, timeout=EXPECT_TIMEOUT)
    except TimeoutError as error:
        raise RuntimeError(f"browsing went wrong: {text!r} never showed\n{error}") from None


def _quit(app: TimedPty, keys: list[str]) -> None:
    for key in keys:
        if app.returncode is not None:
            break
        app.press(key, quiet=0.5)
    deadline = time.monotonic() + QUIT_TIMEOUT
    while app.returncode is None and time.monotonic() < deadline:
        app.pump(0.1)
    if app.returncode is None:
        raise RuntimeError(f"the program did not quit in {QUIT_TIMEOUT:g} s:\n{app.screen_text()}")


def reader_peak(ctx: Context, url: str, data_dir: Path, settle: float = 0.0) -> tuple[float, float]:
    """The reader's peak RSS over a browsing session, and when (seconds after the start) the
    session began: with ``settle``, once the screen has been still for a few seconds (up to
    that many)."""
    report = ctx.fresh_dir("time-reader") / "time.txt"
    argv = [TIME, "-v", "-o", str(report), *reader_argv(url, data_dir)]
    with TimedPty(argv, env=ctx.pty_env) as app:
        app.time_until(reader_is_full, timeout=120)
        if settle:
            # A long list is filled in steps after the first screen, each a while apart.
            app.drain(quiet=_STILL, limit=settle)
        app.drain()
        began = time.monotonic() - app.started_at
        for _ in range(20):
            app.press("j", quiet=0.1)
        app.press("\r", quiet=QUIET)  # open the post; its page is fetched in the background
        _expect(app, " min read")
        for _ in range(10):
            app.press("j", quiet=0.1)
        for _ in range(10):
            app.press("]", quiet=QUIET)  # the next post of the list
        for key in ("n", "n", "p", "p"):
            app.press(key, quiet=QUIET)
        app.press(_ESCAPE)
        app.press("/")
        for letter in "kidney":
            app.press(letter, quiet=0.1)
        app.drain(0.5)
        _expect(app, "kidney")
        app.press(_ESCAPE)
        _quit(app, ["q", "q"])
    return peak_megabytes(report), began


def newsboat_peak(ctx: Context, newsboat: Newsboat) -> float:
    """Newsboat's peak RSS over the same kind of session, on a cache already filled."""
    report = ctx.fresh_dir("time-newsboat") / "time.txt"
    argv = [TIME, "-v", "-o", str(report), *newsboat.argv()]
    with TimedPty(argv, env=ctx.pty_env) as app:
        app.time_until(lambda screen: "Your feeds" in screen, timeout=120)
        app.drain()
        app.press("\r")  # the feed's article list
        _expect(app, "Articles in feed")
        for _ in range(20):
            app.press(_DOWN, quiet=0.1)
        app.press("\r")  # the article
        _expect(app, "Article '")
        for _ in range(10):
            app.press(_DOWN, quiet=0.1)
        for _ in range(10):
            app.press("n")  # the next unread article
        _quit(app, ["q", "q", "q", "q"])
    return peak_megabytes(report)


def memory(ctx: Context, url: str, data_dir: Path, newsboat: Newsboat | None, posts: int) -> Figure:
    """The peak-memory figure."""
    figure = Figure(
        key=f"peak_memory_{posts}",
        name=f"peak memory, {posts:,} posts, after browsing",
        unit="MB",
        reader=None,
        baseline_name="Newsboat, same session on the same posts",
        target=f"<= {LIMIT_MB:g} MB",
    )
    if shutil.which(TIME) is None:
        figure.note = f"{TIME} is missing (apt-get install -y time): not measured"
        return figure
    figure.reader, _ = reader_peak(ctx, url, ctx.copy_of(data_dir, "memory"))
    ctx.say(f"  peak memory: reader {figure.reader:.1f} MB")
    if newsboat is not None:
        figure.baseline = newsboat_peak(ctx, newsboat)
        ctx.say(f"  peak memory: newsboat {figure.baseline:.1f} MB")
    else:
        figure.note = "Newsboat is not installed: baseline skipped"
    figure.met = figure.reader <= LIMIT_MB
    return figure
