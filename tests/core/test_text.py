"""Making untrusted text safe for a terminal (reader.core.text)."""

from __future__ import annotations

from reader.core.text import UNSAFE_PATTERN, is_safe, strip_controls

UNSAFE = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)])
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_strip_controls_keeps_tabs_and_newlines_and_makes_returns_newlines() -> None:
    assert strip_controls("a\tb\nc") == "a\tb\nc"
    assert strip_controls("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert strip_controls("café ’quoted’ ☕") == "café ’quoted’ ☕"


def test_strip_controls_removes_every_control_and_bidi_override() -> None:
    for character in UNSAFE.replace("\r", "") + BIDI:
        assert strip_controls(f"a{character}b") == "ab", repr(character)
        assert strip_controls(f"’{character}") == "’", repr(character)
    cleaned = strip_controls(f"x{UNSAFE}{BIDI}y\r\n")
    assert cleaned == "x\ny\n" and is_safe(cleaned)
    assert UNSAFE_PATTERN.search(cleaned) is None


def test_strip_controls_agrees_with_the_pattern_for_every_character() -> None:
    # Latin-1 text is checked as bytes, wider text by the pattern: both must find exactly what
    # the pattern finds, for each character alone, in plain ASCII and in text that is wider.
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        for text in (char, f"a {char} b", f"\u2019{char}"):
            expected = UNSAFE_PATTERN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
            assert strip_controls(text) == expected, hex(code)


def test_characters_whose_width_terminals_disagree_on_go() -> None:
    # Rich 15 counts a heart with VS16 2 cells and a joined emoji as one picture; tmux 3.3 and
    # xterm count each character (a heart 1, a woman and a microscope 2 each), and a skin tone
    # or a Hangul filler is 0 to Rich, 2 to them: the row a title was laid out in was wider
    # or narrower on screen than Rich had made it (seen in tmux: the sidebar's border lost).
    from rich.cells import cell_len, get_character_cell_size

    title = (
        "\u2764\ufe0f heart \U0001f469\u200d\U0001f52c sci "
        "\U0001f44d\U0001f3fd ok h\u3164\uffa0x \u2615\ufe0e"
    )
    cleaned = strip_controls(title)
    assert cleaned == "\u2764 heart \U0001f469\U0001f52c sci \U0001f44d ok hx \u2615"
    # What Rich lays out is what a terminal counting character by character draws.
    assert cell_len(cleaned) == sum(get_character_cell_size(c) for c in cleaned)
    assert not is_safe(title) and is_safe(cleaned)
