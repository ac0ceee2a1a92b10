"""The reader's refresh in a process of its own: the same :class:`~reader.core.runner.SyncRun`
as ``reader sync``, told what to read as JSON on its stdin, telling how far it is and what it
did as JSON lines on its stdout.

Why a process: run in a thread of the reader, a refresh of 20,000 posts held the interpreter's
lock 69-81% of the time (parsing, building rows, writing), and a key's handler got a quarter of
a core on a two-core machine. A process has a lock and a core of its own; the screen only reads
its lines, off nothing but the pipe.

What the reader writes (one line, and nothing more; stdin then stays open)::

    {"store": path, "sources": [{"url", "is_site", "name", "sections", "group"}, ...],
     "section_names": [...], "fetcher": {Fetcher's settings}, "backfill": true,
     "log": path or null, "detailed_log": false}

What the process writes, one JSON object a line: any number of ``{"progress": [done, total,
what]}``, then one of ``{"reports": [SyncReport fields, ...]}``, ``{"cancelled": true}`` or
``{"failed": {"kind", "detail", "story"}}`` (an unexpected error: its type, its message, its
traceback).

It stops as :meth:`SyncRun.cancel` does (every batch is its own transaction: what is stored
stays) on SIGTERM or SIGINT, and when its stdin ends: the reader that started it has gone
(killed, its SSH session dropped), and a refresh must never outlive its reader. On Linux the
kernel also sends it SIGTERM when the reader dies (``PR_SET_PDEATHSIG``). It runs ``nice``d
(:data:`NICENESS`), so keys come first when the cores are busy.

Proxies are read from the environment (``reader.core.proxies``), which the process inherits.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import signal
import sys
import threading
import traceback
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import IO, Any

from reader.core.models import SyncReport
from reader.core.own_python import module_command
from reader.core.source import Source

MODULE = "reader.core.sync_process"
"""What ``python -m`` runs."""
ORPHAN_GRACE = 1.0
"""Seconds a process whose reader has gone gets to stop at its next step, before it ends at
once (a parse of a big feed cannot be interrupted)."""
_LINE_LIMIT = 2**22
"""Bytes of one line read back at most (a report of many sources, each with its errors)."""
_STDERR_KEPT = 8192
"""Bytes of the process's stderr kept, to say why it ended when it ends unexpectedly."""
STOP_GRACE = 0.2
"""Seconds a process told to stop (SIGTERM) gets before SIGKILL, by default."""


class SyncProcessFailed(Exception):
    """The refresh's process met an unexpected error, or ended without saying how it ended.

    ``kind`` and ``detail`` say it as the error would have been said in this process
    ("RuntimeError", "the feed had..."); ``story`` is its traceback, for the log.
    """

    def __init__(self, kind: str, detail: str, story: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.story = story


def settings_that_cross(settings: Mapping[str, Any]) -> dict[str, Any] | None:
    """``settings`` (a Fetcher's) when they can be handed to another process; else None.

    A function (``check_address``) or any other object lives only here: a refresh given one
    must run in this process.
    """
    try:
        crossed = json.loads(json.dumps(dict(settings)))
    except (TypeError, ValueError):
        return None
    return crossed if crossed == dict(settings) else None


def request_of(
    store_path: Path,
    sources: Sequence[Source],
    *,
    section_names: Sequence[str],
    fetcher: Mapping[str, Any],
    backfill: bool = True,
    log: Path | None = None,
    detailed_log: bool = False,
) -> dict[str, Any]:
    """What the process is told to do (see the module's docstring)."""
    return {
        "store": str(store_path),
        "sources": [
            {
                "url": source.url,
                "is_site": source.is_site,
                "name": source.name,
                "sections": list(source.sections) if source.sections is not None else None,
                "group": source.group,
            }
            for source in sources
        ],
        "section_names": list(section_names),
        "fetcher": dict(fetcher),
        "backfill": backfill,
        "log": str(log) if log is not None else None,
        "detailed_log": detailed_log,
    }


def _sources_of(request: Mapping[str, Any]) -> list[Source]:
    return [
        Source(
            str(told["url"]),
            bool(told["is_site"]),
            str(told.get("name") or ""),
            tuple(told["sections"]) if told.get("sections") is not None else None,
            str(told.get("group") or ""),
        )
        for told in request["sources"]
    ]


def _report_of(fields: Mapping[str, Any]) -> SyncReport:
    """The report the process wrote with ``asdict``: read by the dataclass's own fields, so a
    field added to SyncReport crosses without a second list of them here."""
    return SyncReport(
        **{f.name: fields[f.name] for f in dataclass_fields(SyncReport) if f.name in fields}
    )


# -- the reader's side ---------------------------------------------------------------------


class SyncProcess:
    """A refresh running in a process of its own, as the reader sees it.

    Made by :meth:`start` (which raises ``OSError`` when no process can be made: the caller
    then syncs in a thread); :meth:`reports` waits for the end; :meth:`stop` ends it. A cancel
    of either (x, or the reader closing) stops it as :meth:`stop` does, with the grace given
    to :meth:`start`; one still running when the reader's interpreter exits is killed.
    """

    def __init__(self, process: asyncio.subprocess.Process, grace: float = STOP_GRACE) -> None:
        self._process = process
        self._grace = grace
        self._stderr = bytearray()
        self._stderr_read = asyncio.ensure_future(self._keep_stderr())
        _running.add(self)

    @property
    def pid(self) -> int:
        """The process's id."""
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        """Its exit status once it has ended (negative: the signal that ended it), else None."""
        return self._process.returncode

    @classmethod
    async def start(
        cls,
        request: Mapping[str, Any],
        *,
        grace: float = STOP_GRACE,
        program: Sequence[str] = (),
    ) -> SyncProcess:
        """Start the process and tell it ``request`` (see :func:`request_of`).

        ``grace``: what :meth:`stop` is given when a cancel ends the process. ``program``
        replaces this module as :mod:`reader.core.own_python` runs it (tests run its ``main``
        after changing the sync, to see how a failure in there is told).
        """
        process = await asyncio.create_subprocess_exec(
            *(program or module_command(MODULE)),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            # Never the terminal: the reader's screen is drawn there.
            stderr=asyncio.subprocess.PIPE,
            limit=_LINE_LIMIT,
        )
        started = cls(process, grace)
        assert process.stdin is not None
        try:
            # Stdin stays open: its end tells the process that the reader has gone.
            process.stdin.write(json.dumps(dict(request)).encode() + b"\n")
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                # It ended at once: reports() says how.
                await process.stdin.drain()
        except BaseException:
            # x or q before it had its job: nobody would ever read it, and its open stdin
            # would keep it waiting until the reader's loop closes.
            await started.stop(grace)
            raise
        return started

    async def _keep_stderr(self) -> None:
        stream = self._process.stderr
        assert stream is not None
        while chunk := await stream.read(4096):
            self._stderr += chunk
            del self._stderr[:-_STDERR_KEPT]

    async def reports(
        self, progress: Callable[[int, int | None, str], None] | None = None
    ) -> list[SyncReport]:
        """Wait for the sync to end; one report per source, in order.

        Raises :class:`~reader.core.runner.SyncCancelled` when it was stopped, and
        :class:`SyncProcessFailed` when it failed unexpectedly or ended without a word.
        """
        try:
            return await self._reports(progress)
        except asyncio.CancelledError:
            # x, or the reader closing: SIGTERM stops the sync at its next step; SIGKILL after
            # the grace, as a parse of a big feed or a stuck server must not keep q or x
            # waiting. Each batch is its own transaction.
            await self.stop(self._grace)
            raise

    async def _reports(
        self, progress: Callable[[int, int | None, str], None] | None
    ) -> list[SyncReport]:
        from reader.core.runner import SyncCancelled

        stdout = self._process.stdout
        assert stdout is not None
        ending: dict[str, Any] | None = None
        while line := await stdout.readline():
            try:
                said = json.loads(line)
            except ValueError:
                continue  # not the protocol's (a library printing): nothing to act on
            if not isinstance(said, dict):
                continue
            told = said.get("progress")
            if isinstance(told, list) and len(told) == 3:
                if progress is not None:
                    done, total, what = told
                    progress(int(done), None if total is None else int(total), str(what))
                continue
            ending = said
        code = await self._process.wait()
        with contextlib.suppress(Exception):
            await self._stderr_read
        self._ended()
        if ending is not None and isinstance(ending.get("reports"), list):
            return [_report_of(fields) for fields in ending["reports"]]
        if ending is not None and ending.get("cancelled"):
            raise SyncCancelled
        if ending is not None and isinstance(ending.get("failed"), dict):
            failed = ending["failed"]
            raise SyncProcessFailed(
                str(failed.get("kind", "Error")),
                str(failed.get("detail", "")),
                str(failed.get("story", "")),
            )
        how = f"signal {-code}" if code < 0 else f"exit status {code}"
        said_last = self._stderr.decode("utf-8", "replace").strip()
        raise SyncProcessFailed(
            "SyncProcessFailed",
            f"the refresh's process ended without a report ({how})",
            said_last or "(it wrote nothing to stderr)",
        )

    async def stop(self, grace: float) -> None:
        """End the process: SIGTERM (it stops as a cancel would; before it has read its job,
        the signal's own action ends it), then after ``grace`` seconds SIGKILL. Every batch it
        wrote is its own transaction: nothing stored is lost."""
        process = self._process
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        try:
            await asyncio.wait_for(process.wait(), grace)
        except TimeoutError:
            pass
        finally:
            # Cancelled while waiting (the reader closing) or out of time: at once.
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
        if process.returncode is None:
            await process.wait()
        self._ended()
        self._stderr_read.cancel()

    def _ended(self) -> None:
        """The process has ended: its pipes are closed now, on this loop. asyncio closes them
        only once it has seen both output pipes end, which a loop closed just after a stop may
        never get to (a test's); then the transport closed them when collected, after the loop
        had closed ("Event loop is closed", raised where nobody catches it, and pytest then
        failed at its summary)."""
        _running.discard(self)
        # asyncio.subprocess.Process keeps its transport private; closing it is the one way to
        # close every pipe at once (the process has ended: nothing is killed).
        transport = getattr(self._process, "_transport", None)
        if transport is not None:
            transport.close()


_running: weakref.WeakSet[SyncProcess] = weakref.WeakSet()
"""The processes started and not yet seen to end (weakly: one the reader has let go of is
closed, and so killed, by asyncio's own transport when collected)."""


@atexit.register
def _kill_the_left() -> None:
    """The reader is leaving with a refresh still running (its loop closed before the refresh
    was stopped): a refresh must never outlive its reader."""
    for left in list(_running):
        if left.returncode is None:  # not reaped yet: the pid is still the process's
            with contextlib.suppress(OSError):
                os.kill(left.pid, signal.SIGKILL)
    _running.clear()


# -- the process's side --------------------------------------------------------------------


def _die_with_parent() -> None:
    """On Linux, have the kernel send SIGTERM when the reader's process ends."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):  # no libc to be found: stdin's end still tells
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)


NICENESS = 10
"""How much lower than its reader's the refresh's CPU priority is: on a machine whose cores are
all busy (two shared cores, a server hosting several sessions), a key's handler in the reader
is given the CPU before the refresh's parsing and writing, which only waits longer. With
cores to spare the two never meet and the refresh is as quick."""


def _yield_the_cpu() -> None:
    """Run at a lower priority than the reader (``nice``); where it cannot, as it is."""
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice (Windows)
        os.nice(NICENESS)


def _first_line(fd: int) -> bytes:
    line = bytearray()
    while not line.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            break
        line += chunk
    return bytes(line)


class _Teller:
    """Writes the process's lines to stdout, from any thread."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._lock = threading.Lock()

    def say(self, said: Mapping[str, Any]) -> None:
        line = json.dumps(dict(said)).encode() + b"\n"
        with self._lock:
            try:
                self._out.write(line)
                self._out.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass  # the reader has gone: stdin's end stops the sync


def main() -> int:
    """Run one refresh as the request on stdin says; its exit status."""
    _die_with_parent()
    _yield_the_cpu()
    from reader.core.runner import SyncCancelled, SyncRun

    run: list[SyncRun] = []
    stopping = threading.Event()
    finished = threading.Event()

    def stop() -> None:
        stopping.set()
        for running in run:
            running.cancel()

    def stop_on_signal(*_: object) -> None:
        # Not cancel() here: a handler runs in the main thread between two of its steps, and
        # one of them may hold the lock cancel() takes.
        threading.Thread(target=stop, name="reader-stop", daemon=True).start()

    stdin_fd = sys.stdin.fileno()
    try:
        # One line, read unbuffered: nothing of what follows may sit in a buffer.
        request = json.loads(_first_line(stdin_fd))
        sources = _sources_of(request)
    except (ValueError, KeyError, TypeError) as error:
        print(f"reader: not a sync request: {error}", file=sys.stderr)
        return 2
    # Only now: stopped before it has its job (x or q at once), it has nothing to keep, and
    # the signal's own action ends it where a handler would leave it reading its stdin.
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGINT, stop_on_signal)

    def watch_stdin() -> None:
        # The reader never writes again: the read returns when it closes its end, or dies.
        # The file descriptor, not sys.stdin: a daemon thread waiting in a buffered reader's
        # lock makes the interpreter abort at exit.
        with contextlib.suppress(OSError):
            while os.read(stdin_fd, 4096):
                pass
        stop()
        if not finished.wait(ORPHAN_GRACE):
            os._exit(1)

    threading.Thread(target=watch_stdin, name="reader-stdin", daemon=True).start()
    if request.get("log"):
        from reader.core.debug_log import log_into

        # Appending, never rotating: the reader rotates the file it shares with this process.
        log_into(Path(request["log"]), detailed=bool(request.get("detailed_log")), rotate=False)
    else:
        import logging

        # The reader keeps no log (tests): its warnings are not for stderr, which is kept to
        # say why the process died, if it does.
        logging.getLogger("reader").addHandler(logging.NullHandler())
    teller = _Teller(sys.stdout.buffer)
    fetcher_settings = dict(request.get("fetcher") or {})

    def make_fetcher() -> Any:
        from reader.core.fetch import Fetcher

        return Fetcher(**fetcher_settings)

    sync = SyncRun(
        Path(request["store"]),
        sources,
        section_names=[str(name) for name in request.get("section_names", [])],
        make_fetcher=make_fetcher,
        progress=lambda done, total, what: teller.say({"progress": [done, total, what]}),
        backfill=bool(request.get("backfill", True)),
    )
    run.append(sync)
    if stopping.is_set():  # stopped while it was being made
        sync.cancel()
    try:
        reports = sync.run_all()
    except SyncCancelled:
        teller.say({"cancelled": True})
        return 0
    except (Exception, asyncio.CancelledError) as error:
        teller.say(
            {
                "failed": {
                    "kind": type(error).__name__,
                    "detail": str(error),
                    "story": "".join(traceback.format_exception(error)).rstrip(),
                }
            }
        )
        return 1
    finally:
        finished.set()
    teller.say({"reports": [asdict(report) for report in reports]})
    return 0


def _end(code: int) -> None:
    """Leave now: the store and the network client are closed, the lines written. The
    interpreter's own teardown of what the sync imported would add a tenth of a second to
    every x and q."""
    import logging

    logging.shutdown()
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _end(main())
