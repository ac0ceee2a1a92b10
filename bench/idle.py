"""Output while idle with a dialog open: what a screen that does not change costs.

In a 120x40 pty the reader shows a stored site; a dialog is opened and then nothing is
pressed. Whatever the reader writes in the next seconds redraws a screen whose text stays the
same: a blinking text cursor drawn by the program (the terminal blinks its own for free), or
a timer that re-sends an unchanged line. Counted with the search dialog (``/``), the command
palette (``ctrl+p``) and the help screen (``?``), each in turn, and on the main screen with no
dialog for reference. A window in which the screen's text did change (the status line's
"updated N min ago" turning over, say) is measured again, so the figure only counts output
for nothing. There is no baseline: the target is absolute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.context import Context
from bench.figures import Figure
from bench.startup import reader_argv, reader_is_full
from bench.terminal import TimedPty, rows_touched

PER_SECONDS = 10.0
"""The figure is bytes per this many seconds, whatever the window's length."""
_ESCAPE = "\x1b"
_TRIES = 3
"""Windows measured at most per dialog, when the screen's text changes in them."""


@dataclass(frozen=True)
class Dialog:
    """A dialog of the reader: the key that opens it and a text only it shows."""

    name: str
    key: str
    shows: str


DIALOGS = (
    Dialog("search", "/", "Words to find in titles and text"),
    Dialog("command palette", "\x10", "Search for commands"),
    Dialog("help", "?", "Follow the site"),
)


@dataclass(frozen=True)
class Window:
    """Output counted over one stretch of doing nothing."""

    seconds: float
    bytes: int
    rows: int
    """Screen rows the output drew on."""
    text_changed: bool

    @property
    def per_period(self) -> float:
        """Bytes per :data:`PER_SECONDS`."""
        return self.bytes * PER_SECONDS / self.seconds


def _window(app: TimedPty, seconds: float) -> Window:
    """Read for ``seconds`` without pressing anything."""
    before_text = app.screen_text()
    before = app.received
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        app.pump(min(left, 0.1))
    answer = bytes(app.output[before:])
    return Window(seconds, len(answer), rows_touched(answer), app.screen_text() != before_text)


def _still(app: TimedPty, seconds: float) -> Window:
    """A window in which the screen's text stayed the same (the last one tried otherwise)."""
    window = _window(app, seconds)
    for _ in range(_TRIES - 1):
        if not window.text_changed:
            break
        window = _window(app, seconds)
    return window


def _wait(app: TimedPty, text: str, shown: bool, what: str) -> None:
    """Until ``text`` is on the screen (or gone from it, when not ``shown``)."""
    ready: Callable[[str], bool] = (
        (lambda screen: text in screen) if shown else (lambda screen: text not in screen)
    )
    try:
        app.time_until(ready, timeout=20)
    except TimeoutError as error:
        raise RuntimeError(f"the {what}\n{error}") from None


def idle_figures(ctx: Context, url: str, data_dir: Path) -> list[Figure]:
    """The worst dialog's idle output, each dialog's in the note."""
    seconds = ctx.scale.idle_seconds
    windows: dict[str, Window] = {}
    with TimedPty(reader_argv(url, ctx.copy_of(data_dir, "idle")), env=ctx.pty_env) as app:
        app.time_until(reader_is_full, timeout=120)
        app.drain(0.5)
        windows["no dialog"] = _still(app, seconds)
        for dialog in DIALOGS:
            app.send(dialog.key)
            _wait(app, dialog.shows, True, f"{dialog.name} never opened")
            app.drain(0.5)
            windows[dialog.name] = _still(app, seconds)
            app.send(_ESCAPE)
            _wait(app, dialog.shows, False, f"{dialog.name} never closed")
            app.drain(0.5)
    for name, window in windows.items():
        ctx.say(
            f"  idle, {name}: {window.bytes} B in {window.seconds:g} s on {window.rows} row(s)"
            f"{' (the text changed)' if window.text_changed else ''}"
        )
    dialogs = {name: w for name, w in windows.items() if name != "no dialog"}
    worst = max(dialogs, key=lambda name: dialogs[name].per_period)
    figure = Figure(
        key="idle_output_dialog",
        name=f"output while idle with a dialog open, per {PER_SECONDS:g} s",
        unit="B",
        reader=dialogs[worst].per_period,
        target="0 B when nothing changes",
        note=f"worst: {worst}; "
        + ", ".join(
            f"{name} {w.per_period:.0f} B on {w.rows} row(s)"
            + (" (text changed in every window)" if w.text_changed else "")
            for name, w in windows.items()
        )
        + f"; windows of {seconds:g} s",
        samples={name: [w.per_period] for name, w in windows.items()},
    )
    figure.met = figure.reader == 0
    return [figure]
