"""Rules of reading, decided without a screen: which post ``b`` and ``m`` mean, which link
``tab`` selects.

Both follow one idea: a key acts on what the reader is looking at. The main screen and the
article view ask these functions and apply the answer; the rules are tested on their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum


class Subject(Enum):
    """The post a key such as ``b`` (bookmark) or ``m`` (read/unread) acts on."""

    ARTICLE = "article"
    """The article on screen."""
    HIGHLIGHTED = "highlighted"
    """The post highlighted in the sidebar list."""
    NOTHING = "nothing"
    """Neither: no article is open and the cursor is not on a post."""


def subject(
    *,
    article_open: bool,
    article_in_view: bool,
    highlighted_post: bool,
    list_focused: bool,
    list_moved: bool,
) -> Subject:
    """What ``b`` and ``m`` act on: the thing the reader is looking at.

    That is the article on screen, however it was opened (the sidebar, the palette, a search, a
    link, back, n/p), unless the reader is looking at the list instead: the list has focus and
    its cursor was moved since the article opened, or the article is not on screen (the narrow
    layout shows the list alone, or no article is open). Focus alone does not count: opening an
    article from the palette or by a link number leaves focus where it was.
    """
    looking_at_list = highlighted_post and (
        not article_open or not article_in_view or (list_focused and list_moved)
    )
    if looking_at_list:
        return Subject.HIGHLIGHTED
    if article_open and article_in_view:
        return Subject.ARTICLE
    return Subject.HIGHLIGHTED if highlighted_post else Subject.NOTHING


def link_to_select(
    numbers: Sequence[int],
    first_lines: Mapping[int, int],
    selected: int | None,
    top: int,
    height: int,
    step: int,
) -> int | None:
    """The link ``tab`` (``step`` +1) or ``shift+tab`` (-1) selects; None when there is none.

    ``numbers`` are the article's links in reading order, ``first_lines`` the line each starts
    on, ``top`` and ``height`` the lines in view. From a selected link in view, the next (or
    previous) one, wrapping around. Otherwise the selection starts where the reader is: the
    first link in view (the last, going back), else the first one after the view (the last one
    before it), so tab never throws the view back to the top of a long article.
    """
    if not numbers:
        return None
    in_view = [n for n in numbers if top <= first_lines.get(n, -1) < top + height]
    if selected in numbers and selected in in_view:
        position = numbers.index(selected) + step
        return numbers[position % len(numbers)]
    if in_view:
        return in_view[0] if step > 0 else in_view[-1]
    if step > 0:
        after = [n for n in numbers if first_lines.get(n, -1) >= top + height]
        return after[0] if after else numbers[0]
    before = [n for n in numbers if 0 <= first_lines.get(n, -1) < top]
    return before[-1] if before else numbers[-1]
