"""Another post's title cut to a few rows, where it only names where a key or a pick goes (the
header's n/p/r lines, search results, the bookmark list): a hostile feed's 5,000-character
title wrapped over some 90 rows. Kept apart from ``render.article`` so that the lists cutting
a title need not import the article's renderer."""

from __future__ import annotations

from rich.cells import cell_len, split_graphemes

NAVIGATION_TITLE_MOST = 160
"""The most cells of another post's title a navigation line shows (three or four rows of a
narrow pane, whatever its script); a longer one is cut, ending in an ellipsis."""


def cut_to_cells(text: str, most: int) -> str:
    """``text`` in at most ``most`` cells: whole if it fits, else cut and ending in "…".

    Cells, not characters: 160 CJK characters are 320 cells, twice the rows. The cut falls
    between grapheme clusters as Rich splits them (a letter with its combining marks), and
    never inside a flag's pair of regional indicators, which Rich leaves apart. Joiners,
    variation selectors and skin tones never reach it: ``strip_controls`` drops them, since
    terminals and Rich count their widths apart.
    """
    if cell_len(text) <= most:
        return text
    room = most - 1  # the ellipsis's cell
    used = 0
    end = 0
    for _, stop, width in split_graphemes(text)[0]:
        if used + width > room:
            break
        used += width
        end = stop
    if _regional(text[end]):
        pairs_before = 0
        while end - pairs_before > 0 and _regional(text[end - pairs_before - 1]):
            pairs_before += 1
        end -= pairs_before % 2
    return text[:end].rstrip() + "…"


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"
