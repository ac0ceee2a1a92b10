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


@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "xterm", "NO_COLOR": "1"},
        # A truecolour terminal: colours that NO_COLOR should have greyed would show here.
        {"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"},
    ],
    ids=["16-colours", "truecolor"],
)
def test_demo_is_usable_at_80x24_without_colour(tmp_path: Path, env: dict[str, str]) -> None:
    with PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)],
        cols=80,
        rows=24,
        env=env,
    ) as app:
        app.wait_for("News", timeout=60)
        app.wait_for("updated just now", timeout=60)
        app.send("\r")
        screen = app.wait_for("min read", timeout=30)
        assert "n Newer" in screen or "Newer" in screen
        # NO_COLOR: every colour the terminal is told to use is a grey, and the reader picks
        # its high-contrast theme (the others turn to dim greys, or black on black in ANSI).
        colours = _colours_set(app.raw_output)
        assert colours, "the program set no colours at all, so this test sees nothing"
        assert [colour for colour in colours if not _is_grey(colour)] == []
        assert _share_in_pure_white(app) > 0.6
        _assert_text_is_visible(app)
        app.send("?")
        screen = app.wait_for("Follow the site", timeout=15)
        app.send("\x1b")
        app.send("q")


_SGR = re.compile(rb"\x1b\[([0-9;]*)m")
# The 16-colour codes of black, white and their bright forms, as foreground and background.
_GREY_CODES = frozenset({30, 37, 90, 97, 40, 47, 100, 107})


def _colours_set(raw: bytes) -> set[tuple[int, ...]]:
    """Every colour the output sets: ``(r, g, b)``, ``(256, n)`` (xterm palette) or ``(code,)``."""
    found: set[tuple[int, ...]] = set()
    for match in _SGR.finditer(raw):
        params = [int(part) if part else 0 for part in match.group(1).split(b";")]
        index = 0
        while index < len(params):
            code = params[index]
            if code in (38, 48) and params[index + 1 : index + 2] == [2]:
                found.add(tuple(params[index + 2 : index + 5]))
                index += 5
            elif code in (38, 48) and params[index + 1 : index + 2] == [5]:
                found.add((256, *params[index + 2 : index + 3]))
                index += 3
            else:
                if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                    found.add((code,))
                index += 1
    return found


def _is_grey(colour: tuple[int, ...]) -> bool:
    if len(colour) == 3:
        return colour[0] == colour[1] == colour[2]
    if len(colour) == 2:
        number = colour[1]
        if number < 16:
            return number in (0, 7, 8, 15)
        if number >= 232:
            return True
        red, rest = divmod(number - 16, 36)
        return red == rest // 6 == rest % 6
    return colour[0] in _GREY_CODES


def _share_in_pure_white(app: PtyApp) -> float:
    """The share of drawn characters in pure white, the high-contrast theme's only text colour."""
    screen = app.terminal.screen
    drawn = white = 0
    for y in range(screen.lines):
        row = screen.buffer[y]
        for x in range(screen.columns):
            char = row[x]
            if char.data.strip():
                drawn += 1
                white += char.fg in ("ffffff", "brightwhite")
    return white / max(drawn, 1)


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


@pytest.mark.parametrize("key", ["t", "/"])
def test_a_picker_key_typed_right_after_q_leaves_quietly(tmp_path: Path, key: str) -> None:
    with _reader(tmp_path, cols=100, rows=30) as app:
        app.wait_for("updated just now", timeout=60)
        app.send("\r")
        app.wait_for("min read", timeout=30)
        # Both keys in one write: the picker opens while the app is already closing.
        app.send("q" + key)
        assert app.wait_for_exit(timeout=30) == 0
        assert b"Traceback" not in app.raw_output and b"NoMatches" not in app.raw_output


def _help_box(screen: str) -> list[str]:
    """The help's lines in view, without the scroll bar (the last cells before the border).

    The bar is left out as a terminal under load once showed its thumb a third of the way
    down with the lines at the top; what the keys are about is which lines are in view.
    """
    return [line.rstrip()[:-4] for line in screen.splitlines() if "│" in line]


@pytest.mark.parametrize("animations", ["none", "full"])
def test_the_help_takes_keys_that_arrive_together(tmp_path: Path, animations: str) -> None:
    # Over a slow link keys come in bursts: ten j read at once scrolled the help one line, as
    # each aimed at the line below where the view was before the burst. Each burst must end
    # where the same keys typed one by one end. With smooth scrolling (Textual's default,
    # as a user runs the reader) a burst of pages also counted from a page still moving.
    env = {"TEXTUAL_ANIMATIONS": animations}
    argv = [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)]
    with PtyApp(argv, cols=80, rows=24, env=env) as app:
        app.wait_for("updated just now", timeout=60)
        app.send("?")
        app.wait_for("Follow the site", timeout=15)
        # The reference is a whole frame: under load the first read can end mid-frame, with
        # lines below still the screen under the help, which no later frame matches.
        top = _help_box(app.settle())
        for key, count in (("j", 10), ("\x1b[B", 6), (" ", 2)):
            # One key at a time, each waited for, then the same keys in one write.
            one_by_one = top
            for _ in range(count):
                before = one_by_one
                app.send(key)
                one_by_one = _help_box(app.wait_until(lambda s, was=before: _help_box(s) != was))
            app.settle()
            one_by_one = _help_box(app.screen_text())
            app.send("g")
            app.wait_until(lambda s: _help_box(s) == top, timeout=15)
            app.send(key * count)
            app.wait_until(
                lambda s, end=one_by_one: _help_box(s) == end, timeout=15, what=f"{count} x {key!r}"
            )
            app.send("g")
            app.wait_until(lambda s: _help_box(s) == top, timeout=15)
        app.send("\x1b")
        app.wait_until(lambda screen: "│ Keys" not in screen, timeout=15)
        app.send("q")
        assert app.wait_for_exit(timeout=30) == 0


def test_the_help_opens_again_at_its_top_whichever_key_closed_it(tmp_path: Path) -> None:
    # The help screen is kept between openings; coming back it showed the lines where it was
    # left (closed with ?), though its offset said the top: only a terminal shows that.
    with _reader(tmp_path, cols=80, rows=24) as app:
        app.wait_for("updated just now", timeout=60)
        for close in ("?", "\x1b", "q"):
            app.send("?")
            app.wait_for("Follow the site", timeout=15)
            app.send("G")
            app.wait_for("Remap any key", timeout=15)
            app.send(close)
            app.wait_until(lambda screen: "Remap any key" not in screen, timeout=15)
            app.send("?")
            screen = app.wait_until(lambda screen: "│ Keys" in screen, timeout=15)
            assert "Follow the site" in screen and "Remap any key" not in screen, screen
            app.send("\x1b")
            app.wait_until(lambda screen: "│ Keys" not in screen, timeout=15)
        app.send("q")


def test_quitting_leaves_the_shell_cursor_where_it_was(tmp_path: Path) -> None:
    """Nothing that moves the cursor is written once the alternate screen is left.

    The reader resets its scroll margins as it stops; written after Textual had left the
    alternate screen, that reset moved the cursor to the shell screen's top-left corner, and
    the next prompt was drawn over old output.
    """
    with _reader(tmp_path, cols=100, rows=30) as app:
        app.wait_for("updated just now", timeout=60)
        app.send("\r")
        app.wait_for("min read", timeout=30)
        app.send("jjj")  # scrolls with the terminal's own scroll region
        app.send("q")
        assert app.wait_for_exit(timeout=30) == 0
    before, _, after = app.raw_output.rpartition(b"\x1b[?1049l")
    assert before, "the alternate screen was never left"
    assert b"\x1b[r" in before[-200:], "the margins were not reset before leaving"
    moves = re.findall(rb"\x1b\[[\d;]*[HfrABCDEFGd]|\x1b[78]", after)
    assert moves == [], after
