"""Keys while another process syncs the same store.

The reader (``--no-refresh``) shows a stored site of 1,000 posts in a 120x40 pty. Once its
first screen is full, ``reader sync --site URL`` of a second site, 20,000 posts, starts in a
process of its own and writes into the same store (another terminal's sync, or cron's).
Meanwhile, in turn: ``?`` opens the help and ``?`` closes it, each timed from the key to the
chunk that shows the change; ``enter`` opens the post under the cursor, timed to the chunk
after which the article pane shows its title; ``escape`` goes back to the list and ``j``
down one post (neither timed: nothing on the screen tells they were answered but the
cursor's colour). Rounds go on until the sync has finished.

Figures: the slowest help key and the slowest opening while the other process writes, their
medians in the notes; for scale, the same openings once the sync is over (median).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bench.context import Context
from bench.figures import Figure, median
from bench.sites import SYNC_SECONDS_PER_POST, SYNC_TIMEOUT, reader_command
from bench.startup import reader_argv, reader_is_full
from bench.terminal import TimedPty

KEY_LIMIT_MS = 100.0
_HELP = "Follow the site"
"""The help screen's first heading."""
_PAUSE = 0.3
_ROUNDS_AFTER = 4
"""Openings timed once the other sync has ended."""
_SIDEBAR_POST = ("├ ", "└ ")
_PREFIX = 24
"""Characters of a title the sidebar shows whole and the article's first line repeats."""


def listed_titles(screen: str) -> list[str]:
    """The beginnings of the post titles the sidebar shows, top to bottom."""
    titles: list[str] = []
    for line in screen.splitlines():
        if line.startswith(_SIDEBAR_POST):
            # "├ ● Title…" or "├   Title…": the mark and its space are two cells.
            title = line[4:].split("▕")[0].strip()
            titles.append(title[:_PREFIX])
    return titles


def article_shows(title: str) -> Callable[[str], bool]:
    """The article pane's first line begins with ``title``."""

    def shown(screen: str) -> bool:
        lines = screen.splitlines()
        if len(lines) < 2 or "▕" not in lines[1]:
            return False
        return lines[1].split("▕", 1)[1].strip().startswith(title)

    return shown


class _Session:
    """The reader in its pty, and the keys timed so far."""

    def __init__(self, app: TimedPty, titles: list[str]) -> None:
        self.app = app
        self.titles = titles
        self.at = 0
        """Which listed post the cursor is on."""
        self.step = 1

    def key(self, key: str, ready: Callable[[str], bool]) -> float:
        """Milliseconds from ``key`` to the chunk after which ``ready`` holds."""
        app = self.app
        app.pump(0.0)
        before = app.received
        sent = time.monotonic()
        app.send(key)
        app.time_until(lambda screen: app.received > before and ready(screen), timeout=60)
        return (app.fed_at - sent) * 1000

    def pause(self, seconds: float) -> None:
        """Let the program run without a key for ``seconds``, reading what it writes."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.app.pump(min(left, 0.05))

    def help_round(self) -> list[float]:
        """Open and close the help; both keys' times."""
        opened = self.key("?", lambda screen: _HELP in screen)
        self.pause(_PAUSE)
        closed = self.key("?", lambda screen: _HELP not in screen)
        return [opened, closed]

    def open_round(self) -> float:
        """Open the post under the cursor, go back to the list and to the next post."""
        took = self.key("\r", article_shows(self.titles[self.at]))
        self.pause(_PAUSE)
        self.app.send("\x1b")
        self.pause(_PAUSE)
        # Down the screenful of posts, then up again: each opening is of another post.
        if not 0 <= self.at + self.step < len(self.titles):
            self.step = -self.step
        self.app.send("j" if self.step > 0 else "k")
        self.at += self.step
        self.pause(_PAUSE)
        return took


def beside_sync(
    ctx: Context, url: str, store: Path, other_url: str, other_posts: int
) -> tuple[list[float], list[float], list[float], float]:
    """Help keys and openings during the other sync, openings after it, and its seconds."""
    data = ctx.copy_of(store, "beside-sync")
    help_keys: list[float] = []
    openings: list[float] = []
    after: list[float] = []
    with TimedPty(reader_argv(url, data), env=ctx.pty_env) as app:
        app.time_until(reader_is_full, timeout=120)
        titles = listed_titles(app.screen_text())
        if len(titles) < 10:
            raise RuntimeError(f"the sidebar lists too few posts:\n{app.screen_text()}")
        session = _Session(app, titles)
        session.pause(_PAUSE)
        command = reader_command("sync", "--site", other_url, "--data-dir", str(data))
        started = time.monotonic()
        sync = subprocess.Popen(
            command, env=ctx.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        try:
            deadline = started + max(SYNC_TIMEOUT, other_posts * SYNC_SECONDS_PER_POST)
            # A round begun while the other process syncs counts (on a small site its sync
            # can end within the first round).
            while sync.poll() is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("the other process's sync did not finish")
                help_keys.extend(session.help_round())
                session.pause(_PAUSE)
                openings.append(session.open_round())
        finally:
            if sync.poll() is None:
                sync.kill()
            _, errors = sync.communicate()
        seconds = time.monotonic() - started
        if sync.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({sync.returncode}):\n{errors[-2000:]}")
        for _ in range(_ROUNDS_AFTER):
            after.append(session.open_round())
    return help_keys, openings, after, seconds


def beside_sync_figures(
    ctx: Context, url: str, store: Path, other_url: str, other_posts: int
) -> list[Figure]:
    """The slowest help key and the slowest opening while another process syncs."""
    runs = max(1, ctx.runs // 2)
    help_keys: list[float] = []
    openings: list[float] = []
    after: list[float] = []
    for run in range(runs):
        keys, opened, later, seconds = beside_sync(ctx, url, store, other_url, other_posts)
        help_keys += keys
        openings += opened
        after += later
        ctx.say(
            f"  beside a sync, run {run + 1}: the other sync {seconds:.0f} s, help keys "
            f"median {median(keys) or 0:.0f} ms (slowest {max(keys, default=0):.0f}) of "
            f"{len(keys)}, openings median {median(opened) or 0:.0f} ms (slowest "
            f"{max(opened, default=0):.0f}) of {len(opened)}"
        )
    size = f"{other_posts:,} posts"
    slowest_help = Figure(
        key=f"beside_sync_help_{other_posts}",
        name=f"slowest help key (?) while another process syncs {size} into the store",
        unit="ms",
        reader=max(help_keys) if help_keys else None,
        target=f"<= {KEY_LIMIT_MS:g} ms",
        note=f"{len(help_keys)} keys (help screen open/close), median "
        f"{median(help_keys) or 0:.0f} ms",
        samples={"reader": help_keys},
    )
    slowest_open = Figure(
        key=f"beside_sync_open_{other_posts}",
        name=f"slowest key to an article shown meanwhile ({size})",
        unit="ms",
        reader=max(openings) if openings else None,
        target=f"<= {KEY_LIMIT_MS:g} ms",
        note=f"{len(openings)} openings, median {median(openings) or 0:.0f} ms; once the sync is "
        f"over: median {median(after) or 0:.0f} ms of {len(after)}",
        samples={"reader": openings, "after": after},
    )
    for figure in (slowest_help, slowest_open):
        if figure.reader is not None:
            figure.met = figure.reader <= KEY_LIMIT_MS
    return [slowest_help, slowest_open]
