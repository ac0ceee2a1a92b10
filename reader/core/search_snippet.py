"""A search hit's snippet made from its text, for hits SQLite's ``snippet()`` cannot mark.

The hits whose title has every word are found by a query on the title alone, whose
``snippet()`` of the body marks nothing; asking FTS5 for each post's snippet under the whole
query costs a scan of the index per post (5 ms each at 100,000 posts). This does what
``snippet()`` does closely enough: a dozen words of the body around the first that matches,
the matching words between the same marks, ``…`` where the text is cut.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence

START, END = "\x02", "\x03"
"""The marks around a matching word, as the store's snippet() call uses them."""
_WORDS = re.compile(r"\w+", re.UNICODE)
_BEFORE = 3
"""Words shown before the first match, so it is read in its sentence."""


_NON_ASCII_LETTER = re.compile(r"(?![\x00-\x7f])\w")
"""A word character outside ASCII: a text holding one may have words that fold to others."""


def _fold(word: str) -> str:
    """A word as the index compares it: case and diacritics removed (unicode61)."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _first_match(
    body: str,
    tokens: Sequence[re.Match[str]],
    wanted: Sequence[str],
    last_is_prefix: bool,
    matches: Callable[[str], bool],
) -> int:
    """The index of the first of ``tokens`` that matches (0 if none does).

    Folding every word of a body in Python was most of a search's time (50 bodies of 250
    words each, most of them never matching); where every word is ASCII (curly quotes and
    dashes are not words) a word's fold is its lower case, so one case-blind pattern finds
    the first match in C.
    """
    if all(w.isascii() for w in wanted) and _NON_ASCII_LETTER.search(body) is None:
        names = [re.escape(w) for w in wanted]
        if last_is_prefix:
            names[-1] += r"\w*"
        found = re.search(rf"\b(?:{'|'.join(names)})\b", body, flags=re.IGNORECASE | re.ASCII)
        if found is None:
            return 0
        return bisect_right([t.start() for t in tokens], found.start()) - 1
    return next((i for i, t in enumerate(tokens) if matches(t.group())), 0)


def snippet_of(body: str, words: Sequence[str], *, last_is_prefix: bool, size: int = 12) -> str:
    """About ``size`` words of ``body`` around the first of ``words`` in it, marked."""
    wanted = [_fold(w) for w in words]
    exact = set(wanted[:-1] if last_is_prefix else wanted)
    prefix = wanted[-1] if last_is_prefix and wanted else None

    def matches(token: str) -> bool:
        folded = _fold(token)
        return folded in exact or (prefix is not None and folded.startswith(prefix))

    tokens = list(_WORDS.finditer(body))
    if not tokens:
        return ""
    first = _first_match(body, tokens, wanted, last_is_prefix, matches)
    start = max(0, min(first - _BEFORE, len(tokens) - size))
    shown = tokens[start : start + size]
    parts = ["…"] if start > 0 else []
    for i, token in enumerate(shown):
        parts.append(f"{START}{token.group()}{END}" if matches(token.group()) else token.group())
        # What stood between this word and the next (a space, punctuation), as written.
        if i + 1 < len(shown):
            parts.append(body[token.end() : shown[i + 1].start()])
    tail = body[shown[-1].end() :]
    if start + size < len(tokens):
        parts.append("…")
    elif tail.strip():
        parts.append(tail.strip())
    return "".join(parts)
