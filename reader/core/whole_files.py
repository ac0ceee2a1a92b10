"""Files the reader writes for the user (exports) that are either the old or the new one whole.

``Path.write_text`` empties the file first: a disk that fills midway left a cut-off export that
will not import, where the user's previous one had been. The text goes to a temporary file
beside it, flushed to the disk, then renamed over it in one step.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

_FALLBACK_UMASK = 0o022


def write_whole(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target``: its old content stays whole if the write fails.

    A file that is there keeps its permissions; a new one gets what the user's umask gives.
    Where ``target`` is not a regular file (``/dev/stdout``, a named pipe) it is written to as
    it is, since nothing can be renamed over it. Raises :class:`OSError`.
    """
    path = Path(os.path.realpath(target))  # through a symbolic link, as a write would go
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file readable by its owner alone; the export keeps the old file's
        # bits, or a new file's usual ones.
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask, read without setting it (os.umask would, racing other threads)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return _FALLBACK_UMASK
