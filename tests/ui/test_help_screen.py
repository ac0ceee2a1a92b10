"""The help screen scrolls with the keys of less and w3m, and its columns fit their content
(a narrow terminal cut the binding ids off while the key column was as wide as a title)."""

from __future__ import annotations

from textual._compositor import LayoutUpdate
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.help_screen import HelpScreen, collect_bindings
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
