"""The TUI's refresh runs in a process of its own (its own interpreter lock, its own core): the
screen reads its progress and reports, stops it with x, leaves it behind on q never. Real
processes against real servers on loopback: the sample site and the hostile server."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import reader.core.sync_process as sync_process
from reader.core.source import Source
from reader.core.store import Store
from reader.core.sync_process import SyncProcess
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import SECTIONS, make_app
from tests.support.hostile_server import HostileServer, hostile_server_instance
from tests.support.pilot_steps import main_screen, settle, status_message

__all__ = ["hostile_server_instance"]

pytestmark = pytest.mark.timeout(90)

SIZE = (120, 40)
ANSWERED_WITHIN = 5.0
"""Seconds: far below the fetch's 20 s deadline and the hostile server's 30 s silences (a
deadline for "did not wait for the network"; how fast x and q answer is measured in bench/)."""


@pytest.fixture(scope="module")
def big_site() -> Iterator[str]:
    """Three REST pages of posts: a refresh with several steps to tell."""
    with SampleServer(generate_site(250, seed=5)) as url:
        yield url


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[SyncProcess]:
    """Every refresh process the app starts, in order."""
    made: list[SyncProcess] = []
    real_start = SyncProcess.start.__func__  # type: ignore[attr-defined]

    async def noted(cls: type[SyncProcess], request: Any, **kw: Any) -> SyncProcess:
        process: SyncProcess = await real_start(cls, request, **kw)
        made.append(process)
        return process

    monkeypatch.setattr(SyncProcess, "start", classmethod(noted))
    return made


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int | None, str]]:
    """Every word of progress the screen was told, in order."""
    heard: list[tuple[int, int | None, str]] = []
    real = MainScreen.on_main_screen_sync_progress

    def noted(screen: MainScreen, message: MainScreen.SyncProgress) -> None:
        heard.append((message.done, message.total, message.what))
        real(screen, message)

    monkeypatch.setattr(MainScreen, "on_main_screen_sync_progress", noted)
    return heard


def _empty_store(tmp_path: Path) -> Store:
    return Store.open_in(tmp_path / "data", section_names=SECTIONS)


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _until(pilot: Pilot[None], check: Any, what: str) -> None:
    ends = time.monotonic() + 30
    while not check():
        assert time.monotonic() < ends, what
        await pilot.pause(0.02)


async def test_the_refresh_runs_apart_and_its_progress_and_report_are_shown(
    big_site: str,
    tmp_path: Path,
    started: list[SyncProcess],
    said: list[tuple[int, int | None, str]],
) -> None:
    store = _empty_store(tmp_path)
    app = make_app(store, big_site, refresh_on_start=True)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main_screen(app)
        assert len(started) == 1 and started[0].returncode == 0
        assert any("Reading the archive" in what and total == 250 for _, total, what in said)
        assert status_message(screen).startswith("250 new, 0 updated."), status_message(screen)
        assert screen.status.syncing == ""
        # The store was re-read after the sync: its posts are listed.
        first = screen.sidebar.first_group
        assert first is not None and len(screen.sidebar.group_posts(first)) > 0
        assert store.count_posts() == 250


async def test_a_dead_port_is_said_and_the_reader_is_offline(
    tmp_path: Path, started: list[SyncProcess]
) -> None:
    url = f"http://127.0.0.1:{_dead_port()}/feed"
    store = _empty_store(tmp_path)
    app = ReaderApp(store, Source.feed(url), refresh_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main_screen(app)
        assert len(started) == 1
        assert url in status_message(screen) and screen.status.offline
        assert screen.status.has_class("error")
    store.close()


async def test_a_retry_after_is_shown_and_honoured(
    hostile_server_instance: HostileServer, tmp_path: Path, started: list[SyncProcess]
) -> None:
    url = hostile_server_instance.url("/retry-after-long")
    before = hostile_server_instance.hits("/retry-after-long")
    store = _empty_store(tmp_path)
    app = ReaderApp(store, Source.feed(url), refresh_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main_screen(app)
        assert "it asks to wait 24 hours before asking again" in status_message(screen)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert status_message(screen).startswith(f"Not asking {url} again before ")
        assert len(started) == 2
    assert hostile_server_instance.hits("/retry-after-long") == before + 1
    store.close()


async def _waiting_on_silence(
    app: ReaderApp, pilot: Pilot[None], server: HostileServer, before: int
) -> None:
    await _until(
        pilot,
        lambda: server.hits("/stall") > before and server.open_requests("/stall"),
        "the refresh never asked the server",
    )


async def test_x_stops_the_refresh_process_whatever_the_network_does(
    hostile_server_instance: HostileServer, tmp_path: Path, started: list[SyncProcess]
) -> None:
    server = hostile_server_instance
    before = server.hits("/stall")
    store = _empty_store(tmp_path)
    app = ReaderApp(store, Source.feed(server.url("/stall")), refresh_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        await _waiting_on_silence(app, pilot, server, before)
        screen = main_screen(app)
        await pilot.press("x")
        await settle(app, pilot)
        assert status_message(screen) == "Refresh stopped; posts read so far are kept."
        assert screen.status.syncing == ""
        # Nothing is left running (it ends by itself on SIGTERM, as a cancel, unless the
        # grace runs out first: then SIGKILL; tests/core/test_sync_process.py sees which).
        assert len(started) == 1 and started[0].returncode is not None
        # The reader goes on, and refreshes again.
        await pilot.press("ctrl+r")
        await _until(pilot, lambda: len(started) == 2, "no second refresh")
        # Stopped too, before the test's loop closes: a process left to the app's closing
        # was still being stopped when the loop closed, its pipes open.
        await pilot.press("x")
        await _until(pilot, lambda: started[1].returncode is not None, "the second never ended")
        await settle(app, pilot)
    store.close()


async def test_q_quits_with_a_refresh_waiting_on_the_network_and_ends_its_process(
    hostile_server_instance: HostileServer, tmp_path: Path, started: list[SyncProcess]
) -> None:
    server = hostile_server_instance
    before = server.hits("/stall")
    store = _empty_store(tmp_path)
    app = ReaderApp(store, Source.feed(server.url("/stall")), refresh_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        await _waiting_on_silence(app, pilot, server, before)
        asked = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - asked < ANSWERED_WITHIN
    assert app.return_code == 0
    assert len(started) == 1 and started[0].returncode is not None
    store.close()


async def test_an_unexpected_error_in_the_process_is_said_and_logged(
    sample_site: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = (
        "import sys, reader.core.sync as s\n"
        "async def broken(*args, **kwargs):\n"
        "    raise RuntimeError('the feed had something nobody planned for')\n"
        "s.sync = broken\n"
        "from reader.core.sync_process import main\n"
        "sys.exit(main())\n"
    )
    real_start = SyncProcess.start.__func__  # type: ignore[attr-defined]

    async def start_broken(cls: type[SyncProcess], request: Any, **kw: Any) -> SyncProcess:
        process: SyncProcess = await real_start(
            cls, request, program=(sys.executable, "-c", broken)
        )
        return process

    monkeypatch.setattr(SyncProcess, "start", classmethod(start_broken))
    app = make_app(store, sample_site, refresh_on_start=True)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        # The refresh's worker fails (that is the point): wait for it however it ends.
        await asyncio.gather(*(w.wait() for w in app.workers), return_exceptions=True)
        await pilot.pause()
        screen = main_screen(app)
        message = status_message(screen)
        assert message == (
            "Refresh failed: RuntimeError: the feed had something nobody planned for"
        ), message
        assert screen.status.syncing == "" and screen.status.has_class("error")
    errors = [r for r in caplog.records if r.name == "reader" and r.levelname == "ERROR"]
    assert errors, "nothing logged"
    logged = errors[0].getMessage()
    assert "in its own process" in logged and "Traceback" in logged and "in broken" in logged


async def test_without_a_process_to_be_had_the_refresh_runs_in_a_thread(
    sample_site: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    said: list[tuple[int, int | None, str]],
) -> None:
    async def no_process(*args: object, **kwargs: object) -> object:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    # Out of processes (fork's EAGAIN): asyncio's, as the refresh's process module calls it.
    monkeypatch.setattr(sync_process.asyncio, "create_subprocess_exec", no_process)
    store = _empty_store(tmp_path)
    app = make_app(store, sample_site, refresh_on_start=True)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main_screen(app)
        assert " new, 0 updated." in status_message(screen), status_message(screen)
        assert said
        assert store.count_posts() > 0


def test_settings_that_cannot_cross_keep_the_refresh_in_a_thread(tmp_path: Path) -> None:
    async def check(url: str) -> str | None:
        return None

    store = _empty_store(tmp_path)
    try:
        apart = ReaderApp(store, Source.site("http://127.0.0.1:9/"), fetcher_options={})
        assert apart._refresh_settings() == {}
        kept = ReaderApp(
            store, Source.site("http://127.0.0.1:9/"), fetcher_options={"check_address": check}
        )
        assert kept._refresh_settings() is None
        asked = ReaderApp(store, Source.site("http://127.0.0.1:9/"), refresh_apart=False)
        assert asked._refresh_settings() is None
    finally:
        store.close()


@pytest.fixture
def stuck_handing_over(monkeypatch: pytest.MonkeyPatch) -> list[asyncio.subprocess.Process]:
    """Refreshes whose process never takes its job: it reads nothing and ignores SIGTERM, and
    the job is bigger than the pipe, so the reader waits to hand it over. Every process made,
    in order."""
    made: list[asyncio.subprocess.Process] = []
    real_exec = asyncio.create_subprocess_exec
    real_start = SyncProcess.start.__func__  # type: ignore[attr-defined]
    stuck = (
        sys.executable,
        "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('{}', flush=True); time.sleep(60)",
    )

    async def noted(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await real_exec(*args, **kwargs)
        made.append(process)
        return process

    async def start_stuck(cls: type[SyncProcess], request: Any, **kw: Any) -> SyncProcess:
        padded = {**request, "section_names": ["a section" * 64] * 1024}  # some 600 kB
        process: SyncProcess = await real_start(cls, padded, **{**kw, "program": stuck})
        return process

    monkeypatch.setattr(sync_process.asyncio, "create_subprocess_exec", noted)
    monkeypatch.setattr(SyncProcess, "start", classmethod(start_stuck))
    return made


async def _handing_over(pilot: Pilot[None], made: list[asyncio.subprocess.Process]) -> None:
    await _until(pilot, lambda: bool(made), "no refresh process was made")
    stdout = made[0].stdout
    assert stdout is not None
    await stdout.readline()  # it runs, SIGTERM ignored
    stdin = made[0].stdin
    assert stdin is not None and stdin.transport.get_write_buffer_size() > 0


@pytest.mark.parametrize("key", ["x", "q"])
async def test_x_or_q_before_the_process_has_its_job_ends_it(
    sample_site: str,
    tmp_path: Path,
    stuck_handing_over: list[asyncio.subprocess.Process],
    key: str,
) -> None:
    store = _empty_store(tmp_path)
    app = make_app(store, sample_site, refresh_on_start=True)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        await _handing_over(pilot, stuck_handing_over)
        await pilot.press(key)
        if key == "x":
            await settle(app, pilot)
            assert status_message(main_screen(app)) == (
                "Refresh stopped; posts read so far are kept."
            )
            # Ended then and there, not when the reader closes.
            assert stuck_handing_over[0].returncode is not None
    assert stuck_handing_over[0].returncode is not None
    store.close()
