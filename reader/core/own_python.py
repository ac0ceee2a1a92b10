"""How the reader starts a Python process of its own code: ``python -P`` and a short boot.

``python -m reader...`` put the working folder first on the path, so a reader started in
another checkout of the project (or beside a ``reader.py``) ran that code in its child
processes: its refresh, each browser tab of ``reader serve web``. ``-P`` leaves the working
folder out; the folder this reader is imported from is put on the path when nothing else has
it there (a checkout run in place), and the module runs as ``-m`` would run it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
"""The folder this reader is imported from (site-packages, or a checkout)."""


def module_command(module: str) -> list[str]:
    """The argument list that runs ``module`` of this reader as ``python -m`` would."""
    boot = (
        "import runpy, sys; root = sys.argv.pop(1); "
        "root in sys.path or sys.path.insert(0, root); "
        f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)"
    )
    return [sys.executable, "-P", "-c", boot, ROOT]
