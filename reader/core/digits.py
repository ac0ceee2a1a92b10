"""Numbers read from text others wrote: URLs, feeds, pages, headers."""

from __future__ import annotations

#: The most digits a number read from outside may have: every id and size the reader keeps
#: fits SQLite's 64-bit integers, and Python's int() refuses strings over 4,300 digits with a
#: ValueError, which a hostile link must not be able to raise.
MOST_DIGITS = 18


def small_number(text: str) -> int | None:
    """``text`` as a number if it is 1 to :data:`MOST_DIGITS` ASCII digits, else None.

    str.isdigit() alone lets through "²" (which int() refuses) and other scripts' digits.
    """
    if 0 < len(text) <= MOST_DIGITS and text.isascii() and text.isdigit():
        return int(text)
    return None
