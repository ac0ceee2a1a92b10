"""Telling one post's page from a list of posts (reader/core/page_kind.py), without a network.

The markers are those the real WordPress prints (tests/wordpress/test_not_an_article.py reads
them from its classic and block themes); the sample site must print the same.
"""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from reader.core.page import extract_page
from reader.core.page_kind import Kind, PageKind, classify
from reader.core.store import Store
from reader.core.sync import NotAnArticle
from tests.support.reading import read_page

_SINGLE = ["post-template-default", "single", "single-post", "postid-535", "single-format-standard"]
_REST = "http://example.org/wp-json/wp/v2/"


@pytest.mark.parametrize(
    ("classes", "rest", "og_type", "articles", "expected"),
    [
        (_SINGLE, _REST + "posts/535", "", [535], PageKind(Kind.POST, 535)),
        # A theme that shows related posts as <article>s: the body still says one post.
        (_SINGLE, "", "", [535, 7, 8], PageKind(Kind.POST, 535)),
        (["page-template-default", "page", "page-id-556"], "", "", [556], PageKind(Kind.PAGE, 556)),
        # A static front page is "home" and a Page: one item, not a list.
        (
            ["home", "page-template-default", "page", "page-id-2"],
            "",
            "",
            [],
            PageKind(Kind.PAGE, 2),
        ),
        (["home", "blog"], "", "", [535, 526], PageKind(Kind.LISTING, what="the site's home page")),
        (
            ["home", "blog", "paged", "paged-2"],
            "",
            "",
            [445],
            PageKind(Kind.LISTING, what="a page of the site's list of posts"),
        ),
        (
            ["archive", "category", "category-brain", "category-9"],
            _REST + "categories/9",
            "",
            [535],
            PageKind(Kind.LISTING, what="a category archive"),
        ),
        (
            ["archive", "tag", "tag-community", "tag-22"],
            "",
            "",
            [472],
            PageKind(Kind.LISTING, what="a tag archive"),
        ),
        (
            ["search", "search-results"],
            "",
            "",
            [508],
            PageKind(Kind.LISTING, what="a page of search results"),
        ),
        (["error404"], "", "", [], PageKind(Kind.LISTING, what="a “page not found” page")),
        # No body classes: the REST link of what is shown says it.
        ([], _REST + "tags/22", "", [1], PageKind(Kind.LISTING, what="a tag archive")),
        ([], "http://example.org/?rest_route=/wp/v2/posts/9", "", [9, 3], PageKind(Kind.POST, 9)),
        ([], _REST + "pages/4", "", [], PageKind(Kind.PAGE, 4)),
        # Nothing WordPress: several <article id="post-N"> are a list, one is that post.
        ([], "", "", [5, 6], PageKind(Kind.LISTING, what="a list of posts")),
        ([], "", "article", [5, 6], PageKind(Kind.POST)),
        ([], "", "", [5], PageKind(Kind.POST, 5)),
        ([], "", "", [], PageKind(Kind.POST)),
    ],
)
def test_a_page_is_told_by_what_wordpress_marks_it_with(
    classes: list[str], rest: str, og_type: str, articles: list[int], expected: PageKind
) -> None:
    assert classify(classes, rest, og_type, articles) == expected


def test_block_theme_list_items_make_a_list() -> None:
    assert classify([], "", "", [], listed_posts=3).listing
    assert not classify([], "", "", [], listed_posts=1).listing


def test_a_list_gives_no_post_id_even_with_a_shortlink_less_first_article() -> None:
    html = (
        '<html><body class="archive category category-brain category-9">'
        '<article id="post-535"><h2 class="entry-title">First</h2>'
        '<div class="entry-summary"><p>One</p></div></article>'
        '<article id="post-526"><h2 class="entry-title">Second</h2></article></body></html>'
    )
    page = extract_page(html, "http://example.org/category/brain/")
    assert (page.listing, page.wp_id) == ("a category archive", None)


def test_the_sample_site_marks_its_pages_as_wordpress_does(sample_site: str) -> None:
    from reader.sample.content import sample_site as content

    post = content().posts()[0]
    answers = {
        post.path: ("", post.id),
        "/": ("the site's home page", None),
        "/page/2/": ("a page of the site's list of posts", None),
        "/category/brain/": ("a category archive", None),
        "/tag/organoids/": ("a tag archive", None),
        "/no-such-address/": ("a “page not found” page", None),
    }
    base = sample_site.rstrip("/")
    for path, expected in answers.items():
        answer = httpx.get(base + path, timeout=30)
        page = extract_page(answer.content, base + path)
        assert (page.listing, page.wp_id) == expected, path
    brain = httpx.get(base + "/category/brain/", timeout=30).text
    assert 'class="archive category category-brain category-' in brain
    assert 'type="application/json" href="' in brain and "/wp/v2/categories/" in brain


def test_a_post_is_never_filled_from_a_page_that_is_not_its_own(
    store: Store, sample_site: str
) -> None:
    # A post's address that comes to answer with the home page, or with another post: its
    # page was stored into the post, the list's text or the other post's in place of its own.
    summaries = store.posts_in()
    post = store.post(summaries[0].id)
    other = store.post(summaries[1].id)
    assert post is not None and other is not None and post.wp_id and other.wp_id
    before = store.post(post.id)
    for answered, said in ((sample_site, "Not an article"), (other.url, "Not this post's page")):
        with pytest.raises(NotAnArticle, match=said):
            read_page(store, replace(post, url=answered, page_fetched=False))
        assert store.post(post.id) == before
