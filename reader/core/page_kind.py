"""What kind of page a fetched HTML page is: one post's (or Page's), or a list of posts.

An archive or the home page holds several posts' titles and excerpts, each in an
``<article id="post-N">``: read as an article, it took the first one's id and title, and
stored the list under its own address, or moved a stored post there. WordPress says which
page it serves, in the ``<body>`` classes every theme prints (``single postid-N``, ``page
page-id-N``; ``home blog``, ``archive category``, ``search``, ``error404``) and in the REST
link of the thing shown (``/wp/v2/posts/N``, ``/wp/v2/categories/N``); those are trusted first,
and the page's ``<article>`` elements last, for a site that says neither.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """What a page shows."""

    POST = "post"
    """One post, a custom post type's item, or a page nothing marks (a plain article)."""
    PAGE = "page"
    """One WordPress Page (``/contact/``)."""
    LISTING = "listing"
    """Several posts, or none: the home page, an archive, search results, a 404 page."""


@dataclass(frozen=True)
class PageKind:
    """What a page is, its WordPress id when it is one item, and, for a list, what it is."""

    kind: Kind
    wp_id: int | None = None
    what: str = ""
    """For a listing, in words: "a category archive", "the site's home page"."""

    @property
    def listing(self) -> bool:
        """True when the page is not one post or Page."""
        return self.kind is Kind.LISTING


# Body classes of a list, most telling first, with what to call the page. A static front
# page is "home page page-id-N": "home" alone says nothing, so it is not here.
_LISTING_CLASSES = (
    ("error404", "a “page not found” page"),
    ("search", "a page of search results"),
    ("category", "a category archive"),
    ("tag", "a tag archive"),
    ("author", "an author's archive"),
    ("date", "a date archive"),
    ("tax", "an archive"),
    ("post-type-archive", "an archive"),
    ("archive", "an archive"),
    ("paged", "a page of the site's list of posts"),
    ("home", "the site's home page"),
    ("blog", "the site's list of posts"),
)
# Ids of 1 to 18 ASCII digits (see reader.core.digits): a longer one is no id.
_ID_CLASS = re.compile(r"^(postid|page-id)-([0-9]{1,18})$")
_REST_ITEM = re.compile(r"/wp/v2/([a-z0-9_-]+)/([0-9]{1,18})/?(?:[?&#]|$)")
_REST_LISTS = {
    "categories": "a category archive",
    "tags": "a tag archive",
    "users": "an author's archive",
    "taxonomies": "an archive",
}


def by_body(body_classes: Sequence[str]) -> PageKind | None:
    """What the ``<body>`` classes every WordPress theme prints say the page is; None when
    they say nothing (not WordPress, or a theme that drops them).

    Read first because it is cheap: the other signs need the whole page searched.
    """
    classes = set(body_classes)
    ids = {m.group(1): int(m.group(2)) for c in body_classes if (m := _ID_CLASS.match(c))}
    if classes & {"single", "single-post"} or "postid" in ids:
        return PageKind(Kind.POST, ids.get("postid"))
    if ("page" in classes or "page-id" in ids) and not classes & {"blog", "archive"}:
        return PageKind(Kind.PAGE, ids.get("page-id"))
    for name, what in _LISTING_CLASSES:
        if name in classes:
            return PageKind(Kind.LISTING, what=what)
    return None


def classify(
    body_classes: Sequence[str],
    rest_link: str,
    og_type: str,
    article_ids: Sequence[int],
    *,
    listed_posts: int = 0,
) -> PageKind:
    """What a page is, from its ``<body>`` classes, its ``alternate`` JSON link's address,
    its ``og:type``, the ids of its ``<article id="post-N">`` elements and how many block
    theme list items (``li.wp-block-post``) it has.
    """
    rest = _REST_ITEM.search(rest_link)
    rest_kind, rest_id = (rest.group(1), int(rest.group(2))) if rest else ("", None)
    # WordPress's own words first: the body's classes, then the REST link of what is shown.
    body = by_body(body_classes)
    if body is not None:
        if body.listing or body.wp_id is not None:
            return body
        route = "pages" if body.kind is Kind.PAGE else "posts"
        return PageKind(body.kind, rest_id if rest_kind == route else None)
    if rest_kind in _REST_LISTS:
        return PageKind(Kind.LISTING, what=_REST_LISTS[rest_kind])
    if rest_id is not None:
        return PageKind(Kind.PAGE if rest_kind == "pages" else Kind.POST, rest_id)
    several = len(article_ids) > 1 or listed_posts > 1
    if several and og_type != "article":
        # og:type "article" (SEO plugins print it on a post, never on a list) keeps a post
        # whose theme shows related posts as <article>s a post.
        return PageKind(Kind.LISTING, what="a list of posts")
    return PageKind(Kind.POST, article_ids[0] if len(article_ids) == 1 else None)
