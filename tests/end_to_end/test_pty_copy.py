"""``y`` copies an address whole (OSC 52) and says so with the address cut in its middle."""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

from tests.support.pty_screen import PtyApp


def test_a_long_address_is_copied_whole_and_said_with_its_middle_cut(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)]
    with PtyApp(argv, cols=80, rows=24) as app:
        app.wait_for("updated just now", timeout=60)
        app.send("\r")
        app.wait_for("min read", timeout=30)
        app.send("y")
        screen = app.wait_for("Copied", timeout=15)
        copied = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", app.raw_output)
        assert len(copied) == 1, app.raw_output[-500:]
        address = base64.b64decode(copied[0]).decode()
        # The newest post's address, whole: longer than the status line has room for.
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/2026/09/22/kidney-cells-[a-z-]+/", address)
        assert len(address) > 80
        said = next(line for line in screen.splitlines() if "Copied" in line).strip()
        site = re.match(r"http://[^/]+/", address)
        assert site is not None
        head, cut, tail = said.partition("…")
        # The site, then "…", then the address's end (its slug), then the sync state.
        assert cut and head == f"Copied {site.group()}", said
        shown_end = tail.split("  ")[0]
        assert len(shown_end) > 15 and address.endswith(shown_end), said
