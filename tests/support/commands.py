"""The reader's command line run as a process of its own, as a user or a script runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_reader(
    *args: str, data_dir: Path, timeout: float = 120, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m reader --data-dir DIR ARGS...``, its output read back as text.

    Nothing on stdin (a command that asked would end, not hang) and ``NO_COLOR``, so what is
    read back is the words alone; ``env`` goes over the test's own environment.
    """
    return subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )
