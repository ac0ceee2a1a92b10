"""The help screen scrolls with the keys of less and w3m, and its columns fit their content
(a narrow terminal cut the binding ids off while the key column was as wide as a title).
It is made once a run and kept (opening it was Textual composing and laying out two dozen
widgets and tables each time: bench/README.md, "Keys during a refresh")."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from textual._compositor import LayoutUpdate
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from reader.core.store import Store
from reader.ui.app import HELP_SCREEN, ReaderApp
from reader.ui.help_screen import HelpScreen, KeyList, collect_bindings, help_sections
from reader.ui.keys import SHOWN_IN_HELP
from tests.support.app_fixtures import make_app


def _app(store: Store, url: str) -> ReaderApp:
    app = make_app(store, url)
    assert isinstance(app, ReaderApp)
    return app


def _screen_lines(app: ReaderApp) -> list[str]:
    # Textual's compositor is the only place that holds the whole frame as text.
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate)
    return ["".join(segment.text for segment in strip) for strip in update.strips]


async def _help(pilot: Pilot[None]) -> VerticalScroll:
    await pilot.press("question_mark")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return screen.query_one(VerticalScroll)


async def test_space_g_and_G_scroll_the_help(store: Store, sample_site: str) -> None:
    async with _app(store, sample_site).run_test(size=(60, 20)) as pilot:
        view = await _help(pilot)
        assert view.max_scroll_y > view.size.height
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert view.scroll_y >= view.size.height - 2
        await pilot.press("b")
        await pilot.pause()
        assert view.scroll_y == 0


async def test_every_binding_id_shows_whole_at_60_columns(store: Store, sample_site: str) -> None:
    ids = {
        binding_id
        for rows in collect_bindings(SHOWN_IN_HELP, {}).values()
        for _, _, binding_id in rows
    }
    seen: set[str] = set()
    async with _app(store, sample_site).run_test(size=(60, 20)) as pilot:
        view = await _help(pilot)
        while True:
            lines = _screen_lines(pilot.app)
            text = "\n".join(lines)
            assert "…" not in text, text
            seen |= {binding_id for binding_id in ids if binding_id in text}
            if view.scroll_y >= view.max_scroll_y:
                break
            await pilot.press("pagedown")
            await pilot.pause()
        # The key column is as wide as the widest key ("backspace, h"), not as a title.
        quit_line = next(line for line in lines if "app.quit" in line)
        inside = quit_line.split("│")[1].strip()
        assert inside.startswith("q ")
        assert inside.index("Quit") <= len("backspace, h") + 2, quit_line
    assert seen == ids


async def test_the_help_is_made_once_and_opens_again_at_the_top(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site, keymap={"nav.newer": "N"})
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _help(pilot)
        first = pilot.app.screen
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpScreen)
        again = await _help(pilot)
        # The same screen and widgets, not composed again, scrolled back to the top.
        assert pilot.app.screen is first and again is view
        assert view.scroll_y == 0
        # What the terminal shows, not only the offset: the top, with the remapped key.
        text = "\n".join(_screen_lines(pilot.app))
        assert "Follow the site" in text and "Remap any key" not in text
        assert re.search(r"│ N +Newer +nav\.newer", text), text
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpScreen)


def test_the_lines_are_laid_out_once_per_width() -> None:
    keys = KeyList(help_sections(SHOWN_IN_HELP, {}))
    console = Console(width=200)
    made: list[int] = []
    lay_out = keys._lay_out

    def counted(console: Console, width: int) -> list[list[object]]:
        made.append(width)
        return lay_out(console, width)  # type: ignore[return-value]

    keys._lay_out = counted  # type: ignore[method-assign,assignment]
    for width in (96, 74, 96, 96, 74):
        keys.lines_at(console, width)
    assert made == [96, 74]


def test_a_narrow_help_puts_each_id_under_its_key() -> None:
    sections = help_sections(SHOWN_IN_HELP, {"app.quit": "ctrl+q"})
    ids = {binding_id for rows in sections.values() for _, _, binding_id in rows if binding_id}
    console = Console(width=200)
    for width in (36, 51, 96):
        lines = [
            "".join(text for text, _, _ in line)
            for line in KeyList(sections).lines_at(console, width)
        ]
        assert all(cell_len(line) <= width for line in lines), width
        # Every id whole, on a line of its own words (not cut at the edge).
        words = {word for line in lines for word in line.split()}
        assert ids <= words, (width, ids - words)
        assert any(line.startswith("ctrl+q ") and "Quit" in line for line in lines)


async def test_the_help_is_made_laid_out_and_drawn_before_the_first_question_mark(
    store: Store, sample_site: str
) -> None:
    # Its first opening composed it, laid it out twice (the main screen below it once more)
    # and made its lines on the key's path: the slowest key of a refresh.
    async with _app(store, sample_site).run_test(size=(80, 24)) as pilot:
        for _ in range(4):
            await pilot.pause()
        app = pilot.app
        assert isinstance(app, ReaderApp)
        help_screen = app.get_screen(HELP_SCREEN)
        assert isinstance(help_screen, HelpScreen) and help_screen not in app.screen_stack
        assert help_screen.is_running and help_screen.size == app.size
        assert help_screen.query_one(VerticalScroll).size
        text = help_screen._keys
        assert text._lines  # drawn once already
        made: list[int] = []
        lay_out = text._lay_out

        def counted(console: Console, width: int) -> list[list[object]]:
            made.append(width)
            return lay_out(console, width)  # type: ignore[return-value]

        text._lay_out = counted  # type: ignore[method-assign,assignment]
        await _help(pilot)
        await pilot.pause()
        assert pilot.app.screen is help_screen
        assert "Follow the site" in "\n".join(_screen_lines(pilot.app))
        assert made == []


async def test_the_help_says_how_to_scroll_and_close_it_with_the_users_keys(
    store: Store, sample_site: str
) -> None:
    # At 60x20 the help does not fit: its frame says how to scroll it and leave, in the keys
    # the user mapped (every picker has such a line; the help had none).
    app = make_app(store, sample_site, keymap={"help.close": "escape,x"})
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(60, 20)) as pilot:
        await _help(pilot)
        bottom = _screen_lines(app)[-2]
        assert "j/k, space: scroll" in bottom, bottom
        assert "escape/x: close" in bottom, bottom
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_help_hides_the_main_screen_in_the_ansi_theme(
    store: Store, sample_site: str
) -> None:
    # The ANSI theme's background is the terminal's own (ansi_default), which Textual counts
    # as see-through: the help showed the main screen around its box (title bar, status and
    # key bar, a stray letter beside its corner at 60x20) and drew it again every frame.
    app = make_app(store, sample_site, theme="ansi")
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(60, 20)) as pilot:
        main = _screen_lines(app)
        assert "USC Stem Cell" in main[0] and "Quit" in main[-1], main
        await _help(pilot)
        shown = _screen_lines(app)
        assert not shown[0].strip() and not shown[-1].strip(), shown
        assert all(not row[58:].strip() for row in shown), shown
