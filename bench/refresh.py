"""The TUI's background refresh of 20,000 posts against the headless ``reader sync``.

Both start from an empty data folder and read the same served site over REST:

- headless: ``reader sync --site URL``, from process start to exit;
- TUI: ``reader --site URL`` in a 120x40 pty, which refreshes at start as it does by default;
  from process start to the chunk after which the status line first says "updated" (the
  refresh has finished; the list is re-read in the same step).

The site is served by a process of its own (:class:`~bench.sites.ServedApart`), not from the
bench's: the sample server's answers are most of either run (24 of 26 s), and in the bench's
process they waited for the interpreter whenever the terminal emulator read the TUI's screen
(4.6-5.8 s of its CPU a TUI run with keys, at load 4-7), which the headless run has no part of.

Runs alternate, up to three of each; the ratio is of the medians, and the median of the pairs'
own ratios is in the note.

Meanwhile, in the TUI, a key every half second: ``?`` opens the help screen and ``?`` closes
it again, each timed from the key to the chunk that shows the change (the
help screen's first heading appearing, or gone). The second figure is the slowest of them;
the same keys once the refresh has finished (the reader idle) are the fourth figure, their
median. There is no other baseline.

A screen switch is the dearest thing a key does (Textual lays out and draws the whole screen
again, the help's tables included), and a profile of the reader during a refresh shows that
work, not the refresh, filling its loop. So between help rounds two keys that only change the
status line are timed too, the third figure (median): ``ctrl+r`` ("A refresh is already
running") and ``L`` ("Open a post first.", no post being open while the store fills).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bench.context import Context
from bench.figures import Figure, median
from bench.sites import (
    SYNC_SECONDS_PER_POST,
    SYNC_TIMEOUT,
    ServedApart,
    reader_command,
    sync_store,
)
from bench.syncing import server_floor
from bench.terminal import TimedPty

ALLOWED = 1.2
KEY_LIMIT_MS = 100.0
TUI_TIMEOUT = 900.0
"""Seconds the TUI's refresh may take before the benchmark gives up on it."""
_HELP = "Follow the site"
"""The help screen's first heading."""
_PAUSE = 0.5
_ROUNDS_AFTER = 5
"""Help rounds (open, close) once the refresh has finished."""
_STATUS_KEYS = (("\x12", "already running"), ("L", "Open a post first"))
"""Keys answered in the status line alone during a refresh, and what each makes it say."""
_UPDATED = re.compile(r"updated (just now|\d+ min ago)")
STORE_FILE = "reader.sqlite3"


def _synced(screen: str) -> bool:
    """The status line says the last refresh finished (not "never updated")."""
    return bool(_UPDATED.search("\n".join(screen.splitlines()[-3:])))


def _drawn(screen: str) -> bool:
    """The first frame is up: a title bar and a key bar."""
    lines = screen.splitlines()
    return len(lines) >= 3 and bool(lines[0].strip()) and bool(lines[-1].strip())


def _stored(folder: Path) -> int:
    db = sqlite3.connect(f"file:{folder / STORE_FILE}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM posts").fetchone()[0])
    finally:
        db.close()


class _RefreshWatch:
    """A TUI refreshing: keys timed while it runs, and when its refresh finished."""

    def __init__(self, app: TimedPty) -> None:
        self.app = app
        self.finished: float | None = None
        """Seconds from process start to the chunk that first said "updated"."""

    def until(self, ready: Callable[[str], bool], timeout: float) -> bool:
        """Feed chunks until ``ready``, noting the end of the refresh on the way; False on
        timeout."""
        app = self.app

        def watched(screen: str) -> bool:
            if self.finished is None and _synced(screen):
                self.finished = app.fed_at - app.started_at
            return ready(screen)

        try:
            app.time_until(watched, timeout=timeout)
        except TimeoutError:
            if app.returncode is not None:
                raise RuntimeError(
                    f"the reader ended ({app.returncode}) during its refresh"
                ) from None
            return False
        return True

    def key(self, key: str, ready: Callable[[str], bool]) -> float:
        """Milliseconds from ``key`` to the chunk after which ``ready`` holds."""
        sent = time.monotonic()
        self.app.send(key)
        if not self.until(ready, timeout=60):
            raise RuntimeError(f"no answer to {key!r} in 60 s:\n{self.app.screen_text()}")
        return (self.app.fed_at - sent) * 1000

    def help_round(self) -> list[float]:
        """Open and close the help screen; both keys' times."""
        opened = self.key("?", lambda screen: _HELP in screen)
        closed = self.key("?", lambda screen: _HELP not in screen)
        return [opened, closed]

    def status_round(self) -> list[float]:
        """Two keys answered in the status line, for a round begun while the refresh runs:
        the first always, the second if the refresh still runs (on the smoke run's small site
        the refresh can end within one round, and CI's smoke run fails on a figure left
        without a value)."""
        times: list[float] = []
        for key, said in _STATUS_KEYS:
            if times and self.finished is not None:
                break

            def answered(screen: str, said: str = said) -> bool:
                bottom = "\n".join(screen.splitlines()[-3:])
                return said in bottom or _synced(screen)

            times.append(self.key(key, answered))
            self.pause(_PAUSE / 2)
        return times

    def pause(self, seconds: float) -> None:
        """Let ``seconds`` pass, still watching for the end of the refresh."""
        self.until(lambda screen: False, timeout=seconds)


def tui_refresh(
    ctx: Context, url: str, folder: Path
) -> tuple[float, list[float], list[float], list[float]]:
    """Seconds to the end of the TUI's refresh, help keys during it and after it, and
    status-line keys during it."""
    argv = reader_command("--site", url, "--data-dir", str(folder))
    during: list[float] = []
    status: list[float] = []
    with TimedPty(argv, env=ctx.pty_env) as app:
        watch = _RefreshWatch(app)
        deadline = time.monotonic() + TUI_TIMEOUT
        # Keys from the first frame on (a key before it would time the start-up).
        if not watch.until(_drawn, timeout=120):
            raise RuntimeError(f"the reader never drew its screen:\n{app.screen_text()}")
        watch.pause(_PAUSE)
        # A round begun while the refresh runs counts, so that a refresh over within one
        # round still gives both kinds of key a time.
        while watch.finished is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the refresh did not finish in {TUI_TIMEOUT:g} s")
            during.extend(watch.help_round())
            status.extend(watch.status_round())
            watch.pause(_PAUSE)
        assert watch.finished is not None
        finished = watch.finished
        after: list[float] = []
        for _ in range(_ROUNDS_AFTER):
            watch.pause(0.3)
            after.extend(watch.help_round())
    return finished, during, after, status


def refresh_figures(ctx: Context, served: ServedApart, posts: int) -> list[Figure]:
    """TUI refresh against ``reader sync``, and the slowest key meanwhile."""
    # One pair was the figure of a --quick run, and pairs at load 5 differ by 10-20%.
    runs = min(ctx.runs, 3)
    headless: list[float] = []
    tui: list[float] = []
    keys: list[float] = []
    after: list[float] = []
    status: list[float] = []
    targets: list[str] = []
    for run in range(runs):
        folder = ctx.fresh_dir("refresh-headless")
        before = len(served.targets())
        headless.append(
            sync_store(
                served.url,
                folder,
                ctx.env,
                timeout=max(SYNC_TIMEOUT, posts * SYNC_SECONDS_PER_POST),
            )
        )
        targets = served.targets()[before:]
        folder = ctx.fresh_dir("refresh-tui")
        finished, during, idle, told = tui_refresh(ctx, served.url, folder)
        tui.append(finished)
        keys.extend(during)
        after.extend(idle)
        status.extend(told)
        stored = _stored(folder)
        if stored < posts:
            raise RuntimeError(f"the TUI's refresh stored {stored} of {posts} posts")
        ctx.say(
            f"  refresh, run {run + 1}: reader sync {headless[-1]:.1f} s, TUI {tui[-1]:.1f} s, "
            f"slowest key {max(during, default=0):.0f} ms of {len(during)}, "
            f"status-line keys median {median(told) or 0:.0f} ms of {len(told)}"
        )
    floor = server_floor(served.base, targets, passes=1)
    pairs = [ours / theirs for ours, theirs in zip(tui, headless, strict=True)]
    size = f"{posts:,} posts"
    refresh = Figure(
        key=f"tui_refresh_{posts}",
        name=f"TUI's background refresh of {size}",
        unit="s",
        reader=median(tui),
        baseline=median(headless),
        baseline_name=f"reader sync --site, same site, empty store ({size})",
        target=f"<= {ALLOWED:g}x reader sync",
        note=(
            f"the sample server's own share: {floor:.1f} s of each; {runs} run(s) each, "
            f"alternated; median of the pairs' ratios {median(pairs) or 0:.2f}x"
        ),
        samples={"reader": tui, "baseline": headless},
    )
    if refresh.ratio is not None:
        refresh.met = refresh.ratio <= ALLOWED
    slowest = Figure(
        key=f"tui_refresh_keys_{posts}",
        name=f"slowest key during that refresh ({size})",
        unit="ms",
        reader=max(keys) if keys else None,
        target=f"<= {KEY_LIMIT_MS:g} ms",
        note=f"{len(keys)} keys (help screen open/close), median {median(keys) or 0:.0f} ms",
        samples={"reader": keys},
    )
    if slowest.reader is not None:
        slowest.met = slowest.reader <= KEY_LIMIT_MS
    idle = Figure(
        key=f"tui_refresh_help_idle_{posts}",
        name=f"help key (?) once that refresh is over, median ({size})",
        unit="ms",
        reader=median(after),
        target=f"<= {KEY_LIMIT_MS:g} ms",
        note=f"{len(after)} keys (help screen open/close), slowest {max(after, default=0):.0f} ms",
        samples={"reader": after},
    )
    if idle.reader is not None:
        idle.met = idle.reader <= KEY_LIMIT_MS
    cheap = Figure(
        key=f"tui_refresh_status_keys_{posts}",
        name=f"status-line key during that refresh, median ({size})",
        unit="ms",
        reader=median(status),
        target=f"<= {KEY_LIMIT_MS:g} ms",
        note=f"{len(status)} keys (ctrl+r, L), slowest {max(status, default=0):.0f} ms",
        samples={"reader": status},
    )
    if cheap.reader is not None:
        cheap.met = cheap.reader <= KEY_LIMIT_MS
    return [refresh, slowest, cheap, idle]
