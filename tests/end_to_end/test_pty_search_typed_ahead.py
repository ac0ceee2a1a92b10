"""Keys typed right after ``/``, before the search box is open, belong to the search (issue 16).

``/kidney`` and enter in one write, as a quick typist or a paste over a slow link sends them:
the reader reads them all before it has opened the search. Bound the usual way, ``/`` opened
the box only once it had passed through the list and back up, and the letters read meanwhile
were taken as commands (k up, i pictures, n newer, y copy) while the box stayed empty.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(180)


def _demo(folder: Path) -> PtyApp:
    app = PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(folder)], cols=100, rows=30
    ).start()
    app.wait_for("updated just now", timeout=60)
    return app


def test_words_typed_with_the_slash_land_in_the_search_box(tmp_path: Path) -> None:
    with _demo(tmp_path) as app:
        app.send("/kidney")
        # Every letter reaches the box, in order, and the list finds the posts (the sidebar
        # cuts this title short; the search's list shows it whole).
        app.wait_until(
            lambda text: "▊  kidney " in text and "memory” of injury mapped" in text,
            timeout=30,
            what="kidney in the box and its hits",
        )


def test_enter_typed_with_the_search_opens_its_first_hit(tmp_path: Path) -> None:
    with _demo(tmp_path) as app:
        app.send("/kidney\r")
        screen = app.wait_for("min read", timeout=30)
        title = screen.splitlines()[1].split("▕")[-1].strip()
        assert "kidney" in title.lower(), screen
        assert "Words to find" not in screen


def test_a_key_typed_after_the_search_s_enter_is_not_typed_into_the_box(tmp_path: Path) -> None:
    # "/kidney", enter and n in one write: the box's enter went to the screen as a message,
    # which the n overtook: typed into the box, it made "kidneyn", which matches nothing, and
    # the enter then found no hit to open.
    with _demo(tmp_path) as app:
        app.send("/kidney\rn")
        screen = app.wait_for("min read", timeout=30)
        assert "kidneyn" not in screen and "No matches" not in screen, screen
        assert "Words to find" not in screen, screen
