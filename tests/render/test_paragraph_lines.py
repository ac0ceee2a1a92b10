"""The article's own paragraph wrapping gives Rich's lines, segment for segment."""

from __future__ import annotations

import io
import random

import pytest
from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from reader.render import wrapping
from reader.render.wrapping import lines_of

PIECES = [
    "a",
    "the",
    "cells",
    "can’t",
    "“quoted”",
    "·",
    "…",
    "→",
    "€5",
    "café",
    "日本語",
    "x" * 30,
    " ",
    "  ",
    "\n",
    "\n\n",
    "word,",
    "—",
    "\xa0",
    "a\xa0b",
    "😀",
    "e\u0301",
]
STYLES = [
    Style(bold=True),
    Style(underline=True),
    Style(bgcolor="blue"),
    Style(link="https://example.org/"),
]


def _console() -> Console:
    return Console(file=io.StringIO(), width=200, force_terminal=True, color_system="256")


def _rich_lines(console: Console, text: Text, width: int) -> list[list[Segment]]:
    options = console.options.update(width=width, height=None, highlight=False)
    rendered = console.render(text, options)
    return list(Segment.split_and_crop_lines(rendered, width, include_new_lines=False, pad=False))


def _ours(console: Console, text: Text, width: int) -> list[list[Segment]]:
    options = console.options.update(width=width, height=None, highlight=False)
    return list(lines_of(console, text, options))


def _cells(lines: list[list[Segment]]) -> list[list[tuple[str, Style | None]]]:
    """What each line shows, character by character (a null style is no style)."""
    return [
        [(character, segment.style or None) for segment in line for character in segment.text]
        for line in lines
    ]


def _paragraph(rng: random.Random) -> Text:
    separator = rng.choice([" ", "", "  "])
    plain = separator.join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
    if rng.random() < 0.2:
        plain = " " * rng.randint(1, 3) + plain
    if rng.random() < 0.2:
        plain += " " * rng.randint(1, 3)
    text = Text(plain, style=rng.choice(["", "bold", Style(color="red")]))
    for _ in range(rng.randint(0, 6)):
        if plain:
            start = rng.randrange(len(plain))
            text.stylize(rng.choice(STYLES), start, start + rng.randint(1, 30))
    return text


@pytest.mark.parametrize("seed", range(300))
def test_a_paragraph_has_richs_lines(seed: int) -> None:
    rng = random.Random(seed)
    console = _console()
    text = _paragraph(rng)
    for width in (1, 2, 3, 7, 10, 25, 74):
        theirs, ours = _rich_lines(console, text, width), _ours(console, text, width)
        assert len(ours) == len(theirs), (text.plain, width)
        assert _cells(ours) == _cells(theirs), (text.plain, width)


def test_a_line_keeps_the_spaces_after_its_last_word_as_rich_does() -> None:
    # At a break, Rich leaves the space on the line it ends (it is drawn in the text's
    # style: an underlined link's space shows).
    console = _console()
    text = Text("A closer look: skin stem cells", style="bold")
    lines = _ours(console, text, 20)
    assert "".join(segment.text for segment in lines[0]) == "A closer look: skin "
    assert all(segment.style == Style(bold=True) for segment in lines[0])


@pytest.mark.parametrize("seed", range(50))
def test_break_positions_of_one_cell_text_are_richs(seed: int) -> None:
    rng = random.Random(seed)
    words = [" ", "  ", "a", "bb", "c’c", "“", "   ", *("x" * n for n in range(1, 16))]
    for _ in range(400):
        plain = "".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        width = rng.randint(1, 12)
        assert wrapping._plain_breaks(plain, width) == divide_line(plain, width), (plain, width)


def test_the_one_cell_characters_are_one_cell_wide_for_rich() -> None:
    assert all(cell_len(character) == 1 for character in wrapping.one_cell())
    assert " " in wrapping.one_cell()
    assert not any(character.isspace() for character in wrapping.one_cell() - {" "})


def test_text_with_wide_characters_or_other_spaces_is_wrapped_by_rich_rules() -> None:
    # Those are not one cell a character with " " the only space: Rich's own rule decides.
    console = _console()
    for plain in ("日本語 " * 20, "a\xa0b " * 30, "tab\there " * 10):
        text = Text(plain)
        for width in (5, 9, 30):
            assert _cells(_ours(console, text, width)) == _cells(_rich_lines(console, text, width))
