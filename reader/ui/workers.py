"""What a worker that failed says: one line for the status bar, its traceback for the logs.

Every screen that runs workers handles ``Worker.StateChanged`` with these, so an unexpected
error never leaves a "refreshing…" or "searching…" on screen with nothing else said.
"""

from __future__ import annotations

import traceback
from typing import Any

from textual.worker import Worker

from reader.core.debug_log import log
from reader.core.text import clean_line


def failure_line(worker: Worker[Any]) -> str:
    """ "Refresh failed: RuntimeError: …", one clean line (the error may quote feed text)."""
    error = worker.error
    what = worker.description or worker.name or "Background work"
    detail = f"{type(error).__name__}: {error}" if error is not None else "it stopped"
    return clean_line(f"{what} failed: {detail}", decode=False)


def failure_traceback(worker: Worker[Any]) -> str:
    """The whole story of a failed worker, written to the reader's log (``reader.log``) too.

    The caller also hands it to Textual's log (``TEXTUAL_LOG``, or ``textual console``).
    """
    error = worker.error
    what = worker.description or worker.name or "Background work"
    if error is None:
        story = f"{what} failed"
    else:
        story = f"{what} failed:\n" + "".join(traceback.format_exception(error)).rstrip()
    log.error("%s", story)
    return story
