"""Switching themes while reading: the open article takes the new colours, and the choice stays."""

from __future__ import annotations

from rich.color import Color

from reader.core.config import THEME_STATE_KEY, load_state
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.themes import cycled_themes
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import workers_done


def _link_colours(screen: MainScreen) -> set[Color]:
    """The colours links are drawn in on screen now."""
    article = screen.article
    found = set()
    for y in range(article.size.height):
        for segment in article.render_line(y):
            style = segment.style
            if style is not None and style.meta.get("link") and style.color is not None:
                found.add(style.color)
    return found


def _post_with_links(store: Store) -> int:
    for summary in store.posts_in():
        post = store.post(summary.id)
        if post is not None and post.content.count("<a ") >= 2:
            return post.id
    raise AssertionError("no stored post has links")


async def test_a_new_theme_recolours_the_open_article_and_is_remembered(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site, theme="institute-dark")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_post_id(_post_with_links(store))
        await workers_done(app)
        await pilot.pause()
        before = app.theme_variables["reader-link"]
        assert _link_colours(screen) == {Color.parse(before)}
        await pilot.press("ctrl+t")
        await pilot.pause()
        after = app.theme_variables["reader-link"]
        assert app.theme != "institute-dark" and after != before
        assert _link_colours(screen) == {Color.parse(after)}
        assert load_state().get(THEME_STATE_KEY) == app.theme
        # Chosen another way (the palette sets it the same way): remembered too.
        app.theme = "high-contrast"
        await pilot.pause()
        assert load_state().get(THEME_STATE_KEY) == "high-contrast"
        assert _link_colours(screen) == {Color.parse(app.theme_variables["reader-link"])}


async def test_ctrl_t_steps_through_the_short_list_and_the_palette_keeps_the_rest(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site, theme="institute-dark")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        for _ in range(4):
            await pilot.press("ctrl+t")
            seen.append(app.theme)
        assert seen == ["institute-light", "high-contrast", "ansi", "institute-dark"]
        # One of Textual's, chosen from the palette: ctrl+t goes back to the list's start.
        assert "nord" in app.available_themes
        app.theme = "nord"
        await pilot.press("ctrl+t")
        assert app.theme == "institute-dark"


def test_the_short_list_holds_the_bundled_themes_then_the_users_own() -> None:
    loaded = ["ansi", "high-contrast", "zebra", "institute-dark", "institute-light", "mine"]
    assert cycled_themes(loaded) == (
        "institute-dark",
        "institute-light",
        "high-contrast",
        "ansi",
        "mine",
        "zebra",
    )
