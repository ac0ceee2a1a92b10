"""Steps the Pilot tests of the main screen share: find it, wait for it, read its status line."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Static

from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen


def main_screen(app: ReaderApp) -> MainScreen:
    """The app's screen, which must be the main screen."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Wait for the running workers to complete and the screen to take in what they said."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[None], check: Callable[[], object], deadline: float = 20.0) -> None:
    """Let the app run until ``check()`` holds; fail after ``deadline`` seconds."""
    ends = time.monotonic() + deadline
    while not check():
        assert time.monotonic() < ends, "timed out"
        await pilot.pause(0.05)


def status_message(screen: MainScreen) -> str:
    """What the status line says now."""
    return str(screen.status.query_one("#message", Static).content)
