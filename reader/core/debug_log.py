"""The log for bug reports: every warning and traceback, in a rotating file in the data folder.

Always on for what goes wrong (warnings, errors, tracebacks of unexpected errors): the file is
made only when there is something to write. ``--debug`` adds what the reader does (each
request, each sync step) and ``READER_LOG=FILE`` does the same into FILE (a bare name lands in
the data folder). The file rotates at 1 MB and keeps three old ones, so it never grows
without bound. Nothing here may stop the reader: a log that cannot be written is no log.

A refresh's own process writes into the reader's file too, and never rotates it: two processes
rotating one file race (one renames it under the other, or both do, and old lines are lost). It
appends, and follows the file to its new self once the reader has rotated it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler, WatchedFileHandler
from pathlib import Path

from reader.core.text import clean_line

LOG_FILE = "reader.log"
LOG_VARIABLE = "READER_LOG"
_ROTATE_AT = 1024 * 1024
_KEEP = 3
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

log = logging.getLogger("reader")
"""The reader's logger; modules log under it as ``reader.<module>``."""

_where: list[Path] = []


class _QuietRotatingHandler(RotatingFileHandler):
    """A rotating file handler that stays silent when the disk refuses (full, read-only)."""

    def _open(self) -> io.TextIOWrapper:
        # The folder is made with the first record, so a run with nothing to log leaves none.
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        # logging would print "--- Logging error ---" and a traceback to stderr, on top of the
        # message that already said the disk is full.
        pass

    def close(self) -> None:
        # Closing flushes what the disk refused, outside logging's guard; the stream is let
        # go of, and its file closed, all the same.
        with contextlib.suppress(OSError):
            super().close()


class _QuietAppendingHandler(WatchedFileHandler):
    """Appends to the reader's file and never rotates it (a refresh's own process): when the
    reader has rotated it, the next line opens the file that now has its name. Silent when the
    disk refuses, as the reader's."""

    def _open(self) -> io.TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        # WatchedFileHandler checks for a rotated file, and opens the new one, outside
        # logging's guard: on a full disk the flush of the lines before, or the new file the
        # disk could not make, raised out of the caller's log.warning (a refresh failed with
        # "OSError: [Errno 28]" in place of the message that says the disk is full).
        try:
            self.reopenIfNeeded()
        except OSError:
            # What the disk refused goes with the stream (the check may have let it go
            # already); this line is tried on a new one.
            refused, self.stream = self.stream, None  # type: ignore[assignment]
            if refused is not None:
                with contextlib.suppress(OSError):
                    refused.close()  # closes the file even when its flush fails again
        try:
            # Not super().emit, which would check for the rotation a second time, unguarded.
            logging.FileHandler.emit(self, record)
        except OSError:
            self.handleError(record)  # no file could be opened: this line is lost, not raised

    def close(self) -> None:
        with contextlib.suppress(OSError):
            super().close()  # the stream is let go of, and its file closed, all the same


def log_file(data_dir: Path) -> Path:
    """Where the log goes: ``READER_LOG`` when set, else ``reader.log`` in ``data_dir``."""
    chosen = os.environ.get(LOG_VARIABLE, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        return path if path.is_absolute() or path.parent != Path(".") else data_dir / path
    return data_dir / LOG_FILE


def start_log(data_dir: Path, *, debug: bool = False) -> Path:
    """Send the reader's log to its file; returns the file's path (made on the first record)."""
    path = log_file(data_dir)
    detailed = debug or bool(os.environ.get(LOG_VARIABLE, "").strip())
    log_into(path, detailed=detailed)
    if detailed:
        log.info("reader started: %s", " ".join(sys.argv))
    return path


def log_into(path: Path, *, detailed: bool, rotate: bool = True) -> None:
    """Send the reader's log to ``path`` (every step when ``detailed``, else what goes wrong).

    :func:`start_log` chooses the file; a refresh run as a process of its own is told the
    reader's file, so its warnings and steps land where the reader's do, and it writes there
    with ``rotate=False``: the reader alone rotates the file.
    """
    warnings_log = logging.getLogger("py.warnings")
    for old in list(log.handlers):
        if isinstance(old, _QuietRotatingHandler | _QuietAppendingHandler):
            log.removeHandler(old)
            # Left on the warnings' logger, a closed file handler opens its file again for the
            # next warning: that went to the old file as well as the new one.
            warnings_log.removeHandler(old)
            old.close()
    handler: logging.FileHandler
    try:
        if rotate:
            handler = _QuietRotatingHandler(
                path, maxBytes=_ROTATE_AT, backupCount=_KEEP, encoding="utf-8", delay=True
            )
        else:
            handler = _QuietAppendingHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(logging.DEBUG if detailed else logging.WARNING)
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if detailed else logging.WARNING)
    # Python's own warnings (a deprecation in a library, a resource left open) go there too.
    logging.captureWarnings(True)
    warnings_log.addHandler(handler)
    _where[:] = [path]


def current_log() -> Path | None:
    """The file the log goes to, once :func:`start_log` has run."""
    return _where[0] if _where else None


def unexpected(error: BaseException, *, doing: str = "") -> str:
    """Log ``error`` with its traceback; return the line to show, which names the log file."""
    what = f" while {doing}" if doing else ""
    log.error(
        "unexpected error%s\n%s",
        what,
        "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip(),
    )
    summary = clean_line(str(error).splitlines()[0], decode=False) if str(error).strip() else ""
    name = type(error).__name__
    said = f"{name}: {summary}" if summary else name
    where = current_log()
    pointer = (
        f" The details are in {where}; please attach it to a bug report."
        if where is not None
        else ""
    )
    return f"Unexpected error{what} ({said}).{pointer}"
