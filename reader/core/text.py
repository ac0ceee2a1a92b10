"""The one place that makes untrusted text safe for a terminal.

Every string that comes from the network (titles, authors, category names, link text, URLs,
body text) passes through :func:`clean` before it is stored or shown. Feed text is never treated
as Rich or Textual markup anywhere; this module only removes characters that a terminal would
act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# C0 controls except tab (\x09) and newline (\x0a), DEL, C1 controls, and the bidi controls
# that can reorder what the reader sees (Trojan Source style): ALM, LRM/RLM, LRE..RLO, LRI..PDI.
# Then the characters whose width Rich and terminals disagree on, so that a line Rich lays out
# to the pane's width is that wide on screen: the zero width joiner and the variation selectors
# (Rich counts a heart with VS16 2 cells and a joined emoji as one picture; tmux 3.3 and xterm
# draw the heart in 1, xterm each joined part in 2), the skin-tone modifiers (0 to Rich, 2 to
# the terminal) and the invisible Hangul fillers (0 to Rich, 2 and 1 to the terminal). In tmux
# a sidebar row holding a heart with VS16 lost its border and left stale cells after it. Only
# how a picture-character is drawn goes: the heart, the woman, the microscope, the thumb stay.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u3164\uffa0]"
)
# Carriage returns become newlines rather than vanish, so "a\r\nb" stays two lines.
_CRLF = re.compile("\r\n?")
_SPACES = re.compile(r"\s+")

#: The characters :func:`clean` removes, for tests and for checking output.
UNSAFE_PATTERN = _UNSAFE


# Every character below U+0100 that _UNSAFE leaves alone, as bytes (the bidi controls are all
# above it).
_SAFE_LATIN1 = bytes(code for code in range(256) if not _UNSAFE.match(chr(code)))


def _has_unsafe(text: str) -> bool:
    """True when ``text`` holds a character :data:`_UNSAFE` matches."""
    # The regex tests its character class one character at a time (~30 instructions each:
    # 9% of a cold sync's instructions, over every body twice). Text that is all Latin-1, as
    # WordPress's entity-encoded HTML is, is copied to bytes and every safe byte dropped in C
    # instead; anything wider goes to the regex.
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return _UNSAFE.search(text) is not None
    return bool(raw.translate(None, _SAFE_LATIN1))


def strip_controls(text: str) -> str:
    """Remove terminal control and bidi-override characters, and those whose width terminals
    disagree on; keep tab and newline."""
    # Most text has none (a carriage return is one of them too): one scan, not two passes.
    if not _has_unsafe(text):
        return text
    return _UNSAFE.sub("", _CRLF.sub("\n", text))


def _first_unescape(text: str) -> str:
    # html and its table of some 2,000 entities (9 M instructions to import, 0.5% of the
    # reader's start) load with the first text decoded, which the first screen never needs;
    # from then on the module's name is html's own function, with no extra call per text.
    global _unescape
    from html import unescape

    _unescape = unescape
    return unescape(text)


_unescape: Callable[[str], str] = _first_unescape
"""``html.unescape``, once imported."""


def clean(text: str | None, *, decode: bool = True) -> str:
    """Decode HTML entities, then strip control characters: for multi-line text.

    Pass ``decode=False`` for text a parser has already decoded (selectolax attributes, parsed
    feed fields): decoding twice would turn ``&amp;lt;`` into ``<``.
    """
    if not text:
        return ""
    return strip_controls(_unescape(text) if decode else text)


def clean_line(text: str | None, *, decode: bool = True) -> str:
    """Like :func:`clean`, and fold all whitespace to single spaces: for titles and names."""
    return _SPACES.sub(" ", clean(text, decode=decode)).strip()


def clean_url(url: str | None, *, decode: bool = True) -> str:
    """Make a URL safe to store and to put inside an OSC 8 escape: no controls, no spaces."""
    if not url:
        return ""
    url = strip_controls(_unescape(url) if decode else url).strip()
    # Whitespace inside a URL is invalid and would split an OSC 8 sequence's parameters.
    return _SPACES.sub("%20", url).replace("\t", "%09")


def is_safe(text: str) -> bool:
    """True when ``text`` holds no character that :func:`strip_controls` would remove."""
    return _UNSAFE.search(text) is None and "\r" not in text
