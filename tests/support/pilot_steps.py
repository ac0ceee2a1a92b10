"""Steps the Pilot tests of the main screen share: find it, wait for it, read its status line."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled, WorkerState

from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen


def main_screen(app: ReaderApp) -> MainScreen:
    """The app's screen, which must be the main screen."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def workers_done(app: App[Any]) -> None:
    """Wait until no worker of the app is pending or running.

    Textual's ``wait_for_complete`` raises ``WorkerCancelled`` when an exclusive worker (the
    counts, a list, a render) is replaced by a newer one while it is waited for; the newer one
    is what the test needs, so a cancelled worker counts as done and the loop waits for its
    successor. A worker that failed still fails the test."""
    while running := [
        worker
        for worker in app.workers
        if worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
    ]:
        for worker in running:
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()


async def settle(app: ReaderApp, pilot: Pilot[None]) -> None:
    """Wait for the running workers to complete and the screen to take in what they said."""
    await workers_done(app)
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
