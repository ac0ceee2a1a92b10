"""A pseudo-terminal that notes when each byte arrives: the benchmarks' view from outside.

:class:`TimedPty` is the tests' :class:`~tests.support.pty_screen.PtyApp` with a clock: every
chunk the program writes is read and stamped on arrival by a thread of its own, and only fed
to the terminal emulator when the screen is looked at, so emulating the screen never delays
the stamps of the bytes being timed.

The thread matters: the kernel hands a pty's output over 4 KB at a time, and a frame of
several chunks was stamped chunk by chunk between emulations (pyte takes 5-80 ms a chunk on
these machines), so the last chunk of a frame, the one a key is timed to, was stamped when
the emulator had caught up with the ones before it, not when it came, and the program's
writer meanwhile waited on a full pty.
"""

from __future__ import annotations

import os
import re
import select
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from tests.support.pty_screen import PtyApp

QUIET = 0.25
"""Seconds without output after which a program is taken to have finished drawing."""

_CURSOR_TO = re.compile(rb"\x1b\[(\d+);\d+H")


def rows_touched(data: bytes) -> int:
    """How many screen rows ``data`` draws on, judged by its cursor moves."""
    return len(set(_CURSOR_TO.findall(data)))


@dataclass(frozen=True)
class KeyResponse:
    """What one key cost: bytes written in answer, and the time to the last of them."""

    key: str
    bytes: int
    latency: float | None
    """Seconds from sending the key to the last byte of the answer; None when nothing came."""
    rows: int
    """Screen rows the answer drew on."""


class _Reader(threading.Thread):
    """Reads a pty's output as it comes, each chunk with the moment it was read."""

    def __init__(self, master: int) -> None:
        super().__init__(name="pty-reader", daemon=True)
        self.master = master
        self.chunks: deque[tuple[float, bytes]] = deque()
        """Chunks read and not yet taken, with their ``time.monotonic()`` on arrival."""
        self.ended = False
        """The program and everything holding its terminal have gone."""
        self.arrived = threading.Condition()
        self._stopping = threading.Event()

    def run(self) -> None:
        """Read until the program's end or :meth:`stop`."""
        while not self._stopping.is_set():
            # A short timeout, so stop() is seen before the master is closed.
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""  # EIO: the program has gone
            now = time.monotonic()
            with self.arrived:
                if data:
                    self.chunks.append((now, data))
                else:
                    self.ended = True
                self.arrived.notify_all()
            if not data:
                return

    def stop(self) -> None:
        """Stop reading; returns once the thread no longer touches the master."""
        self._stopping.set()
        self.join()


class TimedPty(PtyApp):
    """A program in a pty whose output is timed as it arrives."""

    def __init__(
        self,
        argv: list[str],
        *,
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        left_right_margins: bool = True,
    ) -> None:
        super().__init__(
            argv, cols=cols, rows=rows, env=env, cwd=cwd, left_right_margins=left_right_margins
        )
        self.started_at = 0.0
        """``time.monotonic()`` just before the program was started."""
        self.received = 0
        """Bytes read from the program so far."""
        self.output = bytearray()
        """Every byte read from the program."""
        self.last_arrival = 0.0
        """When the latest chunk arrived."""
        self.fed_at = 0.0
        """When the chunk last fed to the emulator arrived (for ``time_until``'s test)."""
        self._unfed: list[tuple[float, bytes]] = []
        self._reader: _Reader | None = None

    def start(self) -> TimedPty:
        """Start the program, noting the moment, and the thread that reads its output."""
        self.started_at = time.monotonic()
        super().start()
        assert self._master is not None
        self._reader = _Reader(self._master)
        self._reader.start()
        return self

    def pump(self, timeout: float = 0.0) -> bool:
        """Wait up to ``timeout`` for output and take in all the reader thread has read, with
        the moments it came; False at the end."""
        reader = self._reader
        if reader is None:
            return super().pump(timeout)
        self._require_master()
        deadline = time.monotonic() + timeout
        with reader.arrived:
            while not reader.chunks and not reader.ended:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                reader.arrived.wait(left)
            chunks = list(reader.chunks)
            reader.chunks.clear()
            ended = reader.ended
        for arrival, data in chunks:
            self._take(arrival, data)
        if ended:
            self._ended = True
        return not self._ended

    def close(self) -> None:
        """Stop the reader thread, then the program."""
        self._stop_reader()
        super().close()

    def hang_up(self) -> None:
        """Stop the reader thread, then close the terminal under the program."""
        self._stop_reader()
        super().hang_up()

    def _stop_reader(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.stop()
            for arrival, data in reader.chunks:
                self._take(arrival, data)

    def _received(self, data: bytes) -> None:
        """A chunk read here, not by the thread (before it starts or after it stops)."""
        self._take(time.monotonic(), data)

    def _take(self, arrival: float, data: bytes) -> None:
        """Note the chunk and its arrival; emulate it later, so timing is not slowed by the
        emulator."""
        self.received += len(data)
        self.output += data
        self.last_arrival = arrival
        self._unfed.append((arrival, data))

    def screen_text(self) -> str:
        """The screen now, after emulating every byte received."""
        if self._master is not None:
            self.pump(0.0)
        self._feed_all()
        return self.terminal.text()

    def _feed_all(self) -> None:
        for _, data in self._unfed:
            self.terminal.feed(data)
        self._unfed.clear()

    def __enter__(self) -> TimedPty:
        return self.start() if self._process is None else self

    def time_until(self, ready: Callable[[str], bool], timeout: float = 60.0) -> float:
        """Seconds from start until the chunk after which ``ready(screen)`` first held."""
        deadline = time.monotonic() + timeout
        if not self._unfed and ready(self.terminal.text()):
            return self.last_arrival - self.started_at
        while True:
            while self._unfed:
                arrival, data = self._unfed.pop(0)
                self.terminal.feed(data)
                self.fed_at = arrival
                if ready(self.terminal.text()):
                    return arrival - self.started_at
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._ended:
                why = "the program ended" if self._ended else f"{timeout:g}s passed"
                raise TimeoutError(f"the screen never got ready and {why}:\n{self.terminal.text()}")
            self.pump(min(remaining, 0.05))

    def settle(self, quiet: float = 0.5, timeout: float = 15.0) -> str:
        """As the tests' helper: wait for ``quiet`` seconds without output; the screen."""
        self.drain(quiet, timeout)
        return self.screen_text()

    def drain(self, quiet: float = QUIET, limit: float = 30.0) -> float:
        """Wait until nothing has arrived for ``quiet`` seconds; returns when the last byte came."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = self.received
            # pump() returns as soon as it has read what is waiting, so only a call that read
            # nothing has waited a whole quiet period.
            if not self.pump(quiet) or self.received == before:
                break
        return self.last_arrival

    def press_until(
        self, key: str, ready: Callable[[str], bool], quiet: float = QUIET, timeout: float = 60.0
    ) -> KeyResponse:
        """Send one key, wait until ``ready(screen)`` holds and then for quiet; what it cost.

        For answers drawn in stages with pauses (a widget mounting in batches on a busy
        machine): quiet alone could end the wait between two stages.
        """
        self.pump(0.0)
        self._feed_all()
        before = self.received
        sent = time.monotonic()
        self.send(key)
        # Only the answer's bytes count: a screen that already looked ready is not the answer.
        self.time_until(lambda screen: self.received > before and ready(screen), timeout=timeout)
        last = self.drain(quiet)
        answer = bytes(self.output[before:])
        return KeyResponse(key, len(answer), last - sent if answer else None, rows_touched(answer))

    def press(self, key: str, quiet: float = QUIET, answer_within: float = 0.0) -> KeyResponse:
        """Send one key, wait for the screen to settle, and say what it cost.

        With ``answer_within``, quiet is only waited for once the answer has begun (up to that
        many seconds): on a busy machine a key's first byte can come later than ``quiet``, and
        its answer would be counted with the next key's.
        """
        self.pump(0.0)
        before = self.received
        sent = time.monotonic()
        self.send(key)
        deadline = sent + answer_within
        while self.received == before and (left := deadline - time.monotonic()) > 0:
            self.pump(min(left, 0.05))
        last = self.drain(quiet)
        answer = bytes(self.output[before:])
        return KeyResponse(key, len(answer), last - sent if answer else None, rows_touched(answer))
