"""The command palette: the main screen's commands, places, posts and the themes, all runnable."""

from __future__ import annotations

from textual.command import CommandInput, CommandPalette

from reader.core.config import THEME_STATE_KEY, load_state
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.help_screen import HelpScreen
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import workers_done


async def _run(app: ReaderApp, pilot: object, typed: str) -> None:
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, CommandPalette)
    # Typed at once: a key at a time searches again after each one, which takes seconds.
    app.screen.query_one(CommandInput).value = typed
    await pilot.pause()  # type: ignore[attr-defined]
    await workers_done(app)
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await workers_done(app)
    await pilot.pause()  # type: ignore[attr-defined]


async def test_the_palette_runs_help_themes_places_and_posts(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _run(app, pilot, "Help: every key")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await _run(app, pilot, "Theme: high-contrast")
        assert app.theme == "high-contrast"
        assert load_state().get(THEME_STATE_KEY) == "high-contrast"
        await _run(app, pilot, "Go to topic: Kidney")
        assert app.screen is screen and screen.sidebar.current_group == "kidney"
        target = store.posts_in()[5]
        await _run(app, pilot, target.title[:30])
        assert screen.post is not None and screen.post.id == target.id


def _listed(app: ReaderApp) -> str:
    from textual.command import CommandList

    lists = list(app.screen.query(CommandList))
    assert lists, "the palette is not open"
    return "\n".join(str(getattr(o.prompt, "plain", o.prompt)) for o in lists[0].options)


async def _typed(app: ReaderApp, pilot: object, typed: str) -> str:
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    app.screen.query_one(CommandInput).value = typed
    await pilot.pause()  # type: ignore[attr-defined]
    await workers_done(app)
    await pilot.pause()  # type: ignore[attr-defined]
    return _listed(app)


async def test_the_palette_lists_the_readers_commands_not_textuals(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = await _typed(app, pilot, "")
        assert "Help: every key" in shown and "Quit" in shown
        for textuals in ("Keys", "Maximize", "Minimize", "Screenshot"):
            assert textuals not in await _typed(app, pilot, textuals)
        themes = await _typed(app, pilot, "Theme")
        assert "Theme: high-contrast" in themes
        assert "Change the current theme" not in themes
        # ctrl+t only steps to the next theme: no row claims it as its key.
        assert "ctrl+t" not in themes


async def test_a_topic_gone_to_shows_its_heading_and_its_posts(
    store: Store, sample_site: str
) -> None:
    # A trial's "Go to topic" left the topic's heading on the sidebar's last line, one of its
    # five posts in view.
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        sidebar = screen.sidebar
        for name, slug in (("Skin and Hair", "skin-and-hair"), ("Aging", "aging")):
            await _run(app, pilot, f"Go to topic: {name}")
            await pilot.pause()
            assert sidebar.current_group == slug
            posts = len(store.posts_in(slug))
            top, height = sidebar.scroll_offset.y, sidebar.scrollable_content_region.height
            heading = sidebar.cursor_line - top
            assert heading >= 0 and heading + min(posts, height - 1) < height, (heading, posts)
