"""What the first screen does not need is not imported to draw it."""

from __future__ import annotations

import subprocess
import sys


def test_the_pickers_load_when_first_asked_for() -> None:
    # The links, topics and bookmarks pickers (and the widgets they build on) cost start-up
    # time; the reader's app module, which draws the first screen, must not load them.
    code = "import sys, reader.cli, reader.ui.app; print('reader.ui.pickers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
