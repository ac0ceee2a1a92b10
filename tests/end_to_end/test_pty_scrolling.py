"""The article pane scrolled by the terminal itself leaves the screen as Textual's own repaint.

The real reader runs in two pseudo-terminals side by side on copies of one store and gets the
same keys: one draws every frame Textual's way (``READER_REDRAW=full``), the other through the
screen writer, which scrolls the pane with a scroll region (``DECSTBM``, ``SU``/``SD``) and
draws only what changed. After every key both emulated screens (pyte) must match cell for
cell, on a terminal with left and right margins (xterm) and on one without (tmux, xterm.js),
beside the sidebar and at a width where the article has the whole screen.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.sample.content import sample_site
from reader.sample.server import SampleServer
from tests.support.app_fixtures import synced_store
from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(240)

KEYS = ["j"] * 6 + ["k"] * 3 + [" ", "j", "j", "\t", "\t", "j", "k", " ", "k", "G", "k", "g"]
"""One-line scrolls both ways, pages, links highlighted (the pane may jump to them), the end
and the top again."""


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """A served sample site whose newest News post is several screens long, synced once."""
    site = sample_site()
    news = [post for post in site.posts() if post.section == "news"]
    newest = news[0]
    body = "\n".join(post.body for post in news[1:9])
    site.touch_post(newest.id, body=body)
    server = SampleServer(site)
    url = server.start()
    try:
        folder = tmp_path_factory.mktemp("scrolling")
        synced_store(url, folder)
        # Quotes are shown typographic: the words before the first are the same on screen.
        yield url, folder, newest.title.split("'")[0]
    finally:
        server.stop()


def _reader(url: str, data: Path, *, full: bool, margins: bool, size: tuple[int, int]) -> PtyApp:
    argv = [sys.executable, "-m", "reader", "--site", url, "--data-dir", str(data)]
    env = {"TERM": "xterm-256color", "READER_REDRAW": "full" if full else "cells"}
    columns, rows = size
    return PtyApp(
        [*argv, "--no-refresh"], cols=columns, rows=rows, env=env, left_right_margins=margins
    )


def _opened(app: PtyApp, title: str) -> PtyApp:
    """Start the reader and open the article; one at a time, since a reader whose terminal
    answers nothing for a second (its output not read) starts without the probe's answers."""
    app.start()
    try:
        app.wait_for(title, timeout=60)
        # Keys sent while the screen is still being drawn may be taken before the list has
        # its cursor.
        app.settle()
        app.send("\r")
        app.wait_for("min read", timeout=30)
    except BaseException:
        app.close()
        raise
    return app


def _cells(app: PtyApp) -> list[list[tuple[object, ...]]]:
    app.screen_text()
    return app.terminal.cells()


def _same_after_quiet(
    ours: PtyApp, theirs: PtyApp, answered: tuple[int, int] = (0, 0), deadline: float = 30.0
) -> bool:
    """Both readers have answered (written past ``answered`` bytes), then their screens match
    once both are quiet; False when they still differ at the deadline.

    A busy machine can pause a reader for longer than any quiet spell in the middle of a
    frame, so a difference is only a failure if it lasts; and a key is only checked once both
    have drawn something for it, never on the screens from before it.
    """
    ends = time.monotonic() + deadline
    for app, size in zip((ours, theirs), answered, strict=True):
        while len(app.raw_output) <= size:
            assert time.monotonic() < ends, (
                "a reader drew nothing for the key:\n" + app.screen_text()
            )
            app.pump(0.1)
    while True:
        ours.settle(0.3)
        theirs.settle(0.3)
        if _cells(ours) == _cells(theirs):
            return True
        if time.monotonic() >= ends:
            return False


@pytest.mark.parametrize(
    ("margins", "size"),
    [(True, (120, 40)), (False, (120, 40)), (False, (80, 24))],
    ids=["xterm", "no-side-margins", "no-side-margins-80x24"],
)
def test_scrolling_the_article_leaves_the_screen_textual_would(
    long_site: tuple[str, Path, str], tmp_path: Path, margins: bool, size: tuple[int, int]
) -> None:
    url, template, title = long_site
    copies = []
    for name in ("ours", "theirs"):
        shutil.copytree(template, tmp_path / name)
        copies.append(tmp_path / name)
    with (
        _opened(_reader(url, copies[0], full=False, margins=margins, size=size), title) as ours,
        _opened(_reader(url, copies[1], full=True, margins=margins, size=size), title) as theirs,
    ):
        assert _same_after_quiet(ours, theirs), "the opened article differs:\n" + ours.screen_text()
        scrolled_by_terminal = 0
        for key in KEYS:
            before = len(ours.raw_output)
            answered = (before, len(theirs.raw_output))
            for app in (ours, theirs):
                app.send(key)
            assert _same_after_quiet(ours, theirs, answered), (
                f"after {key!r} the screens differ; ours:\n{ours.screen_text()}\n"
                f"Textual's:\n{theirs.screen_text()}"
            )
            answer = ours.raw_output[before:]
            scrolled_by_terminal += b"S\x1b[r" in answer or b"T\x1b[r" in answer
        for app in (ours, theirs):
            app.send("q")
            assert app.wait_for_exit() == 0
    # With side margins the terminal scrolled the pane, and so it does without them where the
    # article has the whole width (below 100 columns); beside the sidebar it could not, and
    # every line was drawn.
    if margins or size[0] < 100:
        assert scrolled_by_terminal >= 8
    else:
        assert scrolled_by_terminal == 0
