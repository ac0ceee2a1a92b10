"""What a worker that failed says: one line for the status bar, its traceback for the logs.

Every screen that runs workers handles ``Worker.StateChanged`` with these, so an unexpected
error never leaves a "refreshing…" or "searching…" on screen with nothing else said.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from textual.worker import Worker

from reader.core.debug_log import log
from reader.core.sync_process import SyncProcessFailed
from reader.core.text import clean_line


def failure_line(worker: Worker[Any]) -> str:
    """ "Refresh failed: RuntimeError: …", one clean line (the error may quote feed text)."""
    error = worker.error
    what = worker.description or worker.name or "Background work"
    if isinstance(error, SyncProcessFailed):
        # Said as it would have been had it been raised here, not as the process's ending.
        detail = f"{error.kind}: {error.detail}"
    elif error is not None:
        detail = f"{type(error).__name__}: {error}"
    else:
        detail = "it stopped"
    return clean_line(f"{what} failed: {detail}", decode=False)


def failure_traceback(worker: Worker[Any]) -> str:
    """The whole story of a failed worker, written to the reader's log (``reader.log``) too.

    The caller also hands it to Textual's log (``TEXTUAL_LOG``, or ``textual console``).
    """
    error = worker.error
    what = worker.description or worker.name or "Background work"
    if error is None:
        story = f"{what} failed"
    elif isinstance(error, SyncProcessFailed):
        # Where it went wrong is in the refresh's process: its traceback, not this one's.
        story = f"{what} failed, in its own process:\n{error.story}"
    else:
        story = f"{what} failed:\n" + "".join(traceback.format_exception(error)).rstrip()
    log.error("%s", story)
    return story


Result = TypeVar("Result")


def in_daemon_thread(job: Callable[[], Result], *, name: str) -> asyncio.Future[Result]:
    """Run ``job`` in a daemon thread of its own; a future of its result on this loop.

    Unlike ``asyncio.to_thread``, nothing waits for the thread when the reader quits: the
    loop's executor is joined at exit, and a sync stuck in a long parse would hold ``q`` for
    as long as the parse takes. A daemon thread is left to the process's end, which for the
    store is the same as a kill: SQLite's WAL keeps every transaction whole or absent.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Result] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():
            outcome()

    def run() -> None:
        try:
            result = job()
        except BaseException as error:  # handed to the awaiting task, raised there
            failed = error
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
                loop.call_soon_threadsafe(settle, lambda: future.set_exception(failed))
        else:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(settle, lambda: future.set_result(result))

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
