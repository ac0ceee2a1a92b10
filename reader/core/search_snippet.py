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
from itertools import islice

START, END = "\x02", "\x03"
"""The marks around a matching word, as the store's snippet() call uses them."""
_WORDS = re.compile(r"\w+", re.UNICODE)
_CASE_BLIND_ASCII = re.IGNORECASE | re.ASCII
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


def _first_match_at(body: str, wanted: Sequence[str], last_is_prefix: bool) -> int | None:
    """Where the first word of the body that matches starts (0 if none does), found by one
    case-blind pattern in C; None when a word, or the body up to the match, is outside ASCII.

    Folding every word of a body in Python was most of a search's time (50 bodies of 250
    words each, most of them never matching); where every word is ASCII (curly quotes and
    dashes are not words) a word's fold is its lower case. Only the text up to just past the
    match is looked at for other letters: a word after it cannot come first.
    """
    if not all(w.isascii() for w in wanted):
        return None
    names = [re.escape(w) for w in wanted]
    if last_is_prefix:
        names[-1] += r"\w*"
    found = re.search(rf"\b(?:{'|'.join(names)})\b", body, flags=_CASE_BLIND_ASCII)
    # Up to the letter after the match: "kidneyé" is one word, but not to this pattern.
    end = len(body) if found is None else found.end() + 1
    if not body.isascii() and _NON_ASCII_LETTER.search(body, 0, end) is not None:
        return None
    return 0 if found is None else found.start()


def _window(body: str, at: int, size: int) -> tuple[list[re.Match[str]], bool, bool]:
    """The ``size`` words shown for a match at ``at`` (a word's start): ``_BEFORE`` words
    before it, more when the body ends sooner; and whether words are left out before and
    after them.

    Only the words near ``at`` are read: splitting the whole body into words was half of a
    snippet's time, for the dozen shown.
    """
    after = list(islice(_WORDS.finditer(body, at), size + 1))
    wanted = max(_BEFORE, size - len(after))
    step = 16 * (wanted + 1)
    low = at
    while True:
        low = max(0, low - step)
        # The first word found may be the end of one the stretch began inside: it is never
        # shown (one more than wanted are found), and some word is left out there all the same.
        before = list(_WORDS.finditer(body, low, at))
        if len(before) > wanted or low == 0:
            break
        step *= 2
    kept = before[len(before) - wanted :] if wanted < len(before) else before
    return (kept + after)[:size], len(before) > len(kept), len(kept) + len(after) > size


def snippet_of(body: str, words: Sequence[str], *, last_is_prefix: bool, size: int = 12) -> str:
    """About ``size`` words of ``body`` around the first of ``words`` in it, marked."""
    wanted = [_fold(w) for w in words]
    exact = set(wanted[:-1] if last_is_prefix else wanted)
    prefix = wanted[-1] if last_is_prefix and wanted else None

    def matches(token: str) -> bool:
        folded = _fold(token)
        return folded in exact or (prefix is not None and folded.startswith(prefix))

    at = _first_match_at(body, wanted, last_is_prefix)
    if at is None:
        # A letter outside ASCII may fold to a word: each word is folded to find the first.
        tokens = list(_WORDS.finditer(body))
        first = next((i for i, t in enumerate(tokens) if matches(t.group())), 0)
        at = tokens[first].start() if tokens else 0
    shown, cut_before, cut_after = _window(body, at, size)
    if not shown:
        return ""
    parts = ["…"] if cut_before else []
    for i, token in enumerate(shown):
        parts.append(f"{START}{token.group()}{END}" if matches(token.group()) else token.group())
        # What stood between this word and the next (a space, punctuation), as written.
        if i + 1 < len(shown):
            parts.append(body[token.end() : shown[i + 1].start()])
    tail = body[shown[-1].end() :]
    if cut_after:
        parts.append("…")
    elif tail.strip():
        parts.append(tail.strip())
    return "".join(parts)
