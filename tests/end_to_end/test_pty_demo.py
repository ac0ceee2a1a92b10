"""The real ``reader --demo`` in a pseudo-terminal, read back through a terminal emulator."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(180)


def _reader(tmp_path: Path, *args: str, cols: int = 120, rows: int = 40) -> PtyApp:
    argv = [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path), *args]
    return PtyApp(argv, cols=cols, rows=rows)


def test_demo_shows_sections_and_an_article_then_follows_the_site(tmp_path: Path) -> None:
    with _reader(tmp_path) as app:
        # Sections with counts (unread/total) once the first sync has filled the store.
        screen = app.wait_for("Impact Reports and Newsletters", timeout=60)
        app.wait_for("updated just now", timeout=60)
        screen = app.screen_text()
        assert re.search(r"News \d+/\d+", screen), screen
        assert re.search(r"Events \d+/\d+", screen), screen
        # The cursor starts on the newest post of News: enter opens it.
        app.send("\r")
        screen = app.wait_for("Read more about", timeout=30)
        assert "By " in screen and "min read" in screen
        title = screen.splitlines()[1].split("▕")[-1].strip()
        # p goes to the older post, n comes back.
        app.wait_for("p  Older:", timeout=30)
        app.send("p")
        app.wait_for("n  Newer: " + title[:30], timeout=30)
        app.send("n")
        screen = app.wait_for("p  Older:", timeout=30)
        assert title[:30] in screen
        # Back in history goes to the older post again.
        app.send("h")
        app.wait_for("n  Newer: " + title[:30], timeout=30)
        app.send("q")


def test_demo_is_usable_at_80x24_without_colour(tmp_path: Path) -> None:
    with PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)],
        cols=80,
        rows=24,
        env={"TERM": "xterm", "NO_COLOR": "1"},
    ) as app:
        app.wait_for("News", timeout=60)
        app.wait_for("updated just now", timeout=60)
        app.send("\r")
        screen = app.wait_for("min read", timeout=30)
        assert "n Newer" in screen or "Newer" in screen
        # No colour escapes when NO_COLOR is set: only default colours.
        raw = app.raw_output
        assert b"\x1b[38;2" not in raw and b"\x1b[48;2" not in raw
        _assert_text_is_visible(app)
        app.send("?")
        screen = app.wait_for("Follow the site", timeout=15)
        app.send("\x1b")
        app.send("q")


def test_without_a_terminal_it_exits_with_a_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert b"ssh -t" in done.stderr
    assert b"\x1b" not in done.stdout + done.stderr


def _assert_text_is_visible(app: PtyApp) -> None:
    """No character is drawn in the same colour as its background (e.g. black on black)."""
    screen = app.terminal.screen
    same = []
    for y in range(screen.lines):
        row = screen.buffer[y]
        for x in range(screen.columns):
            char = row[x]
            if char.data.strip() and char.fg != "default" and char.fg == char.bg:
                same.append((y, x, char.data, char.fg))
    assert not same, same[:10]


@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "xterm"},
        {"TERM": "xterm-256color"},
        {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
        {"TERM": "xterm-256color", "NO_COLOR": "1"},
    ],
    ids=["16-colours", "256-colours", "truecolor", "no-colour"],
)
def test_every_character_is_visible(tmp_path: Path, env: dict[str, str]) -> None:
    with PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)],
        cols=80,
        rows=24,
        env=env,
    ) as app:
        app.wait_for("updated just now", timeout=60)
        app.send("\r")
        app.wait_for("min read", timeout=30)
        _assert_text_is_visible(app)
        app.send("\t")  # select a link: the highlight must be readable too
        app.wait_for("[1] http", timeout=15)
        _assert_text_is_visible(app)
        app.send("q")
