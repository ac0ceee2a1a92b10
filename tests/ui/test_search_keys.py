"""Search from the keyboard (store and whole site), and keys remapped through the keymap."""

from __future__ import annotations

import re

import pytest

from reader.core.navigation import PostAt
from reader.core.store import Store
from reader.ui import keys
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.search_screen import SearchScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import workers_done
from tests.support.sites import ReadSite


async def test_search_opens_a_stored_post(read_site: ReadSite, site_store: Store) -> None:
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"zebrafish")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.post is not None
        assert "zebrafish" in (screen.post.title + screen.post.content).lower()


async def test_wide_search_finds_and_fetches_an_unstored_post(
    read_site: ReadSite, site_store: Store
) -> None:
    url, store = read_site.url, site_store
    target = store.posts_in()[-1]
    store.remove_post(target.id)  # the site has it; the store does not
    app = make_app(store, url)
    assert isinstance(app, ReaderApp)
    word = target.title.split()[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *target.title[:40])
        await pilot.pause()
        await pilot.press("ctrl+o")
        await workers_done(app)
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        values = [c.value for c in search._choices]
        assert PostAt(target.url) in values, (word, values)
        index = values.index(PostAt(target.url))
        search._pick(index)
        await pilot.pause()
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.post is not None
        assert screen.post.title == target.title
        assert store.find_post(target.url) is not None


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", 'organ "oid', "AND", "-x", "'"])
def test_fts_syntax_is_searched_literally(store: Store, query: str) -> None:
    store.search(query)  # never raises
    assert store.search("organoids")  # and real words still match


async def test_remapped_key_works_and_shows_in_help(sample_site: str, store: Store) -> None:
    app = make_app(store, sample_site, keymap={"nav.newer": "N"})
    assert isinstance(app, ReaderApp)
    oldest = store.posts_in()[-1]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_post_id(oldest.id)
        await workers_done(app)
        await pilot.pause()
        await pilot.press("n")  # no longer bound
        await pilot.pause()
        assert screen.post is not None and screen.post.id == oldest.id
        await pilot.press("N")
        await workers_done(app)
        await pilot.pause()
        assert screen.post.id != oldest.id
        await pilot.press("question_mark")
        await pilot.pause()
        from reader.ui.help_screen import HelpScreen, collect_bindings

        assert isinstance(app.screen, HelpScreen)
        groups = collect_bindings(keys.MAIN_SCREEN, app.keymap)
        assert ("N", "Newer", "nav.newer") in groups["nav"]
        # The help screen shows the key as remapped, on the line of its binding id.
        shown = app.export_screenshot()
        assert re.search(r">N\s*<.*?>Newer\s*<.*?>nav\.newer\s*<", shown.replace("&#160;", " "))


def _options_text(search: SearchScreen) -> str:
    from textual.widgets import OptionList

    options = search.query_one(OptionList)
    return "\n".join(str(getattr(o.prompt, "plain", o.prompt)) for o in options.options)


async def test_the_search_box_says_no_matches_only_once_something_is_typed(
    sample_site: str, store: Store
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert "No matches" not in _options_text(search)
        await pilot.press(*"qqxqzzy")
        await pilot.pause()
        assert "No matches in the store." in _options_text(search)
        # At 60 columns the hint wraps between its parts rather than losing its end.
        from textual._compositor import LayoutUpdate

        update = app.screen._compositor.render_update(full=True)
        assert isinstance(update, LayoutUpdate)
        shown = "\n".join("".join(s.text for s in strip) for strip in update.strips)
        assert "ctrl+o searches the whole site" in shown
        assert "esc closes" in shown, shown


async def test_the_palette_names_each_command_by_its_key_as_remapped(
    sample_site: str, store: Store
) -> None:
    app = make_app(store, sample_site, keymap={"app.refresh": "f5", "read.mark_all": "ctrl+a,A"})
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        hints = {command.name: command.hint for command in screen.palette_commands()}
        assert hints["Refresh: fetch new posts"] == "f5"
        assert hints["Mark all read in this list"] == "A"  # the shortest spelling
        assert hints["Search stored posts"] == "/"  # not remapped
        await pilot.press("ctrl+p")
        await pilot.pause()
        shown = app.export_screenshot().replace("&#160;", " ")
        assert re.search(r"Refresh: fetch new posts.*?>f5\s*<", shown, re.DOTALL)
        assert "ctrl+r" not in shown
