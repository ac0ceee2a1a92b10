"""A reader told to stop from outside (SIGTERM, SIGHUP) leaves the terminal as ``q`` does."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(180)

#: The private modes a full-screen reader turns on, as pyte keeps them (shifted by 5 bits).
_ALTERNATE_SCREEN = 1049 << 5
_MOUSE_MODES = {mode << 5 for mode in (1000, 1002, 1003, 1006, 1015)}
_LEFT_RIGHT_MARGINS = 69 << 5
_CURSOR_SHOWN = 25 << 5


def _reader_reading_an_article(tmp_path: Path) -> PtyApp:
    """The demo at 80x24 with an article open and scrolled (the terminal's own scrolling)."""
    app = PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)], cols=80, rows=24
    ).start()
    app.wait_for("updated just now", timeout=60)
    app.send("\r")
    app.wait_for("min read", timeout=30)
    app.send("jjjj")
    app.settle(0.3)
    modes = app.terminal.screen.mode
    assert _ALTERNATE_SCREEN in modes and modes & _MOUSE_MODES, "not in application mode"
    return app


def _assert_restored(app: PtyApp) -> None:
    screen = app.terminal.screen
    assert _ALTERNATE_SCREEN not in screen.mode
    assert not screen.mode & _MOUSE_MODES, sorted(m >> 5 for m in screen.mode & _MOUSE_MODES)
    assert _CURSOR_SHOWN in screen.mode and not screen.cursor.hidden
    assert screen.margins is None, screen.margins
    assert _LEFT_RIGHT_MARGINS not in screen.mode


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_from_outside_restores_the_terminal(
    tmp_path: Path, signum: signal.Signals
) -> None:
    with _reader_reading_an_article(tmp_path) as app:
        # Only the reader, as `kill -TERM <pid>` would: not its process group.
        os.kill(app.pid, signum)
        assert app.wait_for_exit(timeout=10) == 128 + signum
        _assert_restored(app)


def test_q_restores_the_terminal_the_same_way(tmp_path: Path) -> None:
    with _reader_reading_an_article(tmp_path) as app:
        app.send("q")
        assert app.wait_for_exit(timeout=10) == 0
        _assert_restored(app)


def test_a_closed_terminal_ends_the_reader(tmp_path: Path) -> None:
    # A dropped SSH link or a closed tmux pane: SIGHUP, and every later write fails.
    with _reader_reading_an_article(tmp_path) as app:
        app.hang_up()
        assert app.wait_for_exit(timeout=10) in (128 + signal.SIGHUP, -signal.SIGHUP)
