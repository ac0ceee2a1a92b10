"""The first frame at start is made once, outside Textual's start-up batch, and holds the whole
screen: none is made inside the batch (thrown away there), and none of what it drew is lost."""

from __future__ import annotations

from typing import Any

import pytest
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.geometry import Offset

from reader.core.store import Store
from reader.ui.app import HELP_SCREEN, ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, workers_done


async def test_the_first_frame_is_made_after_the_start_up_batch_and_holds_the_status_line(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    made: list[tuple[int, object]] = []
    """(the app's batch depth, the update) for each frame the main screen made."""
    render_update = Compositor.render_update

    def noted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        update = render_update(compositor, *args, **kwargs)
        if isinstance(app.screen, MainScreen) and compositor is app.screen._compositor:
            made.append((app._batch_count, update))
        return update

    monkeypatch.setattr(Compositor, "render_update", noted)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        status_row = main_screen(app).status.region.y
        assert made, "no frame was made"
        assert not [depth for depth, _ in made if depth], "a frame was made inside the batch"
        first = next(update for _, update in made if update is not None)
        if isinstance(first, ChopsUpdate):
            rows = {y for y, _start, _end in first.spans}
            assert status_row in rows, "the first frame left the status line out"
        else:
            assert isinstance(first, LayoutUpdate)


async def test_what_waits_for_the_first_frame_runs_after_it_is_made(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the main screen asks to run after a refresh at start (the help made ahead, the
    # welcome pane) waits for the first frame made: the refresh inside the start-up batch,
    # whose frame is held, drew nothing.
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    seen: list[tuple[bool, bool]] = []
    """(help made, welcome shown) when each of the main screen's frames outside the batch was
    made."""
    render_update = Compositor.render_update

    def noted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        screen = app.screen
        ours = isinstance(screen, MainScreen) and compositor is screen._compositor
        if ours and not app._batch_count:
            assert isinstance(screen, MainScreen)
            seen.append((app.is_screen_installed(HELP_SCREEN), not screen.article.empty))
        return render_update(compositor, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", noted)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.is_screen_installed(HELP_SCREEN)
        assert not main_screen(app).article.empty
    assert seen, "no frame was made"
    assert seen[0] == (False, False), "the help or the welcome was made before the first frame"


async def test_the_store_check_starts_after_the_first_frame(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quick check reads every page of the store in a thread (seconds at 100,000 posts):
    # started before the first frame, it shared the machine with it.
    import reader.core.store_file as store_file

    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    frames: list[int] = []
    checked_after: list[int] = []
    render_update = Compositor.render_update
    quick_check = store_file.quick_check

    def noted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        update = render_update(compositor, *args, **kwargs)
        screen = app.screen
        if isinstance(screen, MainScreen) and compositor is screen._compositor and update:
            frames.append(1)
        return update

    def check(path: Any) -> str | None:
        checked_after.append(len(frames))
        return quick_check(path)

    monkeypatch.setattr(Compositor, "render_update", noted)
    monkeypatch.setattr(store_file, "quick_check", check)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await workers_done(app)
    assert checked_after, "the store was never checked"
    assert checked_after[0] >= 1, "the store check started before the first frame"


async def test_a_frame_that_changes_nothing_sends_not_even_the_cursor(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command palette repaints itself every few seconds with nothing changed: the screen
    # writer made that an empty frame, and Textual still sent the cursor to where it was
    # (6 bytes each time on an idle screen).
    from textual.app import App

    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    written: list[object] = []
    monkeypatch.setattr(App, "_display", lambda self, screen, update: written.append(update))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app, "_will_write", lambda: True)
        compositor = app.screen._compositor
        full = compositor.render_update(full=True)
        app._display(app.screen, full)  # the writer's copy is now the whole screen
        written.clear()
        app._display(app.screen, compositor.render_update(full=True))
        assert written == []  # the same screen, the cursor where it was: nothing to send
        app.cursor_position = Offset(app.cursor_position.x + 1, app.cursor_position.y)
        app._display(app.screen, compositor.render_update(full=True))
        assert len(written) == 1  # the cursor moved: Textual sends the move
