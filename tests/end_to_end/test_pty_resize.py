"""A resize the reader sees as its old size (tmux) still leaves the whole screen drawn."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(180)


def _drawn(screen: str) -> list[str]:
    """The screen without its status and key lines (the status line's clock moves)."""
    return screen.splitlines()[:-2]


def test_a_shrink_and_grow_back_in_one_signal_redraws_the_whole_screen(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)]
    with PtyApp(argv, cols=100, rows=30) as app:
        app.wait_for("updated just now", timeout=60)
        before = _drawn(app.settle())
        assert any("Impact Reports" in line for line in before)
        # What tmux does on `resize-window -x 40 -y 12 ; resize-window -x 100 -y 30` (or a
        # pane zoomed and back): its copy of the screen is cut to the small size, and the
        # program is told of the new size only once it is the old one again.
        app.terminal.resize(40, 12)
        app.terminal.resize(100, 30)
        assert _drawn(app.screen_text()) != before
        os.kill(app.pid, signal.SIGWINCH)
        app.wait_until(lambda screen: _drawn(screen) == before, timeout=30, what="the screen")
        app.send("q")
