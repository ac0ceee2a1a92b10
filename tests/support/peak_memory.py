"""A command's own peak memory, as the kernel counts it (``ru_maxrss``), for memory limits.

A child forked straight from pytest would not do: Linux carries the parent's peak into the
child's ``ru_maxrss`` across exec, so a test process grown past the limit would fail the check
however small the command stays. The command is forked from a small launcher instead, and
starts from the launcher's few megabytes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(command: list[str], peak_file: Path) -> list[str]:
    """``command`` run through the launcher, which writes its peak to ``peak_file`` at exit."""
    return [sys.executable, "-c", _LAUNCHER, str(peak_file), *command]


def peak_of(peak_file: Path) -> int:
    """The peak memory, in bytes, a measured command wrote on its exit."""
    return int(peak_file.read_text()) * 1024  # Linux counts ru_maxrss in KiB


def run_measured(
    command: list[str], peak_file: Path, *, cwd: Path, timeout: float = 120
) -> tuple[subprocess.CompletedProcess[bytes], int]:
    """Run ``command`` (its output captured); returns it and its peak memory in bytes."""
    finished = subprocess.run(
        measured(command, peak_file), capture_output=True, cwd=cwd, timeout=timeout
    )
    return finished, peak_of(peak_file)
