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

# ROOT is resolved, the path's entries may not be (a symlinked venv or checkout): they are
# compared resolved, or the folder already there went on the path a second time. When it is
# added, it goes right after the standard library (the folder of ``os`` and its lib-dynload),
# never before it: a checkout's stray ``random.py`` must not stand in for the stdlib's, and an
# installed copy of the reader in site-packages must not stand in for this one.
_BOOT = """\
import os, runpy, sys
root = sys.argv.pop(1)
real = os.path.realpath
entries = [real(entry) for entry in sys.path]
if root not in entries:
    stdlib = real(os.path.dirname(os.__file__))
    stdlib = {stdlib, os.path.join(stdlib, 'lib-dynload')}
    after = [at + 1 for at, entry in enumerate(entries) if entry in stdlib]
    sys.path.insert(after[-1] if after else len(sys.path), root)
runpy.run_module(%r, run_name='__main__', alter_sys=True)
"""


def module_command(module: str) -> list[str]:
    """The argument list that runs ``module`` of this reader as ``python -m`` would."""
    return [sys.executable, "-P", "-c", _BOOT % module, ROOT]
