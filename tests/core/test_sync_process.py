"""The refresh in a process of its own: real processes, real HTTP on loopback (the sample site,
the hostile server), a real store. What it reads, how far it is, how it fails, how it stops,
and that it never outlives the reader that started it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core.runner import SyncCancelled
from reader.core.source import Source
from reader.core.store import Store
from reader.core.sync_process import (
    MODULE,
    NICENESS,
    SyncProcess,
    SyncProcessFailed,
    request_of,
    settings_that_cross,
)
from tests.support.app_fixtures import SECTIONS
from tests.support.hostile_server import HostileServer, hostile_server_instance

__all__ = ["hostile_server_instance"]

pytestmark = pytest.mark.timeout(60)

STOPPED_WITHIN = 5.0
"""Seconds: far below the fetch's 20 s deadline and the hostile server's 30 s silences. A
deadline for "did not wait for the network", not a speed (that is measured in bench/)."""


def _request(folder: Path, *sources: Source, **fetcher: Any) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    Store.open_in(folder, section_names=SECTIONS).close()
    return request_of(
        folder / "reader.sqlite3",
        sources,
        section_names=SECTIONS,
        fetcher=fetcher,
    )


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _asked(server: HostileServer, path: str, before: int) -> None:
    """Wait until the server holds a request of ``path`` open (the sync waits on it)."""
    ends = time.monotonic() + 30
    while server.hits(path) == before or not server.open_requests(path):
        assert time.monotonic() < ends, "the sync never asked the server"
        await asyncio.sleep(0.02)


async def test_it_syncs_the_site_telling_how_far_it_is(sample_site: str, tmp_path: Path) -> None:
    told: list[tuple[int, int | None, str]] = []
    process = await SyncProcess.start(_request(tmp_path / "data", Source.site(sample_site)))
    assert process.pid != os.getpid()
    reports = await process.reports(lambda done, total, what: told.append((done, total, what)))
    assert len(reports) == 1 and reports[0].ok, reports[0].errors
    assert reports[0].new > 0
    assert told and any(total for _, total, _ in told)
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    try:
        assert store.count_posts() == reports[0].new
    finally:
        store.close()
    assert process.returncode == 0


async def test_each_source_gets_its_report_and_a_dead_one_says_it_is_offline(
    sample_site: str, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{_dead_port()}/feed"
    request = _request(tmp_path / "data", Source.site(sample_site), Source.feed(dead, name="Gone"))
    reports = await (await SyncProcess.start(request)).reports()
    assert [r.source for r in reports][1] == "Gone"
    assert reports[0].ok and reports[0].new > 0
    assert not reports[1].ok and reports[1].offline
    assert dead in reports[1].errors[0]


async def test_a_retry_after_is_told_then_honoured(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    url = hostile_server_instance.url("/retry-after-long")
    before = hostile_server_instance.hits("/retry-after-long")
    request = _request(tmp_path / "data", Source.feed(url))
    (first,) = await (await SyncProcess.start(request)).reports()
    assert "it asks to wait 24 hours before asking again" in first.errors[0], first.errors
    (second,) = await (await SyncProcess.start(request)).reports()
    assert second.errors[0].startswith(f"Not asking {url} again before ")
    assert hostile_server_instance.hits("/retry-after-long") == before + 1


async def test_the_fetchers_settings_reach_the_process(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    # A dripping server outlasts a deadline of half a second, not the default twenty.
    url = hostile_server_instance.url("/drip")
    request = _request(tmp_path / "data", Source.feed(url), deadline=0.5)
    (report,) = await asyncio.wait_for((await SyncProcess.start(request)).reports(), STOPPED_WITHIN)
    assert "timed out" in report.errors[0], report.errors


async def test_sigterm_stops_it_as_a_cancel_would(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    before = hostile_server_instance.hits("/stall")
    request = _request(tmp_path / "data", Source.feed(hostile_server_instance.url("/stall")))
    process = await SyncProcess.start(request)
    reports = asyncio.ensure_future(process.reports())
    await _asked(hostile_server_instance, "/stall", before)
    # A grace far longer than it needs: it must end by itself (exit 0), never be killed.
    await asyncio.wait_for(process.stop(grace=STOPPED_WITHIN), STOPPED_WITHIN)
    assert process.returncode == 0
    with pytest.raises(SyncCancelled):
        await reports


async def test_one_that_does_not_stop_is_killed_after_the_grace(tmp_path: Path) -> None:
    # A process that ignores SIGTERM, as one stuck in a long parse would for a while.
    program = (
        sys.executable,
        "-c",
        "import signal, sys; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('{}', flush=True); sys.stdin.read(); import time; time.sleep(60)",
    )
    process = await SyncProcess.start(_request(tmp_path / "data"), program=program)
    assert process._process.stdout is not None
    await process._process.stdout.readline()  # its handler is in place
    await asyncio.wait_for(process.stop(grace=0.2), STOPPED_WITHIN)
    assert process.returncode == -signal.SIGKILL


async def test_it_ends_when_its_reader_goes_away(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    # A reader killed outright closes its end of the pipe: the sync stops, whatever it waits on.
    before = hostile_server_instance.hits("/stall")
    request = _request(tmp_path / "data", Source.feed(hostile_server_instance.url("/stall")))
    process = await SyncProcess.start(request)
    await _asked(hostile_server_instance, "/stall", before)
    stdin = process._process.stdin
    assert stdin is not None
    stdin.close()
    await asyncio.wait_for(process._process.wait(), STOPPED_WITHIN)
    with pytest.raises(SyncCancelled):
        await process.reports()


def test_it_dies_with_a_reader_killed_outright(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    # The reader (here a stand-in that starts the process and waits) killed by SIGKILL: the
    # process must not go on syncing for nobody.
    request = _request(tmp_path / "data", Source.feed(hostile_server_instance.url("/stall")))
    stand_in = (
        "import asyncio, json, sys\n"
        "from reader.core.sync_process import SyncProcess\n"
        "async def main():\n"
        "    p = await SyncProcess.start(json.loads(sys.argv[1]))\n"
        "    print(p.pid, flush=True)\n"
        "    await p.reports()\n"
        "asyncio.run(main())\n"
    )
    import json

    before = hostile_server_instance.hits("/stall")
    reader = subprocess.Popen(
        [sys.executable, "-c", stand_in, json.dumps(request)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None
        child = int(reader.stdout.readline())
        ends = time.monotonic() + 30
        while hostile_server_instance.hits("/stall") == before:
            assert time.monotonic() < ends, "the sync never asked the server"
            time.sleep(0.02)
        reader.kill()
        reader.wait()
        ends = time.monotonic() + STOPPED_WITHIN
        while _alive(child):
            assert time.monotonic() < ends, "the refresh outlived its reader"
            time.sleep(0.02)
    finally:
        reader.kill()
        reader.wait()


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, its parent gone, is reaped by init: not alive)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def test_an_unexpected_error_in_the_sync_is_told_with_its_traceback(
    sample_site: str, tmp_path: Path
) -> None:
    broken = (
        "import sys, reader.core.sync as s\n"
        "async def broken(*args, **kwargs):\n"
        "    raise RuntimeError('the feed had something nobody planned for')\n"
        "s.sync = broken\n"
        "from reader.core.sync_process import main\n"
        "sys.exit(main())\n"
    )
    request = _request(tmp_path / "data", Source.site(sample_site))
    process = await SyncProcess.start(request, program=(sys.executable, "-c", broken))
    with pytest.raises(SyncProcessFailed) as caught:
        await process.reports()
    assert caught.value.kind == "RuntimeError"
    assert caught.value.detail == "the feed had something nobody planned for"
    assert "Traceback" in caught.value.story and "in broken" in caught.value.story


async def test_a_process_that_dies_without_a_word_says_how_it_ended(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    before = hostile_server_instance.hits("/stall")
    request = _request(tmp_path / "data", Source.feed(hostile_server_instance.url("/stall")))
    process = await SyncProcess.start(request)
    await _asked(hostile_server_instance, "/stall", before)
    os.kill(process.pid, signal.SIGKILL)  # the kernel's out-of-memory killer, say
    with pytest.raises(SyncProcessFailed) as caught:
        await process.reports()
    assert "ended without a report (signal 9)" in caught.value.detail


def test_only_settings_that_are_data_cross_to_the_process() -> None:
    assert settings_that_cross({"deadline": 5.0, "user_agent": "x"}) == {
        "deadline": 5.0,
        "user_agent": "x",
    }
    assert settings_that_cross({}) == {}

    async def check(url: str) -> str | None:
        return None

    assert settings_that_cross({"check_address": check}) is None
    # A tuple would come back a list: not the same settings.
    assert settings_that_cross({"odd": (1, 2)}) is None


def test_a_request_that_is_not_one_is_refused_without_a_sync() -> None:
    done = subprocess.run(
        [sys.executable, "-m", MODULE], input="not json\n", capture_output=True, text=True
    )
    assert done.returncode == 2 and "not a sync request" in done.stderr
    assert done.stdout == ""


async def test_a_cancel_before_it_has_its_job_ends_it_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # x or q while the job is still being handed over: a process that reads nothing and
    # ignores SIGTERM holds the handing-over (a job bigger than the pipe) and would sleep on.
    program = (
        sys.executable,
        "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('{}', flush=True); time.sleep(60)",
    )
    request = _request(tmp_path / "data")
    request["section_names"] = ["a section" * 64] * 1024  # some 600 kB
    made: list[asyncio.subprocess.Process] = []
    real_exec = asyncio.create_subprocess_exec

    async def noted(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await real_exec(*args, **kwargs)
        made.append(process)
        return process

    monkeypatch.setattr(asyncio, "create_subprocess_exec", noted)
    starting = asyncio.ensure_future(SyncProcess.start(request, grace=0.2, program=program))
    ends = time.monotonic() + 30
    while not made:
        assert time.monotonic() < ends, "the process was never made"
        await asyncio.sleep(0.02)
    assert made[0].stdout is not None
    await made[0].stdout.readline()  # it runs, SIGTERM ignored
    stdin = made[0].stdin
    assert stdin is not None and stdin.transport.get_write_buffer_size() > 0
    assert not starting.done()  # it waits for the pipe to take the job
    starting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await starting
    await asyncio.wait_for(made[0].wait(), STOPPED_WITHIN)
    assert made[0].returncode == -signal.SIGKILL


@contextlib.contextmanager
def _waiting_for_its_job() -> Iterator[subprocess.Popen[bytes]]:
    """The process started bare, once it waits in a read of its stdin for the job; killed
    at the end."""
    waiting = subprocess.Popen(
        [sys.executable, "-m", MODULE], stdin=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        ends = time.monotonic() + 30
        while not _reads_its_stdin(waiting.pid):
            assert time.monotonic() < ends, "it never read its stdin"
            time.sleep(0.02)
        yield waiting
    finally:
        waiting.kill()
        waiting.wait()


def test_sigterm_before_its_job_ends_it_at_once(tmp_path: Path) -> None:
    # Its handlers wait for the job: stopped before, it has nothing to keep, and a handler
    # would leave it reading its stdin for a job that never comes.
    with _waiting_for_its_job() as waiting:
        waiting.terminate()
        assert waiting.wait(STOPPED_WITHIN) == -signal.SIGTERM


def test_it_runs_at_a_lower_priority_than_its_reader(tmp_path: Path) -> None:
    # On busy cores the reader's keys are given the CPU first (bench/README: keys during a
    # refresh); the priority is lowered before the job is read, so waiting for the read is
    # waiting for it.
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    if ours + NICENESS > 19:
        pytest.skip(f"this test runs at niceness {ours}: no lower priority to be seen")
    with _waiting_for_its_job() as waiting:
        assert os.getpriority(os.PRIO_PROCESS, waiting.pid) == ours + NICENESS


def _reads_its_stdin(pid: int) -> bool:
    """True once ``pid`` waits in a read of its stdin (a pipe: the kernel's pipe_read)."""
    with open(f"/proc/{pid}/syscall", encoding="ascii") as syscall:
        said = syscall.read().split()
    # read(2) is 0 on x86-64 and 63 on arm64; its first argument, the descriptor, 0.
    return len(said) > 1 and said[0] in {"0", "63"} and int(said[1], 16) == 0


def test_one_left_running_is_killed_when_its_reader_exits(tmp_path: Path) -> None:
    # A reader whose loop ends with its refresh still running (not stopped): the process
    # ignores SIGTERM and its stdin's end, as a long parse would for a while.
    child = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('{}', flush=True); time.sleep(60)"
    )
    stand_in = (
        "import asyncio, json, sys\n"
        "from reader.core.sync_process import SyncProcess\n"
        "kept = []\n"
        "async def main():\n"
        "    program = (sys.executable, '-c', sys.argv[2])\n"
        "    p = await SyncProcess.start(json.loads(sys.argv[1]), program=program)\n"
        "    kept.append(p)\n"
        "    await p._process.stdout.readline()\n"
        "    print(p.pid, flush=True)\n"
        "asyncio.run(main())\n"
    )
    import json

    request = _request(tmp_path / "data")
    reader = subprocess.run(
        [sys.executable, "-c", stand_in, json.dumps(request), child],
        capture_output=True,
        text=True,
        timeout=30,
    )
    pid = int(reader.stdout)
    try:
        ends = time.monotonic() + STOPPED_WITHIN
        while _alive(pid):
            assert time.monotonic() < ends, "the refresh outlived its reader"
            time.sleep(0.02)
    finally:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


async def test_its_warnings_reach_the_readers_log_which_it_never_rotates(
    tmp_path: Path,
) -> None:
    # The reader's log just past the size it rotates at: the reader alone rotates it (two
    # processes rotating one file race), the process appends its warning to it.
    log = tmp_path / "reader.log"
    kept = "an older line of the reader's log\n" * (1024 * 1024 // 34 + 1)
    log.write_text(kept, encoding="utf-8")
    dead = f"http://127.0.0.1:{_dead_port()}/feed"
    request = _request(tmp_path / "data", Source.feed(dead))
    request["log"] = str(log)
    process = await SyncProcess.start(request)
    (report,) = await process.reports()
    assert not report.ok
    written = log.read_text(encoding="utf-8")
    assert written.startswith(kept)
    warned = written[len(kept) :]
    assert f" {process.pid} WARNING reader.sync: sync of {dead}: " in warned, warned
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "reader.log"]


def test_an_ended_process_leaves_nothing_to_close_after_its_loop(
    sample_site: str, hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    """Processes that ended (by their report, and stopped) are kept past their loop's end, as
    the app's tests keep them, then collected: nothing is raised where nobody catches it. Their
    stdin, left open, made asyncio's transport close it when collected, after the loop had
    closed ("Event loop is closed"), and pytest then failed at its summary."""
    kept: list[SyncProcess] = []

    async def run() -> None:
        synced = await SyncProcess.start(_request(tmp_path / "a", Source.site(sample_site)))
        await synced.reports()
        server = hostile_server_instance
        before = server.hits("/stall")
        stalled = await SyncProcess.start(
            _request(tmp_path / "b", Source.feed(server.url("/stall")))
        )
        waiting = asyncio.ensure_future(stalled.reports())
        await _asked(server, "/stall", before)
        waiting.cancel()  # x, or q: the reports are waited for no more, and it is stopped
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        assert stalled.returncode is not None
        kept.extend((synced, stalled))

    # Closed as soon as the last stop returns, as a test's loop is (asyncio.run would turn
    # it a few more times first, which hid this).
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(run())
    finally:
        loop.close()
    unraised: list[Any] = []
    hook = sys.unraisablehook
    sys.unraisablehook = unraised.append
    try:
        kept.clear()
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert [str(u.exc_value) for u in unraised] == []


def test_a_report_crosses_whole() -> None:
    """Every field of a report, none at its default, comes back as it was written."""
    from dataclasses import asdict

    from reader.core.models import SyncReport
    from reader.core.sync_process import _report_of

    report = SyncReport(
        "http://127.0.0.1:1/",
        source="a site",
        new=3,
        updated=2,
        unchanged=True,
        pages_fetched=4,
        errors=["it failed"],
        offline=True,
        notes=["a note"],
    )
    assert _report_of(json.loads(json.dumps(asdict(report)))) == report


async def test_a_reader_package_in_the_working_folder_is_not_what_runs(
    sample_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -m` puts the working folder first on the path: a reader started in a checkout of
    # another version (or a folder holding a reader.py) ran that code for its refresh.
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "reader").mkdir(parents=True)
    (elsewhere / "reader" / "__init__.py").write_text("raise SystemExit('not this reader')\n")
    request = _request(tmp_path / "data", Source.site(sample_site))
    monkeypatch.chdir(elsewhere)
    (report,) = await (await SyncProcess.start(request)).reports()
    assert report.ok and report.new > 0, report.errors
