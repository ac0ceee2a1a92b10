"""ESC and a punctuation key read together, named as Textual names ESC and a letter: alt+key.

Textual's xterm parser reads ESC and a letter arriving in one read as ``alt+q``, which the
app takes back apart (:func:`reader.ui.keys.key_after_escape`). ESC and any other printable
key it read as that key alone, the escape dropped: with the search open, ``esc /`` typed fast
over SSH put a ``/`` in the box rather than closing it and opening a new search. ESC and a
digit, ``-`` or ``=`` it turns into the character a Mac keyboard's option key types (``¡`` for
ESC 1), the escape dropped too. Here both become ``alt+<key>`` (``alt+slash`` with "/", as
Textual's open pull request 6674 for issue 6663 names them), and the app handles them as it
handles alt+letter: an alt key where something binds it, else the escape and then the key.

``ESC b`` and ``ESC f`` Textual's table reads as ctrl+left and ctrl+right (readline's word
moves): here they are alt+b and alt+f, as every other letter is, so ``esc b`` typed fast in the
search box closes it and bookmarks rather than moving its cursor a word. Nothing in the reader
binds ctrl+left or ctrl+right; the search box's word moves still come from the keys
themselves, which terminals send as CSI sequences (``ESC [ 1 ; 5 D``).

``ESC [`` is left as it was: it begins every CSI sequence, and a sequence the parser did not
know is given back as keys that way; a made-up escape there would close whatever is open.
So are ``ESC ]``, which begins an OSC reply, and ``ESC \\``, which ends an OSC, DCS or APC
one: a reply that reached the parser (one later than the picture probe waits, say) gave its
characters as keys before, but made up no escape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser

_ESC = "\x1b"
_NOT_AFTER_ESCAPE = frozenset("[]\\")
"""Keys left as Textual reads them after ESC (see the module's docstring)."""

_WORD_MOVES = frozenset({"\x1bb", "\x1bf"})
"""ESC and a letter that Textual's table names ctrl+left and ctrl+right: named alt+letter."""

_KeyEvents = Callable[[Any, str, bool], Iterable[events.Key]]


def alt_character(sequence: str, alt: bool) -> str | None:
    """The printable key, not a letter, that ``sequence`` is with ESC before it; else None.

    ``alt`` is the parser's own flag: the key came right after an ESC it gave up waiting on
    (the sequence is then that key alone). An ESC and key that Textual's table maps to another
    character come whole, with ``alt`` unset.
    """
    if alt and len(sequence) == 1:
        character = sequence
    elif not alt and sequence in _WORD_MOVES:
        return sequence[1]
    elif (
        not alt
        and len(sequence) == 2
        and sequence[0] == _ESC
        and isinstance(ANSI_SEQUENCES_KEYS.get(sequence), str)
    ):
        character = sequence[1]
        if character.isascii() and character.isalnum():
            return character  # a digit: alt+1, as a letter is alt+q
    else:
        return None
    if not character.isascii() or not character.isprintable() or character.isalnum():
        return None
    return None if character in _NOT_AFTER_ESCAPE else character


def _with_alt_named(original: _KeyEvents) -> _KeyEvents:
    def key_events(parser: Any, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        character = alt_character(sequence, alt)
        if character is None:
            yield from original(parser, sequence, alt)
            return
        for event in original(parser, character, False):
            yield events.Key(f"alt+{event.key}", event.character)

    key_events.__wrapped__ = original  # type: ignore[attr-defined]
    return key_events


def install() -> None:
    """Make every xterm parser of this process name ESC and a punctuation key alt+key (once).

    The parser is made inside each driver's input thread, so its class is where this goes.
    """
    method = XTermParser._sequence_to_key_events
    if getattr(method, "__wrapped__", None) is None:
        XTermParser._sequence_to_key_events = _with_alt_named(method)  # type: ignore[method-assign,assignment]
