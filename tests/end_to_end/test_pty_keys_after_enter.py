"""Keys typed right after enter on a post of the list act on the post enter opens.

``j``, enter and ``n`` in one write, as a quick typist or a slow SSH link sends them: the
reader reads all three before the article is open. Enter on the list opened the post through
two messages (the tree's, then the sidebar's), which the ``n`` read behind it overtook on its
way to the screen's bindings: ``n`` was taken for the article shown before (or for none), and
the post enter chose was then opened over its answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(180)


def _title(screen: str) -> str:
    return screen.splitlines()[1].split("▕")[-1].strip()


def test_newer_typed_with_enter_moves_from_the_post_enter_opened(tmp_path: Path) -> None:
    app = PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)], cols=100, rows=30
    ).start()
    with app:
        app.wait_for("updated just now", timeout=60)
        # The list's second post is "Brain organoids ..."; the site's newer post after it is
        # the seminar series, whose own header names the organoids as its older post.
        app.send("j\rn")
        screen = app.wait_until(
            lambda text: _title(text) == "Fall seminar series: speakers announced"
            and "Older: Brain organoids" in text,
            timeout=30,
            what="the post newer than the one enter opened",
        )
        assert "Brain organoids with working blood vessels" not in _title(screen), screen


def test_newer_typed_with_a_search_s_enter_moves_from_the_hit_it_opened(tmp_path: Path) -> None:
    # "/kidney", enter and n in one write: the app handed the n to the search box while the
    # box's enter was closing it, and the box took it as typing; the hit opened, n never acted.
    app = PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)], cols=100, rows=30
    ).start()
    with app:
        app.wait_for("updated just now", timeout=60)
        # The first hit is the kidney-filter video; the site's newer post after it is the
        # autumn roundup, whose own header names the video as its older post.
        app.send("/kidney\rn")
        screen = app.wait_until(
            lambda text: _title(text) == "Grants & awards roundup — autumn 2025"
            and "Older: Video: A kidney filter" in text,
            timeout=30,
            what="the post newer than the search's first hit",
        )
        assert "Words to find" not in screen, screen


def test_newer_typed_with_a_list_picker_s_enter_still_acts(tmp_path: Path) -> None:
    # t lists the post's sections and topics (a picker without a filter box); enter on its
    # first line opens News in the sidebar, and the n read with it is newer from the article.
    app = PtyApp(
        [sys.executable, "-m", "reader", "--demo", "--data-dir", str(tmp_path)], cols=100, rows=30
    ).start()
    with app:
        app.wait_for("updated just now", timeout=60)
        app.send("\r")
        app.wait_until(
            lambda text: _title(text).startswith("Kidney cells’ “memory”"),
            timeout=30,
            what="the first post",
        )
        app.send("t\rn")
        app.wait_until(
            lambda text: _title(text).startswith("Fall 2026 Newsletter")
            and "Older: Kidney cells’ “memory”" in text,
            timeout=30,
            what="the post newer than the one open when t was pressed",
        )
