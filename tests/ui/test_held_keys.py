"""The keys read after a picker's enter wait for its pick (see reader.ui.enter_picks), on the
reader's own screen: ctrl+q and q never wait, and a pick done late lets go only its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text

from reader.core.store import Store
from reader.ui import app as app_module
from reader.ui.app import ReaderApp
from reader.ui.enter_picks import EnterDone, EnterPicks
from reader.ui.pickers import Choice, Picker
from tests.support.app_fixtures import SECTIONS, UNREACHED_SITE, numbered_store
from tests.support.pilot_steps import main_screen, until

SITE = UNREACHED_SITE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = numbered_store(tmp_path / "data", 20)
    yield store
    store.close()


def _picker() -> Picker[int]:
    return Picker("Pick", [Choice(Text("one"), 1)])


@pytest.fixture
def late(monkeypatch: pytest.MonkeyPatch) -> list[EnterDone]:
    """Each picker's EnterDone, kept back: the test posts it when it likes."""
    kept: list[EnterDone] = []
    real = EnterPicks.enter_done

    def keep(self: EnterPicks) -> EnterDone:
        kept.append(real(self))
        return EnterDone(None)

    monkeypatch.setattr(EnterPicks, "enter_done", keep)
    return kept


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_quit_is_never_held_after_a_picker_s_enter(
    store: Store, monkeypatch: pytest.MonkeyPatch, late: list[EnterDone], quit_key: str
) -> None:
    # The keys after a picker's enter waited for its pick, ctrl+q with them: a pick that was
    # slow to say so kept the reader from quitting for a second.
    monkeypatch.setattr(app_module, "ENTER_WAIT_AT_MOST", 3600.0)
    app = ReaderApp(store, SITE, section_names=SECTIONS, refresh_on_start=False)
    quits: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setattr(app, "exit", lambda *args, **kwargs: quits.append(1))
        sidebar = main_screen(app).sidebar
        sidebar.focus()
        line = sidebar.cursor_line
        await app.push_screen(_picker())
        await pilot.press("enter", "j")
        await until(pilot, lambda: isinstance(app.screen, type(main_screen(app))))
        assert sidebar.cursor_line == line  # j waits for the pick
        await pilot.press(quit_key)
        assert quits == [1]
        # The keys held before it went first.
        assert sidebar.cursor_line == line + 1


async def test_a_late_pick_lets_go_only_the_keys_of_its_own_enter(
    store: Store, monkeypatch: pytest.MonkeyPatch, late: list[EnterDone]
) -> None:
    # An EnterDone arriving after its keys had gone (at the hold's time limit) let go the keys
    # held after a later picker's enter, before that pick was done.
    app = ReaderApp(store, SITE, section_names=SECTIONS, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        sidebar = main_screen(app).sidebar
        sidebar.focus()
        line = sidebar.cursor_line
        monkeypatch.setattr(app_module, "ENTER_WAIT_AT_MOST", 0.05)
        await app.push_screen(_picker())
        await pilot.press("enter", "j")
        await until(pilot, lambda: sidebar.cursor_line == line + 1)  # at the time limit
        monkeypatch.setattr(app_module, "ENTER_WAIT_AT_MOST", 3600.0)
        await app.push_screen(_picker())
        await pilot.press("enter", "j")
        assert len(late) == 2
        app.post_message(late[0])
        await pilot.pause()
        await pilot.pause()
        assert sidebar.cursor_line == line + 1  # still held
        app.post_message(late[1])
        await until(pilot, lambda: sidebar.cursor_line == line + 2)
