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
from collections.abc import Sequence

START, END = "\x02", "\x03"
"""The marks around a matching word, as the store's snippet() call uses them."""
_WORDS = re.compile(r"\w+", re.UNICODE)
_BEFORE = 3
"""Words shown before the first match, so it is read in its sentence."""


def _fold(word: str) -> str:
    """A word as the index compares it: case and diacritics removed (unicode61)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    first = next((i for i, t in enumerate(tokens) if matches(t.group())), 0)
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
