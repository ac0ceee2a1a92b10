"""Image files kept on disk under a size cap, the least recently used dropped first.

One file per image URL (named by a hash of it, so no URL ever becomes a path), holding the
bytes as the server sent them. Writes go to a temporary file renamed into place, so a kill
leaves either the old state or the new one; a read marks the file as used (its mtime), and
when the total passes the cap the files used longest ago are deleted until it is back under.
Two readers may share the folder: the worst they do is trim a little more than needed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from reader.core.refusals import Refusals

#: Default cap on the folder's size.
DEFAULT_CAP_BYTES = 200 * 2**20
# Trimming goes this far below the cap, so a full cache does not trim on every write.
_TRIM_TO = 0.9
_SUFFIX = ".img"
_GONE = "gone.json"
"""The index of pictures gone from their servers: when each answered 404 or 410."""


class ImageCache:
    """Image bytes by URL in ``folder``, at most ``cap_bytes`` in all."""

    def __init__(self, folder: Path, cap_bytes: int = DEFAULT_CAP_BYTES) -> None:
        self.folder = folder
        self.cap_bytes = max(0, cap_bytes)
        self._total: int | None = None
        """Bytes in the folder, counted on first need and kept up to date after."""

    def path_for(self, url: str) -> Path:
        """Where the image of ``url`` is (or would be) kept."""
        import hashlib  # here, not at the top: start-up makes a cache but asks for no picture

        digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return self.folder / f"{digest}{_SUFFIX}"

    def get(self, url: str) -> bytes | None:
        """The kept bytes of ``url``, or None; a hit counts as a use."""
        path = self.path_for(url)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return data

    def gone_until(self, url: str) -> float | None:
        """When ``url`` may be asked for again (Unix time), if it answered 404 or 410 within
        ``REFUSED_FOR_DAYS`` days; else None."""
        return self._gone().until(self.path_for(url).stem)

    def mark_gone(self, url: str) -> None:
        """Remember that ``url`` answered 404 or 410 now (a full or read-only disk: not)."""
        gone = self._gone()
        gone.note(self.path_for(url).stem)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(gone.to_text())
                os.replace(temporary, self.folder / _GONE)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return

    def _gone(self) -> Refusals:
        # Read each time: another reader sharing the folder may have learnt of one since.
        try:
            text = (self.folder / _GONE).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        return Refusals.from_text(text)

    def __contains__(self, url: str) -> bool:
        return self.path_for(url).is_file()

    def put(self, url: str, data: bytes) -> None:
        """Keep ``data`` for ``url``, then trim the oldest files if the cap is passed.

        A disk that is full or read-only only means the image is not kept.
        """
        if len(data) > self.cap_bytes:
            return
        path = self.path_for(url)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            old = path.stat().st_size if path.exists() else 0
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return
        if self._total is not None:
            self._total += len(data) - old
        if self.total() > self.cap_bytes:
            self.trim(int(self.cap_bytes * _TRIM_TO))

    def total(self) -> int:
        """Bytes kept in the folder."""
        if self._total is None:
            self._total = sum(size for _path, size, _used in self._entries())
        return self._total

    def trim(self, target: int) -> int:
        """Delete the files used longest ago until at most ``target`` bytes remain; say how many."""
        entries = sorted(self._entries(), key=lambda entry: entry[2])
        total = sum(size for _path, size, _used in entries)
        removed = 0
        for path, size, _used in entries:
            if total <= target:
                break
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                continue
            total -= size
            removed += 1
        self._total = total
        return removed

    def _entries(self) -> list[tuple[Path, int, float]]:
        """(path, size, last use) of every kept file; leftovers of a killed write are cleared."""
        entries: list[tuple[Path, int, float]] = []
        stale = time.time() - 3600
        try:
            listing = list(os.scandir(self.folder))
        except OSError:
            return entries
        for entry in listing:
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.name.endswith(".part"):
                if stat.st_mtime < stale:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                continue
            if entry.name.endswith(_SUFFIX) and entry.is_file(follow_symlinks=False):
                entries.append((Path(entry.path), stat.st_size, stat.st_mtime))
        return entries
