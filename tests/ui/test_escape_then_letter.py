"""ESC and a letter read together, which Textual reports as alt+letter (issue 16).

The pty test (tests/end_to_end/test_pty_keys_after_escape) sends the bytes; these check the
choice made in the app: an unbound alt+letter is the escape and the letter, a bound one stays.
"""

from __future__ import annotations

from textual import events

from reader.core.store import Store
from reader.ui import keys
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.search_screen import SearchScreen
from tests.support.app_fixtures import make_app


def test_only_a_legacy_alt_letter_is_read_as_escape_then_letter() -> None:
    assert keys.key_after_escape("alt+q", "q") == ("q", "q")
    assert keys.key_after_escape("alt+shift+q", "Q") == ("Q", "Q")
    assert keys.key_after_escape("alt+1", "1") == ("1", "1")
    # ESC and a punctuation key, as terminal_keys names them.
    assert keys.key_after_escape("alt+slash", "/") == ("slash", "/")
    assert keys.key_after_escape("alt+right_square_bracket", "]") == ("right_square_bracket", "]")
    assert keys.key_after_escape("alt+ctrl+slash", "/") is None
    # The kitty protocol's alt+q carries no character: a real alt key.
    assert keys.key_after_escape("alt+q", None) is None
    assert keys.key_after_escape("q", "q") is None
    assert keys.key_after_escape("ctrl+left", None) is None


async def test_an_unbound_alt_q_in_the_search_closes_it_and_quits(
    sample_site: str, store: Store
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        app.post_message(events.Key("alt+q", "q"))
        await pilot.pause()
        assert app.return_code == 0
        assert search not in app.screen_stack


async def test_an_alt_letter_the_keymap_binds_stays_an_alt_key(
    sample_site: str, store: Store
) -> None:
    app = make_app(store, sample_site, keymap={"app.search": "alt+f"})
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, MainScreen)
        app.post_message(events.Key("alt+f", "f"))
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


def test_escape_and_a_punctuation_key_or_digit_are_read_as_alt_keys() -> None:
    # What Textual's parser makes of ESC and the key in one read, with the reader's naming.
    from textual._xterm_parser import XTermParser

    from reader.ui import terminal_keys

    terminal_keys.install()

    def read(data: str) -> list[tuple[str, str | None]]:
        parser = XTermParser(False)
        found = [*parser.feed(data), *parser.feed("")]
        return [(e.key, e.character) for e in found if isinstance(e, events.Key)]

    assert read("\x1b/") == [("alt+slash", "/")]  # was ("slash", "/"): the escape lost
    assert read("\x1b}") == [("alt+right_curly_bracket", "}")]
    assert read("\x1b1") == [("alt+1", "1")]  # was ("inverted_exclamation_mark", "¡")
    assert read("\x1b-") == [("alt+minus", "-")]
    # Left as they were: letters, CSI sequences (and a lone ESC [), keys without ESC.
    assert read("\x1bq") == [("alt+q", "q")]
    assert read("\x1b[A") == [("up", None)]
    assert read("\x1b[") == [("left_square_bracket", "[")]
    assert read("/") == [("slash", "/")]
    assert read("\x1b") == [("escape", "\x1b")]
    # ESC b and ESC f, which Textual's table makes ctrl+left and ctrl+right: letters too
    # (`esc b` typed fast in the search box moved its cursor instead of closing it).
    assert read("\x1bb") == [("alt+b", "b")]
    assert read("\x1bf") == [("alt+f", "f")]
    # The keys themselves still come as CSI sequences: the search box's word moves.
    assert read("\x1b[1;5D") == [("ctrl+left", None)]
    assert read("\x1b[1;5C") == [("ctrl+right", None)]
    # ESC ] begins a terminal's OSC reply and ESC \ ends its OSC, DCS and APC replies: no
    # escape is made of them (an escape would close whatever is open).
    assert read("\x1b]") == [("right_square_bracket", "]")]
    assert read("\x1b\\") == [("backslash", "\\")]
    reply = read("\x1b]11;rgb:0000/0000/0000\x1b\\")
    assert not [key for key, _ in reply if key.startswith("alt+") or key == "escape"]


async def test_escape_b_typed_fast_in_the_search_closes_it_and_ctrl_left_still_moves_a_word(
    sample_site: str, store: Store
) -> None:
    # The parser's alt+b for ESC b (was ctrl+left: the box's cursor moved a word).
    from textual._xterm_parser import XTermParser
    from textual.widgets import Input

    from reader.ui import terminal_keys

    terminal_keys.install()

    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        box = search.query_one(Input)
        await pilot.press(*"two words")
        await pilot.press("ctrl+left")  # the key itself, as its CSI sequence reads
        assert box.cursor_position == len("two ")
        parser = XTermParser(False)
        for event in [*parser.feed("\x1bb"), *parser.feed("")]:  # the bytes, in one read
            app.post_message(event)
        await pilot.pause()
        assert search not in app.screen_stack
        assert isinstance(app.screen, MainScreen)
        assert store.bookmark_count() == 1
