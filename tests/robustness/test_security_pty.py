"""The real ``reader --feed`` on the hostile feed, in a pseudo-terminal read back through pyte.

This is the last line of defence: whatever the layers below promise, the bytes the program
writes to the terminal must not carry the feed's escape sequences (clipboard writes, screen
clears, C1 controls, bidi overrides), its markup must be shown as text, and its script links
must be refused.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from reader.core.graphics_probe import ITERM2_QUERY
from tests.support.hostile_server import (
    C1_CSI,
    CLEAR_SCREEN,
    DATA_URL,
    ESCAPES,
    FORBIDDEN_CHARS,
    JAVASCRIPT_URL,
    LRI,
    MARKUP,
    OSC52,
    RLO,
    hostile_server,
)
from tests.support.pty_screen import KEYS, PtyApp

__all__ = ["hostile_server"]

pytestmark = pytest.mark.timeout(60)

# Every field of the hostile feed wraps one of these words in escapes: "<OSC 52>Title<CSI 2J>".
POISONED_WORDS = (
    "Channel",
    "Tagline",
    "Title",
    "Author",
    "mail@example.org",
    "Topic",
    "Summary",
    "Body",
    "Second",
)

# The operating system commands a Textual app may send: OSC 8 hyperlinks and OSC 22 pointer
# shapes. Anything else (OSC 52 clipboard above all) would have come from the feed.
_OSC = re.compile(r"\x1b\](\d+);")
_HYPERLINK = re.compile(r"\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)")


def reader_on(feed_url: str, data_dir: Path) -> PtyApp:
    return PtyApp(
        [sys.executable, "-m", "reader", "--feed", feed_url, "--data-dir", str(data_dir)],
        cols=120,
        rows=40,
    )


def wait_for_exit(app: PtyApp, timeout: float) -> int | None:
    ends = time.monotonic() + timeout
    while app.returncode is None and time.monotonic() < ends:
        app.pump(0.1)
    return app.returncode


def assert_no_hostile_bytes(raw: bytes) -> None:
    """None of the feed's control sequences reached the terminal, in any form."""
    text = raw.decode("utf-8", errors="replace")
    assert OSC52 not in text and "\x1b]52;" not in text
    for word in POISONED_WORDS:
        assert word + CLEAR_SCREEN not in text, word
    for escape in ESCAPES:
        if escape not in (OSC52, CLEAR_SCREEN):  # those two are also Textual's own kind
            assert escape not in text, repr(escape)
    assert C1_CSI not in text and RLO not in text and LRI not in text
    # A raw C1 byte outside UTF-8 would be obeyed by 8-bit terminals even if pyte ignores it.
    assert "\ufffd" not in text
    # The reader's own question to the terminal at start (does it draw iTerm2 images?) is
    # the one OSC 1337 allowed, exactly as the probe sends it.
    text = text.replace(ITERM2_QUERY, "")
    commands = {int(number) for number in _OSC.findall(text)}
    assert commands <= {8, 22}, commands
    for target in _HYPERLINK.findall(text):
        assert target == "" or target.startswith(("http://", "https://")), target


def test_hostile_feed_reaches_the_screen_as_plain_text(tmp_path: Path, hostile_server: str) -> None:
    with reader_on(hostile_server + "/hostile-feed", tmp_path / "data") as app:
        # The first start syncs the feed, then lists its two posts.
        app.wait_for("All posts 2", timeout=30)
        app.wait_for("[/] 1", timeout=10)  # the topic literally named "[/]"

        # The cursor starts on the newest post (excerpt only); then "]" to the next one.
        app.send(KEYS["enter"])
        screen = app.wait_for("Summary", timeout=15)
        app.send("]")
        screen = app.wait_for("run me", timeout=15)
        for markup in MARKUP:
            assert markup in screen, markup
        for word in ("Title", "Body", "mail@example.org", "Topic"):
            assert word in screen, word

        # tab selects the first link of the body: the javascript: one. enter must refuse it.
        app.send(KEYS["tab"])
        app.wait_for("[1] " + JAVASCRIPT_URL, timeout=15)
        app.send(KEYS["enter"])
        screen = app.wait_for("Not followed", timeout=15)
        assert JAVASCRIPT_URL in screen
        # The data: link, chosen by its number, is refused the same way.
        app.send("2")
        screen = app.wait_for("Not followed (data link)", timeout=15)
        assert DATA_URL[:40] in screen

        assert app.returncode is None, "the reader quit"
        for char in FORBIDDEN_CHARS:
            assert char not in screen, repr(char)
        assert_no_hostile_bytes(app.raw_output)

        app.send("q")
        assert wait_for_exit(app, 10) == 0
    assert_no_hostile_bytes(app.raw_output)


def _command_output(args: list[str], data_dir: Path, feed_url: str) -> tuple[bytes, str]:
    """What ``reader <args>`` writes to a terminal (the CLI colours its output there), and
    the screen it leaves."""
    command = [sys.executable, "-m", "reader", "--feed", feed_url, "--data-dir", str(data_dir)]
    with PtyApp([*command, *args], cols=120, rows=40) as app:
        assert wait_for_exit(app, 30) == 0, app.screen_text()
        return app.raw_output, app.screen_text()


def test_commands_print_the_hostile_feed_as_plain_text(tmp_path: Path, hostile_server: str) -> None:
    """``reader list`` and ``reader show`` (pictures on) print to the terminal too.

    They are the commands people pipe, script and run over SSH without the TUI, so the same
    promise holds for their bytes: none of the feed's control sequences, only the reader's own
    colours and links.
    """
    feed = hostile_server + "/hostile-feed"
    data = tmp_path / "data"
    for args in (["sync"], ["list"], ["show", "1", "--images"], ["show", "2"]):
        raw, screen = _command_output(args, data, feed)
        assert_no_hostile_bytes(raw)
        for char in FORBIDDEN_CHARS:
            assert char not in screen, (args, repr(char))
        if args[0] != "sync":
            assert "Title" in screen or "Second" in screen, args
