"""Run a real program in a pseudo-terminal and read its screen back through pyte.

The flows only a real terminal shows (start-up, keys, resizes, the escape sequences a program
writes) are tested with this: :class:`PtyApp` runs a command in a new pty, and
:class:`TerminalScreen` is the emulator it feeds, also usable on its own for output that
arrives another way (over SSH, say).

    with PtyApp([sys.executable, "-m", "reader", "--demo"]) as app:
        app.wait_for("News")
        app.send(KEYS["enter"])
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import pyte

#: What common keys send in a terminal (normal cursor mode, as xterm does by default).
KEYS: Mapping[str, str] = {
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "escape": "\x1b",
    "backspace": "\x7f",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "ctrl+c": "\x03",
    "ctrl+r": "\x12",
}

# Variables from the test runner's own terminal that would change how the program draws.
_DROPPED_VARIABLES = ("COLORTERM", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a program under test: predictable colours, no animations."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _DROPPED_VARIABLES and not name.startswith("TEXTUAL")
    }
    env.update(TERM="xterm-256color", TEXTUAL_ANIMATIONS="none", LANG="C.UTF-8")
    env.update(extra or {})
    return env


_LEFT_RIGHT_MARGIN_MODE = 69 << 5
"""DECLRMM as pyte keeps private modes (shifted by 5 bits)."""
_MODE_QUERY = re.compile(rb"\x1b\[\?(\d+)\$p")
_PARTIAL_MODE_QUERY = re.compile(rb"\x1b(\[(\?(\d+(\$)?)?)?)?$")


class _AnsweringScreen(pyte.Screen):
    """A pyte screen that answers status queries, and scrolls within left and right margins.

    pyte knows scroll regions (DECSTBM) but not xterm's left and right margins (DECLRMM,
    DECSLRM) nor SU/SD; the reader uses them to scroll its article pane, so they are emulated
    here as xterm does them (for SU and SD; other operations ignore the side margins).
    """

    def __init__(
        self,
        columns: int,
        rows: int,
        answer: Callable[[bytes], None] | None,
        *,
        left_right_margins: bool = True,
        repeat: bool | str = True,
    ) -> None:
        super().__init__(columns, rows)
        self._answer = answer
        self.left_right_margins = left_right_margins
        """Whether this terminal has DECLRMM (and says so when asked)."""
        self.repeat = repeat
        """Whether this terminal has REP (as xterm, VTE and kitty do); "ascii" for one whose
        REP repeats ASCII characters only, as tmux 3.3's does."""
        self._last_drawn = ""
        self.side_margins: tuple[int, int] | None = None
        """Left and right margins (0-based, inclusive) while DECLRMM is on."""

    def draw(self, data: str) -> None:
        super().draw(data)
        if data:
            self._last_drawn = data[-1]

    def repeat_last(self, count: int = 1, *rest: int) -> None:
        """REP: the character drawn last, ``count`` more times (ignored without REP)."""
        if self.repeat and self._last_drawn:
            if self.repeat == "ascii" and not self._last_drawn.isascii():
                return
            self.draw(self._last_drawn * max(count, 1))

    def write_process_input(self, data: str) -> None:
        if self._answer is not None:
            self._answer(data.encode())

    def report_mode(self, mode: int) -> None:
        """Answer DECRQM for a private mode: set, reset or not recognised."""
        if mode == 69 and self.left_right_margins:
            setting = 1 if _LEFT_RIGHT_MARGIN_MODE in self.mode else 2
        else:
            setting = 0
        self.write_process_input(f"\x1b[?{mode};{setting}$y")

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        super().reset_mode(*modes, **kwargs)
        if _LEFT_RIGHT_MARGIN_MODE not in self.mode:
            self.side_margins = None

    def set_left_right_margins(self, left: int = 0, right: int = 0, *rest: int) -> None:
        """DECSLRM (only while DECLRMM is on, as in xterm; else CSI s saves the cursor)."""
        if not self.left_right_margins or _LEFT_RIGHT_MARGIN_MODE not in self.mode:
            return
        low = max(0, (left or 1) - 1)
        high = min(self.columns - 1, (right or self.columns) - 1)
        self.side_margins = (low, high) if high > low else None
        self.cursor_position()

    def scroll_up(self, count: int = 1, *rest: int) -> None:
        """SU: the scroll region's lines move up ``count``; blank lines come in at the bottom."""
        self._scroll(max(count, 1))

    def scroll_down(self, count: int = 1, *rest: int) -> None:
        """SD: the scroll region's lines move down ``count``; blank lines come in at the top."""
        self._scroll(-max(count, 1))

    def _scroll(self, shift: int) -> None:
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        left, right = self.side_margins or (0, self.columns - 1)
        blank = self.cursor.attrs._replace(data=" ")
        rows = range(top, bottom + 1)
        moved = []
        for y in rows:
            source = y + shift
            line = self.buffer[source] if top <= source <= bottom else None
            moved.append([line[x] if line is not None else blank for x in range(left, right + 1)])
        for y, cells in zip(rows, moved, strict=True):
            line = self.buffer[y]
            for x, cell in zip(range(left, right + 1), cells, strict=True):
                line[x] = cell
        self.dirty.update(rows)


class _Stream(pyte.ByteStream):
    """pyte's byte stream, with SU, SD, DECSLRM and REP passed to the screen."""

    csi = {
        **pyte.ByteStream.csi,
        "S": "scroll_up",
        "T": "scroll_down",
        "s": "set_left_right_margins",
        "b": "repeat_last",
    }


class TerminalScreen:
    """A terminal emulator fed with raw output bytes, keeping a copy of every byte.

    It answers mode queries (DECRQM) itself, since pyte drops them: mode 69 (left and right
    margins) as xterm does, unless ``left_right_margins`` is False (as in tmux or xterm.js).
    """

    def __init__(
        self,
        columns: int = 120,
        rows: int = 40,
        answer: Callable[[bytes], None] | None = None,
        *,
        left_right_margins: bool = True,
        repeat: bool | str = True,
    ) -> None:
        self.screen = _AnsweringScreen(
            columns, rows, answer, left_right_margins=left_right_margins, repeat=repeat
        )
        self._stream = _Stream(self.screen)
        self.raw = bytearray()
        self._held = b""

    def feed(self, data: bytes) -> None:
        """Draw ``data`` as a terminal would."""
        self.raw += data
        data = self._held + data
        # A query cut off at the end of this chunk is answered once the rest has come.
        partial = _PARTIAL_MODE_QUERY.search(data[-8:])
        self._held = data[len(data) - 8 + partial.start() :] if partial else b""
        if self._held:
            data = data[: len(data) - len(self._held)]
        position = 0
        for query in _MODE_QUERY.finditer(data):
            self._stream.feed(data[position : query.start()])
            self.screen.report_mode(int(query.group(1)))
            position = query.end()
        self._stream.feed(data[position:])

    def text(self) -> str:
        """The screen as lines of text, trailing spaces removed."""
        lines: list[str] = self.screen.display
        return "\n".join(line.rstrip() for line in lines)

    def resize(self, columns: int, rows: int) -> None:
        """Change the emulated terminal's size."""
        self.screen.resize(rows, columns)

    def cells(self) -> list[list[tuple[object, ...]]]:
        """Every cell as it looks: character, colours, attributes.

        A blank shows its foreground only when a line or reverse video draws it, so the
        foreground of any other blank is left out (the screen writer does not send it).
        """
        screen = self.screen
        return [
            [
                (
                    c.data,
                    c.fg if c.data.strip() or c.underscore or c.strikethrough or c.reverse else "",
                    c.bg,
                    c.bold,
                    c.italics,
                    c.underscore,
                    c.strikethrough,
                    c.reverse,
                )
                for c in (screen.buffer[y][x] for x in range(screen.columns))
            ]
            for y in range(screen.lines)
        ]


def _take_controlling_terminal() -> None:
    # In the child after setsid(): the pty on fd 0 becomes its controlling terminal, so it
    # gets SIGWINCH on resize and SIGHUP on hang-up like a program in a real terminal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _set_window_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class PtyApp:
    """A program running in a pseudo-terminal of its own, with its screen emulated by pyte."""

    def __init__(
        self,
        argv: list[str],
        *,
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        left_right_margins: bool = True,
    ) -> None:
        self.argv = argv
        self.env = child_environment(env)
        self.cwd = cwd
        self.terminal = TerminalScreen(
            cols, rows, answer=self._answer, left_right_margins=left_right_margins
        )
        self._size = (cols, rows)
        self._master: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._ended = False

    # life cycle

    def start(self) -> PtyApp:
        """Start the program; returns self so ``PtyApp(...).start()`` reads well."""
        master, slave = os.openpty()
        try:
            _set_window_size(slave, *self._size)
            self._process = subprocess.Popen(
                self.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
                preexec_fn=_take_controlling_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        self._master = master
        return self

    def close(self) -> None:
        """Stop the program (SIGTERM, then SIGKILL) and reap it; safe to call twice."""
        process = self._process
        if process is not None and process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                process.wait()
            # Helpers the program started share its process group; don't leave them running.
            # (Only right after reaping: much later the group id could belong to someone else.)
            self._signal_group(signal.SIGKILL)
        if self._master is not None:
            os.close(self._master)
            self._master = None

    def hang_up(self) -> None:
        """Close the terminal under the program, as a dropped SSH link or a closed window does.

        The kernel then sends SIGHUP to the program's session; its writes fail from here on.
        """
        master = self._require_master()
        self._master = None
        self._ended = True
        os.close(master)

    def __enter__(self) -> PtyApp:
        return self.start() if self._process is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pid(self) -> int:
        """The program's process id (and process group id)."""
        assert self._process is not None, "start() first"
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        """The exit status once the program has ended, else None."""
        return None if self._process is None else self._process.poll()

    def wait_for_exit(self, timeout: float = 15.0) -> int:
        """Take in the program's output until it ends, then its exit status; fail if it won't."""
        assert self._process is not None, "start() first"
        deadline = time.monotonic() + timeout
        while self._master is not None and self.pump(max(0.0, deadline - time.monotonic())):
            if time.monotonic() >= deadline:
                raise AssertionError(f"still running after {timeout:g}s:\n{self.screen_text()}")
        # The terminal has closed; the process is at most a moment from being reapable.
        return self._process.wait(timeout=max(1.0, deadline - time.monotonic()))

    # talking to the program

    def send(self, keys: str | bytes) -> None:
        """Type ``keys`` (text, or bytes as they are); see :data:`KEYS` for named keys."""
        data = keys.encode() if isinstance(keys, str) else keys
        master = self._require_master()
        while data:
            try:
                written = os.write(master, data)
            except BlockingIOError:
                # The program isn't reading; keep draining its output so neither side stalls.
                self.pump(0.05)
                continue
            data = data[written:]

    def pump(self, timeout: float = 0.0) -> bool:
        """Wait up to ``timeout`` for output and take in all that has come; False at the end."""
        master = self._require_master()
        deadline = time.monotonic() + timeout
        while not self._ended:
            wait = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([master], [], [], wait)
            if not ready:
                return True
            try:
                data = os.read(master, 65536)
            except BlockingIOError:
                continue
            except OSError:
                # EIO: the program and everything holding its terminal have gone.
                data = b""
            if not data:
                self._ended = True
                break
            self._received(data)
            # Take what is already there without waiting, then let the caller look.
            deadline = time.monotonic()
        return not self._ended

    def _received(self, data: bytes) -> None:
        """Take in one chunk of output (subclasses may time or defer it)."""
        self.terminal.feed(data)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Wait until ``text`` is on screen and return the screen; fail with the screen."""
        return self.wait_until(lambda screen: text in screen, timeout, what=repr(text))

    def wait_until(
        self, ready: Callable[[str], bool], timeout: float = 15.0, *, what: str = "the condition"
    ) -> str:
        """Wait until ``ready(screen text)`` holds and return the screen; fail with the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen_text()
            if ready(screen):
                return screen
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._ended:
                why = "the program ended" if self._ended else f"{timeout:g}s passed"
                raise AssertionError(f"{what} not on screen and {why}; screen:\n{screen}")
            self.pump(min(remaining, 0.2))

    def settle(self, quiet: float = 0.5, timeout: float = 15.0) -> str:
        """Wait until the program has drawn nothing for ``quiet`` seconds; return the screen.

        Start-up work (a first sync, say) can redraw a list under the cursor; keys sent before
        the screen settles may land on a list that is about to be replaced.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._ended:
            before = len(self.terminal.raw)
            self.pump(quiet)
            if len(self.terminal.raw) == before:
                break
        return self.screen_text()

    def screen_text(self) -> str:
        """The screen now, after taking in any output already waiting."""
        if self._master is not None:
            self.pump(0.0)
        return self.terminal.text()

    @property
    def raw_output(self) -> bytes:
        """Every byte the program has written so far, escape sequences included."""
        return bytes(self.terminal.raw)

    def resize(self, cols: int, rows: int) -> None:
        """Resize the terminal, as a user dragging the window edge would."""
        self._size = (cols, rows)
        self.terminal.resize(cols, rows)
        _set_window_size(self._require_master(), cols, rows)
        # The kernel signals the foreground group; saying it again costs one redraw at most.
        self._signal_group(signal.SIGWINCH)

    # internals

    def _answer(self, data: bytes) -> None:
        if self._master is not None:
            with contextlib.suppress(OSError):
                os.write(self._master, data)

    def _require_master(self) -> int:
        if self._master is None:
            raise RuntimeError("the program is not running: call start() first")
        return self._master

    def _signal_group(self, signum: signal.Signals) -> None:
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signum)
