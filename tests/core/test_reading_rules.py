"""What b/m act on and which link tab selects: the rules of reader.core.reading on their own."""

from __future__ import annotations

import pytest

from reader.core.reading import Subject, link_to_select, subject


@pytest.mark.parametrize(
    ("how", "state", "expected"),
    [
        # Opened from the sidebar: the article has focus.
        ("enter in the list", dict(list_focused=False, list_moved=False), Subject.ARTICLE),
        # Opened from the palette, a search or a link number: focus stayed on the list, whose
        # cursor is on some other post. The reader is looking at the article.
        ("palette, list kept focus", dict(list_focused=True, list_moved=False), Subject.ARTICLE),
        # Then the reader moved down the list: now the highlighted post is what they look at.
        ("moved in the list", dict(list_focused=True, list_moved=True), Subject.HIGHLIGHTED),
        # Moved in the list, then went back to the article: the article again.
        ("moved, then tab", dict(list_focused=False, list_moved=True), Subject.ARTICLE),
    ],
)
def test_b_and_m_act_on_what_the_reader_looks_at(
    how: str, state: dict[str, bool], expected: Subject
) -> None:
    assert (
        subject(article_open=True, article_in_view=True, highlighted_post=True, **state) is expected
    ), how


def test_the_list_alone_on_screen_means_its_post() -> None:
    # The narrow layout shows the list full width: the article is open but out of view.
    assert (
        subject(
            article_open=True,
            article_in_view=False,
            highlighted_post=True,
            list_focused=True,
            list_moved=False,
        )
        is Subject.HIGHLIGHTED
    )


def test_no_article_means_the_highlighted_post_or_nothing() -> None:
    common = dict(article_open=False, article_in_view=True, list_focused=True, list_moved=False)
    assert subject(highlighted_post=True, **common) is Subject.HIGHLIGHTED
    assert subject(highlighted_post=False, **common) is Subject.NOTHING
    # An article, and the cursor on a group heading: the article.
    assert (
        subject(
            article_open=True,
            article_in_view=True,
            highlighted_post=False,
            list_focused=True,
            list_moved=True,
        )
        is Subject.ARTICLE
    )


# Twelve links, two per ten lines: link n starts on line 5 * n.
NUMBERS = list(range(1, 13))
LINES = {n: 5 * n for n in NUMBERS}


def test_tab_starts_at_the_first_link_in_view_not_at_link_one() -> None:
    # Reading lines 30-49: links 6 to 9 are in view.
    assert link_to_select(NUMBERS, LINES, None, top=30, height=20, step=+1) == 6
    assert link_to_select(NUMBERS, LINES, None, top=30, height=20, step=-1) == 9


def test_tab_then_goes_to_the_next_link_after_it() -> None:
    assert link_to_select(NUMBERS, LINES, 6, top=30, height=20, step=+1) == 7
    assert link_to_select(NUMBERS, LINES, 9, top=30, height=20, step=+1) == 10  # below: scrolls
    assert link_to_select(NUMBERS, LINES, 6, top=30, height=20, step=-1) == 5
    assert link_to_select(NUMBERS, LINES, 12, top=50, height=20, step=+1) == 1  # wraps


def test_a_selection_scrolled_out_of_view_starts_again_where_the_reader_is() -> None:
    # Link 2 was selected, then the reader scrolled down to lines 40-59.
    assert link_to_select(NUMBERS, LINES, 2, top=40, height=20, step=+1) == 8
    assert link_to_select(NUMBERS, LINES, 2, top=40, height=20, step=-1) == 11


def test_with_no_link_in_view_the_next_one_after_or_before_the_view() -> None:
    sparse = {1: 3, 2: 200, 3: 400}
    assert link_to_select([1, 2, 3], sparse, None, top=100, height=20, step=+1) == 2
    assert link_to_select([1, 2, 3], sparse, None, top=100, height=20, step=-1) == 1
    assert link_to_select([1, 2, 3], sparse, None, top=500, height=20, step=+1) == 1
    assert link_to_select([1, 2, 3], sparse, None, top=0, height=2, step=-1) == 3
    assert link_to_select([], {}, None, top=0, height=20, step=+1) is None
