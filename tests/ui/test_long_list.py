"""A list longer than the first screen read and than the lines the sidebar keeps made, walked
on the reader's own screen: the rest of it comes in after the first frame, and every key reaches
its far end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.store import Store
from reader.ui import app as app_module
from reader.ui import main_screen as main_screen_module
from reader.ui.app import ReaderApp
from reader.ui.sidebar import Sidebar
from tests.support.app_fixtures import SECTIONS, UNREACHED_SITE, numbered_store
from tests.support.pilot_steps import main_screen, settle, status_message, until

SITE = UNREACHED_SITE
POSTS = 1_500


@pytest.fixture
def long_store(tmp_path: Path) -> Iterator[Store]:
    store = numbered_store(tmp_path / "data", POSTS)
    yield store
    store.close()


def _cursor_line(sidebar: Sidebar) -> str:
    return sidebar.render_line(sidebar.cursor_line - int(sidebar.scroll_y)).text.rstrip()


async def test_a_long_first_list_is_shown_at_once_and_walked_to_its_end(
    long_store: Store,
) -> None:
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        sidebar = screen.sidebar
        # The first screenful first, the whole list once the thread has read it.
        await until(pilot, lambda: len(sidebar.group_posts("news")) == POSTS)
        assert sidebar.current_post is not None and sidebar.current_post.title == "Post number 0"
        sidebar.focus()
        await pilot.press("end", "k")  # the last line is Bookmarks: the list's last post above
        assert _cursor_line(sidebar).endswith(f"● Post number {POSTS - 1}")
        # Up past the posts of the first screen read, and the lines kept made.
        for _ in range(40):
            await pilot.press("pageup")
        await pilot.press("home", "j")
        assert _cursor_line(sidebar).endswith("● Post number 0")
        # A post at the end of the first screen read: the next one in the list is past it.
        at = main_screen_module.FIRST_SCREEN_POSTS - 1
        sidebar.show_post("news", sidebar.group_posts("news")[at].id)
        await pilot.press("enter")
        await until(pilot, lambda: screen.post is not None)
        assert screen.post is not None and screen.post.title == f"Post number {at}"
        await pilot.press("]")
        await until(pilot, lambda: screen.post is not None and screen.post.title.endswith("200"))
        assert sidebar.current_post is not None and sidebar.current_post.title.endswith("200")
        await pilot.press("[", "[")
        await until(pilot, lambda: screen.post is not None and screen.post.title.endswith("198"))
        assert _cursor_line(sidebar).endswith(f"Post number {at - 1}")  # read now: no dot
        await settle(app, pilot)


async def test_the_whole_list_comes_even_after_a_change_made_while_it_was_read(
    long_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The thread's list may be older than a read mark made meanwhile: it is read again then,
    # in the thread (55,000 rows read on the loop would hold every key for half a second),
    # and on the loop only when the reader keeps changing things.
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    read_whole = main_screen_module.MainScreen._read_whole_list
    started: list[int] = []

    def noted(self: main_screen_module.MainScreen, *args: object) -> object:
        started.append(self._changes_made)
        self._changes_made += 1  # as a read mark made meanwhile would
        return read_whole(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(main_screen_module.MainScreen, "_read_whole_list", noted)
    async with app.run_test(size=(100, 30)) as pilot:
        sidebar = main_screen(app).sidebar
        await until(pilot, lambda: len(sidebar.group_posts("news")) == POSTS)
        assert started == [0, 1, 2]


async def test_the_cursor_below_the_first_list_stays_in_view_when_the_whole_list_comes(
    long_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A move to Bookmarks before the whole list came (`end` did, before it waited for the
    # list; shift+down from the list's heading still does) put the cursor 200-odd lines down;
    # the list then grew above it by 1,300 lines and the view stayed where it was, the
    # cursor's line out of sight and nothing highlighted.
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    read_whole = main_screen_module.MainScreen._read_whole_list
    held: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        main_screen_module.MainScreen, "_read_whole_list", lambda self, *args: held.append(args)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        sidebar = screen.sidebar
        await until(pilot, lambda: bool(held))
        sidebar.focus()
        await pilot.press("home", "shift+down")
        at_end = sidebar.cursor_node
        assert len(sidebar.group_posts("news")) == main_screen_module.FIRST_SCREEN_POSTS
        assert "Bookmarks" in _cursor_line(sidebar)
        read_whole(screen, *held[0])  # type: ignore[arg-type]
        await until(pilot, lambda: len(sidebar.group_posts("news")) == POSTS)
        await settle(app, pilot)
        assert sidebar.cursor_node is at_end
        top = int(sidebar.scroll_offset.y)
        assert top <= sidebar.cursor_line < top + sidebar.scrollable_content_region.height
        assert "Bookmarks" in _cursor_line(sidebar)


async def test_keys_to_the_end_of_the_first_list_pressed_before_it_is_whole_wait_for_it(
    long_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pressed while the list held its first screenful only, `end k` stopped at post 199,
    # `pagedown` from near it left the list, and `]` from it said "End of the list."
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    read_whole = main_screen_module.MainScreen._read_whole_list
    held: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        main_screen_module.MainScreen, "_read_whole_list", lambda self, *args: held.append(args)
    )
    first = main_screen_module.FIRST_SCREEN_POSTS
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        sidebar = screen.sidebar
        await until(pilot, lambda: bool(held))
        sidebar.focus()
        await pilot.press("end", "k", "enter")
        assert len(sidebar.group_posts("news")) == first
        assert screen.post is None  # nothing done yet: the keys wait for the whole list
        read_whole(screen, *held[0])  # type: ignore[arg-type]
        await until(pilot, lambda: screen.post is not None)
        assert screen.post is not None and screen.post.title == f"Post number {POSTS - 1}"
        assert _cursor_line(sidebar).endswith(f"Post number {POSTS - 1}")


async def test_next_in_list_from_the_end_of_the_first_screenful_waits_for_the_whole_list(
    long_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    read_whole = main_screen_module.MainScreen._read_whole_list
    held: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        main_screen_module.MainScreen, "_read_whole_list", lambda self, *args: held.append(args)
    )
    last_shown = main_screen_module.FIRST_SCREEN_POSTS - 1
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        sidebar = screen.sidebar
        await until(pilot, lambda: bool(held))
        sidebar.focus()
        sidebar.show_post("news", sidebar.group_posts("news")[last_shown].id)
        await pilot.press("enter")
        await until(pilot, lambda: screen.post is not None)
        await pilot.press("]")
        assert screen.post is not None and screen.post.title == f"Post number {last_shown}"
        # Opening the post marked it read: the list is read again (by the real method).
        monkeypatch.setattr(main_screen_module.MainScreen, "_read_whole_list", read_whole)
        read_whole(screen, *held[0])  # type: ignore[arg-type]
        await until(pilot, lambda: screen.post is not None and screen.post.title.endswith("200"))
        assert status_message(screen) != "End of the list."


async def test_page_down_past_the_first_screenful_waits_for_the_whole_list(
    long_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    read_whole = main_screen_module.MainScreen._read_whole_list
    held: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        main_screen_module.MainScreen, "_read_whole_list", lambda self, *args: held.append(args)
    )
    near_end = main_screen_module.FIRST_SCREEN_POSTS - 5
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        sidebar = screen.sidebar
        await until(pilot, lambda: bool(held))
        sidebar.focus()
        sidebar.show_post("news", sidebar.group_posts("news")[near_end].id)
        await pilot.press("pagedown", "enter")
        assert screen.post is None
        read_whole(screen, *held[0])  # type: ignore[arg-type]
        await until(pilot, lambda: screen.post is not None)
        page = sidebar.scrollable_content_region.height - 1
        assert screen.post is not None
        assert screen.post.title == f"Post number {near_end + page}"


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_quit_is_never_held_for_the_first_list(
    long_store: Store, monkeypatch: pytest.MonkeyPatch, quit_key: str
) -> None:
    # Once `end` was held, every key after it was too, q and ctrl+q with them: a list whose
    # reading never ended kept the reader from quitting.
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    held: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        main_screen_module.MainScreen, "_read_whole_list", lambda self, *args: held.append(args)
    )
    monkeypatch.setattr(app_module, "HOLD_AT_MOST", 3600.0)
    quits: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setattr(app, "exit", lambda *args, **kwargs: quits.append(1))
        sidebar = main_screen(app).sidebar
        await until(pilot, lambda: bool(held))
        sidebar.focus()
        await pilot.press("end", "k", quit_key)
        assert quits == [1]
        # The keys held before it went first, on the list as it was.
        first = main_screen_module.FIRST_SCREEN_POSTS
        assert _cursor_line(sidebar).endswith(f"Post number {first - 1}")


async def test_held_keys_go_after_a_while_if_the_list_never_comes(
    long_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    held: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        main_screen_module.MainScreen, "_read_whole_list", lambda self, *args: held.append(args)
    )
    monkeypatch.setattr(app_module, "HOLD_AT_MOST", 0.05)
    first = main_screen_module.FIRST_SCREEN_POSTS
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        sidebar = screen.sidebar
        await until(pilot, lambda: bool(held))
        sidebar.focus()
        await pilot.press("end", "k", "enter")
        # On the list as it is: its last post shown.
        await until(pilot, lambda: screen.post is not None)
        assert screen.post is not None and screen.post.title == f"Post number {first - 1}"
        # And nothing is held again: `end` now acts at once.
        sidebar.focus()
        await pilot.press("home", "end")
        assert "Bookmarks" in _cursor_line(sidebar)


async def test_keys_let_go_for_the_first_list_wait_for_a_picker_s_enter(
    long_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The keys held for the first list went straight to the focused widget when let go: an
    # enter among them, in a picker opened meanwhile, was not waited for, and the key after it
    # was typed into the filter box that pick was closing.
    from rich.text import Text

    from reader.ui.pickers import Choice, Picker

    app = ReaderApp(long_store, SITE, section_names=SECTIONS, refresh_on_start=False)
    read_whole = main_screen_module.MainScreen._read_whole_list
    held: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        main_screen_module.MainScreen, "_read_whole_list", lambda self, *args: held.append(args)
    )
    monkeypatch.setattr(app_module, "HOLD_AT_MOST", 3600.0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        sidebar = screen.sidebar
        await until(pilot, lambda: bool(held))
        sidebar.focus()
        await pilot.press("end")
        await app.push_screen(Picker("Pick", lambda typed: [Choice(Text("one"), 1)]))
        await pilot.press("enter", "k")
        assert isinstance(app.screen, Picker)  # the enter is held, as `end` is
        read_whole(screen, *held[0])  # type: ignore[arg-type]
        await until(pilot, lambda: app.screen is screen)
        await settle(app, pilot)
        # k, after the enter, went to the list below the picker, one up from its end.
        moved = sidebar.cursor_line
        await pilot.press("end")
        assert moved == sidebar.cursor_line - 1
