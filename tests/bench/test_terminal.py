"""The bench's pty stamps output when it arrives, not when the emulator gets to it."""

from __future__ import annotations

import select
import sys
import time

from bench.scale import in_dialog
from bench.terminal import TimedPty

# Writes a first line, waits for one line of input (echo off, so the input is not output),
# writes a second, then waits to be closed.
_PROGRAM = """
import sys, termios
attrs = termios.tcgetattr(0)
attrs[3] &= ~termios.ECHO
termios.tcsetattr(0, termios.TCSANOW, attrs)
sys.stdout.write("first\\r\\n"); sys.stdout.flush()
sys.stdin.readline()
sys.stdout.write("second\\r\\n"); sys.stdout.flush()
sys.stdin.readline()
"""


def test_output_that_comes_while_the_emulator_works_is_stamped_on_arrival() -> None:
    app = TimedPty([sys.executable, "-c", _PROGRAM], cols=40, rows=5)
    emulate = app.terminal.feed
    feeding_ended: list[float] = []

    def slow_feed(data: bytes) -> None:
        emulate(data)
        if b"first" not in data or feeding_ended:
            return
        # While the emulator is still on the first chunk, the program writes the second.
        app.send("go\n")
        master = app._master
        assert master is not None
        # The second chunk is written once the pty has it; then wait (at most 10 s) for
        # someone to have taken it off the pty. Only a reader beside the emulator can.
        written = time.monotonic() + 10
        while time.monotonic() < written and not select.select([master], [], [], 0.01)[0]:
            pass
        taken = time.monotonic() + 10
        while time.monotonic() < taken and select.select([master], [], [], 0.01)[0]:
            pass
        feeding_ended.append(time.monotonic())

    app.terminal.feed = slow_feed  # type: ignore[method-assign]
    with app:
        app.time_until(lambda screen: "first" in screen, timeout=30)
        arrived = app.started_at + app.time_until(lambda screen: "second" in screen, timeout=30)
        app.send("end\n")
    assert feeding_ended
    assert arrived < feeding_ended[0], "the second chunk was stamped after the emulator's work"


def test_the_end_of_the_program_is_seen() -> None:
    with TimedPty([sys.executable, "-c", "print('bye')"], cols=40, rows=5) as app:
        app.time_until(lambda screen: "bye" in screen, timeout=30)
        deadline = time.monotonic() + 30
        while app.pump(0.1) and time.monotonic() < deadline:
            pass
        assert not app.pump(0.0)


def test_a_search_hit_counts_only_inside_the_dialog() -> None:
    screen = (
        "▼ News╭──────────────╮ article\n"
        "├ ● Ki│ Kidney hits  │ text\n"
        "├ ● Ki╰──────────────╯ more\n"
        "├ ● Kidney organoids lose their way\n"
    )
    assert "Kidney hits" in in_dialog(screen)
    assert "Kidney organoids" not in in_dialog(screen)
