"""The status line says what is true now: a selected link goes once the list has the keys,
ctrl+t names the theme it chose, and x with no refresh running says so."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import status_message as _message
from tests.support.pilot_steps import until as _until


def _app(store: Store, url: str, **kw: object) -> ReaderApp:
    app = make_app(store, url, **kw)
    assert isinstance(app, ReaderApp)
    return app


async def _opened(pilot: Pilot[None]) -> MainScreen:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    screen = app.screen
    assert isinstance(screen, MainScreen)
    screen.open_post_id(app.store.posts_in()[0].id)
    await _until(pilot, lambda: screen.post is not None and screen.article.links)
    return screen


async def test_escape_from_a_selected_link_clears_it_from_the_status(
    store: Store, sample_site: str
) -> None:
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        screen = await _opened(pilot)
        screen.article.focus()
        await pilot.press("tab")
        assert _message(screen).startswith("[1] http")
        await pilot.press("escape")
        assert screen.focused is screen.sidebar
        assert _message(screen) == ""
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert _message(screen) == ""


async def test_another_message_is_not_cleared_by_leaving_the_article(
    store: Store, sample_site: str
) -> None:
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        screen = await _opened(pilot)
        screen.article.focus()
        await pilot.press("tab")
        await pilot.press("x")
        said = _message(screen)
        await pilot.press("escape")
        assert _message(screen) == said


async def test_ctrl_t_names_each_theme_it_picks(store: Store, sample_site: str) -> None:
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        screen = await _opened(pilot)
        await pilot.press("i")
        assert _message(screen).startswith("Pictures")
        for _ in range(5):
            await pilot.press("ctrl+t")
            await pilot.pause()
            assert _message(screen) == f"Theme: {app.theme}."


async def test_x_with_no_refresh_running_says_so(store: Store, sample_site: str) -> None:
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("x")
        assert "No refresh is running" in _message(screen)


async def test_an_empty_store_without_a_refresh_says_how_to_read_the_site(
    tmp_path: Path, sample_site: str
) -> None:
    # 'reader --no-refresh' on a new data folder: nothing is read, so "reading the site…"
    # would stand there for good.
    store = Store(tmp_path / "empty.db")
    try:
        async with _app(store, sample_site).run_test(size=(80, 24)) as pilot:
            screen = pilot.app.screen
            assert isinstance(screen, MainScreen)
            await _until(pilot, lambda: "store is empty" in _message(screen))
            assert _message(screen) == "The store is empty; ctrl+r reads the site."
    finally:
        store.close()
