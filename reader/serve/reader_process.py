"""One session's reader: a program in a pseudo-terminal of its own, relayed to a client.

The program leads a new session (so a hang-up reaches everything it started), its terminal is
sized as the client's, and its output is watched for the terminal modes it turns on, so the
client's terminal can be put back however the program ends: quit, crash, kill or server stop.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import termios
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reader.serve.limits import TerminalSize

if TYPE_CHECKING:
    import asyncio

DEFAULT_TERM = "xterm-256color"
_TERM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
_READ_SIZE = 64 * 1024
# Keys a client pastes faster than the reader reads them wait here; past this the SSH channel
# stops reading, so the client's own window holds the rest instead of our memory.
_INPUT_HIGH_WATER = 64 * 1024

# DEC private modes a full-screen program turns on ("CSI ? N h") and must turn off again:
# the alternate screen, mouse reporting of every kind, bracketed paste, focus events and
# synchronized output. Mode 25 works the other way round: "l" hides the cursor.
_MODES_TO_UNDO = frozenset(
    {47, 1047, 1049, 1000, 1002, 1003, 1005, 1006, 1015, 1016, 1004, 2004, 2026}
)
_CURSOR = 25
_PRIVATE_MODE = re.compile(rb"\x1b\[\?([0-9;]{1,40})([hl])")
# The kitty keyboard protocol: "CSI > flags u" pushes a mode, "CSI < n u" pops n of them.
_KEYBOARD_PUSH = re.compile(rb"\x1b\[>[0-9]{0,5}u")
_KEYBOARD_POP = re.compile(rb"\x1b\[<([0-9]{0,5})u")
# The start of an escape sequence cut off at the end of a chunk of output.
_UNFINISHED = re.compile(rb"\x1b(\[[?<>]?[0-9;]{0,40})?\Z")


class TerminalModes:
    """Follows the modes a program's output turns on, to undo whatever it leaves behind."""

    def __init__(self) -> None:
        self._on: set[int] = set()
        self._cursor_hidden = False
        self._keyboard_pushes = 0
        self._tail = b""

    def watch(self, data: bytes) -> None:
        """Take in a chunk of the program's output."""
        text = self._tail + data
        if b"\x1b" not in text:
            self._tail = b""
            return
        for match in _PRIVATE_MODE.finditer(text):
            on = match.group(2) == b"h"
            for part in match.group(1).split(b";"):
                if not part.isdigit():
                    continue
                mode = int(part)
                if mode == _CURSOR:
                    self._cursor_hidden = not on
                elif mode in _MODES_TO_UNDO:
                    (self._on.add if on else self._on.discard)(mode)
        self._keyboard_pushes += len(_KEYBOARD_PUSH.findall(text))
        for match in _KEYBOARD_POP.finditer(text):
            self._keyboard_pushes = max(0, self._keyboard_pushes - int(match.group(1) or 1))
        unfinished = _UNFINISHED.search(text)
        self._tail = unfinished.group(0) if unfinished else b""

    def restore(self) -> bytes:
        """The bytes that turn off every mode still on (empty when the program cleaned up)."""
        parts = [f"\x1b[?{mode}l".encode() for mode in sorted(self._on)]
        if self._keyboard_pushes:
            parts.append(f"\x1b[<{self._keyboard_pushes}u".encode())
        if self._cursor_hidden:
            parts.append(b"\x1b[?25h")
        if parts:
            # Colours and attributes back to normal too, on a fresh line.
            parts.append(b"\x1b[0m\r\n")
        self._on.clear()
        self._cursor_hidden = False
        self._keyboard_pushes = 0
        return b"".join(parts)


def set_window_size(fd: int, size: TerminalSize) -> None:
    """Tell a pseudo-terminal its size (TIOCSWINSZ takes rows first)."""
    packed = struct.pack("HHHH", size.rows, size.columns, size.pixel_width, size.pixel_height)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, packed)


def session_environment(
    *,
    term: str | None,
    client_env: Mapping[str, str],
    ssh_connection: str,
    home: Path | str,
) -> dict[str, str]:
    """The whole environment of a session's reader: a short list, nothing of the server's."""
    term = term if term and _TERM_NAME.fullmatch(term) else DEFAULT_TERM
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        # HOME is the session's own folder, so config and cache stay per user (and vanish
        # with an anonymous session) instead of landing in the server account's home.
        "HOME": str(home),
        # Temporary files stay in the user's own folder too, never in a /tmp shared by readers.
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "TERM": term,
        "SSH_CONNECTION": ssh_connection,
        "READER_REMOTE": "1",
    }
    colorterm = client_env.get("COLORTERM", "")
    if colorterm in {"truecolor", "24bit"} or term.endswith("-direct"):
        env["COLORTERM"] = "truecolor"
    if client_env.get("NO_COLOR"):
        env["NO_COLOR"] = "1"
    return env


class TerminalSink(Protocol):
    """Where a :class:`ReaderProcess` sends what happens in its terminal."""

    def output(self, data: bytes) -> None:
        """The program wrote ``data`` to its terminal."""

    def input_blocked(self, blocked: bool) -> None:
        """Keys are piling up faster than the program reads them (or have drained again)."""

    def exited(self, status: int) -> None:
        """The program ended with ``status`` (128 + N when killed by signal N)."""


def _take_controlling_terminal() -> None:
    # Runs in the child between fork and exec, after start_new_session's setsid(): make the
    # pty (already on fd 0) the controlling terminal, so the kernel delivers SIGWINCH and
    # SIGHUP to the reader the way a login would.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class ReaderProcess:
    """A program running as the leader of a new session in a new pseudo-terminal of its own."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], cwd: Path, sink: TerminalSink
    ) -> None:
        self._argv = list(argv)
        self._env = dict(env)
        self._cwd = cwd
        self._sink = sink
        self._size = TerminalSize(80, 24)
        self._master: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending_input = bytearray()
        self._writing = False
        self._input_blocked = False
        self._output_paused = False
        self._hung_up = False
        #: The terminal modes the program has left on, to undo when it ends.
        self.modes = TerminalModes()

    @property
    def pid(self) -> int | None:
        """The program's process id (also its process group id), once started."""
        return None if self._process is None else self._process.pid

    async def start(self, size: TerminalSize) -> None:
        """Open a pty of ``size``, start the program on it, and begin relaying."""
        import asyncio

        self._loop = asyncio.get_running_loop()
        self._size = size
        master, slave = os.openpty()
        try:
            set_window_size(slave, size)
            self._process = await asyncio.create_subprocess_exec(
                *self._argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self._env,
                cwd=self._cwd,
                start_new_session=True,
                preexec_fn=_take_controlling_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            # Only the child keeps the slave open, so its exit shows up here as EIO.
            os.close(slave)
        os.set_blocking(master, False)
        self._master = master
        self._watcher = self._loop.create_task(self._wait_for_exit())
        if not self._output_paused:
            self._loop.add_reader(master, self._read_output)
        self._flush_input()

    def write(self, data: bytes) -> None:
        """Type ``data`` into the terminal (kept until the program is ready for it)."""
        self._pending_input += data
        self._flush_input()

    def resize(self, size: TerminalSize) -> None:
        """Change the terminal's size and tell the program (SIGWINCH)."""
        self._size = size
        if self._master is None:
            return
        with contextlib.suppress(OSError):
            set_window_size(self._master, size)
        self._signal_group(signal.SIGWINCH)

    def pause_output(self) -> None:
        """Stop reading the program's output; it blocks once the pty's buffer is full."""
        self._output_paused = True
        if self._master is not None and self._loop is not None:
            self._loop.remove_reader(self._master)

    def resume_output(self) -> None:
        """Read the program's output again after :meth:`pause_output`."""
        self._output_paused = False
        if self._master is not None and self._loop is not None and not self._hung_up:
            self._loop.add_reader(self._master, self._read_output)

    async def stop(self, grace: float) -> None:
        """Hang up: SIGHUP to the process group, SIGKILL after ``grace`` seconds, fds closed."""
        import asyncio

        self._hung_up = True
        process = self._process
        try:
            if process is not None and process.returncode is None:
                self._signal_group(signal.SIGHUP)
                try:
                    await asyncio.wait_for(asyncio.shield(process.wait()), grace)
                except TimeoutError:
                    self._signal_group(signal.SIGKILL)
                    await process.wait()
            if self._watcher is not None:
                await self._watcher
        finally:
            if process is not None and process.returncode is None:
                # Cancelled halfway (the event loop is closing): no time left to be polite.
                self._signal_group(signal.SIGKILL)
            self._close_master()

    def _read_output(self) -> None:
        if self._master is None or self._loop is None:
            return
        try:
            data = os.read(self._master, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            # EIO: every copy of the slave side is closed, so the program is gone.
            data = b""
        if data:
            self.modes.watch(data)
            self._sink.output(data)
        else:
            self._loop.remove_reader(self._master)

    def _flush_input(self) -> None:
        master, loop = self._master, self._loop
        if master is None or loop is None:
            return
        while self._pending_input:
            try:
                written = os.write(master, self._pending_input)
            except BlockingIOError:
                break
            except OSError:
                # The program has gone; nobody will read these keys.
                self._pending_input.clear()
                break
            del self._pending_input[:written]
        if self._pending_input and not self._writing:
            loop.add_writer(master, self._flush_input)
            self._writing = True
        elif not self._pending_input and self._writing:
            loop.remove_writer(master)
            self._writing = False
        if len(self._pending_input) > _INPUT_HIGH_WATER and not self._input_blocked:
            self._input_blocked = True
            self._sink.input_blocked(True)
        elif not self._pending_input and self._input_blocked:
            self._input_blocked = False
            self._sink.input_blocked(False)

    async def _wait_for_exit(self) -> None:
        assert self._process is not None
        status = await self._process.wait()
        if not self._hung_up:
            self._drain_output()
        # Anything the reader started and left behind shares its process group. The group id
        # cannot be handed to a new process while any member lives, so this reaches only them.
        self._signal_group(signal.SIGHUP)
        self._close_master()
        self._sink.exited(status if status >= 0 else 128 - status)

    def _drain_output(self) -> None:
        # The program's last words (restoring the screen) may still sit in the pty.
        while self._master is not None:
            try:
                data = os.read(self._master, _READ_SIZE)
            except OSError:
                return
            if not data:
                return
            self.modes.watch(data)
            self._sink.output(data)

    def _signal_group(self, signum: signal.Signals) -> None:
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signum)

    def _close_master(self) -> None:
        master, self._master = self._master, None
        if master is None:
            return
        if self._loop is not None:
            self._loop.remove_reader(master)
            self._loop.remove_writer(master)
        self._writing = False
        os.close(master)
