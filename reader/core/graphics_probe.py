"""What the terminal can do, found by asking it, never guessed from ``TERM``: which way it
draws pictures, and whether it scrolls within left and right margins.

Before the UI starts, :func:`probe` sends the terminal a few queries, with the primary device
attributes request (DA1) last: every terminal answers DA1, and in order, so whatever has not
been answered when the DA1 reply arrives is not supported, and there is no timeout to wait out.

- Kitty graphics: a query action (``a=q``) for a 1x1 image; a terminal that has the protocol
  answers ``OK``.
- Sixel: DA1's reply lists attribute 4.
- iTerm2 inline images: ``OSC 1337 ; ReportCellSize``, which only iTerm2's protocol answers.
- ``XTVERSION`` names the terminal (kitty, WezTerm, tmux, ...), and ``CSI 16 t`` gives the
  cell size in pixels, which the pixel protocols need.
- Left and right margins (``DECLRMM``, mode 69), asked with ``DECRQM``: a terminal that has
  them can scroll the article pane beside the sidebar by itself (see ``ui.screen_writer``).
- ``REP`` (repeat the character before, ``CSI n b``), which no query reports: a space is
  written at the line's start, repeated twice, and the cursor's position asked for (``CPR``):
  it is in the fourth column where REP worked, the second where it was ignored. The same
  again with "ĉ" (one cell wide in every locale), since tmux 3.3 repeats ASCII characters
  only. The line is erased after. The screen writer sends a run of one character as REP where
  it is shorter, and only for ASCII where only ASCII was repeated.

The probe runs before Textual starts reading the terminal: afterwards the answers would reach
Textual's input parser, which would take them for key presses.
"""

from __future__ import annotations

import os
import re
import select
import time
from enum import StrEnum
from typing import Any

from reader.core.records import record

KITTY_QUERY = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
XTVERSION_QUERY = "\x1b[>0q"
ITERM2_QUERY = "\x1b]1337;ReportCellSize\x07"
CELL_SIZE_QUERY = "\x1b[16t"
MARGINS_QUERY = "\x1b[?69$p"
REPEAT_QUERY = "\r \x1b[2b\x1b[6n\r\u0109\x1b[2b\x1b[6n\r\x1b[K"
DA1_QUERY = "\x1b[c"
#: Everything :func:`probe` sends when pictures may use a graphics protocol, DA1 last.
QUERIES = (
    KITTY_QUERY
    + XTVERSION_QUERY
    + ITERM2_QUERY
    + CELL_SIZE_QUERY
    + MARGINS_QUERY
    + REPEAT_QUERY
    + DA1_QUERY
)
#: What it sends otherwise: only how the screen is written matters then.
MARGINS_QUERIES = MARGINS_QUERY + REPEAT_QUERY + DA1_QUERY

_DA1 = re.compile(r"\x1b\[\?([\d;]*)c")
_KITTY = re.compile(r"\x1b_Gi=31;([^\x1b]*)\x1b\\")
_XTVERSION = re.compile(r"\x1bP>\|([^\x1b]{0,80})\x1b\\")
_ITERM2 = re.compile(r"\x1b\]1337;ReportCellSize=([\d.]+);([\d.]+)(?:;([\d.]+))?(?:\x07|\x1b\\)")
_CELL_SIZE = re.compile(r"\x1b\[6;(\d+);(\d+)t")
_MARGINS = re.compile(r"\x1b\[\?69;(\d)\$y")
_CURSOR = re.compile(r"\x1b\[\d+;(\d+)R")
# The most a terminal's answers are read for: enough for every reply above, with room to spare.
_MOST = 4096


class Drawing(StrEnum):
    """How pictures are drawn."""

    KITTY = "kitty"
    ITERM2 = "iterm2"
    SIXEL = "sixel"
    BLOCKS = "blocks"
    """Unicode half blocks, in the terminal's colour depth."""
    OFF = "off"
    """Not drawn: the alt text and caption stand in."""


@record
class TerminalAnswers:
    """What the terminal said about itself."""

    answered: bool = False
    """True when the DA1 reply came back (a real terminal is listening)."""
    kitty: bool = False
    sixel: bool = False
    iterm2: bool = False
    name: str = ""
    """The terminal's name and version from XTVERSION, e.g. ``kitty(0.35.2)``; may be empty."""
    cell_pixels: tuple[int, int] | None = None
    """Width and height of one cell in pixels, when the terminal said."""
    left_right_margins: int = 0
    """DECRQM's answer for mode 69: 1 (on) or 2 (off) when the terminal has left and right
    margins, 3 when they are always on; 0 when it has not (or did not say)."""
    repeat: bool = False
    """True when REP repeated any character, as xterm's does."""
    repeat_ascii: bool = False
    """True when REP repeated an ASCII character; tmux's (3.3) repeats only those, so a run
    of box lines or half blocks sent as REP would leave one cell and blanks there."""


def parse_answers(text: str) -> TerminalAnswers:
    """Read the terminal's replies to :data:`QUERIES` (any order, with other bytes between)."""
    da1 = _DA1.search(text)
    attributes = set(da1.group(1).split(";")) if da1 else set()
    kitty = _KITTY.search(text)
    version = _XTVERSION.search(text)
    iterm2 = _ITERM2.search(text)
    cell_size = _CELL_SIZE.search(text)
    cell: tuple[int, int] | None = None
    if cell_size is not None:
        height, width = int(cell_size.group(1)), int(cell_size.group(2))
        if 0 < width < 1000 and 0 < height < 1000:
            cell = (width, height)
    if cell is None and iterm2 is not None:
        height_f, width_f = float(iterm2.group(1)), float(iterm2.group(2))
        scale = float(iterm2.group(3) or 1.0)
        if 0 < width_f < 1000 and 0 < height_f < 1000:
            cell = (max(1, round(width_f * scale)), max(1, round(height_f * scale)))
    name = "".join(ch for ch in version.group(1) if ch.isprintable()) if version else ""
    margins = _MARGINS.search(text)
    # Two positions, in the order asked: after a repeated space, after a repeated "ĉ".
    cursors = _CURSOR.findall(text)
    repeat_ascii = bool(cursors) and cursors[0] == "4"
    return TerminalAnswers(
        answered=da1 is not None,
        kitty=kitty is not None and kitty.group(1).startswith("OK"),
        sixel="4" in attributes,
        iterm2=iterm2 is not None,
        name=name,
        cell_pixels=cell,
        left_right_margins=int(margins.group(1)) if margins and margins.group(1) in "123" else 0,
        repeat=repeat_ascii and len(cursors) > 1 and cursors[1] == "4",
        repeat_ascii=repeat_ascii,
    )


def choose(setting: str, answers: TerminalAnswers | None, environ: dict[str, str]) -> Drawing:
    """How to draw, from the ``images`` setting and what the terminal answered.

    ``"off"`` draws nothing; ``"blocks"`` always half blocks; ``"auto"`` a graphics protocol the
    terminal answered for, else half blocks. Under tmux or screen it is half blocks: they
    answer queries themselves and do not pass pictures through in place.
    """
    if setting == "off" or environ.get("NO_COLOR"):
        return Drawing.OFF
    if setting != "auto" or answers is None or not answers.answered:
        return Drawing.BLOCKS
    name = answers.name.lower()
    if environ.get("TMUX") or name.startswith(("tmux", "screen")):
        return Drawing.BLOCKS
    if answers.kitty and name.startswith(("kitty", "ghostty")):
        # Pictures inside a scrolling text view need Kitty's Unicode placeholders, which only
        # these two have; other terminals answer the query but lack them.
        return Drawing.KITTY
    if answers.iterm2:
        return Drawing.ITERM2
    if answers.sixel:
        return Drawing.SIXEL
    return Drawing.BLOCKS


def queries_for(setting: str, environ: dict[str, str]) -> str:
    """What to ask: everything when pictures are ``auto``, else only how to write the screen.

    Under a multiplexer only the latter: tmux and screen answer for themselves, so what they
    say of pictures is not what the terminal outside can draw; but they are what reads the
    reader's output, so their answers on margins and REP are the ones that count (tmux 3.3
    repeats, and has no side margins).
    """
    if setting != "auto" or environ.get("NO_COLOR") or _multiplexed(environ):
        return MARGINS_QUERIES
    return QUERIES


def _multiplexed(environ: dict[str, str]) -> bool:
    return bool(environ.get("TMUX")) or environ.get("TERM", "").startswith(("screen", "tmux"))


def should_probe(environ: dict[str, str], stdin_fd: int, stdout_fd: int) -> bool:
    """True when there is a terminal (or a multiplexer) to ask on both ends."""
    term = environ.get("TERM", "")
    if term in ("", "dumb", "linux"):
        return False
    try:
        return os.isatty(stdin_fd) and os.isatty(stdout_fd)
    except OSError:
        return False


def probe_timeout(environ: dict[str, str]) -> float:
    """How long to wait for the terminal's answers, in seconds.

    Every real terminal answers DA1, in a few milliseconds on this machine, so the wait only
    ever runs out on a silent one. Over SSH the answers cross the link: one that came after
    the wait reached Textual as key presses (``\x1b[?6c`` typed ``?``, opening the help), so a
    remote terminal gets the time a slow link needs.
    """
    remote = any(environ.get(name) for name in ("SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"))
    return 4.0 if remote else 1.0


def probe(
    stdin_fd: int, stdout_fd: int, timeout: float = 1.0, queries: str = QUERIES
) -> TerminalAnswers:
    """Ask the terminal on these descriptors; returns what it said (nothing on a timeout).

    The terminal is put in raw mode for the exchange and restored after, whatever happens.
    """
    return ask(stdin_fd, stdout_fd, timeout=timeout, queries=queries).answers()


class Asked:
    """Queries sent, their answers not read yet: the terminal stays raw until :meth:`answers`.

    Asking before the reader imports its UI (some 0.3 s) and reading after lets the terminal's
    round trip, a few milliseconds here but a network's over SSH, pass while Python works.
    """

    def __init__(self, stdin_fd: int, saved: list[Any] | None, ends: float) -> None:
        self._stdin_fd = stdin_fd
        self._saved = saved
        self._ends = ends
        self._answers: TerminalAnswers | None = None

    def answers(self) -> TerminalAnswers:
        """Read what the terminal said (until DA1's reply, or the wait from asking runs out),
        then give the terminal its mode back. Only the first call reads."""
        if self._answers is not None:
            return self._answers
        import termios

        self._answers = TerminalAnswers()
        if self._saved is None:
            return self._answers
        try:
            self._answers = parse_answers(self._read())
        except OSError:
            pass
        finally:
            termios.tcsetattr(self._stdin_fd, termios.TCSADRAIN, self._saved)
        return self._answers

    def _read(self) -> str:
        received = ""
        while len(received) < _MOST and not _DA1.search(received):
            # Past the wait, what has arrived is still read (without waiting): the imports
            # between asking and reading may take longer than the wait on a busy machine, and
            # answers left unread would reach Textual as key presses.
            left = max(self._ends - time.monotonic(), 0.0)
            ready, _, _ = select.select([self._stdin_fd], [], [], left)
            if not ready:
                break
            chunk = os.read(self._stdin_fd, 1024)
            if not chunk:
                break
            received += chunk.decode("latin-1")
        return received


def ask(stdin_fd: int, stdout_fd: int, *, timeout: float = 1.0, queries: str = QUERIES) -> Asked:
    """Put the terminal in raw mode and send ``queries``; :meth:`Asked.answers` reads the
    replies (waiting at most ``timeout`` from now) and restores the terminal. Callers must
    call it, whatever happens between (``try``/``finally``)."""
    import termios
    import tty

    ends = time.monotonic() + timeout
    try:
        saved = termios.tcgetattr(stdin_fd)
    except termios.error:
        return Asked(stdin_fd, None, ends)
    try:
        tty.setraw(stdin_fd, termios.TCSANOW)
        os.write(stdout_fd, queries.encode())
    except OSError:
        termios.tcsetattr(stdin_fd, termios.TCSADRAIN, saved)
        return Asked(stdin_fd, None, ends)
    return Asked(stdin_fd, saved, ends)
