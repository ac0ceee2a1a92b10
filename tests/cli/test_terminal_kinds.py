"""The reader on terminals that cannot run a full-screen program says so in one line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.support.pty_screen import PtyApp


@pytest.mark.parametrize("term", ["dumb", "unknown"])
def test_a_dumb_terminal_gets_one_line_and_no_escape_codes(tmp_path: Path, term: str) -> None:
    argv = [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)]
    with PtyApp(argv, cols=80, rows=24, env={"TERM": term}) as app:
        app.wait_for("cannot show a full-screen program")
        deadline = time.monotonic() + 15
        while app.returncode is None and time.monotonic() < deadline:
            app.pump(0.1)
        assert app.returncode == 2
        text = app.raw_output.decode()
    assert f"TERM={term}" in text
    assert "\x1b" not in text
    assert len(text.strip().splitlines()) == 1
