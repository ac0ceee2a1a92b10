"""A real, small tmpfs for tests of a full disk, mounted for one test and always unmounted.

Mounting needs root (or CAP_SYS_ADMIN). Where it is impossible the test is skipped with the
reason, except in CI when ``READER_TESTS_NEED_MOUNTS=1`` is set (``.ci/run`` sets it): there a
skipped full-disk test would hide a regression, so it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NEED_MOUNTS = "READER_TESTS_NEED_MOUNTS"


def _cannot(reason: str) -> None:
    if os.environ.get("CI") == "true" and os.environ.get(NEED_MOUNTS) == "1":
        pytest.fail(f"{reason} (and {NEED_MOUNTS}=1 says this CI run must mount)")
    pytest.skip(reason)


@contextmanager
def small_tmpfs(size_kb: int, *, inodes: int | None = None) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` KB, mounted on a fresh folder, unmounted and removed at the end;
    with ``inodes``, one that holds at most that many files and folders (its own root one)."""
    mount = shutil.which("mount")
    if os.geteuid() != 0 or mount is None:
        _cannot("mounting a small tmpfs to fill needs root and mount(8)")
    where = Path(tempfile.mkdtemp(prefix="reader-full-disk-"))
    options = f"size={size_kb}k,mode=0755" + (f",nr_inodes={inodes}" if inodes else "")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        where.rmdir()
        _cannot(f"could not mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield where
    finally:
        # Lazily, so a process the test left behind cannot keep the mount alive.
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        shutil.rmtree(where, ignore_errors=True)


def fill(folder: Path) -> Path:
    """Fill the disk holding ``folder`` to the last byte; returns the filler, to delete later."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for size in (65536, 4096, 1):
            try:
                while os.write(fd, b"\0" * size) == size:
                    pass
            except OSError:
                pass  # no room for one more of this size: try a smaller one
    finally:
        os.close(fd)
    assert shutil.disk_usage(folder).free == 0
    return filler
