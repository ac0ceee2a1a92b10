"""Keys typed just after the escape that closes a box reach the screen below: ``esc q`` quits.

Escape and q come in one write, as they do from a quick typist on a busy machine: the reader
reads both before it has handled either. Escape closed the search only once the key had gone
through the search box and back up, and the q read meanwhile was typed into the box, so the
reader stayed open (the benchmarks' memory session failed so, issue 16).

The escape is sent as the kitty keyboard protocol spells it (``CSI 27 u``): a bare ESC with
a letter after it in the same read is alt+letter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(180)

_ESCAPE = "\x1b[27u"
#: A deadline for "did not stay open", not a speed measurement (bench/ measures speed).
_QUITS_WITHIN = 10.0


def _demo(folder: Path) -> PtyApp:
    app = PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(folder)], cols=100, rows=30
    ).start()
    app.wait_for("updated just now", timeout=60)
    return app


@pytest.mark.parametrize(
    ("opening", "shown"),
    [("/", "Words to find"), ("\x10", "Search for commands")],
    ids=["search", "command-palette"],
)
def test_q_typed_right_after_the_escape_that_closes_a_box_quits(
    tmp_path: Path, opening: str, shown: str
) -> None:
    with _demo(tmp_path) as app:
        app.send(opening)
        app.wait_for(shown, timeout=30)
        app.send(_ESCAPE + "q")
        assert app.wait_for_exit(timeout=_QUITS_WITHIN) == 0
