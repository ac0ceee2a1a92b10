"""q and x answer whatever the network does: a silent server, a dripping one, or a sync stuck
in a step that cannot be interrupted (a long parse). The real reader in a pseudo-terminal,
and the app under Pilot with a sync held in its thread.

The bounds here (seconds) are deadlines for "did not wait out the fetch's 20 s", not speed
measurements: how fast q and x answer is measured in bench/.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import reader.core.sync as sync_module
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import SECTIONS, make_app
from tests.support.hostile_server import HostileServer, hostile_server_instance
from tests.support.pty_screen import PtyApp

__all__ = ["hostile_server_instance"]

ROOT = Path(__file__).resolve().parents[2]
#: Far below the fetch's 20 s deadline and the hostile server's 30 s endless answers.
ANSWERED_WITHIN = 5.0


def _wait_until_closed(server: HostileServer, path: str) -> None:
    ends = time.monotonic() + ANSWERED_WITHIN
    while server.open_requests(path):
        assert time.monotonic() < ends, f"the reader kept its connection to {path} open"
        time.sleep(0.02)


def _reader_waiting_on(server: HostileServer, path: str, folder: Path) -> PtyApp:
    """The real reader, its first refresh waiting on ``path`` of the hostile server."""
    before = server.hits(path)
    app = PtyApp(
        [sys.executable, "-m", "reader", "--data-dir", str(folder), "--feed", server.url(path)],
        cwd=ROOT,
    ).start()
    app.wait_for("Quit", timeout=30)
    ends = time.monotonic() + 30
    while server.hits(path) == before or not server.open_requests(path):
        assert time.monotonic() < ends, "the refresh never asked the server"
        app.pump(0.05)
    return app


@pytest.mark.parametrize("path", ["/stall", "/drip"])
def test_q_quits_at_once_while_a_refresh_waits_on_the_network(
    path: str, hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    with _reader_waiting_on(hostile_server_instance, path, tmp_path / "data") as app:
        asked = time.monotonic()
        app.send("q")
        assert app.wait_for_exit(timeout=ANSWERED_WITHIN) == 0
        assert time.monotonic() - asked < ANSWERED_WITHIN
    _wait_until_closed(hostile_server_instance, path)


@pytest.mark.parametrize("path", ["/stall", "/drip"])
def test_x_stops_a_refresh_waiting_on_the_network_and_hangs_up(
    path: str, hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    with _reader_waiting_on(hostile_server_instance, path, tmp_path / "data") as app:
        app.send("x")
        app.wait_for("Refresh stopped", timeout=ANSWERED_WITHIN)
        _wait_until_closed(hostile_server_instance, path)
        # The reader goes on: it still answers keys.
        app.send("?")
        app.wait_for("Keys", timeout=ANSWERED_WITHIN)
        app.send("q")


def _sync_stuck_in_its_thread(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """Make every sync hang, uninterruptibly, in its own thread, as a long parse would.

    Returns (stuck, release): ``stuck`` is set once the sync hangs; setting ``release`` lets
    it go (at the end of the test).
    """
    stuck, release = threading.Event(), threading.Event()

    async def hangs(*args: Any, **kwargs: Any) -> object:
        stuck.set()
        release.wait(timeout=60)  # blocks the sync's whole event loop, as CPU work does
        raise RuntimeError("released")

    monkeypatch.setattr(sync_module, "sync", hangs)
    return stuck, release


async def test_x_and_q_answer_while_the_sync_is_stuck_in_its_thread(
    sample_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck, release = _sync_stuck_in_its_thread(monkeypatch)
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    # The sync changed here runs in a thread of this process, not in one of its own.
    app = make_app(store, sample_site, refresh_on_start=True, refresh_apart=False)
    assert isinstance(app, ReaderApp)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            assert await asyncio.to_thread(stuck.wait, 30)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await pilot.press("x")
            ends = time.monotonic() + ANSWERED_WITHIN
            while screen.status.syncing:
                assert time.monotonic() < ends, "x waited for the stuck sync"
                await pilot.pause(0.02)
            await pilot.press("ctrl+r")  # a second refresh gets stuck too
            await pilot.pause(0.1)
            asked = time.monotonic()
            await pilot.press("q")
        # Leaving run_test means the app has closed, its loop's tasks all done.
        assert time.monotonic() - asked < ANSWERED_WITHIN
    finally:
        release.set()
