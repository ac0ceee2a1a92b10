"""A snapshot of every screen, in a dark and a light theme (pytest-textual-snapshot).

The store is synced from the sample site once, its URLs rewritten to a fixed address and its
pages fetched in advance, so the screens are the same on every run and no network is used.
Regenerate after a deliberate change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from reader.core.source import Source
from reader.core.store import Store
from tests.support.app_fixtures import STABLE_SITE, copy_store, make_app, stable_store

THEMES = ("institute-dark", "institute-light")


@pytest.fixture(scope="module")
def template(sample_site: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stable_store(sample_site, tmp_path_factory.mktemp("stable"))


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Store:
    store = copy_store(template, tmp_path / "snap")
    # "updated just now", whenever the test runs (the status line reads the source's own time).
    store.mark_synced(source=Source.site(STABLE_SITE))
    return store


def _app(store: Store, theme: str) -> Any:
    return make_app(store, STABLE_SITE, theme=theme, site_title="USC Stem Cell News (sample)")


def _opening(post_id: int, *, focus: bool = False) -> Any:
    """A ``run_before`` that opens a post (and focuses the article)."""

    async def open_post(pilot: Any) -> None:
        pilot.app.screen.open_post_id(post_id)
        if focus:
            pilot.app.screen.article.focus()
        await pilot.pause()

    return open_post


def _steady_cursor(opening: str, *typed: str) -> Any:
    """A ``run_before`` that presses ``opening``, then types into the input it focused.

    The input's cursor stops blinking first: a blinking cursor is drawn or not depending on how
    long the screenshot takes, which on a busy machine is longer than its half-second phase.
    """

    async def type_in(pilot: Any) -> None:
        await pilot.press(opening)
        await pilot.pause()
        focused = pilot.app.focused
        assert isinstance(focused, Input), focused
        focused.cursor_blink = False
        # Any key shows the cursor again, and without blinking it stays shown.
        await pilot.press(*(typed or ("end",)))

    return type_in


def _newest_with_links(store: Store) -> int:
    for summary in store.posts_in()[:6]:
        post = store.post(summary.id)
        if post and post.page_fetched and "<a " in post.content:
            return summary.id
    raise AssertionError("no fetched post with links")


@pytest.mark.parametrize("theme", THEMES)
def test_main_screen(snap_compare: Any, store: Store, theme: str) -> None:
    assert snap_compare(_app(store, theme), terminal_size=(120, 40))


@pytest.mark.parametrize("theme", THEMES)
def test_article_with_a_link_selected(snap_compare: Any, store: Store, theme: str) -> None:
    post_id = _newest_with_links(store)

    async def open_post(pilot: Any) -> None:
        pilot.app.screen.open_post_id(post_id)
        pilot.app.screen.article.focus()
        await pilot.pause()

    assert snap_compare(
        _app(store, theme), terminal_size=(120, 40), run_before=open_post, press=["tab", "tab"]
    )


@pytest.mark.parametrize("theme", THEMES)
def test_help_screen(snap_compare: Any, store: Store, theme: str) -> None:
    assert snap_compare(_app(store, theme), terminal_size=(120, 40), press=["question_mark"])


@pytest.mark.parametrize("theme", THEMES)
def test_link_list(snap_compare: Any, store: Store, theme: str) -> None:
    open_post = _opening(_newest_with_links(store))
    assert snap_compare(
        _app(store, theme), terminal_size=(120, 40), run_before=open_post, press=["L"]
    )


@pytest.mark.parametrize("theme", THEMES)
def test_bookmarks_screen(snap_compare: Any, store: Store, theme: str) -> None:
    for summary in store.posts_in()[:3]:
        post = store.post(summary.id)
        assert post is not None
        store.add_bookmark(post)
    db = sqlite3.connect(store.path)
    with db:
        db.execute("UPDATE bookmarks SET created = 1767225600")  # a fixed date
    db.close()
    assert snap_compare(_app(store, theme), terminal_size=(120, 40), run_before=_steady_cursor("B"))


@pytest.mark.parametrize("theme", THEMES)
def test_search_screen(snap_compare: Any, store: Store, theme: str) -> None:
    typing = _steady_cursor("slash", *"organoid")
    assert snap_compare(_app(store, theme), terminal_size=(120, 40), run_before=typing)


@pytest.mark.parametrize("theme", THEMES)
def test_topics_of_a_post(snap_compare: Any, store: Store, theme: str) -> None:
    open_post = _opening(_newest_with_links(store))
    assert snap_compare(
        _app(store, theme), terminal_size=(120, 40), run_before=open_post, press=["t"]
    )


@pytest.mark.parametrize("theme", THEMES)
def test_command_palette(snap_compare: Any, store: Store, theme: str) -> None:
    typing = _steady_cursor("ctrl+p", *"kidney")
    assert snap_compare(_app(store, theme), terminal_size=(120, 40), run_before=typing)


@pytest.mark.parametrize("theme", THEMES)
def test_small_terminal_article(snap_compare: Any, store: Store, theme: str) -> None:
    open_post = _opening(_newest_with_links(store))
    assert snap_compare(_app(store, theme), terminal_size=(80, 24), run_before=open_post)


@pytest.mark.parametrize("theme", THEMES)
def test_small_terminal_list(snap_compare: Any, store: Store, theme: str) -> None:
    # Below 100 columns the list has the whole width, so titles can be read.
    assert snap_compare(_app(store, theme), terminal_size=(80, 24), press=["j", "j"])


def test_tiny_terminal_article(snap_compare: Any, store: Store) -> None:
    open_post = _opening(_newest_with_links(store))
    assert snap_compare(_app(store, "institute-dark"), terminal_size=(60, 20), run_before=open_post)


def test_tiny_terminal_list(snap_compare: Any, store: Store) -> None:
    assert snap_compare(_app(store, "institute-dark"), terminal_size=(60, 20))


def test_unreachable_site_on_an_empty_store(snap_compare: Any, tmp_path: Path) -> None:
    store = Store.open_in(tmp_path / "empty")

    async def fail(pilot: Any) -> None:
        from reader.core.models import SyncReport

        report = SyncReport(
            "https://stemcell.example/feed/",
            offline=True,
            errors=["Could not reach https://stemcell.example/feed/: name not found (DNS)"],
        )
        pilot.app.screen.sync_finished(report)
        await pilot.pause()

    assert snap_compare(_app(store, "institute-dark"), terminal_size=(120, 40), run_before=fail)
